import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import request from 'supertest';
import type { Db } from '../../store/db';
import { bundledMigrations, migrate } from '../../store/migrate';
import { processStoreTargets, testStoreTargets, useTestStore } from '../../store/testing';
import { createApp } from '../app';
import { captureLogger } from '../testing';
import { loadAccessKey, rotateAccessKey } from './accessKey';
import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken, type Access } from './accessToken';

jest.setTimeout(60_000);

const SECRET_KEY = 'a-test-secret-key-of-at-least-32-characters';
const T0 = new Date('2026-11-20T12:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const admin: Access = {
  orgId: '00D000000000001AAA',
  userId: 'standalone-1',
  name: 'Ada Admin',
  email: null,
  perms: [],
  record: null,
  accountId: null,
  role: 'Admin',
};

type StoredKey = {
  id: string;
  secret: Uint8Array;
  encrypted: boolean;
  retired_at: Date | null;
};
const storedKeys = (db: Db) =>
  db.query<StoredKey>(
    'SELECT id, secret, encrypted, retired_at FROM access_token_keys ORDER BY created_at, id',
  );

/** Every form the key could take in the stored bytes. */
function appearsIn(stored: Uint8Array, secret: Uint8Array): boolean {
  const bytes = Buffer.from(stored);
  const key = Buffer.from(secret);
  return (
    bytes.includes(key) ||
    ['base64', 'base64url', 'hex'].some((encoding) =>
      bytes.toString('latin1').includes(key.toString(encoding as BufferEncoding)),
    )
  );
}

