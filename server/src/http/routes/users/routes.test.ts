import type { Express } from 'express';
import request from 'supertest';
import { ROLES, type Role } from '../../../domain/vocabulary';
import { OPERATOR } from '../../../policies/policies';
import { createApiKey } from '../../../services/apikeys/apiKeys';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { roleHeaders, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-12-01T09:00:00Z');

describe.each(testStoreTargets())('/api/users on $name', (target) => {
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

  it('adds, lists and changes users for an Admin', async () => {
    const added = await request(app)
      .post('/api/users')
      .set(as('Admin'))
      .send({ email: 'Ana@Example.com', name: 'Ana', role: 'Sales' });
    expect(added.status).toBe(201);
    const user = added.body.user;
    expect(user).toEqual({
      id: user.id,
      email: 'ana@example.com',
      name: 'Ana',
      role: 'Sales',
      active: true,
      externalId: null,
      lastSignInAt: null,
      createdAt: '2026-12-01T09:00:00.000Z',
      deactivatedAt: null,
    });
    const again = await request(app)
      .post('/api/users')
      .set(as('Admin'))
      .send({ email: 'ana@example.com', role: 'Admin' });
    expect([again.status, again.body.error.code]).toEqual([409, 'conflict']);

    const changed = await request(app)
      .patch(`/api/users/${user.id}`)
      .set(as('Admin'))
      .send({ role: 'View Only', active: false });
    expect(changed.status).toBe(200);
    expect(changed.body.user).toMatchObject({
      role: 'View Only',
      active: false,
      deactivatedAt: '2026-12-01T09:00:00.000Z',
    });
    const byEmail = await request(app)
      .patch('/api/users/ana@example.com')
      .set(as('Admin'))
      .send({ active: true });
    expect(byEmail.body.user).toMatchObject({ active: true, deactivatedAt: null });

    const list = await request(app).get('/api/users').set(as('Admin'));
    expect(list.status).toBe(200);
    expect(list.body.users.map((u: { email: string; role: string }) => [u.email, u.role])).toEqual([
      ['ana@example.com', 'View Only'],
    ]);
    const audit = await db.query<{ action: string; actor: string }>(
      'SELECT action, actor FROM audit_log ORDER BY id',
    );
    expect(audit).toEqual([
      { action: 'user.create', actor: 'A Admin' },
      { action: 'user.set_role', actor: 'A Admin' },
      { action: 'user.deactivate', actor: 'A Admin' },
      { action: 'user.reactivate', actor: 'A Admin' },
    ]);
  });

  it('refuses bad input with the field named', async () => {
    const bad = await request(app).post('/api/users').set(as('Admin')).send({ email: 'nope', role: 'Owner' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details.map((issue: { path: string[] }) => issue.path.join('.'))).toEqual([
      'email',
      'role',
    ]);
    const empty = await request(app).patch('/api/users/ana@example.com').set(as('Admin')).send({});
    expect([empty.status, empty.body.error.message]).toEqual([
      400,
      'invalid request input: give at least one of role, active, name',
    ]);
    const missing = await request(app)
      .patch('/api/users/nobody@example.com')
      .set(as('Admin'))
      .send({ role: 'Sales' });
    expect(missing.status).toBe(404);
  });

  it('is for Admins only, checked before the body: any other role gets 403 whatever it sends', async () => {
    for (const role of ROLES.filter((r) => r !== 'Admin')) {
      const answers = await Promise.all([
        request(app).get('/api/users').set(as(role)),
        request(app).post('/api/users').set(as(role)).send({ garbage: true }),
        request(app).patch('/api/users/x').set(as(role)).send('not json at all'),
      ]);
      expect(answers.map((res) => [res.status, res.body.error.code])).toEqual([
        [403, 'forbidden'],
        [403, 'forbidden'],
        [403, 'forbidden'],
      ]);
    }
    const panel = await request(app).post('/api/users').set(as(null)).send({});
    expect(panel.body.error).toEqual({ code: 'forbidden', message: 'adding users is for the Admin roles' });
    const { key } = await createApiKey(db, OPERATOR, { name: 'marketing tool', role: 'Marketing' }, NOW);
    const byKey = await request(app)
      .post('/api/users')
      .set('Authorization', `Bearer ${key}`)
      .send({ role: 7 });
    expect([byKey.status, byKey.body.error.code]).toEqual([403, 'forbidden']);
    const nobody = await request(app).post('/api/users').send({ email: 'ana@example.com', role: 'Admin' });
    expect([nobody.status, nobody.body.error.code]).toEqual([401, 'unauthorized']);
    expect(await db.query('SELECT id FROM users')).toEqual([]);
  });
});
