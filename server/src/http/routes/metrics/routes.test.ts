import request from 'supertest';
import { OutreachClient } from '../../../integrations/outreach/client';
import { connectSalesforce } from '../../../integrations/salesforce/client';
import { startStandIn } from '../../../../test/salesforceStandIn/testing';
import { createMetrics, recordImport, type Metrics } from '../../../metrics/metrics';
import { countingGuard, outreachObserver, scoringObserver } from '../../../metrics/observers';
import { OutcomeRecord } from '../../../services/health/outcomes';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { ALL_SCOPES, startOutreachStandIn } from '../../../../test/outreachStandIn/testing';
import { createApp } from '../../app';
import { captureLogger } from '../../testing';

const TOKEN = 'a-metrics-scrape-token-of-40-characters!!';

/** The families docs/configuration.md "Metrics" documents, each with its Prometheus type. */
const FAMILIES: Record<string, string> = {
  signalfit_http_request_duration_seconds: 'histogram',
  signalfit_scoring_runs_total: 'counter',
  signalfit_scoring_phase_duration_seconds: 'histogram',
  signalfit_job_runs: 'gauge',
  signalfit_salesforce_api_calls_total: 'counter',
  signalfit_salesforce_api_calls_24h: 'gauge',
  signalfit_salesforce_org_api_used: 'gauge',
  signalfit_salesforce_org_api_limit: 'gauge',
  signalfit_outreach_api_calls_total: 'counter',
  signalfit_outreach_rate_limit_waits_total: 'counter',
  signalfit_outreach_rate_limit_wait_seconds_total: 'counter',
  signalfit_import_rows_total: 'counter',
  signalfit_import_rejects_total: 'counter',
};

/** `# TYPE name type` lines, and each sample line's value by its name and labels as written. */
function parseExposition(text: string): { types: Map<string, string>; samples: Map<string, number> } {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    const sample = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (sample) samples.set(sample[1]!, Number(sample[2]));
  }
  return { types, samples };
}

describe.each(testStoreTargets())('GET /metrics on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  const appWith = (metrics: Metrics, metricsAccess: { token?: string } | null) =>
    createApp({ db, logger: captureLogger().logger, version: 't', metrics, metricsAccess });

  it('is unknown (404) when metrics are off', async () => {
    const res = await request(appWith(createMetrics(db), null)).get('/metrics');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers every family in the Prometheus text format, with what was recorded', async () => {
    const metrics = createMetrics(db);
    const app = appWith(metrics, {});
    // HTTP: labelled by the route's pattern, not the id in the URL.
    await request(app).get('/api/people/003000000000001AAA').expect(401);
    await request(app).get('/no/such/path').expect(404);
    // Job runs, read from the store.
    await db.query(
      `INSERT INTO job_runs (kind, status, finished_at) VALUES
         ('salesforce_sync', 'complete', now()), ('salesforce_sync', 'complete', now()),
         ('salesforce_writeback', 'failed', now())`,
    );
    await db.query(
      `INSERT INTO salesforce_api_usage (hour, calls, org_limit) VALUES (date_trunc('hour', now()), 17, 15000)`,
    );
    // Scoring, Salesforce, import: through the observers the composition root wires.
    const scoring = scoringObserver(metrics, new OutcomeRecord());
    scoring.phase('read', 1500);
    scoring.phase('model', 250);
    scoring.phase('write', 4000);
    scoring.finished();
    scoring.failed(new Error('the store went away'));
    const guard = countingGuard(metrics, () => undefined);
    guard({ calls: 0, orgUsed: null, orgLimit: null });
    guard({ calls: 1, orgUsed: 120, orgLimit: 15000 });
    const refused = countingGuard(metrics, () => {
      throw new Error('over budget');
    });
    expect(() => refused({ calls: 2, orgUsed: 121, orgLimit: 15000 })).toThrow('over budget');
    recordImport(metrics, {
      dir: '/in',
      files: [
        {
          entity: 'accounts',
          file: 'accounts.csv',
          status: 'imported',
          rows: 12,
          inserted: 8,
          updated: 2,
          unchanged: 1,
          rejected: 1,
          rejectsFile: 'x',
          error: null,
          seconds: 1,
          phases: {},
        },
      ],
      importedRows: 11,
      rejectedRows: 1,
      summaryFile: 's',
      seconds: 1,
    });

    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const { types, samples } = parseExposition(res.text);
    for (const [name, type] of Object.entries(FAMILIES))
      expect([name, types.get(name)]).toEqual([name, type]);
    expect(
      samples.get(
        'signalfit_http_request_duration_seconds_count{method="GET",route="/api/people/:id",status="401"}',
      ),
    ).toBe(1);
    expect(
      samples.get(
        'signalfit_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}',
      ),
    ).toBe(1);
    expect(res.text).not.toContain('003000000000001AAA');
    expect(samples.get('signalfit_job_runs{kind="salesforce_sync",status="complete"}')).toBe(2);
    expect(samples.get('signalfit_job_runs{kind="salesforce_writeback",status="failed"}')).toBe(1);
    expect(samples.get('signalfit_salesforce_api_calls_24h')).toBe(17);
    expect(samples.get('signalfit_scoring_runs_total{outcome="complete"}')).toBe(1);
    expect(samples.get('signalfit_scoring_runs_total{outcome="failed"}')).toBe(1);
    expect(samples.get('signalfit_scoring_phase_duration_seconds_sum{phase="write"}')).toBe(4);
    expect(samples.get('signalfit_scoring_phase_duration_seconds_count{phase="read"}')).toBe(1);
    expect(samples.get('signalfit_salesforce_api_calls_total')).toBe(2);
    expect(samples.get('signalfit_salesforce_org_api_used')).toBe(120);
    expect(samples.get('signalfit_salesforce_org_api_limit')).toBe(15000);
    expect(samples.get('signalfit_import_rows_total{entity="accounts"}')).toBe(11);
    expect(samples.get('signalfit_import_rejects_total{entity="accounts"}')).toBe(1);
  });

  it('asks for the bearer token when one is set, compared whole', async () => {
    const app = appWith(createMetrics(db), { token: TOKEN });
    const bare = await request(app).get('/metrics');
    expect(bare.status).toBe(401);
    expect(bare.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(bare.body.error.code).toBe('unauthorized');
    await request(app)
      .get('/metrics')
      .set('Authorization', `Bearer ${TOKEN.slice(0, -1)}`)
      .expect(401);
    await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(401);
    const ok = await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('# TYPE signalfit_http_request_duration_seconds histogram');
  });

  it('keeps each app its own registry: a new app starts from zero', async () => {
    const first = createMetrics(db);
    await request(appWith(first, {})).get('/healthz');
    const text = await (await request(appWith(createMetrics(db), {})).get('/metrics')).text;
    expect(text).not.toContain('route="/healthz"');
  });
});