describe.each(testStoreTargets())('access-token signing keys on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  beforeEach(() => db.run('DELETE FROM access_token_keys'));

  /** A call of the API with `token` to a fresh app (another instance) whose clock reads `now`. */
  const callAt = (now: Date, token: string, secretKey: string | null = SECRET_KEY) =>
    request(createApp({ db, logger: captureLogger().logger, version: 't', now: () => now, secretKey }))
      .get('/api/accounts/industries')
      .set('Authorization', `Bearer ${token}`);

  it('stores the key encrypted with SIGNALFIT_SECRET_KEY: the stored bytes are not the key', async () => {
    const key = await loadAccessKey(db, SECRET_KEY, T0);
    const [row, ...others] = await storedKeys(db);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ id: key.id, encrypted: true, retired_at: null });
    expect(key.secret).toHaveLength(32);
    expect(appearsIn(row!.secret, key.secret)).toBe(false);
    // Every instance opens the same key.
    expect(await loadAccessKey(db, SECRET_KEY, T0)).toEqual(key);
  });

  it('refuses a wrong or missing SIGNALFIT_SECRET_KEY with an error that says what to do', async () => {
    await loadAccessKey(db, SECRET_KEY, T0);
    const wrong = loadAccessKey(db, 'another-secret-key-of-at-least-32-characters', T0);
    await expect(wrong).rejects.toMatchObject({ code: 'config_invalid' });
    await expect(wrong).rejects.toThrow(
      /^SIGNALFIT_SECRET_KEY does not decrypt the access-token signing key .*`signalfit keys rotate --discard-previous/,
    );
    const missing = loadAccessKey(db, null, T0);
    await expect(missing).rejects.toMatchObject({ code: 'config_invalid' });
    await expect(missing).rejects.toThrow(
      'the access-token signing keys in the store are encrypted: set SIGNALFIT_SECRET_KEY',
    );
  });

  it('rotates: new tokens get the new key, old ones stay valid until they expire, then the old key is dropped', async () => {
    const before = await issueAccessToken(admin, await loadAccessKey(db, SECRET_KEY, T0), T0);
    expect((await callAt(at(1), before)).status).toBe(200);

    const rotated = await rotateAccessKey(db, { secretKey: SECRET_KEY, now: at(1) });
    expect(rotated.retired).toBe(1);
    const after = await issueAccessToken(admin, await loadAccessKey(db, SECRET_KEY, at(2)), at(2));
    const kid = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
    expect(kid(after)).toBe(rotated.id);
    expect(kid(after)).not.toBe(kid(before));

    // On any instance, the old token is good until its own expiry, the new one too.
    expect((await callAt(at(14), before)).status).toBe(200);
    expect((await callAt(at(14), after)).status).toBe(200);
    const expired = await callAt(at(15), before);
    expect(expired.body.error.code).toBe('access_token_expired');
    // A token lifetime after the rotation, the next token signed drops the previous key from the store.
    const retiredUntil = at(1 + ACCESS_TOKEN_TTL_SECONDS / 60);
    const app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      now: () => retiredUntil,
      secretKey: SECRET_KEY,
      demoSignIn: { allowed: true },
    });
    const signedIn = await request(app).post('/api/session/demo');
    expect(kid(signedIn.body.accessToken)).toBe(rotated.id);
    expect((await storedKeys(db)).map((row) => row.id)).toEqual([rotated.id]);
  });

  it('discards the previous keys at once when asked (a lost SIGNALFIT_SECRET_KEY)', async () => {
    await loadAccessKey(db, 'the-lost-secret-key-of-at-least-32-characters', T0);
    const rotated = await rotateAccessKey(db, { secretKey: SECRET_KEY, now: at(1), discardPrevious: true });
    expect((await storedKeys(db)).map((row) => row.id)).toEqual([rotated.id]);
    expect((await loadAccessKey(db, SECRET_KEY, at(1))).id).toBe(rotated.id);
  });

  it('seals and retires a key stored in plaintext once SIGNALFIT_SECRET_KEY is set; its tokens live on', async () => {
    const plain = await loadAccessKey(db, null, T0); // a local trial: no SIGNALFIT_SECRET_KEY
    expect((await storedKeys(db))[0]).toMatchObject({ encrypted: false });
    const token = await issueAccessToken(admin, plain, T0);

    const sealed = await loadAccessKey(db, SECRET_KEY, at(1));
    expect(sealed.id).not.toBe(plain.id);
    const rows = await storedKeys(db);
    expect(rows.every((row) => row.encrypted)).toBe(true);
    expect(rows.some((row) => appearsIn(row.secret, plain.secret))).toBe(false);
    expect(rows.find((row) => row.id === plain.id)?.retired_at).toEqual(at(1));
    expect((await callAt(at(10), token)).status).toBe(200);
  });
});

describe.each(processStoreTargets('access-key'))('the key of an earlier version on $name', (target) => {
  it('is sealed when the service runs with SIGNALFIT_SECRET_KEY, and its tokens (no kid) stay valid', async () => {
    const store = await target.create();
    try {
      await store.use(async (db) => {
        // The store as the earlier version left it: one plaintext key named "dashboard".
        await migrate(
          db,
          bundledMigrations().filter((m) => m.version < '0009'),
        );
        const legacy = randomBytes(32);
        await db.run('INSERT INTO access_token_keys (name, secret) VALUES ($1, $2)', ['dashboard', legacy]);
        const iat = Math.floor(T0.getTime() / 1000);
        const token = await new SignJWT({
          org: admin.orgId,
          name: admin.name,
          email: null,
          perms: [],
          rec: null,
          acc: null,
          role: 'Admin',
        })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setIssuer('signalfit')
          .setAudience('signalfit-dashboard')
          .setSubject(admin.userId)
          .setIssuedAt(iat)
          .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
          .sign(legacy);

        await migrate(db);
        await loadAccessKey(db, SECRET_KEY, at(1));
        const rows = await storedKeys(db);
        expect(rows.find((row) => row.id === 'dashboard')).toMatchObject({
          encrypted: true,
          retired_at: at(1),
        });
        expect(rows.some((row) => appearsIn(row.secret, legacy))).toBe(false);
        const app = createApp({
          db,
          logger: captureLogger().logger,
          version: 't',
          now: () => at(5),
          secretKey: SECRET_KEY,
        });
        const res = await request(app)
          .get('/api/accounts/industries')
          .set('Authorization', `Bearer ${token}`);
        expect(res.status).toBe(200);
      });
    } finally {
      await store.dispose();
    }
  });
});
