import request from 'supertest';
import { createApp } from '../../app';
import { OutcomeRecord } from '../../../services/health/outcomes';
import { captureLogger } from '../../testing';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';

describe.each(testStoreTargets())('health probes on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  const app = () => createApp({ db, logger: captureLogger().logger, version: '0.0.0-test' });

  it('GET /healthz answers 200 ok', async () => {
    const res = await request(app()).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'ok' });
  });

  const nothingYet = (configured: boolean) => ({ configured, lastSuccess: null, lastFailure: null });

  it('GET /readyz answers 200 with the store kind when the store is migrated', async () => {
    const res = await request(app()).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ready',
      store: target.name,
      integrations: {
        salesforceSync: nothingYet(false),
        salesforceWriteback: nothingYet(false),
        outreach: nothingYet(false),
        scoring: nothingYet(true),
      },
    });
  });

  it("GET /readyz names each integration's state: configured, last success, last failure with a short reason", async () => {
    const clock = () => new Date('2026-11-20T09:30:00Z');
    const integrations = {
      salesforceConfigured: true,
      outreachConfigured: true,
      outreach: new OutcomeRecord(clock),
      scoring: new OutcomeRecord(clock),
    };
    await db.query(
      `INSERT INTO job_runs (kind, status, started_at, finished_at, errors) VALUES
         ('salesforce_sync', 'complete', '2026-11-18T02:00:00Z', '2026-11-18T02:05:00Z', '[]'),
         ('salesforce_sync', 'complete', '2026-11-19T02:00:00Z', '2026-11-19T02:04:00Z', '[]'),
         ('salesforce_sync', 'failed', '2026-11-20T02:00:00Z', '2026-11-20T02:00:03Z', $1),
         ('salesforce_writeback', 'running', '2026-11-20T02:10:00Z', NULL, '[]'),
         ('daily', 'failed', '2026-11-20T02:00:00Z', '2026-11-20T02:20:00Z', '["not shown"]')`,
      [
        JSON.stringify([
          'Salesforce login (JWT bearer) at https://login.example.com/services/oauth2/token?assertion=eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQtdGhhdC1tdXN0LW5vdC1sZWFr failed: invalid_grant',
          'a second error',
        ]),
      ],
    );
    await db.query(
      `INSERT INTO score_runs (as_of, status, finished_at) VALUES ('2026-11-19', 'complete', '2026-11-19T02:30:00Z')`,
    );
    integrations.outreach.succeeded();
    integrations.outreach.failed('Outreach answered HTTP 503');
    integrations.scoring.failed(new Error('scoring failed\nwith a stack'));
    const res = await request(
      createApp({ db, logger: captureLogger().logger, version: 't', integrations }),
    ).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.integrations).toEqual({
      salesforceSync: {
        configured: true,
        lastSuccess: { at: '2026-11-19T02:04:00.000Z' },
        lastFailure: {
          at: '2026-11-20T02:00:03.000Z',
          reason: 'Salesforce login (JWT bearer) at https://login.example.com failed: invalid_grant',
        },
      },
      salesforceWriteback: nothingYet(true),
      outreach: {
        configured: true,
        lastSuccess: { at: '2026-11-20T09:30:00.000Z' },
        lastFailure: { at: '2026-11-20T09:30:00.000Z', reason: 'Outreach answered HTTP 503' },
      },
      scoring: {
        configured: true,
        lastSuccess: { at: '2026-11-19T02:30:00.000Z' },
        lastFailure: { at: '2026-11-20T09:30:00.000Z', reason: 'scoring failed' },
      },
    });
    expect(res.text).not.toContain('eyJhbGci');
  });

  it('GET /readyz answers 503 naming the pending migration when one is not applied', async () => {
    const [row] = await db.query<{ version: string; applied_at: Date }>(
      'SELECT version, applied_at FROM schema_migrations ORDER BY version LIMIT 1',
    );
    if (!row) throw new Error('the test store has no applied migration');
    await db.query('DELETE FROM schema_migrations WHERE version = $1', [row.version]);
    try {
      const res = await request(app()).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        error: {
          code: 'store_unavailable',
          message: `store has pending migrations: ${row.version}`,
          details: { pendingMigrations: [row.version] },
        },
      });
    } finally {
      await db.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        row.version,
        row.applied_at,
      ]);
    }
    expect((await request(app()).get('/readyz')).status).toBe(200);
  });

  it('GET /readyz stays 200 when the integration states cannot be read, and logs why', async () => {
    const log = captureLogger();
    const flaky: Db = {
      ...db,
      query: (sql, ...rest) =>
        sql.includes('job_runs') ? Promise.reject(new Error('relation is locked')) : db.query(sql, ...rest),
    };
    const res = await request(createApp({ db: flaky, logger: log.logger, version: 't' })).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', store: target.name, integrations: null });
    expect(log.text()).toContain('relation is locked');
  });

  it('GET /healthz stays 200 while the store is down', async () => {
    const res = await request(
      createApp({ db: brokenStore(), logger: captureLogger().logger, version: 't' }),
    ).get('/healthz');
    expect(res.status).toBe(200);
  });
});

describe('readiness with a failing store', () => {
  it('answers 503 store_unavailable without leaking the driver error, which is logged', async () => {
    const log = captureLogger();
    const res = await request(createApp({ db: brokenStore(), logger: log.logger, version: 't' })).get(
      '/readyz',
    );
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error: {
        code: 'store_unavailable',
        message: 'store is unreachable: its query failed (details in the service log)',
      },
    });
    expect(JSON.stringify(res.body)).not.toContain('10.9.8.7');
    expect(log.text()).toContain('connect ECONNREFUSED 10.9.8.7:5432');
  });

  it('answers 503 when the store does not answer in time', async () => {
    const hanging: Db = { ...brokenStore(), query: () => new Promise(() => undefined) };
    const started = Date.now();
    const res = await request(createApp({ db: hanging, logger: captureLogger().logger, version: 't' })).get(
      '/readyz',
    );
    expect(res.status).toBe(503);
    expect(res.body.error).toEqual({
      code: 'store_unavailable',
      message: 'store is unreachable: no answer within 2000 ms',
    });
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

/** A store whose every call fails the way an unreachable PostgreSQL does. */
function brokenStore(): Db {
  const refused = async (): Promise<never> => {
    throw new Error('connect ECONNREFUSED 10.9.8.7:5432');
  };
  return {
    kind: 'postgres',
    query: refused,
    run: refused,
    exec: refused,
    copyOut: async function* () {
      await refused();
    },
    transaction: refused,
    copyCsv: refused,
    close: async () => undefined,
  };
}
