import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

/**
 * The deletion certificate (docs/offboarding.md "The deletion certificate"). It imports nothing
 * of the store or the configuration: `signalfit offboard verify-certificate` runs anywhere.
 */
export interface DeletedTable {
  name: string;
  rows_before: number;
  rows_after: number;
}

export interface DeletionCertificate {
  instance: string;
  deleted_at: string;
  deleted_by: string;
  tables: DeletedTable[];
  export_sha256: string | null;
  /** The Ed25519 public key, raw 32 bytes, base64. */
  public_key: string;
  /** The Ed25519 signature of canonicalJson(every field but `signature`), 64 bytes, base64. */
  signature: string;
}

/**
 * The bytes signed: the certificate without `signature` as JSON with the keys of every object
 * sorted by code point, no whitespace, strings escaped as JSON.stringify does, integers as
 * decimals, UTF-8. (For the values a certificate holds this is RFC 8785's form.)
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Signs the certificate with a fresh key pair; the private key is never kept. */
export function signCertificate(
  fields: Omit<DeletionCertificate, 'public_key' | 'signature'>,
): DeletionCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const unsigned = { ...fields, public_key: Buffer.from(jwk.x!, 'base64url').toString('base64') };
  const signature = sign(null, Buffer.from(canonicalJson(unsigned), 'utf8'), privateKey).toString('base64');
  return { ...unsigned, signature };
}

/** Null when the certificate is well formed and its signature holds; otherwise what is wrong. */
export function certificateProblem(input: unknown): string | null {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return 'not a JSON object';
  const cert = input as Record<string, unknown>;
  for (const field of ['instance', 'deleted_at', 'deleted_by', 'public_key', 'signature'])
    if (typeof cert[field] !== 'string' || cert[field] === '') return `${field} is missing or not a string`;
  if (cert.export_sha256 !== null && !/^[0-9a-f]{64}$/.test(String(cert.export_sha256)))
    return 'export_sha256 is neither null nor a SHA-256 in hex';
  if (!Array.isArray(cert.tables)) return 'tables is missing or not a list';
  for (const [i, table] of (cert.tables as unknown[]).entries()) {
    const t = table as Record<string, unknown>;
    if (typeof t?.name !== 'string' || !Number.isInteger(t.rows_before) || !Number.isInteger(t.rows_after))
      return `tables[${i}] needs name, rows_before and rows_after`;
    if (t.rows_after !== 0)
      return `table ${t.name} still had ${String(t.rows_after)} rows after the deletion`;
  }
  const raw = Buffer.from(cert.public_key as string, 'base64');
  if (raw.length !== 32) return 'public_key is not a base64 Ed25519 public key (32 bytes)';
  let key;
  try {
    key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
  } catch {
    return 'public_key is not an Ed25519 public key';
  }
  const { signature, ...unsigned } = cert;
  const signatureBytes = Buffer.from(signature as string, 'base64');
  if (signatureBytes.length !== 64) return 'signature is not a base64 Ed25519 signature (64 bytes)';
  if (!verify(null, Buffer.from(canonicalJson(unsigned), 'utf8'), key, signatureBytes))
    return 'the signature does not match the certificate: it was changed after signing';
  return null;
}
