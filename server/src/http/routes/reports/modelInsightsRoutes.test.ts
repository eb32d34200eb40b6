import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../../domain/vocabulary';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { issueAccessToken } from '../../auth/accessToken';
import { loadAccessKey } from '../../auth/accessKey';
import { TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-11-20T12:00:00Z');

describe.each(testStoreTargets())('GET /api/reports/model-insights on $name', (target) => {
  let db: Db;
  let app: Express;
  const tokens = new Map<Role, string>();
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    // One account scored by a stored run as of the default month's first day (2026-08-01); it
    // opened a relevant opportunity in the window.
    await db.exec(`
      INSERT INTO accounts (id, name, industry) VALUES ('a1', 'Acme', 'Software'), ('a2', 'Beta', 'Software');
      INSERT INTO score_runs (id, as_of, status, model_version) VALUES (3, '2026-08-01', 'complete', 'm');
      INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, profile_fit, reach, qualified)
        VALUES (3, 'a1', 70, 'Decision', 'Strong', 'Low', false), (3, 'a2', 10, 'Target', 'Weak', 'Low', false);
      INSERT INTO opportunities (id, account_id, relevant, created_at) VALUES ('o1', 'a1', true, '2026-09-01T00:00:00Z');
    `);
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
    });
    for (const role of ['Marketing', 'Sales', 'Insights'] as const) {
      const claims = {
        orgId: 'o',
        userId: `u-${role}`,
        name: `A ${role}`,
        email: null,
        perms: [],
        record: null,
      };
      tokens.set(
        role,
        await issueAccessToken({ ...claims, accountId: null, role }, await loadAccessKey(db), NOW),
      );
    }
  });
  const as = (role: Role) => ({ Authorization: `Bearer ${tokens.get(role)!}` });

  it('answers the default month (three months back) from its stored run', async () => {
    const res = await request(app).get('/api/reports/model-insights').set(as('Marketing'));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body.parameters).toEqual({
      month: '2026-08',
      window: { start: '2026-08-01', end: '2026-11-01' },
    });
    expect(res.body.run).toEqual({ runId: 3, asOf: '2026-08-01' });
    expect(res.body.notes).toEqual([]);
    expect(res.body.account_behavior.Decision).toMatchObject({
      accounts: 1,
      converters: 1,
      conversion: 1,
      lift: 1,
    });
    expect(res.body.account_behavior.Awareness).toMatchObject({ accounts: 0, conversion: null, lift: null });
    expect([res.body.identification_rate, res.body.auc]).toEqual([1, 1]);
    expect(res.body.signals).toEqual([
      {
        category: 'industry',
        kind: 'firmographic',
        signal: 'Software',
        count: 2,
        conversions: 0,
        rate: 0,
        baseline: 0,
        lift: null,
        category_coverage: 1,
        conversion_coverage: null,
      },
    ]);
  });

  it.each(['2026-13', 'August', '2026-08..2026-09', '2026-12'])(
    'refuses month=%s with 400 bad_request',
    async (month) => {
      const res = await request(app).get('/api/reports/model-insights').query({ month }).set(as('Marketing'));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
      expect(res.body.error.message).toMatch(/^month: /);
    },
  );

  it('refuses an unknown parameter (400), no token (401), Sales and Insights (403)', async () => {
    const unknown = await request(app).get('/api/reports/model-insights?months=2026-08').set(as('Marketing'));
    expect(unknown.status).toBe(400);
    expect((await request(app).get('/api/reports/model-insights')).status).toBe(401);
    for (const role of ['Sales', 'Insights'] as const) {
      const res = await request(app).get('/api/reports/model-insights').set(as(role));
      expect([res.status, res.body.error.code]).toEqual([403, 'forbidden']);
    }
  });
});
