import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets at rest: AES-256-GCM under a key derived from SIGNALFIT_SECRET_KEY with HKDF-SHA256,
 * one derived key per purpose (the Outreach tokens; the access-token signing keys). The
 * ciphertext is `iv (12 bytes) || tag (16 bytes) || data`, and the owner of the secret is the
 * additional authenticated data: a row copied to another owner does not decrypt.
 */
export interface TokenCipher {
  encrypt(plain: string, owner: string): Buffer;
  decrypt(sealed: Uint8Array, owner: string): string;
}

export function tokenCipher(secretKey: string, purpose = 'outreach-tokens/v1'): TokenCipher {
  const key = Buffer.from(hkdfSync('sha256', secretKey, 'signalfit', purpose, 32));
  return {
    encrypt(plain, owner) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(owner, 'utf8'));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), data]);
    },
    decrypt(sealed, owner) {
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAAD(Buffer.from(owner, 'utf8'));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
