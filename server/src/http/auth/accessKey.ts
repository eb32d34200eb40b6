import { randomBytes } from 'node:crypto';
import { AppError } from '../../errors';
import { tokenCipher, type TokenCipher } from '../../services/outreach/tokenCrypto';
import { OPERATOR } from '../../policies/policies';
import { recordAudit } from '../../services/audit/recordAudit';
import type { Db } from '../../store/db';
import { ACCESS_TOKEN_TTL_SECONDS } from './accessToken';

/**
 * The keys that sign the dashboard's access tokens (docs/configuration.md "Access-token signing keys"), shared by
 * every instance through the store. One key is current and signs new tokens; after a rotation the
 * previous one only verifies the tokens it signed, for at most their lifetime, and is then deleted.
 * With SIGNALFIT_SECRET_KEY the keys are stored sealed with it (config requires it with an embed
 * key); without it (a local trial) they are stored as they are.
 */
export interface AccessKey {
  /** The `kid` of the tokens it signs. */
  id: string;
  secret: Uint8Array;
}

/** A retired key is kept while tokens it signed may live. */
const RETIRED_KEY_KEPT_MS = ACCESS_TOKEN_TTL_SECONDS * 1000;

type KeyRow = {
  id: string;
  secret: Uint8Array;
  encrypted: boolean;
  retired_at: Date | null;
};

/** The current signing key: created by the first caller that needs one, sealed when it can be. */
export async function loadAccessKey(
  db: Db,
  secretKey: string | null = null,
  now = new Date(),
): Promise<AccessKey> {
  const cipher = cipherFor(secretKey);
  // Signing is where a key retired longer than a token lives gets deleted: no token it signed is valid.
  await dropExpiredKeys(db, now);
  let row = await currentRow(db);
  if (!row) {
    // The unique index on the current key makes concurrent creators agree on one.
    await insertKey(db, cipher);
    row = await currentRow(db);
    if (!row) throw new Error('access token key missing after insert');
  } else if (cipher && !row.encrypted) {
    await sealPlaintextKeys(db, cipher, now);
    row = await currentRow(db);
    if (!row) throw new Error('access token key missing after sealing');
  }
  return openKey(row, cipher);
}

/** Every key whose tokens may still be valid (the current one and those retired less than a token's lifetime ago). */
export async function loadVerificationKeys(
  db: Db,
  secretKey: string | null = null,
  now = new Date(),
): Promise<AccessKey[]> {
  const current = await loadAccessKey(db, secretKey, now);
  const retired = await db.query<KeyRow>(
    'SELECT id, secret, encrypted, retired_at FROM access_token_keys WHERE retired_at IS NOT NULL',
  );
  const cipher = cipherFor(secretKey);
  return [current, ...retired.map((row) => openKey(row, cipher))];
}

/**
 * A new current key; the previous one keeps verifying its tokens until they expire, or is deleted
 * at once with `discardPrevious` (a suspected leak, or keys sealed with a lost SIGNALFIT_SECRET_KEY).
 */
export async function rotateAccessKey(
  db: Db,
  options: { secretKey: string | null; now: Date; discardPrevious?: boolean },
): Promise<{ id: string; retired: number; discarded: number }> {
  const cipher = cipherFor(options.secretKey);
  if (cipher) await sealPlaintextKeys(db, cipher, options.now);
  return db.transaction(async (tx) => {
    const retired = await tx.run('UPDATE access_token_keys SET retired_at = $1 WHERE retired_at IS NULL', [
      options.now,
    ]);
    const discarded = options.discardPrevious
      ? await tx.run('DELETE FROM access_token_keys')
      : await dropExpiredKeys(tx, options.now);
    const id = await insertKey(tx, cipher);
    // Only `signalfit keys rotate` rotates: the command line acts.
    await recordAudit(
      tx,
      OPERATOR,
      {
        action: 'accesskey.rotate',
        targetType: 'access_token_key',
        targetId: id,
        summary: `rotated the access-token signing key${options.discardPrevious ? ', discarding the previous keys' : ''}`,
        counts: { retired, discarded },
      },
      options.now,
    );
    return { id, retired, discarded };
  });
}

const ciphers = new Map<string, TokenCipher>();

function cipherFor(secretKey: string | null): TokenCipher | null {
  if (!secretKey) return null;
  // Deriving the key (HKDF) once per secret, not once per signed token.
  let cipher = ciphers.get(secretKey);
  if (!cipher) ciphers.set(secretKey, (cipher = tokenCipher(secretKey, 'access-token-keys/v1')));
  return cipher;
}

async function currentRow(db: Db): Promise<KeyRow | undefined> {
  const [row] = await db.query<KeyRow>(
    'SELECT id, secret, encrypted, retired_at FROM access_token_keys WHERE retired_at IS NULL',
  );
  return row;
}

async function insertKey(db: Db, cipher: TokenCipher | null): Promise<string> {
  const id = randomBytes(9).toString('base64url');
  const secret = randomBytes(32);
  await db.run(
    'INSERT INTO access_token_keys (id, secret, encrypted) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [id, cipher ? seal(cipher, id, secret) : secret, cipher !== null],
  );
  return id;
}

/**
 * Keys stored in plaintext (by an earlier version, or a trial without SIGNALFIT_SECRET_KEY) are
 * sealed in place and retired: their tokens stay valid until they expire, new ones get a key that
 * was never stored in the clear.
 */
async function sealPlaintextKeys(db: Db, cipher: TokenCipher, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const plain = await tx.query<KeyRow>(
      'SELECT id, secret, encrypted, retired_at FROM access_token_keys WHERE NOT encrypted FOR UPDATE',
    );
    if (plain.length === 0) return; // another instance did it first
    for (const row of plain) {
      await tx.run(
        'UPDATE access_token_keys SET secret = $2, encrypted = true, retired_at = $3 WHERE id = $1',
        [row.id, seal(cipher, row.id, Buffer.from(row.secret)), row.retired_at ?? now],
      );
    }
    if (!(await currentRow(tx))) await insertKey(tx, cipher);
  });
}

async function dropExpiredKeys(db: Db, now: Date): Promise<number> {
  return db.run('DELETE FROM access_token_keys WHERE retired_at <= $1', [
    new Date(now.getTime() - RETIRED_KEY_KEPT_MS),
  ]);
}

function seal(cipher: TokenCipher, id: string, secret: Buffer): Buffer {
  // The cipher seals text: the key travels as base64url.
  return cipher.encrypt(secret.toString('base64url'), `access-token-key/${id}`);
}

function openKey(row: KeyRow, cipher: TokenCipher | null): AccessKey {
  if (!row.encrypted) return { id: row.id, secret: new Uint8Array(row.secret) };
  if (!cipher) {
    throw new AppError(
      'config_invalid',
      'the access-token signing keys in the store are encrypted: set SIGNALFIT_SECRET_KEY to the value they were stored with',
    );
  }
  try {
    const text = cipher.decrypt(row.secret, `access-token-key/${row.id}`);
    return { id: row.id, secret: new Uint8Array(Buffer.from(text, 'base64url')) };
  } catch {
    throw new AppError(
      'config_invalid',
      `SIGNALFIT_SECRET_KEY does not decrypt the access-token signing key ${row.id} in the store: ` +
        'set the SIGNALFIT_SECRET_KEY it was stored with, or, if that one is lost, run ' +
        '`signalfit keys rotate --discard-previous` (open panels and app sessions must sign in again)',
    );
  }
}
