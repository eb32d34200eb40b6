import { stringify } from 'csv-stringify/sync';
import type { RecordOutcome } from '../../domain/orchestrations/vocabulary';
import { AppError } from '../../errors';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { spreadsheetSafeCsv } from '../csv/spreadsheetSafe';
import {
  RUN_SELECT,
  toRunView,
  type OrchestrationRecord,
  type RunRow,
  type RunView,
} from './orchestrationRecords';

/** One record of a run as the API, the CLI and the records file show it. */
export interface RecordView {
  provider_id: string | null;
  person_id: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  account_id: string | null;
  account_name: string | null;
  outcome: RecordOutcome;
  reason: string | null;
  error: string | null;
  target_id: string | null;
}

export const RECORD_COLUMNS = [
  'provider_id',
  'person_id',
  'email',
  'first_name',
  'last_name',
  'title',
  'account_id',
  'account_name',
  'outcome',
  'reason',
  'error',
  'target_id',
] as const;

/** The orchestration's runs, newest first. */
export async function listRuns(db: Db, orchestration: OrchestrationRecord, actor: Actor): Promise<RunView[]> {
  authorize(actor, 'orchestrations.view', 'viewing orchestration runs');
  const rows = await db.query<RunRow>(`${RUN_SELECT} WHERE orchestration_id = $1 ORDER BY id DESC`, [
    orchestration.id,
  ]);
  return rows.map(toRunView);
}

/** One run of the orchestration and its records (optionally of one outcome), in the order written. */
export async function runDetail(props: {
  db: Db;
  orchestration: OrchestrationRecord;
  runId: number;
  actor: Actor;
  outcome?: RecordOutcome;
}): Promise<{ run: RunView; records: RecordView[] }> {
  const { db, orchestration, runId } = props;
  authorize(props.actor, 'orchestrations.view', 'viewing orchestration runs');
  const [row] = await db.query<RunRow>(`${RUN_SELECT} WHERE id = $1 AND orchestration_id = $2`, [
    runId,
    orchestration.id,
  ]);
  if (!row) {
    throw new AppError(
      'not_found',
      `orchestration "${orchestration.name}" has no run ${runId}: see signalfit orchestrations history "${orchestration.name}"`,
    );
  }
  const records = await db.query<RecordView & Record<string, unknown>>(
    `SELECT r.provider_contact_id AS provider_id, r.person_id, r.email, r.first_name, r.last_name, r.title,
            r.account_id, a.name AS account_name, r.outcome, r.reason, r.error, r.target_id
       FROM orchestration_records r LEFT JOIN accounts a ON a.id = r.account_id
      WHERE r.run_id = $1 AND ($2::text IS NULL OR r.outcome = $2)
      ORDER BY r.id`,
    [runId, props.outcome ?? null],
  );
  return { run: toRunView(row), records };
}

/** The records file of a run (also the CSV target's download). */
export function recordsCsv(records: readonly RecordView[]): string {
  return stringify(records as unknown as Record<string, unknown>[], {
    ...spreadsheetSafeCsv(),
    header: true,
    columns: [...RECORD_COLUMNS],
  });
}