describe('Outreach calls and rate-limit waits', () => {
  it('counts each answer by status and each wait for a rate limit, and records the outcome', async () => {
    let clock = new Date('2026-11-23T12:00:00Z');
    const { standIn, config } = await startOutreachStandIn({
      now: () => clock,
      rateLimit: 2,
      rateWindowMs: 10_000,
    });
    try {
      const metrics = createMetrics({} as Db);
      const outcomes = new OutcomeRecord(() => clock);
      const { accessToken } = standIn.issueToken('7', ALL_SCOPES);
      const client = new OutreachClient({
        apiUrl: config.apiUrl,
        accessToken: async () => accessToken,
        now: () => clock,
        sleep: async (ms) => void (clock = new Date(clock.getTime() + ms)),
        observer: outreachObserver(metrics, outcomes),
      });
      for (let i = 0; i < 3; i++) await client.listSequences();
      const { samples } = parseExposition(await metrics.registry.metrics());
      expect(samples.get('signalfit_outreach_api_calls_total{method="GET",status="200"}')).toBe(3);
      expect(samples.get('signalfit_outreach_api_calls_total{method="GET",status="429"}')).toBe(1);
      expect(samples.get('signalfit_outreach_rate_limit_waits_total')).toBe(1);
      expect(samples.get('signalfit_outreach_rate_limit_wait_seconds_total')).toBeGreaterThan(0);
      // The 429 that was waited out is the last failure; the answer after it the last success.
      expect(outcomes.snapshot()).toEqual({
        lastSuccess: { at: clock.toISOString() },
        lastFailure: { at: expect.any(String), reason: 'Outreach answered HTTP 429' },
      });
    } finally {
      await standIn.close();
    }
  });
});

describe('Salesforce calls and the budget used', () => {
  it("counts the calls jsforce makes and shows the org's usage and limit from Sforce-Limit-Info", async () => {
    const { standIn, settings } = await startStandIn({ dailyApiLimit: 15_000, apiUsedAtStart: 1_200 });
    try {
      const metrics = createMetrics({} as Db);
      const client = await connectSalesforce(
        settings,
        countingGuard(metrics, () => undefined),
      );
      await client.conn.query('SELECT Id FROM Account');
      await client.conn.query('SELECT Id FROM Contact');
      const { samples } = parseExposition(await metrics.registry.metrics());
      // The logins are not API calls (Salesforce does not count them either).
      expect(samples.get('signalfit_salesforce_api_calls_total')).toBe(2);
      // The answer to the last call, not the one before it.
      expect(samples.get('signalfit_salesforce_org_api_used')).toBe(standIn.apiUsed);
      expect(standIn.apiUsed).toBeGreaterThan(1_200);
      expect(samples.get('signalfit_salesforce_org_api_limit')).toBe(15_000);
    } finally {
      await standIn.close();
    }
  });
});
