/**
 * Jobs that stay correct when a holder stalls, loses its connection, dies or is shut down
 * (docs/operations.md "Jobs"): fenced leases, renewal failures that stop the job, a
 * crashed slot retried once, one scoring lease for the schedule and "Recompute now", and a
 * bounded shutdown. On PGlite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import { hostname } from 'node:os';
import { AppError } from '../errors';
import { createRecomputer } from '../services/recompute/recomputer';
import { seedDemoMarket } from '../services/demo/seedDemoMarket';
import { scoreStore, type ScoreStoreProps, type ScoreStoreResult } from '../services/scoring/scoreStore';
import { SCORING_LEASE, scoreScheduled } from '../services/scoring/scoringLease';
import type { Db } from '../store/db';
import { testStoreTargets, useTestStore } from '../store/testing';
import type { CronSchedule } from './cron';
import { runDailyJob } from './dailyJob';
import { acquireLease } from './lease';
import { listRuns } from './runs';
import { startScheduler, type ScheduledRun } from './scheduler';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Makes a lease look expired, as when its holder stalled past its time. */
async function expire(db: Db, name: string): Promise<void> {
  await db.query("UPDATE job_leases SET expires_at = now() - interval '1 second' WHERE name = $1", [name]);
}

/** A schedule whose next slot is a year away: only retries run. */
const never: CronSchedule = {
  expression: 'never',
  next: (after) => new Date(after.getTime() + 365 * 86_400_000),
};

/** A slot every 300 ms on the wall clock. */
const everyFewMs: CronSchedule = {
  expression: 'test',
  next: (after) => new Date((Math.floor(after.getTime() / 300) + 1) * 300),
};

const DEAD_HOLDER = `${hostname()}:2147483646:dead`;

