import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../../domain/vocabulary';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { roleHeaders, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-11-20T12:00:00Z');

describe.each(testStoreTargets())('credit routes on $name', (target) => {
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
    as = await roleHeaders(db, ['Admin', 'Operations', 'Marketing', 'Sales', 'View Only'], NOW);
  });
  afterEach(async () => {
    await db.exec('DELETE FROM credit_settings');
  });

  it('shows no balance until an allowance is set; Operations sets it and View Only reads it', async () => {
    const before = await request(app).get('/api/credits').set(as('View Only'));
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ credits: null, entries: [] });

    const set = await request(app).put('/api/credits').set(as('Operations')).send({ allowance: 250 });
    expect(set.status).toBe(200);
    const credits = {
      allowance: 250,
      period: 'month',
      allowOverage: false,
      periodStart: '2026-11-01T00:00:00.000Z',
      periodEnd: '2026-12-01T00:00:00.000Z',
      used: 0,
      balance: 250,
      overage: 0,
    };
    expect(set.body).toEqual({ credits });
    const after = await request(app).get('/api/credits').set(as('Marketing'));
    expect(after.body).toEqual({ credits, entries: [] });
    expect(after.headers['cache-control']).toBe('private, no-store');
  });

  it('refuses to set credits to roles that may not manage orchestrations, and reading to Sales', async () => {
    for (const role of ['Marketing', 'View Only', 'Sales'] as const) {
      const res = await request(app).put('/api/credits').set(as(role)).send({ allowance: 1 });
      expect({ role, status: res.status, code: res.body.error.code }).toEqual({
        role,
        status: 403,
        code: 'forbidden',
      });
    }
    const read = await request(app).get('/api/credits').set(as('Sales'));
    expect(read.status).toBe(403);
    expect(read.body.error.message).toBe(
      'reading the credit balance is for the Admin, Operations, Marketing, View Only roles',
    );
    expect((await request(app).get('/api/credits')).status).toBe(401);
  });

  it('refuses a negative allowance, an unknown period and unknown fields, naming the field', async () => {
    for (const body of [
      { allowance: -5 },
      { allowance: 5, period: 'week' },
      { allowance: 5, extra: 1 },
      {},
    ]) {
      const res = await request(app).put('/api/credits').set(as('Admin')).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const negative = await request(app).put('/api/credits').set(as('Admin')).send({ allowance: -5 });
    expect(negative.body.error.details).toEqual([{ path: ['allowance'], message: expect.any(String) }]);
    expect((await request(app).get('/api/credits').set(as('Admin'))).body.credits).toBeNull();
  });
});
