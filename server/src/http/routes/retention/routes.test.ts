import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../../domain/vocabulary';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { roleHeaders, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-11-20T12:00:00Z');

describe.each(testStoreTargets())('retention and offboarding routes on $name', (target) => {
  let db: Db;
  let app: Express;
  let as: (role: Role) => { Authorization: string };
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
    });
    as = await roleHeaders(db, ['Admin', 'Operations', 'View Only'], NOW);
  });

  it('an Admin reads and changes retention; the change is audited', async () => {
    const before = await request(app).get('/api/retention').set(as('Admin'));
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      retention: { activitiesDays: null, outboundDays: null, scoreRuns: null, auditDays: null },
    });
    const put = await request(app)
      .put('/api/retention')
      .set(as('Admin'))
      .send({ activitiesDays: 400, scoreRuns: 3 });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      retention: { activitiesDays: 400, outboundDays: null, scoreRuns: 3, auditDays: null },
    });
    const cleared = await request(app).put('/api/retention').set(as('Admin')).send({ activitiesDays: null });
    expect(cleared.body.retention).toEqual({
      activitiesDays: null,
      outboundDays: null,
      scoreRuns: 3,
      auditDays: null,
    });
    expect(
      await db.query(
        `SELECT action, actor_kind FROM audit_log WHERE action = 'retention.update' ORDER BY id`,
      ),
    ).toEqual([
      { action: 'retention.update', actor_kind: 'user' },
      { action: 'retention.update', actor_kind: 'user' },
    ]);
  });

  it('refuses other roles before looking at the body, and bad values with validation_failed', async () => {
    for (const role of ['Operations', 'View Only'] as const) {
      const put = await request(app).put('/api/retention').set(as(role)).send({ nonsense: true });
      expect({ role, status: put.status, code: put.body.error.code }).toEqual({
        role,
        status: 403,
        code: 'forbidden',
      });
      const get = await request(app).get('/api/offboarding').set(as(role));
      expect({ role, status: get.status }).toEqual({ role, status: 403 });
    }
    expect((await request(app).get('/api/retention')).status).toBe(401);
    for (const body of [{ auditDays: 0 }, { auditDays: 1.5 }, { keepForever: true }]) {
      const res = await request(app).put('/api/retention').set(as('Admin')).send(body);
      expect({ status: res.status, code: res.body.error.code }).toEqual({
        status: 400,
        code: 'validation_failed',
      });
    }
  });

  it('shows the offboarding checklist and lets an Admin mark the manual steps', async () => {
    const list = await request(app).get('/api/offboarding').set(as('Admin'));
    expect(list.status).toBe(200);
    expect(list.body.steps.map((s: { id: string; done: boolean }) => `${s.id} ${s.done}`)).toEqual([
      'export false',
      'disconnect false',
      'salesforce-cleanup false',
      'opt-outs false',
      'credits false',
      'delete false',
    ]);
    expect(list.body.steps[5].command).toBe('signalfit offboard delete');
    const marked = await request(app).post('/api/offboarding/opt-outs').set(as('Admin'));
    expect(marked.status).toBe(200);
    expect(marked.body.steps[3]).toMatchObject({
      id: 'opt-outs',
      done: true,
      at: NOW.toISOString(),
      manual: true,
    });
    expect((await request(app).post('/api/offboarding/export').set(as('Admin'))).status).toBe(404);
    expect((await request(app).post('/api/offboarding/credits').set(as('Operations'))).status).toBe(403);
  });
});