describe.each(testStoreTargets())('jobs on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  test('a lease lost mid-job: the old holder cannot record its run, and its job is aborted', async () => {
    const lost: AppError[] = [];
    const old = await acquireLease(db, 'fenced', { ttlMs: 600, onLost: (error) => lost.push(error) });
    let taker: Awaited<ReturnType<typeof acquireLease>> | undefined;
    const job = runDailyJob({
      db,
      signal: old.signal,
      fence: old.fence,
      sync: async () => {
        // The holder stalls past its lease; another holder takes it meanwhile.
        await expire(db, 'fenced');
        taker = await acquireLease(db, 'fenced', { ttlMs: 60_000 });
        await sleep(700); // the old holder's next renewal finds the lease taken
        return { status: 'complete' };
      },
      score: async () => {
        throw new Error('must not start after the lease was lost');
      },
      writeback: null,
    });
    await expect(job).rejects.toMatchObject({ code: 'lease_lost' });
    expect(taker!.token).toBeGreaterThan(old.token);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.message).toMatch(/fenced: the lease expired and another holder took it/);
    // Its run's completion was refused by the fence: still `running`, for the next holder to close.
    const [run] = await listRuns(db, { limit: 1, kind: 'daily' });
    expect(run).toMatchObject({ status: 'running', finishedAt: null });
    // Any write fenced by the old grant is refused; the new holder's is not.
    await expect(db.transaction((tx) => old.fence(tx))).rejects.toMatchObject({ code: 'lease_lost' });
    await db.transaction((tx) => taker!.fence(tx));
    await old.release(); // does not remove the new holder's lease
    await expect(acquireLease(db, 'fenced')).rejects.toThrow(/fenced is already running/);
    await taker!.release();
  });

  test("a scoring run whose lease was lost does not commit: the fence refuses it in the run's transaction", async () => {
    await seedDemoMarket({ db, seed: 5, accounts: 150, endDate: new Date('2026-06-01T00:00:00Z') });
    const lease = await acquireLease(db, SCORING_LEASE, { ttlMs: 60_000 });
    const asOf = new Date('2026-06-01T00:00:00Z');
    const scoring = scoreStore(db, {
      asOf,
      beforeCommit: async (tx) => {
        // Taken over while this run wrote its scores (through `tx`: PGlite has one connection).
        await expire(tx, SCORING_LEASE);
        const taker = await acquireLease(tx, SCORING_LEASE);
        await taker.release();
        await lease.fence(tx);
      },
    });
    await expect(scoring).rejects.toMatchObject({ code: 'lease_lost' });
    const runs = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM score_runs');
    expect(runs[0]!.n).toBe(0);
    const scores = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM account_scores');
    expect(scores[0]!.n).toBe(0);
    await lease.release();
  }, 120_000);

  test('a failed renewal aborts the job and is reported, not swallowed', async () => {
    let failing = false;
    const flaky: Db = {
      ...db,
      query: (sql, params) =>
        failing && sql.includes('UPDATE job_leases')
          ? Promise.reject(new Error('connection terminated unexpectedly'))
          : db.query(sql, params),
    };
    const lost: AppError[] = [];
    const lease = await acquireLease(flaky, 'renewed', { ttlMs: 300, onLost: (error) => lost.push(error) });
    const steps: string[] = [];
    const job = runDailyJob({
      db,
      signal: lease.signal,
      fence: lease.fence,
      sync: async () => {
        steps.push('sync');
        failing = true;
        await sleep(400);
        return { status: 'complete' };
      },
      score: async () => {
        steps.push('score');
        return { status: 'complete' };
      },
      writeback: null,
    });
    await expect(job).rejects.toThrow(
      /renewed: renewing the lease failed \(connection terminated unexpectedly\)/,
    );
    expect(steps).toEqual(['sync']);
    expect(lease.signal.aborted).toBe(true);
    expect(lost.map((e) => e.code)).toEqual(['lease_lost']);
    failing = false;
    await lease.release();
  });

  test('a slot whose run died is run once more by one instance, and not a third time', async () => {
    const slot = new Date('2026-01-01T02:00:00Z');
    // What a killed holder leaves: the slot claimed and not finished, its lease still "held".
    await db.query(
      "INSERT INTO job_slots (name, slot, holder, claimed_at) VALUES ('crashy', $1, $2, now() - interval '1 hour')",
      [slot.toISOString(), DEAD_HOLDER],
    );
    await db.query(
      "INSERT INTO job_leases (name, holder, expires_at) VALUES ('schedule:crashy', $1, now() + interval '1 hour')",
      [DEAD_HOLDER],
    );
    const runs: { holder: string; run: Omit<ScheduledRun, 'lease' | 'signal'> }[] = [];
    const retried: Date[] = [];
    const instances = ['a', 'b'].map((holder) =>
      startScheduler({
        db,
        name: 'crashy',
        schedule: never,
        holder,
        leaseTtlMs: 1_000,
        retryCheckMs: 100,
        onRetry: (at) => retried.push(at),
        run: async ({ slot: at, attempt }) => {
          runs.push({ holder, run: { slot: at, attempt } });
        },
      }),
    );
    try {
      await sleep(1_000);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.run).toEqual({ slot, attempt: 2 });
      expect(retried).toEqual([slot]);
      const [row] = await db.query<{ attempts: number; finished: boolean }>(
        "SELECT attempts, finished_at IS NOT NULL AS finished FROM job_slots WHERE name = 'crashy'",
      );
      expect(row).toEqual({ attempts: 2, finished: true });

      // The retry died too: it is not run a third time.
      await db.query(
        "UPDATE job_slots SET finished_at = NULL, claimed_at = now() - interval '1 hour' WHERE name = 'crashy'",
      );
      await sleep(600);
      expect(runs).toHaveLength(1);
    } finally {
      await Promise.all(instances.map((s) => s.stop()));
    }
  });

  test('the scheduled scoring and "Recompute now" share one lease: never two scorings at once', async () => {
    let releaseScheduled!: () => void;
    const scheduledHeld = new Promise<void>((resolve) => (releaseScheduled = resolve));
    const events: string[] = [];
    const slowScore =
      (name: string, held: Promise<void>) =>
      async (_db: Db, _props: ScoreStoreProps): Promise<ScoreStoreResult> => {
        events.push(`${name} start`);
        await held;
        events.push(`${name} end`);
        return { runId: 1 } as ScoreStoreResult;
      };
    const scheduled = scoreScheduled(
      db,
      { asOf: new Date(), signal: new AbortController().signal },
      slowScore('scheduled', scheduledHeld),
    );
    await sleep(200);
    const recomputer = createRecomputer({
      db,
      now: () => new Date(),
      score: slowScore('recompute', Promise.resolve()),
    });
    await expect(recomputer.start({ userId: 'ann', name: 'Ann', role: 'Admin' })).rejects.toThrow(
      /scoring is already running/,
    );
    releaseScheduled();
    await scheduled;

    // The other way round: the scheduled scoring waits until the recompute is done.
    let releaseRecompute!: () => void;
    const recomputeHeld = new Promise<void>((resolve) => (releaseRecompute = resolve));
    const slowRecomputer = createRecomputer({
      db,
      now: () => new Date(),
      score: slowScore('recompute', recomputeHeld),
    });
    await slowRecomputer.start({ userId: 'ann', name: 'Ann', role: 'Admin' });
    const waiting = scoreScheduled(
      db,
      { asOf: new Date(), signal: new AbortController().signal },
      slowScore('scheduled', Promise.resolve()),
    );
    await sleep(700);
    releaseRecompute();
    await slowRecomputer.settled();
    await waiting;
    expect(events).toEqual([
      'scheduled start',
      'scheduled end',
      'recompute start',
      'recompute end',
      'scheduled start',
      'scheduled end',
    ]);
  });

  test('shutdown waits for a daily job under way only for the grace period, then aborts it; its slot is left to rerun', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let sawAbort = false;
    const scheduler = startScheduler({
      db,
      name: 'long',
      schedule: everyFewMs,
      holder: 'a',
      run: async ({ signal }) => {
        started();
        // A step that ends only when told to stop (and stops an hour later otherwise).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 3_600_000);
          signal.addEventListener('abort', () => {
            sawAbort = true;
            clearTimeout(timer);
            resolve();
          });
        });
        signal.throwIfAborted();
      },
    });
    await running;
    const stopAt = Date.now();
    await scheduler.stop(300);
    expect(Date.now() - stopAt).toBeLessThan(2_000);
    expect(sawAbort).toBe(true);
    const slots = await db.query<{ finished: boolean; holder: string }>(
      "SELECT finished_at IS NOT NULL AS finished, holder FROM job_slots WHERE name = 'long'",
    );
    expect(slots).toEqual([{ finished: false, holder: 'a' }]);
    // Its lease is released: a restarted instance may retry the slot.
    const lease = await acquireLease(db, 'schedule:long');
    await lease.release();
  });

  test('shutdown is bounded even when the job does not heed the abort', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let finish!: () => void;
    const deaf = new Promise<void>((resolve) => (finish = resolve));
    const errors: unknown[] = [];
    const scheduler = startScheduler({
      db,
      name: 'deaf',
      schedule: everyFewMs,
      holder: 'a',
      onError: (error) => errors.push(error),
      run: async () => {
        started();
        await deaf;
      },
    });
    await running;
    const stopAt = Date.now();
    await scheduler.stop(200);
    expect(Date.now() - stopAt).toBeLessThan(1_500);
    expect(errors).toEqual([
      expect.objectContaining({ message: 'deaf: still running 200 ms after it was aborted' }),
    ]);
    finish();
    await sleep(100);
  });
});
