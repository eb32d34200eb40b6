import { hostname } from 'node:os';
import { AppError } from '../errors';
import type { Db } from '../store/db';
import { openPostgres } from '../store/postgres';
import { testStoreTargets, useTestStore } from '../store/testing';
import type { CronSchedule } from './cron';
import { runDailyJob } from './dailyJob';
import { acquireLease } from './lease';
import { listRuns } from './runs';
import { claimSlot, startScheduler } from './scheduler';

/** A slot every 300 ms on the wall clock, the same for every instance. */
const everyFewMs: CronSchedule = {
  expression: 'test',
  next: (after) => new Date((Math.floor(after.getTime() / 300) + 1) * 300),
};

describe.each(testStoreTargets())('jobs on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  test('several instances run each slot once', async () => {
    // On PostgreSQL the second instance has a pool of its own, as another process would.
    const other =
      target.name === 'postgres'
        ? await openPostgres({
            connectionString: process.env.TEST_DATABASE_URL!,
            schema: (await db.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s,
          })
        : db;
    const ran: { holder: string; at: number }[] = [];
    const instances = ['a', 'b', 'c'].map((holder, i) =>
      startScheduler({
        db: i === 1 ? other : db,
        name: 'test-job',
        schedule: everyFewMs,
        holder,
        run: async () => {
          ran.push({ holder, at: Date.now() });
        },
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    await Promise.all(instances.map((s) => s.stop()));
    if (other !== db) await other.close();
    const slots = await db.query<{ slot: Date; holder: string }>(
      "SELECT slot, holder FROM job_slots WHERE name = 'test-job'",
    );
    expect(slots.length).toBeGreaterThanOrEqual(3);
    expect(ran).toHaveLength(slots.length);
    expect(new Set(slots.map((s) => s.slot.getTime())).size).toBe(slots.length);
    expect(await claimSlot(db, 'test-job', slots[0]!.slot, 'late')).toBe(false);
  });

  test('a lease has one holder; a holder whose process is gone is replaced at once', async () => {
    const lease = await acquireLease(db, 'test-lease');
    await expect(acquireLease(db, 'test-lease')).rejects.toThrow(AppError);
    await expect(acquireLease(db, 'test-lease')).rejects.toThrow(/test-lease is already running/);
    await lease.release();
    const again = await acquireLease(db, 'test-lease');
    await again.release();

    // A holder on this host with a process id that does not exist (a killed command).
    await db.query(
      "INSERT INTO job_leases (name, holder, expires_at) VALUES ('test-lease', $1, now() + interval '1 hour')",
      [`${hostname()}:2147483646:dead`],
    );
    const taken = await acquireLease(db, 'test-lease');
    await taken.release();
  });

  test('the daily job runs sync, score and write-back in order, records each, and goes on after a failure', async () => {
    const order: string[] = [];
    const report = await runDailyJob({
      db,
      sync: async () => {
        order.push('sync');
        throw new Error('Salesforce is down');
      },
      score: async () => {
        order.push('score');
        return { status: 'complete', accounts: 3 };
      },
      writeback: null,
    });
    expect(order).toEqual(['sync', 'score']);
    expect(report).toEqual({
      status: 'failed',
      steps: {
        sync: { status: 'failed', error: 'Salesforce is down' },
        models: { status: 'skipped' },
        score: { status: 'complete', report: { status: 'complete', accounts: 3 } },
        alerts: { status: 'skipped' },
        writeback: { status: 'skipped' },
        optout_report: { status: 'skipped' },
        retention: { status: 'skipped' },
      },
    });
    const [daily] = await listRuns(db, { limit: 1, kind: 'daily' });
    expect(daily).toMatchObject({ status: 'complete', trigger: 'schedule', counts: { status: 'failed' } });
  });
});
