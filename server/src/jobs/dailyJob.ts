import type { Db } from '../store/db';
import { recordRun } from './runs';

/** One step of the daily job; resolves to what it reports (recorded in the run's counts). */
export type DailyStep = () => Promise<{ status?: string } & object>;

export interface DailyJobProps {
  db: Db;
  sync: DailyStep | null;
  score: DailyStep | null;
  writeback: DailyStep | null;
}

export interface DailyReport {
  status: 'complete' | 'failed';
  steps: Record<string, { status: string; error?: string; report?: unknown }>;
}

/**
 * Sync → score → write-back, recorded as one `daily` run (each step also records its own run).
 * A step that fails does not stop the next: scoring what is already stored and writing those
 * scores back are still right when today's pull failed. A step not configured is skipped.
 */
export async function runDailyJob(props: DailyJobProps): Promise<DailyReport> {
  return recordRun(props.db, 'daily', 'schedule', async () => {
    const report: DailyReport = { status: 'complete', steps: {} };
    for (const [name, step] of [
      ['sync', props.sync],
      ['score', props.score],
      ['writeback', props.writeback],
    ] as const) {
      if (!step) {
        report.steps[name] = { status: 'skipped' };
        continue;
      }
      try {
        const result = await step();
        report.steps[name] = { status: result.status ?? 'complete', report: result };
      } catch (error) {
        report.status = 'failed';
        report.steps[name] = {
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
        };
      }
    }
    return report;
  });
}
