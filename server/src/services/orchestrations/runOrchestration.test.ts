import { hostname } from 'node:os';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { setCredits } from '../credits/credits';
import { findOrchestration } from './orchestrationRecords';
import type { RunDeps, RunStep } from './runContext';
import { runDetail } from './runHistory';
import { executeRun, requestRun, runNow } from './runOrchestration';
import {
  insertOrchestration,
  MARKET_ROWS,
  MemoryProvider,
  NOW,
  seedEarlierPurchase,
  seedRunMarket,
} from './runTesting';

jest.setTimeout(60_000);

const VIEWER = { userId: 'u-vic', name: 'Vic', role: 'View Only' as const };

/** Each record of a run as [provider id, outcome, reason], by provider id. */
async function outcomes(db: Db, name: string, runId: number) {
  const { records } = await runDetail({
    db,
    orchestration: await findOrchestration(db, name),
    runId,
    actor: OPERATOR,
  });
  return records
    .map((r) => [r.provider_id, r.outcome, r.reason])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

async function ledger(db: Db): Promise<string[]> {
  const rows = await db.query<{ provider_contact_id: string }>(
    `SELECT p.provider_contact_id FROM credit_ledger l JOIN contact_purchases p ON p.id = l.purchase_id ORDER BY 1`,
  );
  return rows.map((r) => r.provider_contact_id);
}

const FIRST_RUN = [
  ['p01', 'skipped', 'no_email'],
  ['p02', 'skipped', 'opted_out'],
  ['p03', 'skipped', 'already_in_crm'],
  ['p04', 'skipped', 'restricted_region'],
  ['p05', 'skipped', 'filtered_out'],
  ['p06', 'pushed', null],
  ['p07', 'pushed', null],
  ['p08', 'skipped', 'cap_reached'],
  ['p09', 'pushed', null],
  ['p10', 'skipped', 'cooldown'],
];

describe.each(testStoreTargets())('orchestration runs to a CSV target on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let provider: MemoryProvider;
  let deps: RunDeps;

  beforeAll(async () => {
    const { segmentId, providerId } = await seedRunMarket(db);
    const id = await insertOrchestration(db, { name: 'Acquire', segmentId, providerId });
    await seedEarlierPurchase(db, providerId, id);
    await setCredits({ db, allowance: 100, actor: OPERATOR });
    provider = new MemoryProvider(MARKET_ROWS);
    deps = { db, now: () => NOW, openProvider: async () => provider };
  });

  it('records every row of the segment with its outcome or skip reason, buys and charges the picks once', async () => {
    const orchestration = await findOrchestration(db, 'Acquire');
    await expect(
      requestRun({ db, orchestration, trigger: 'manual', actor: VIEWER, now: NOW }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    const run = await runNow(deps, { orchestration, trigger: 'manual', actor: OPERATOR });
    expect(run).toMatchObject({
      state: 'complete',
      trigger: 'manual',
      requestedBy: 'command line',
      counts: { purchased: 3, pushed: 3, skipped: 7, failed: 0 },
      message: null,
    });
    expect(await outcomes(db, 'Acquire', run.id)).toEqual(FIRST_RUN);
    expect(provider.sold().sort()).toEqual(['p06', 'p07', 'p09']);
    expect(await ledger(db)).toEqual(['p00', 'p06', 'p07', 'p09']);
  });

  it('a rerun with nothing new buys nothing and pushes nothing', async () => {
    const orchestration = await findOrchestration(db, 'Acquire');
    const asked = provider.purchases.length;
    const run = await runNow(deps, { orchestration, trigger: 'manual', actor: OPERATOR });
    expect(run.counts).toEqual({ purchased: 0, pushed: 0, skipped: 10, failed: 0 });
    const records = await outcomes(db, 'Acquire', run.id);
    // What was bought is known now; a1 is in cooldown for the cap's leftover.
    expect(records.filter((r) => ['p06', 'p07', 'p09'].includes(String(r[0])))).toEqual([
      ['p06', 'skipped', 'already_in_crm'],
      ['p07', 'skipped', 'already_in_crm'],
      ['p09', 'skipped', 'already_in_crm'],
    ]);
    expect(provider.purchases.length).toBe(asked);
    expect(await ledger(db)).toEqual(['p00', 'p06', 'p07', 'p09']);
  });
});

/** Without an earlier purchase at gamma, its p10 is bought too. */
const BOUGHT = ['p06', 'p07', 'p09', 'p10'];

describe.each(testStoreTargets())('credits and crashes on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let segmentId: number;
  let providerId: number;

  beforeAll(async () => {
    ({ segmentId, providerId } = await seedRunMarket(db));
  });
  afterEach(async () => {
    await db.exec(`DELETE FROM orchestration_records; DELETE FROM credit_ledger; DELETE FROM contact_purchases;
      DELETE FROM orchestration_runs; DELETE FROM orchestrations; DELETE FROM credit_settings;`);
  });

  it('stops buying at the credit balance and records the picks not bought as failed, saying how to go on', async () => {
    await insertOrchestration(db, { name: 'Tight', segmentId, providerId });
    await setCredits({ db, allowance: 2, actor: OPERATOR });
    const provider = new MemoryProvider(MARKET_ROWS);
    const run = await runNow(
      { db, now: () => NOW, openProvider: async () => provider },
      { orchestration: await findOrchestration(db, 'Tight'), trigger: 'manual', actor: OPERATOR },
    );
    // No earlier purchase here, so gamma's p10 is a candidate too: p09 and p10 are not bought.
    const error =
      'not bought: 0 credits left, 2 needed; raise the allowance with signalfit credits set or allow overage';
    expect(run).toMatchObject({ state: 'complete', counts: { purchased: 2, pushed: 2, failed: 2 } });
    expect(run.message).toBe(`stopped buying at the credit balance: ${error}`);
    const { records } = await runDetail({
      db,
      orchestration: await findOrchestration(db, 'Tight'),
      runId: run.id,
      actor: OPERATOR,
    });
    expect(records.filter((r) => r.outcome === 'failed').map((r) => [r.provider_id, r.error])).toEqual([
      ['p09', error],
      ['p10', error],
    ]);
    expect(await ledger(db)).toEqual(['p06', 'p07']);
  });

  it.each<RunStep>(['selected', 'purchased'])(
    'a run that died at "%s" is seen dead by the next, which takes over its work: each person bought, charged and pushed once',
    async (step) => {
      await insertOrchestration(db, { name: 'Crash', segmentId, providerId });
      await setCredits({ db, allowance: 100, actor: OPERATOR });
      const provider = new MemoryProvider(MARKET_ROWS);
      const orchestration = await findOrchestration(db, 'Crash');
      const crashAt = async (at: RunStep) => {
        if (at === step) throw new Error(`killed at ${at}`);
      };
      const first = await runNow(
        { db, now: () => NOW, openProvider: async () => provider, atStep: crashAt },
        { orchestration, trigger: 'manual', actor: OPERATOR },
      );
      // What a killed process leaves: the run still `running`, held by a process that is gone.
      await db.run(
        `UPDATE orchestration_runs SET state = 'running', finished_at = NULL, holder = $2, heartbeat_at = $3 WHERE id = $1`,
        [first.id, `${hostname()}:2147483646:dead`, NOW],
      );
      const second = await requestRun({ db, orchestration, trigger: 'manual', actor: OPERATOR, now: NOW });
      const [dead] = await db.query<{ state: string }>('SELECT state FROM orchestration_runs WHERE id = $1', [
        first.id,
      ]);
      expect(dead?.state).toBe('interrupted');
      const done = await executeRun({ db, now: () => NOW, openProvider: async () => provider }, second.id);
      expect(done).toMatchObject({ state: 'complete', counts: { purchased: 4, pushed: 4 } });
      const records = await outcomes(db, 'Crash', second.id);
      expect(records.filter((r) => r[1] !== 'skipped').map((r) => r[0])).toEqual(BOUGHT);
      expect(provider.sold().sort()).toEqual(BOUGHT);
      expect(await ledger(db)).toEqual(BOUGHT);
    },
  );

  it('a purchase the provider charged but whose answer was lost is asked again with its key and charged once', async () => {
    await insertOrchestration(db, { name: 'Lost', segmentId, providerId });
    await setCredits({ db, allowance: 100, actor: OPERATOR });
    const provider = new MemoryProvider(MARKET_ROWS);
    const orchestration = await findOrchestration(db, 'Lost');
    const flaky: MemoryProvider = Object.create(provider) as MemoryProvider;
    let lose = true;
    flaky.purchase = async (ids, key) => {
      const answer = await provider.purchase(ids, key);
      if (lose) {
        lose = false;
        throw new Error('connection reset after the provider answered');
      }
      return answer;
    };
    const first = await runNow(
      { db, now: () => NOW, openProvider: async () => flaky },
      { orchestration, trigger: 'manual', actor: OPERATOR },
    );
    expect(first.state).toBe('failed');
    expect(first.message).toMatch(/stay requested/);
    const second = await runNow(
      { db, now: () => NOW, openProvider: async () => flaky },
      { orchestration, trigger: 'manual', actor: OPERATOR },
    );
    expect(second).toMatchObject({ state: 'complete', counts: { purchased: 4, pushed: 4 } });
    const keys = new Set(provider.purchases.map((p) => p.key));
    expect(keys.size).toBe(1);
    expect(provider.sold().sort()).toEqual(BOUGHT);
    expect(await ledger(db)).toEqual(BOUGHT);
  });
});
