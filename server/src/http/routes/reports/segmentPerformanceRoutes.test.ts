import request from 'supertest';
import type { Express } from 'express';
import { loadSegmentPerformanceMarket } from '../../../services/reports/segmentPerformanceTesting';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { issueAccessToken } from '../../auth/accessToken';
import { loadAccessKey } from '../../auth/accessKey';
import { TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-05-15T12:00:00Z');

describe.each(testStoreTargets())('segment performance routes on $name', (target) => {
  let db: Db;
  let app: Express;
  let token: string;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    await loadSegmentPerformanceMarket(db);
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
    });
    token = await issueAccessToken(
      {
        orgId: 'o',
        userId: 'u',
        name: 'Viewer',
        email: null,
        perms: [],
        record: null,
        accountId: null,
        role: 'View Only',
      },
      await loadAccessKey(db),
      NOW,
    );
  });

  const get = (path: string) =>
    request(app)
      .get(path)
      .set({ Authorization: `Bearer ${token}` });
  const REPORT = '/api/reports/segment-performance';

  it('answers the report to every role, with its parameters and closing runs', async () => {
    const res = await get(`${REPORT}?segments=Focus&baseline=2026-01&analysis=2026-02..2026-03`);
    expect(res.status).toBe(200);
    expect(res.body.parameters).toMatchObject({
      type: 'stage',
      cohort: 'analysis',
      baseline: { from: '2026-01', to: '2026-01', start: '2026-01-01', end: '2026-02-01' },
      analysis: { from: '2026-02', to: '2026-03', start: '2026-02-01', end: '2026-04-01' },
      options: { exclude_zero_amount: false, exclude_irrelevant: false },
    });
    expect(res.body.runs).toMatchObject({
      baseline: { asOf: '2026-02-01' },
      analysis: { asOf: '2026-04-01' },
    });
    expect(res.body.summary).toMatchObject({ accounts: 3, increased: 2, decreased: 1, unchanged: 0 });
    const engagement = await get(
      `${REPORT}?segments=Focus&type=engagement&cohort=baseline&baseline=2026-01&analysis=2026-02..2026-03&excludeZeroAmount=true`,
    );
    expect(engagement.status).toBe(200);
    expect(engagement.body.movement).toBeUndefined();
    expect(engagement.body.summary).toMatchObject({ accounts: 3, increased: 1, decreased: 1, unchanged: 1 });
  });

  it('lists the accounts behind a number', async () => {
    const res = await get(
      `${REPORT}/accounts?segments=Focus&baseline=2026-01&analysis=2026-02..2026-03&table=movement&key=Decision.Target`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 1, accounts: [{ id: 'B', name: 'Account B', domain: 'b.example' }] });
  });

  it('refuses bad parameters with 400 and a clear message', async () => {
    const cases: [string, string, string][] = [
      [
        `${REPORT}?segments=Focus&baseline=2026-13&analysis=2026-02`,
        'bad_request',
        'baseline: "2026-13" is not a month',
      ],
      [
        `${REPORT}?segments=Focus&baseline=2026-03&analysis=2026-02`,
        'bad_request',
        'must start after the baseline ends',
      ],
      [
        `${REPORT}?segments=Focus,Nope&baseline=2026-01&analysis=2026-02`,
        'bad_request',
        'unknown segment "Nope"',
      ],
      [`${REPORT}?segments=Focus&type=funnel`, 'validation_failed', 'type'],
      [`${REPORT}`, 'validation_failed', 'segments'],
      [
        `${REPORT}/accounts?segments=Focus&baseline=2026-01&analysis=2026-02&table=summary&key=everyone`,
        'bad_request',
        'no number "everyone"',
      ],
    ];
    for (const [path, code, message] of cases) {
      const res = await get(path);
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 400, code });
      expect(res.body.error.message).toContain(message);
    }
  });

  it('asks for an access token', async () => {
    expect((await request(app).get(`${REPORT}?segments=Focus`)).status).toBe(401);
  });
});
