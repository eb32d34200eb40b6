import type { Db } from '../store/db';
import { recordRun, type Fence } from './runs';

/**
 * One step of the daily job; resolves to what it reports (recorded in the run's counts). It
 * stops when `signal` aborts (the job's lease was lost, or the service is shutting down).
 */
export type DailyStep = (signal: AbortSignal) => Promise<{ status?: string } & object>;

export interface DailyJobProps {
  db: Db;
  sync: DailyStep | null;
  /** The model lifecycle before scoring: a due roll-out, a due retraining, the notices (services/models/rollout.ts). */
  models?: DailyStep | null;
  score: DailyStep | null;
  /** Sends the alerts of the current run and the daily digests due (after the score step). */
  alerts?: DailyStep | null;
  writeback: DailyStep | null;
  /** Delivers the weekly opt-out report when a week's is due (services/optouts/weeklyOptOutReport.ts). */
  optOutReport?: DailyStep | null;
  /** Deletes what the retention settings no longer keep (docs/retention.md), last. */
  retention?: DailyStep | null;
  /** Aborts the job: no further step starts, and the run is recorded failed. */
  signal?: AbortSignal;
  /** The schedule lease's fence: the run is recorded only while the job holds it. */
  fence?: Fence;
}

export interface DailyReport {
  status: 'complete' | 'failed';
  steps: Record<string, { status: string; error?: string; report?: unknown }>;
}

/**
 * Sync → models → score → alerts → write-back → weekly opt-out report → retention, recorded as one `daily` run (each step also records its own run).
 * A step that fails does not stop the next: scoring what is already stored and writing those
 * scores back are still right when today's pull failed. A step not configured is skipped. An
 * abort does stop it: the job throws the abort's reason, leaving the rest to a rerun.
 */
export async function runDailyJob(props: DailyJobProps): Promise<DailyReport> {
  const signal = props.signal ?? new AbortController().signal;
  return recordRun(
    props.db,
    'daily',
    'schedule',
    async () => {
      const report: DailyReport = { status: 'complete', steps: {} };
      for (const [name, step] of [
        ['sync', props.sync],
        ['models', props.models ?? null],
        ['score', props.score],
        ['alerts', props.alerts ?? null],
        ['writeback', props.writeback],
        ['optout_report', props.optOutReport ?? null],
        ['retention', props.retention ?? null],
      ] as const) {
        signal.throwIfAborted();
        if (!step) {
          report.steps[name] = { status: 'skipped' };
          continue;
        }
        try {
          const result = await step(signal);
          report.steps[name] = { status: result.status ?? 'complete', report: result };
        } catch (error) {
          signal.throwIfAborted();
          report.status = 'failed';
          report.steps[name] = {
            status: 'failed',
            error: error instanceof Error ? error.message : String(error),
          };
        }
      }
      signal.throwIfAborted();
      return report;
    },
    props.fence,
  );
}
