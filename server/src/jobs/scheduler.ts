import { AppError, isAppError } from '../errors';
import type { Db } from '../store/db';
import type { CronSchedule } from './cron';
import { acquireLease, newHolder, type Lease } from './lease';

/** What a scheduled run gets: its lease (fence its writes with it) and the signal that stops it. */
export interface ScheduledRun {
  slot: Date;
  /** 1 for the slot's run, 2 for the one retry of a run whose holder died. */
  attempt: number;
  lease: Lease;
  signal: AbortSignal;
}

export interface SchedulerProps {
  db: Db;
  /** Name of the job: its slots are claimed under it, its runs hold the lease `schedule:<name>`. */
  name: string;
  schedule: CronSchedule;
  run: (job: ScheduledRun) => Promise<unknown>;
  onError?: (error: unknown) => void;
  /** Told when a slot whose run died is run again. */
  onRetry?: (slot: Date) => void;
  now?: () => Date;
  holder?: string;
  /** The run's lease lasts this long without a renewal (default 2 minutes). */
  leaseTtlMs?: number;
  /** How often to look for a slot whose run died (default: the lease's time). */
  retryCheckMs?: number;
}

export interface Scheduler {
  /** The next slot it waits for. */
  readonly nextSlot: Date;
  /**
   * Stops waiting. A run under way gets `graceMs` (default: no limit) to finish, then is aborted;
   * its slot stays unfinished, so an instance (this one restarted, or another) runs it again.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Timers longer than this are split (setTimeout holds at most about 24.8 days). */
const MAX_WAIT_MS = 60 * 60_000;

/**
 * Runs `run` at every slot of the schedule, once across every instance sharing the store: at
 * the slot, each instance tries to insert (name, slot) into job_slots, and only the one whose
 * insert lands runs it, holding the lease `schedule:<name>` so that runs never overlap. The slot
 * is marked finished when its run ends (fenced by that lease). A slot whose run died (its holder
 * stopped renewing the lease, or was aborted at shutdown) is run once more by whichever instance
 * notices first; a second death is not retried. Slots missed while no instance was up are not
 * made up for.
 */
export function startScheduler(props: SchedulerProps): Scheduler {
  const now = props.now ?? (() => new Date());
  const holder = props.holder ?? newHolder();
  const leaseName = `schedule:${props.name}`;
  const ttlMs = props.leaseTtlMs ?? 120_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const stopping = new AbortController();
  let slot = props.schedule.next(now());

  /** Runs one job at a time in this instance: the slot's own run and a retry never overlap here. */
  const serially = (work: () => Promise<void>) => {
    const next = running.then(work).catch((error: unknown) => props.onError?.(error));
    running = next;
    return next;
  };

  const wait = () => {
    if (stopped) return;
    const ms = slot.getTime() - now().getTime();
    timer = setTimeout(
      () => {
        if (now() < slot) return wait();
        const at = slot;
        void serially(() => runSlot(at)).finally(() => {
          slot = props.schedule.next(now() > at ? now() : at);
          wait();
        });
      },
      Math.max(0, Math.min(ms, MAX_WAIT_MS)),
    );
    timer.unref();
  };

  const checkRetries = () => {
    if (stopped) return;
    retryTimer = setTimeout(() => {
      void serially(retryDiedSlot).finally(checkRetries);
    }, props.retryCheckMs ?? ttlMs);
    retryTimer.unref();
  };

  const execute = async (at: Date, attempt: number, lease: Lease) => {
    const signal = AbortSignal.any([lease.signal, stopping.signal]);
    try {
      await props.run({ slot: at, attempt, lease, signal });
    } catch (error) {
      // Aborted (lease lost, shutdown): the slot stays unfinished for its one retry.
      if (signal.aborted) throw error;
      props.onError?.(error);
    }
    await finishSlot(props.db, props.name, at, lease);
  };

  const runSlot = async (at: Date) => {
    if (!(await claimSlot(props.db, props.name, at, holder))) return;
    // Wait for a retry still under way; if this instance dies here, the slot is retried.
    const lease = await acquireLease(props.db, leaseName, {
      holder,
      ttlMs,
      waitMs: Number.MAX_SAFE_INTEGER,
      signal: stopping.signal,
    });
    try {
      const [mine] = await props.db.query(
        'SELECT 1 FROM job_slots WHERE name = $1 AND slot = $2 AND holder = $3 AND finished_at IS NULL',
        [props.name, at.toISOString(), holder],
      );
      if (mine) await execute(at, 1, lease);
    } finally {
      await lease.release();
    }
  };

  const retryDiedSlot = async () => {
    const [latest] = await props.db.query<{ slot: Date; attempts: number; finished_at: Date | null }>(
      'SELECT slot, attempts, finished_at FROM job_slots WHERE name = $1 ORDER BY slot DESC LIMIT 1',
      [props.name],
    );
    if (!latest || latest.finished_at || latest.attempts >= 2) return;
    let lease: Lease;
    try {
      lease = await acquireLease(props.db, leaseName, { holder, ttlMs });
    } catch (error) {
      if (isAppError(error) && error.code === 'conflict') return; // its run is alive
      throw error;
    }
    try {
      // A slot claimed a moment ago may not hold the lease yet: a lease's time without it means its holder died.
      const retried = await props.db.transaction(async (tx) => {
        await lease.fence(tx);
        return tx.query(
          `UPDATE job_slots SET attempts = attempts + 1, holder = $3
           WHERE name = $1 AND slot = $2 AND finished_at IS NULL AND attempts < 2
             AND claimed_at < now() - $4 * interval '1 millisecond'
           RETURNING 1`,
          [props.name, latest.slot.toISOString(), holder, ttlMs],
        );
      });
      if (retried.length === 0) return;
      props.onRetry?.(latest.slot);
      await execute(latest.slot, 2, lease);
    } finally {
      await lease.release();
    }
  };

  wait();
  void serially(retryDiedSlot); // at start-up: a slot this or another instance was running when it died
  checkRetries();
  return {
    get nextSlot() {
      return slot;
    },
    async stop(graceMs) {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(retryTimer);
      if (graceMs === undefined) return running;
      const settledWithin = async (ms: number) => {
        let limit: NodeJS.Timeout | undefined;
        const settled = await Promise.race([
          running.then(() => true),
          new Promise<false>((resolve) => (limit = setTimeout(() => resolve(false), ms))),
        ]);
        clearTimeout(limit);
        return settled;
      };
      if (await settledWithin(graceMs)) return;
      stopping.abort(
        new AppError(
          'conflict',
          `${props.name}: stopped at shutdown after ${graceMs} ms; a rerun completes it`,
        ),
      );
      // A step deaf to the signal (a long query) is not waited for past a second grace period.
      if (!(await settledWithin(graceMs))) {
        props.onError?.(
          new AppError('conflict', `${props.name}: still running ${graceMs} ms after it was aborted`),
        );
      }
    },
  };
}

/** Whether this holder won the slot (the first insert of it). */
export async function claimSlot(db: Db, name: string, slot: Date, holder: string): Promise<boolean> {
  const rows = await db.query(
    'INSERT INTO job_slots (name, slot, holder) VALUES ($1, $2, $3) ON CONFLICT (name, slot) DO NOTHING RETURNING holder',
    [name, slot.toISOString(), holder],
  );
  return rows.length === 1;
}

/** Marks the slot's run ended, only while the run still holds its lease. */
async function finishSlot(db: Db, name: string, slot: Date, lease: Lease): Promise<void> {
  await db.transaction(async (tx) => {
    await lease.fence(tx);
    await tx.query('UPDATE job_slots SET finished_at = now() WHERE name = $1 AND slot = $2', [
      name,
      slot.toISOString(),
    ]);
  });
}
