import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../../domain/vocabulary';
import {
  ACQUIRE,
  addRun,
  AUDIENCE,
  seedDefinitionFixture,
} from '../../../services/orchestrations/definitionTesting';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { roleHeaders, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-11-20T12:00:00Z');

type Who = Role | 'no role';
const MANAGERS: Who[] = ['Admin', 'Operations'];
const VIEWERS: Who[] = ['Admin', 'Operations', 'Marketing', 'View Only'];
const EVERYONE: Who[] = ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only', 'no role'];
const roleOf = (who: Who): Role | null => (who === 'no role' ? null : who);

describe.each(testStoreTargets())('orchestration routes on $name', (target) => {
  let db: Db;
  let app: Express;
  let headers: Awaited<ReturnType<typeof roleHeaders>>;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    await seedDefinitionFixture(db);
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
    });
    headers = await roleHeaders(db, EVERYONE.map(roleOf), NOW);
  });
  afterEach(async () => {
    await db.exec('DELETE FROM orchestrations; DELETE FROM orchestration_changes');
  });

  const as = (who: Who) => headers(roleOf(who));
  const create = (body: object, who: Who = 'Operations') =>
    request(app).post('/api/orchestrations').set(as(who)).send(body);

  it.each(EVERYONE)('answers %s on every endpoint as its role allows', async (who) => {
    const mayView = VIEWERS.includes(who);
    const mayManage = MANAGERS.includes(who);
    const { id } = (await create(AUDIENCE, 'Admin')).body.orchestration as { id: number };

    const list = await request(app).get('/api/orchestrations').set(as(who));
    expect(list.status).toBe(mayView ? 200 : 403);
    if (mayView) expect(list.body.orchestrations.map((o: { id: number }) => o.id)).toEqual([id]);
    const one = await request(app).get(`/api/orchestrations/${id}`).set(as(who));
    expect(one.status).toBe(mayView ? 200 : 403);
    if (!mayView) expect(one.body.error).toMatchObject({ code: 'forbidden' });

    // A refused role gets 403 whatever it sends, a bad body included.
    const bad = await create({ name: 'x', goal: 'sell_everything' }, who);
    expect(bad.status).toBe(mayManage ? 400 : 403);
    const badPatch = await request(app).patch(`/api/orchestrations/${id}`).set(as(who)).send({ target: 7 });
    expect(badPatch.status).toBe(mayManage ? 400 : 403);
    if (mayManage)
      expect(badPatch.body.error).toMatchObject({
        code: 'invalid_orchestration',
        details: { path: 'target' },
      });

    const created = await create(ACQUIRE, who);
    expect(created.status).toBe(mayManage ? 201 : 403);
    const patched = await request(app)
      .patch(`/api/orchestrations/${id}`)
      .set(as(who))
      .send({ cooldownDays: 14 });
    expect(patched.status).toBe(mayManage ? 200 : 403);
    if (mayManage) expect(patched.body.orchestration).toMatchObject({ cooldownDays: 14, version: 2 });
    const deleted = await request(app).delete(`/api/orchestrations/${id}`).set(as(who));
    expect(deleted.status).toBe(mayManage ? 204 : 403);
  });

  it('creates (201), reads by id or name with its changes, changes and deletes an orchestration', async () => {
    const created = await create(ACQUIRE);
    expect(created.status).toBe(201);
    const { id } = created.body.orchestration as { id: number };
    expect(created.body.orchestration).toMatchObject({
      name: ACQUIRE.name,
      segment: { name: 'Hot' },
      provider: { name: 'Vendor' },
      owner: 'A Operations',
      state: 'idle',
      lastRun: null,
      nextRunAt: '2026-11-23T06:00:00.000Z',
    });
    const patched = await request(app)
      .patch(`/api/orchestrations/${encodeURIComponent(ACQUIRE.name.toUpperCase())}`)
      .set(as('Admin'))
      .send({ schedule: 'manual' });
    expect(patched.status).toBe(200);
    expect(patched.body.orchestration).toMatchObject({
      schedule: 'manual',
      nextRunAt: null,
      updatedBy: 'A Admin',
    });

    const read = await request(app).get(`/api/orchestrations/${id}`).set(as('View Only'));
    expect(read.status).toBe(200);
    expect(read.headers['cache-control']).toBe('private, no-store');
    expect(read.body.changes).toEqual([
      expect.objectContaining({ version: 1, action: 'created', changedBy: 'A Operations' }),
      {
        version: 2,
        action: 'updated',
        changedBy: 'A Admin',
        changedAt: NOW.toISOString(),
        oldValue: { schedule: { weekly: 'monday' } },
        newValue: { schedule: 'manual' },
      },
    ]);
    expect((await request(app).delete(`/api/orchestrations/${id}`).set(as('Operations'))).status).toBe(204);
    const gone = await request(app).get(`/api/orchestrations/${id}`).set(as('View Only'));
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toBe(`no orchestration with id ${id}: see signalfit orchestrations list`);
  });

  it('refuses restricted regions to Operations (403) and records an Admin allowing them', async () => {
    const restricted = { ...ACQUIRE, filters: { allowRestrictedRegions: true } };
    const byOps = await create(restricted, 'Operations');
    expect(byOps.status).toBe(403);
    expect(byOps.body.error.message).toBe('enabling restricted regions is for the Admin roles');
    const byAdmin = await create(restricted, 'Admin');
    expect(byAdmin.status).toBe(201);
    const read = await request(app)
      .get(`/api/orchestrations/${byAdmin.body.orchestration.id}`)
      .set(as('Marketing'));
    expect(
      read.body.changes.map((c: { action: string; changedBy: string }) => [c.action, c.changedBy]),
    ).toEqual([
      ['created', 'A Admin'],
      ['restricted_regions_enabled', 'A Admin'],
    ]);
  });

  it('refuses a bad definition (400), a taken name (409), an unknown one (404) and a delete while a run is going (409)', async () => {
    const unknown = await create({ ...ACQUIRE, segment: 'Nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toEqual({
      code: 'invalid_orchestration',
      message: 'segment: no segment named "Nope": see signalfit segments list',
      details: { path: 'segment' },
    });
    const badTarget = await create({ ...ACQUIRE, target: { type: 'fax' } });
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.error.message).toMatch(/^body: target/);

    const { id } = (await create(ACQUIRE)).body.orchestration as { id: number };
    const taken = await create({ ...AUDIENCE, name: ACQUIRE.name.toLowerCase() });
    expect(taken.status).toBe(409);
    expect(
      (await request(app).patch('/api/orchestrations/nothing').set(as('Admin')).send({ cooldownDays: 1 }))
        .status,
    ).toBe(404);
    expect((await request(app).delete('/api/orchestrations/424242').set(as('Admin'))).status).toBe(404);

    await addRun(db, id, 'running', '2026-11-20T11:00:00Z', NOW);
    const busy = await request(app).delete(`/api/orchestrations/${id}`).set(as('Admin'));
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toMatch(/has run \d+ running/);
    const listed = await request(app).get('/api/orchestrations').set(as('Marketing'));
    expect(listed.body.orchestrations[0]).toMatchObject({ state: 'running', lastRun: { state: 'running' } });
  });
});
