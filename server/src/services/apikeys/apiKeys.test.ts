import { OPERATOR, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { createUser, deactivateUser, reactivateUser } from '../users/manageUsers';
import { apiKeyHash, createApiKey, disownUserKeys, listApiKeys, revokeApiKey } from './apiKeys';
import { verifyApiKey } from './verifyApiKey';

const AT = new Date('2026-12-01T09:00:00Z');
const at = (seconds: number) => new Date(AT.getTime() + seconds * 1000);
const ADMIN_KEY: Actor = { userId: 'apikey:k0', name: 'provisioning', role: 'Admin', kind: 'api_key' };

describe.each(testStoreTargets())('API keys on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  afterEach(async () => {
    await db.exec(
      'DELETE FROM api_keys; DELETE FROM user_sessions; DELETE FROM users; DELETE FROM audit_log;',
    );
  });

  it('shows the key once: the row holds its SHA-256 and its first 12 characters, never the key', async () => {
    const { key, apiKey } = await createApiKey(
      db,
      OPERATOR,
      { name: 'Warehouse sync', role: 'Insights' },
      AT,
    );
    expect(key).toMatch(/^sfk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toEqual({
      id: apiKey.id,
      name: 'Warehouse sync',
      role: 'Insights',
      user: null,
      prefix: key.slice(0, 12),
      createdAt: '2026-12-01T09:00:00.000Z',
      createdBy: 'command line',
      lastUsedAt: null,
      revokedAt: null,
    });
    const rows = await db.query('SELECT * FROM api_keys');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_hash).toBe(apiKeyHash(key));
    expect(apiKeyHash(key)).toMatch(/^[0-9a-f]{64}$/);
    // Neither the key nor its secret part appears in any column.
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.slice(12));
    expect(await listApiKeys(db, OPERATOR)).toEqual([apiKey]);
    const audit = await db.query('SELECT action, actor, summary FROM audit_log');
    expect(audit).toEqual([
      {
        action: 'apikey.create',
        actor: 'command line',
        summary: 'created the API key "Warehouse sync" (Insights, service key)',
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain(key);
  });

  it('acts with its own role: a service key as itself, an owned key as its owner', async () => {
    const owner = await createUser(db, OPERATOR, { email: 'ana@example.com', role: 'Admin' }, AT);
    const service = await createApiKey(db, OPERATOR, { name: 'etl', role: 'Insights' }, AT);
    const owned = await createApiKey(
      db,
      OPERATOR,
      { name: 'ana-script', role: 'Sales', user: 'Ana@example.com' },
      AT,
    );
    expect(owned.apiKey.user).toBe('ana@example.com');
    expect(await verifyApiKey(db, service.key, at(1))).toEqual({
      orgId: 'signalfit',
      userId: `apikey:${service.apiKey.id}`,
      name: 'etl',
      email: null,
      perms: [],
      record: null,
      accountId: null,
      role: 'Insights',
      kind: 'api_key',
    });
    expect(await verifyApiKey(db, owned.key, at(1))).toMatchObject({
      userId: owner.id,
      name: 'ana-script',
      email: 'ana@example.com',
      role: 'Sales',
      kind: 'api_key',
    });
  });

  it('refuses an unknown key, a revoked key, and a key whose owner is deactivated or deleted', async () => {
    await createUser(db, OPERATOR, { email: 'ana@example.com', role: 'Admin' }, AT);
    const owned = await createApiKey(
      db,
      OPERATOR,
      { name: 'ana-script', role: 'Sales', user: 'ana@example.com' },
      AT,
    );
    const service = await createApiKey(db, OPERATOR, { name: 'etl', role: 'Insights' }, AT);

    await expect(
      verifyApiKey(db, `${service.key.slice(0, -1)}${service.key.endsWith('A') ? 'B' : 'A'}`, AT),
    ).rejects.toMatchObject({
      code: 'unauthorized',
      message: 'unknown API key: check that it was copied whole, or ask an Admin for a new one',
    });

    await deactivateUser(db, OPERATOR, 'ana@example.com', at(5));
    await expect(verifyApiKey(db, owned.key, at(6))).rejects.toMatchObject({
      code: 'unauthorized',
      message:
        'the owner of the API key "ana-script" (ana@example.com) is deactivated: the key works again only if they are reactivated',
    });
    await reactivateUser(db, OPERATOR, 'ana@example.com', at(7));
    await expect(verifyApiKey(db, owned.key, at(8))).resolves.toMatchObject({ role: 'Sales' });

    expect((await revokeApiKey(db, ADMIN_KEY, 'ETL', at(10))).revokedAt).toBe(at(10).toISOString());
    await expect(verifyApiKey(db, service.key, at(11))).rejects.toMatchObject({
      code: 'unauthorized',
      message: 'the API key "etl" was revoked: ask an Admin for a new one',
    });
    const revoked = await db.query('SELECT revoked_by FROM api_keys WHERE id = $1', [service.apiKey.id]);
    expect(revoked).toEqual([{ revoked_by: 'provisioning' }]);

    // A user deleted (SCIM, offboarding) leaves their keys marked, never turned into service keys.
    await db.transaction(async (tx) => {
      const owner = await tx.query<{ id: string }>("SELECT id FROM users WHERE email = 'ana@example.com'");
      expect(await disownUserKeys(tx, owner[0]!.id)).toBe(1);
      await tx.query('DELETE FROM users WHERE id = $1', [owner[0]!.id]);
    });
    await expect(verifyApiKey(db, owned.key, at(12))).rejects.toMatchObject({
      code: 'unauthorized',
      message: 'the owner of the API key "ana-script" was deleted: the key no longer works',
    });
  });

  it('writes last_used_at at most once a minute per key', async () => {
    const { key, apiKey } = await createApiKey(db, OPERATOR, { name: 'etl', role: 'Insights' }, AT);
    const lastUsed = async () =>
      (await listApiKeys(db, OPERATOR)).find((k) => k.id === apiKey.id)!.lastUsedAt;
    await verifyApiKey(db, key, at(10));
    expect(await lastUsed()).toBe(at(10).toISOString());
    await verifyApiKey(db, key, at(30));
    await verifyApiKey(db, key, at(69));
    expect(await lastUsed()).toBe(at(10).toISOString());
    await verifyApiKey(db, key, at(70));
    expect(await lastUsed()).toBe(at(70).toISOString());
  });

  it('keeps live names unique in any case; a revoked name may be used again', async () => {
    const first = await createApiKey(db, OPERATOR, { name: 'etl', role: 'Insights' }, AT);
    await expect(createApiKey(db, OPERATOR, { name: 'ETL', role: 'Admin' }, AT)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('a live API key named "ETL" already exists'),
    });
    await revokeApiKey(db, OPERATOR, first.apiKey.id, at(1));
    await expect(revokeApiKey(db, OPERATOR, first.apiKey.id, at(2))).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(revokeApiKey(db, OPERATOR, 'etl', at(2))).rejects.toMatchObject({ code: 'not_found' });
    const second = await createApiKey(db, OPERATOR, { name: 'etl', role: 'Admin' }, at(3));
    expect((await listApiKeys(db, OPERATOR)).map((k) => [k.id, k.revokedAt === null])).toEqual([
      [second.apiKey.id, true],
      [first.apiKey.id, false],
    ]);
  });

  it('refuses a missing or deactivated owner, a blank name, and non-Admins', async () => {
    await expect(
      createApiKey(db, OPERATOR, { name: 'x', role: 'Sales', user: 'nobody@example.com' }, AT),
    ).rejects.toMatchObject({ code: 'not_found' });
    await createUser(db, OPERATOR, { email: 'bo@example.com', role: 'Sales' }, AT);
    await deactivateUser(db, OPERATOR, 'bo@example.com', AT);
    await expect(
      createApiKey(db, OPERATOR, { name: 'x', role: 'Sales', user: 'bo@example.com' }, AT),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('bo@example.com is deactivated'),
    });
    await expect(createApiKey(db, OPERATOR, { name: '  ', role: 'Sales' }, AT)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const ops: Actor = { userId: 'u', role: 'Operations', kind: 'user' };
    await expect(createApiKey(db, ops, { name: 'x', role: 'Admin' }, AT)).rejects.toMatchObject({
      code: 'forbidden',
      message: 'creating API keys is for the Admin roles',
    });
    await expect(listApiKeys(db, ops)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(revokeApiKey(db, ops, 'x')).rejects.toMatchObject({ code: 'forbidden' });
    expect(await db.query('SELECT id FROM api_keys')).toEqual([]);
  });
});
