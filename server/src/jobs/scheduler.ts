import type { Db } from '../store/db';
import type { CronSchedule } from './cron';
import { newHolder } from './lease';

export interface SchedulerProps {
  db: Db;
  /** Name of the job: its slots are claimed under it. */
  name: string;
  schedule: CronSchedule;
  run: () => Promise<unknown>;
  onError?: (error: unknown) => void;
  now?: () => Date;
  holder?: string;
}

export interface Scheduler {
  /** The next slot it waits for. */
  readonly nextSlot: Date;
  /** Stops waiting; resolves once a run under way has finished. */
  stop(): Promise<void>;
}

/** Timers longer than this are split (setTimeout holds at most about 24.8 days). */
const MAX_WAIT_MS = 60 * 60_000;

/**
 * Runs `run` at every slot of the schedule, once across every instance sharing the store: at
 * the slot, each instance tries to insert (name, slot) into job_slots, and only the one whose
 * insert lands runs it. Slots missed while no instance was up are not made up for.
 */
export function startScheduler(props: SchedulerProps): Scheduler {
  const now = props.now ?? (() => new Date());
  const holder = props.holder ?? newHolder();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let slot = props.schedule.next(now());

  const wait = () => {
    if (stopped) return;
    const ms = slot.getTime() - now().getTime();
    timer = setTimeout(
      () => {
        if (now() < slot) return wait();
        running = fire(slot).finally(() => {
          slot = props.schedule.next(now() > slot ? now() : slot);
          wait();
        });
      },
      Math.max(0, Math.min(ms, MAX_WAIT_MS)),
    );
    timer.unref();
  };

  const fire = async (at: Date) => {
    try {
      if (await claimSlot(props.db, props.name, at, holder)) await props.run();
    } catch (error) {
      props.onError?.(error);
    }
  };

  wait();
  return {
    get nextSlot() {
      return slot;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
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
