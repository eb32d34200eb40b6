import { nextRunAt } from '../../domain/orchestrations/schedule';
import type { Db } from '../../store/db';
import {
  RUN_SELECT,
  toRunView,
  type OrchestrationRecord,
  type RunRow,
  type RunView,
} from './orchestrationRecords';

/**
 * An orchestration as the API, the CLI and the app show it: the stored record, whether a run is
 * queued or running now, its newest run, and when the scheduler runs it next (null: manual).
 */
export interface OrchestrationView extends OrchestrationRecord {
  state: 'idle' | 'queued' | 'running';
  lastRun: RunView | null;
  nextRunAt: string | null;
}

/** The views of several orchestrations, their newest runs read in one query. */
export async function orchestrationViews(
  db: Db,
  records: readonly OrchestrationRecord[],
  now: Date,
): Promise<OrchestrationView[]> {
  if (records.length === 0) return [];
  const rows = await db.query<RunRow & { orchestration_id: string | number }>(
    `SELECT o.id AS orchestration_id, r.*
       FROM unnest($1::bigint[]) AS o (id)
       CROSS JOIN LATERAL (${RUN_SELECT} WHERE orchestration_id = o.id ORDER BY id DESC LIMIT 1) r`,
    [records.map((record) => record.id)],
  );
  const newest = new Map(rows.map((row) => [Number(row.orchestration_id), toRunView(row)]));
  return records.map((record) => {
    const lastRun = newest.get(record.id) ?? null;
    const state = lastRun?.state === 'queued' || lastRun?.state === 'running' ? lastRun.state : 'idle';
    return { ...record, state, lastRun, nextRunAt: nextRunAt(record.schedule, now)?.toISOString() ?? null };
  });
}

export async function orchestrationView(
  db: Db,
  record: OrchestrationRecord,
  now: Date,
): Promise<OrchestrationView> {
  const [view] = await orchestrationViews(db, [record], now);
  return view!;
}
