import request from 'supertest';
import { createApp } from '../../app';
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

  it('GET /readyz answers 200 with the store kind when the store is migrated', async () => {
    const res = await request(app()).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', store: target.name });
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
