import { tokenCipher } from './tokenCrypto';

describe('Outreach token encryption', () => {
  const cipher = tokenCipher('a-test-secret-key-of-at-least-32-characters');

  it('round-trips, with a fresh IV each time, and never shows the plain token', () => {
    const a = cipher.encrypt('outreach-access-token', 'org/user');
    const b = cipher.encrypt('outreach-access-token', 'org/user');
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain('outreach-access-token');
    expect(a.length).toBe(12 + 16 + 'outreach-access-token'.length);
    expect(cipher.decrypt(a, 'org/user')).toBe('outreach-access-token');
  });

  it('refuses another owner, another key and a tampered ciphertext', () => {
    const sealed = cipher.encrypt('token', 'org/user-1');
    expect(() => cipher.decrypt(sealed, 'org/user-2')).toThrow();
    expect(() =>
      tokenCipher('another-secret-key-of-at-least-32-characters').decrypt(sealed, 'org/user-1'),
    ).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => cipher.decrypt(tampered, 'org/user-1')).toThrow();
  });
});
