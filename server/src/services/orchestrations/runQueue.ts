import type { RunView } from './orchestrationRecords';
import type { RunDeps } from './runContext';
import { executeRun } from './runOrchestration';

/**
 * The serve process's run worker (docs/orchestration-runs.md "Runs"): it looks for queued runs
 * every `pollMs` and when woken (a run requested over HTTP, a slot of the scheduler), and
 * executes them, one run per orchestration at a time (runs of different orchestrations go side
 * by side). A run another instance claimed first, or whose orchestration has a live run
 * elsewhere, is left for a later round.
 */
export interface RunWorker {
  /** Look for queued runs now. */
  wake(): void;
  /** Stops looking; the runs under way get `graceMs` to finish (a run cut off is taken over by the next). */
  stop(graceMs?: number): Promise<void>;
}

export const RUN_POLL_MS = 3000;

export function startRunWorker(props: {
  deps: RunDeps;
  pollMs?: number;
  onRun?: (run: RunView) => void;
  onError?: (error: unknown) => void;
}): RunWorker {
  const { deps } = props;
  const active = new Map<number, Promise<void>>();
  let stopped = false;
  let looking: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const look = async () => {
    const queued = await deps.db.query<{ id: string; orchestration_id: string }>(
      `SELECT id, orchestration_id FROM orchestration_runs WHERE state = 'queued' ORDER BY id`,
    );
    for (const row of queued) {
      const orchestrationId = Number(row.orchestration_id);
      if (stopped || active.has(orchestrationId)) continue;
      const work = executeRun(deps, Number(row.id))
        .then((run) => {
          if (run) props.onRun?.(run);
        })
        .catch((error: unknown) => props.onError?.(error))
        .finally(() => {
          active.delete(orchestrationId);
          // The orchestration may have another run queued behind this one.
          if (!stopped) wake();
        });
      active.set(orchestrationId, work);
    }
  };

  const wake = () => {
    if (stopped) return;
    if (looking) {
      again = true;
      return;
    }
    looking = look()
      .catch((error: unknown) => props.onError?.(error))
      .finally(() => {
        looking = null;
        if (again) {
          again = false;
          wake();
        }
      });
  };

  const tick = () => {
    timer = setTimeout(() => {
      wake();
      if (!stopped) tick();
    }, props.pollMs ?? RUN_POLL_MS);
    timer.unref();
  };
  tick();
  wake();

  return {
    wake,
    async stop(graceMs?: number) {
      stopped = true;
      clearTimeout(timer);
      const all = Promise.all([looking, ...active.values()]).then(() => undefined);
      if (graceMs === undefined) return all;
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
