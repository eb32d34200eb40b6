import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../../store/db';

/**
 * Who holds a running orchestration run, and whether it is still alive (docs/orchestration-runs.md
 * "Crash safety"). The holder renews the run's heartbeat every HEARTBEAT_MS; a run is dead when
 * its heartbeat is older than DEAD_AFTER_MS, or at once when its holder is a process of this
 * machine that no longer exists. A dead run is marked `interrupted` by the next run of its
 * orchestration, which takes over its unfinished work.
 */
export const HEARTBEAT_MS = 10_000;
export const DEAD_AFTER_MS = 30_000;

/** `<hostname>:<pid>:<random>`: the random part tells two lives of one pid apart. */
export function newHolder(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** True when `pid` is a process of this machine (EPERM: it exists, owned by someone else). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a running run with this holder and heartbeat is dead at `now`. */
export function isDead(holder: string | null, heartbeatAt: Date | null, now: Date): boolean {
  if (holder === null || heartbeatAt === null) return true;
  if (now.getTime() - heartbeatAt.getTime() > DEAD_AFTER_MS) return true;
  const [host, pid] = holder.split(':');
  if (host !== hostname()) return false;
  const id = Number(pid);
  return Number.isInteger(id) && id > 0 && !processAlive(id);
}

interface RunningRow {
  id: string;
  holder: string | null;
  heartbeat_at: Date | string | null;
  [column: string]: unknown;
}

/**
 * Marks the orchestration's dead running runs `interrupted` (in `tx`, which holds the
 * orchestration's row lock); returns the ids of the live ones still running.
 */
export async function interruptDeadRuns(tx: Db, orchestrationId: number, now: Date): Promise<number[]> {
  const running = await tx.query<RunningRow>(
    `SELECT id, holder, heartbeat_at FROM orchestration_runs WHERE orchestration_id = $1 AND state = 'running'`,
    [orchestrationId],
  );
  const live: number[] = [];
  const dead: number[] = [];
  for (const row of running) {
    const beat = row.heartbeat_at === null ? null : new Date(row.heartbeat_at);
    (isDead(row.holder, beat, now) ? dead : live).push(Number(row.id));
  }
  if (dead.length > 0) {
    await tx.run(
      `UPDATE orchestration_runs SET state = 'interrupted', finished_at = $2,
              message = 'the process running it stopped (its heartbeat ended); the next run took over its work'
        WHERE id = ANY($1::bigint[]) AND state = 'running'`,
      [dead, now],
    );
  }
  return live;
}

/**
 * Renews the run's heartbeat every `intervalMs` while the run works. When the run is no longer
 * this holder's (taken over after a long stall), `lost` turns true and the run stops at its next step.
 */
export function startHeartbeat(
  db: Db,
  runId: number,
  holder: string,
  now: () => Date,
  intervalMs = HEARTBEAT_MS,
): { lost: () => boolean; stop: () => Promise<void> } {
  let lost = false;
  let pending: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    pending = db
      .run(
        `UPDATE orchestration_runs SET heartbeat_at = $3 WHERE id = $1 AND holder = $2 AND state = 'running'`,
        [runId, holder, now()],
      )
      .then(
        (changed) => {
          if (changed === 0) lost = true;
        },
        () => undefined, // a store hiccup: the next beat tries again
      );
  }, intervalMs);
  timer.unref();
  return {
    lost: () => lost,
    async stop() {
      clearInterval(timer);
      await pending;
    },
  };
}
