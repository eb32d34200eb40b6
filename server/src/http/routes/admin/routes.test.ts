import request from 'supertest';
import { finishRun, startRun } from '../../../jobs/runs';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { accessTokenFor, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

describe.each(testStoreTargets())('GET /api/admin/runs on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  const app = () => createApp({ db, logger: captureLogger().logger, version: 't', embed: TEST_EMBED_CONFIG });
  const adminToken = () => accessTokenFor(app(), { perms: ['Signalfit_Access', 'Signalfit_Admin'] });

  beforeAll(async () => {
    const sync = await startRun(db, 'salesforce_sync', 'manual');
    await finishRun(db, sync, { status: 'paused', counts: { apiCalls: 20 }, errors: [] });
    const writeback = await startRun(db, 'salesforce_writeback', 'schedule');
    await finishRun(db, writeback, { status: 'failed', errors: ['Salesforce login (JWT bearer) failed'] });
    await startRun(db, 'daily', 'schedule');
  });

  it('lists the runs, latest first, with status, counts and errors', async () => {
    const res = await request(app())
      .get('/api/admin/runs')
      .set('Authorization', `Bearer ${await adminToken()}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body.runs.map((r: { kind: string; status: string }) => [r.kind, r.status])).toEqual([
      ['daily', 'running'],
      ['salesforce_writeback', 'failed'],
      ['salesforce_sync', 'paused'],
    ]);
    expect(res.body.runs[1]).toMatchObject({
      trigger: 'schedule',
      errors: ['Salesforce login (JWT bearer) failed'],
    });
    expect(res.body.runs[2]).toMatchObject({ counts: { apiCalls: 20 }, finishedAt: expect.any(String) });
    expect(res.body.nextBefore).toBeNull();
  });

  it('pages with limit and before, and filters by kind', async () => {
    const token = await adminToken();
    const first = await request(app()).get('/api/admin/runs?limit=2').set('Authorization', `Bearer ${token}`);
    expect(first.body.runs).toHaveLength(2);
    const rest = await request(app())
      .get(`/api/admin/runs?limit=2&before=${first.body.nextBefore}`)
      .set('Authorization', `Bearer ${token}`);
    expect(rest.body.runs.map((r: { kind: string }) => r.kind)).toEqual(['salesforce_sync']);
    const syncs = await request(app())
      .get('/api/admin/runs?kind=salesforce_sync')
      .set('Authorization', `Bearer ${token}`);
    expect(syncs.body.runs).toHaveLength(1);
    const bad = await request(app()).get('/api/admin/runs?limit=0').set('Authorization', `Bearer ${token}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('is closed to anonymous callers and to users without the admin permission', async () => {
    const anonymous = await request(app()).get('/api/admin/runs');
    expect(anonymous.status).toBe(401);
    const rep = await accessTokenFor(app(), { perms: ['Signalfit_Access'] });
    const forbidden = await request(app()).get('/api/admin/runs').set('Authorization', `Bearer ${rep}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('forbidden');
  });
});
