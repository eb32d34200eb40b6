import type { Express } from 'express';
import request from 'supertest';
import { roleHeaders, TEST_EMBED_CONFIG } from '../../http/auth/testing';
import { createApp } from '../../http/app';
import { captureLogger } from '../../http/testing';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { openPostgres } from '../../store/postgres';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { setCredits } from '../credits/credits';
import { findOrchestration, type RunView } from './orchestrationRecords';
import { requestRun } from './runOrchestration';
import { startRunWorker, type RunWorker } from './runQueue';
import { insertOrchestration, MARKET_ROWS, MemoryProvider, NOW, seedRunMarket } from './runTesting';

jest.setTimeout(60_000);

async function until<T>(what: string, probe: () => Promise<T | null | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(testStoreTargets())('the run worker behind POST …/run on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let app: Express;
  let worker: RunWorker;
  let provider: MemoryProvider;
  let headers: Awaited<ReturnType<typeof roleHeaders>>;

  beforeAll(async () => {
    const { segmentId, providerId } = await seedRunMarket(db);
    await insertOrchestration(db, {
      name: 'Default regions',
      segmentId,
      providerId,
      filters: { titles: [{ exclude: ['intern'] }], maxPerAccount: 10 },
    });
    await setCredits({ db, allowance: 100, actor: OPERATOR });
    provider = new MemoryProvider(MARKET_ROWS);
    // A long poll: the worker runs what it is woken for, at once.
    worker = startRunWorker({
      deps: { db, now: () => NOW, openProvider: async () => provider },
      pollMs: 60_000,
    });
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
      orchestrationRuns: worker,
    });
    headers = await roleHeaders(db, ['Admin', 'Operations', 'View Only'], NOW);
  });
  afterAll(async () => {
    await worker.stop();
  });

  const runAndWait = async (id: number) => {
    const posted = await request(app).post(`/api/orchestrations/${id}/run`).set(headers('Operations'));
    expect(posted.status).toBe(202);
    expect(posted.body.run).toMatchObject({
      state: 'queued',
      trigger: 'manual',
      requestedBy: 'A Operations',
      startedAt: null,
    });
    const runId = posted.body.run.id as number;
    const done = await until('the run to end', async () => {
      const res = await request(app).get(`/api/orchestrations/${id}/runs`).set(headers('View Only'));
      const run = (res.body.runs as RunView[]).find((r) => r.id === runId);
      return run && (run.state === 'complete' || run.state === 'failed') ? run : null;
    });
    const detail = await request(app)
      .get(`/api/orchestrations/${id}/runs/${runId}`)
      .set(headers('View Only'));
    return {
      run: done,
      records: detail.body.records as { provider_id: string; outcome: string; reason: string | null }[],
    };
  };

  it('answers 202 with the run queued; the worker executes it; the runs show it complete with counts', async () => {
    const { id } = await findOrchestration(db, 'Default regions');
    const { run, records } = await runAndWait(id);
    expect(run).toMatchObject({
      state: 'complete',
      counts: { purchased: 5, pushed: 5, skipped: 5, failed: 0 },
    });
    expect(run.startedAt).not.toBeNull();
    expect(records.find((r) => r.provider_id === 'p04')).toMatchObject({
      outcome: 'skipped',
      reason: 'restricted_region',
    });
  });

  it('an orchestration an Admin allowed restricted regions buys the DE person the default refuses; Operations may not allow them', async () => {
    const body = {
      name: 'All regions',
      goal: 'acquire_contacts',
      segment: 'Software',
      provider: 'Vendor',
      target: { type: 'csv' },
      filters: { titles: [{ exclude: ['intern'] }], maxPerAccount: 10, allowRestrictedRegions: true },
    };
    const byOps = await request(app).post('/api/orchestrations').set(headers('Operations')).send(body);
    expect(byOps.status).toBe(403);
    const created = await request(app).post('/api/orchestrations').set(headers('Admin')).send(body);
    expect(created.status).toBe(201);
    const { run, records } = await runAndWait(created.body.orchestration.id);
    expect(run).toMatchObject({ state: 'complete', counts: { purchased: 1, pushed: 1 } });
    expect(records.filter((r) => r.outcome !== 'skipped').map((r) => [r.provider_id, r.outcome])).toEqual([
      ['p04', 'pushed'],
    ]);
    expect(provider.sold().filter((id) => id === 'p04')).toEqual(['p04']);
  });
});

const url = process.env.TEST_DATABASE_URL;
(url ? describe : describe.skip)('two run workers on one PostgreSQL store', () => {
  let db: Db;
  let other: Db;
  useTestStore(
    testStoreTargets().find((t) => t.name === 'postgres')!,
    (opened) => (db = opened),
  );
  beforeAll(async () => {
    const [{ schema }] = (await db.query<{ schema: string }>('SELECT current_schema() AS schema')) as [
      { schema: string },
    ];
    other = await openPostgres({ connectionString: url!, schema, maxConnections: 4 });
  });
  afterAll(async () => {
    await other.close();
  });

  it('execute a queued run once', async () => {
    const { segmentId, providerId } = await seedRunMarket(db);
    await insertOrchestration(db, { name: 'Once', segmentId, providerId });
    await setCredits({ db, allowance: 100, actor: OPERATOR });
    const provider = new MemoryProvider(MARKET_ROWS);
    const queued = await requestRun({
      db,
      orchestration: await findOrchestration(db, 'Once'),
      trigger: 'manual',
      actor: OPERATOR,
      now: NOW,
    });
    const executed: number[] = [];
    const errors: unknown[] = [];
    const start = (store: Db) =>
      startRunWorker({
        deps: { db: store, now: () => NOW, openProvider: async () => provider },
        pollMs: 20,
        onRun: (run) => executed.push(run.id),
        onError: (error) => errors.push(error),
      });
    const workers = [start(db), start(other), start(db), start(other)];
    await until('the run to end', async () => {
      const [row] = await db.query<{ state: string }>('SELECT state FROM orchestration_runs WHERE id = $1', [
        queued.id,
      ]);
      return row?.state === 'complete';
    });
    // A few more rounds of every worker: nothing left to run.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all(workers.map((w) => w.stop()));
    expect(executed).toEqual([queued.id]);
    expect(errors).toEqual([]);
    expect(provider.purchases).toHaveLength(1);
    const runs = await db.query<{ state: string }>('SELECT state FROM orchestration_runs');
    expect(runs.map((r) => r.state)).toEqual(['complete']);
    const [charged] = await db.query<{ n: string }>('SELECT count(*) AS n FROM credit_ledger');
    expect(Number(charged!.n)).toBe(4);
  });
});
