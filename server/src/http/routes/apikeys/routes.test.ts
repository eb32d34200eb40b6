import type { Express } from 'express';
import request from 'supertest';
import { ROLES, type Role } from '../../../domain/vocabulary';
import { OPERATOR } from '../../../policies/policies';
import { createApiKey } from '../../../services/apikeys/apiKeys';
import { createUser } from '../../../services/users/manageUsers';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { roleHeaders, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-12-01T09:00:00Z');

describe.each(testStoreTargets())('/api/apikeys on $name', (target) => {
  let db: Db;
  let app: Express;
  let as: (role: Role | null) => { Authorization: string };
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
    });
    as = await roleHeaders(db, [...ROLES, null], NOW);
  });
  afterEach(async () => {
    await db.exec('DELETE FROM api_keys; DELETE FROM users; DELETE FROM audit_log;');
  });

  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

  it('creates a key shown once, lists it without the key, and revokes it', async () => {
    await createUser(db, OPERATOR, { email: 'ana@example.com', role: 'Admin' }, NOW);
    const created = await request(app)
      .post('/api/apikeys')
      .set(as('Admin'))
      .send({ name: 'crm bridge', role: 'Sales', user: 'ana@example.com' });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { key, apiKey } = created.body;
    expect(key).toMatch(/^sfk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toEqual({
      id: apiKey.id,
      name: 'crm bridge',
      role: 'Sales',
      user: 'ana@example.com',
      prefix: key.slice(0, 12),
      createdAt: '2026-12-01T09:00:00.000Z',
      createdBy: 'A Admin',
      lastUsedAt: null,
      revokedAt: null,
    });

    // The key works as a Sales bearer: it may view segments, not manage keys.
    expect((await request(app).get('/api/segments').set(bearer(key))).status).toBe(200);
    expect((await request(app).get('/api/apikeys').set(bearer(key))).status).toBe(403);

    const list = await request(app).get('/api/apikeys').set(as('Admin'));
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ apiKeys: [{ ...apiKey, lastUsedAt: '2026-12-01T09:00:00.000Z' }] });
    expect(JSON.stringify(list.body)).not.toContain(key);

    const revoked = await request(app).delete(`/api/apikeys/${apiKey.id}`).set(as('Admin'));
    expect(revoked.status).toBe(200);
    expect(revoked.body.apiKey.revokedAt).toBe('2026-12-01T09:00:00.000Z');
    const refused = await request(app).get('/api/segments').set(bearer(key));
    expect([refused.status, refused.body.error]).toEqual([
      401,
      { code: 'unauthorized', message: 'the API key "crm bridge" was revoked: ask an Admin for a new one' },
    ]);
    const twice = await request(app).delete(`/api/apikeys/${apiKey.id}`).set(as('Admin'));
    expect(twice.status).toBe(409);
    expect((await request(app).delete('/api/apikeys/nothing').set(as('Admin'))).status).toBe(404);
  });

  it('stops an owned key when its owner is deactivated; a service key keeps working', async () => {
    const owner = await createUser(db, OPERATOR, { email: 'ana@example.com', role: 'Admin' }, NOW);
    const owned = await createApiKey(db, OPERATOR, { name: 'ana', role: 'Admin', user: owner.email }, NOW);
    const service = await createApiKey(db, OPERATOR, { name: 'etl', role: 'Admin' }, NOW);
    const off = await request(app)
      .patch(`/api/users/${owner.id}`)
      .set(bearer(service.key))
      .send({ active: false });
    expect(off.status).toBe(200);
    const res = await request(app).get('/api/apikeys').set(bearer(owned.key));
    expect([res.status, res.body.error.code]).toEqual([401, 'unauthorized']);
    expect((await request(app).get('/api/apikeys').set(bearer(service.key))).status).toBe(200);
  });

  it('is for Admins only, checked before the body: a Marketing key posting garbage gets 403', async () => {
    const { key } = await createApiKey(db, OPERATOR, { name: 'marketing tool', role: 'Marketing' }, NOW);
    const garbage = await request(app)
      .post('/api/apikeys')
      .set(bearer(key))
      .set('Content-Type', 'application/json')
      .send('{"name": 12, "role": "Emperor"}');
    expect([garbage.status, garbage.body.error]).toEqual([
      403,
      { code: 'forbidden', message: 'creating API keys is for the Admin roles' },
    ]);
    for (const role of ROLES.filter((r) => r !== 'Admin')) {
      const answers = await Promise.all([
        request(app).get('/api/apikeys').set(as(role)),
        request(app).post('/api/apikeys').set(as(role)).send({}),
        request(app).delete('/api/apikeys/anything').set(as(role)),
      ]);
      expect(answers.map((res) => res.status)).toEqual([403, 403, 403]);
    }
    const bad = await request(app).post('/api/apikeys').set(as('Admin')).send({ name: ' ', role: 'Emperor' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    expect((await db.query('SELECT name FROM api_keys')).map((row) => row.name)).toEqual(['marketing tool']);
  });
});
