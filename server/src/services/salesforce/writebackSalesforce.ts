import { stringify } from 'csv-stringify/sync';
import { publishedSegmentsText } from '../../domain/segments/publishedNames';
import {
  abortIngestJob,
  ingestState,
  openIngestJob,
  rowsNotUpdated,
  uploadAndClose,
  waitForIngestJob,
} from '../../integrations/salesforce/bulkIngest';
import type { PollOptions } from '../../integrations/salesforce/bulkQuery';
import type { SalesforceClient } from '../../integrations/salesforce/client';
import { SCHEDULER, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { ApiBudget, isBudgetReached } from './apiBudget';
import {
  FIELDS,
  SCORED_AT_FIELD,
  SEGMENTS_FIELD,
  SEGMENTS_FIELD_LENGTH,
  WRITEBACK_ORDER,
  changedRowsSql,
  RECORD_WINDOW_SQL,
  type WritebackSObject,
} from './writebackTargets';

export interface WritebackSalesforceProps {
  db: Db;
  connect: (guard: ApiBudget['guard']) => Promise<SalesforceClient>;
  budgetPercent: number;
  now?: () => Date;
  /** Rows per update job (Bulk API 2.0 takes up to 150 MB per job). */
  rowsPerJob?: number;
  poll?: PollOptions;
  /** Who writes back (audit log); default: the schedule. */
  actor?: Actor;
}

export interface ObjectWriteback {
  sent: number;
  updated: number;
  failed: number;
}

export interface WritebackReport {
  status: 'complete' | 'paused';
  reason: string | null;
  objects: Record<string, ObjectWriteback>;
  /** Errors Salesforce gave, by status code, with a count. */
  errors: Record<string, number>;
  /** Jobs of an earlier, interrupted run that this run finished or aborted. */
  recoveredJobs: number;
  apiCalls: number;
}

type PendingRow = {
  id: string;
  field_values: Record<string, unknown>;
  as_of: string;
};

const DEFAULT_ROWS_PER_JOB = 200_000;
const DEFAULT_POLL: PollOptions = { pollIntervalMs: 2_000, pollTimeoutMs: 60 * 60_000 };

/**
 * Writes the current scores into the Signalfit fields of Account, Contact and Lead with Bulk API
 * 2.0 update jobs, only for rows whose values differ from what Salesforce last accepted. Rows it
 * refuses (validation rules, locked or deleted records) are recorded with its error and sent
 * again on the next run.
 *
 * Each job is recorded with its rows before its data is uploaded. A run that finds a recorded
 * job (the previous one was killed) finishes it: it aborts a job that was never closed (nothing
 * of it was applied) and reads the results of one that was, so no row is lost or sent twice.
 */
export async function writebackSalesforce(props: WritebackSalesforceProps): Promise<WritebackReport> {
  const now = props.now ?? (() => new Date());
  const budget = await ApiBudget.load(props.db, props.budgetPercent, now());
  const report: WritebackReport = {
    status: 'complete',
    reason: null,
    objects: {},
    errors: {},
    recoveredJobs: 0,
    apiCalls: 0,
  };
  for (const sobject of WRITEBACK_ORDER) report.objects[sobject] = { sent: 0, updated: 0, failed: 0 };
  const [started] = await props.db.query<{ now: Date }>('SELECT now() AS now');
  let client: SalesforceClient | null = null;
  try {
    client = await props.connect(budget.guard);
    report.recoveredJobs = await finishInterruptedJobs(props, client, report);
    for (const sobject of WRITEBACK_ORDER) await writeObject(props, client, sobject, started!.now, report);
  } catch (error) {
    if (!isBudgetReached(error)) throw error;
    report.status = 'paused';
    report.reason = error.message;
  } finally {
    if (client) {
      await budget.record(props.db, client.usage, now());
      report.apiCalls = client.usage.calls;
    }
    await auditWriteback(props, report);
  }
  return report;
}

/** The push's audit entry: rows sent and refused per object (none when nothing was sent). */
async function auditWriteback(props: WritebackSalesforceProps, report: WritebackReport): Promise<void> {
  const objects = Object.entries(report.objects);
  const sent = objects.reduce((n, [, o]) => n + o.sent, 0);
  if (sent === 0) return;
  const failed = objects.reduce((n, [, o]) => n + o.failed, 0);
  const counts: Record<string, number> = { sent, updated: sent - failed, failed };
  for (const [sobject, o] of objects) if (o.sent > 0) counts[`${sobject.toLowerCase()}_sent`] = o.sent;
  await recordAudit(props.db, props.actor ?? SCHEDULER, {
    action: 'salesforce.writeback',
    targetType: 'salesforce',
    summary: `wrote scores back to Salesforce: ${sent} rows sent, ${failed} refused${report.status === 'paused' ? ' (paused at the API budget)' : ''}`,
    counts,
  });
}

async function writeObject(
  props: WritebackSalesforceProps,
  client: SalesforceClient,
  sobject: WritebackSObject,
  runStarted: Date,
  report: WritebackReport,
): Promise<void> {
  const { db } = props;
  const limit = props.rowsPerJob ?? DEFAULT_ROWS_PER_JOB;
  // The object's records are walked in id order, a window of `limit` at a time (on the
  // (sobject, id) index), and each query looks only inside its window: a query over every row
  // after the last one sent cost 30 s a pass at 12 M people, which read millions of rows to
  // find the next 200,000. Records up to `after` are sent, refused or unchanged.
  let after = '';
  let walked = false;
  while (!walked) {
    const rows: PendingRow[] = [];
    while (rows.length < limit) {
      const [window] = await db.query<{ through: string | null }>(RECORD_WINDOW_SQL, [sobject, after, limit]);
      if (!window?.through) {
        walked = true;
        break;
      }
      const wanted = limit - rows.length;
      const changed = await db.query<PendingRow>(changedRowsSql(sobject), [
        sobject,
        wanted,
        runStarted,
        after,
        window.through,
      ]);
      for (const row of changed) rows.push(row);
      after = changed.length === wanted ? changed.at(-1)!.id : window.through;
    }
    if (rows.length === 0) return;
    const jobId = await openIngestJob(client.conn, sobject, 'update');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO salesforce_writeback_jobs (job_id, sobject) VALUES ($1, $2)', [
        jobId,
        sobject,
      ]);
      await tx.query(
        `INSERT INTO salesforce_writeback_rows (job_id, id, field_values)
         SELECT $1, id, field_values FROM unnest($2::text[], $3::jsonb[]) AS r (id, field_values)`,
        [jobId, rows.map((r) => r.id), rows.map((r) => JSON.stringify(r.field_values))],
      );
    });
    await uploadAndClose(client.conn, jobId, toUpdateCsv(sobject, rows));
    await reconcile(props, client, jobId, sobject, report);
  }
}

/** Finishes the jobs an interrupted run left recorded. */
async function finishInterruptedJobs(
  props: WritebackSalesforceProps,
  client: SalesforceClient,
  report: WritebackReport,
): Promise<number> {
  const jobs = await props.db.query<{ job_id: string; sobject: WritebackSObject }>(
    'SELECT job_id, sobject FROM salesforce_writeback_jobs ORDER BY created_at, job_id',
  );
  for (const job of jobs) {
    let state: string;
    try {
      state = await ingestState(client.conn, job.job_id);
    } catch (error) {
      // A job Salesforce no longer knows was never processed: its rows are simply sent again.
      if ((error as { errorCode?: string }).errorCode !== 'NOT_FOUND') throw error;
      state = 'Gone';
    }
    if (state === 'Open') await abortIngestJob(client.conn, job.job_id);
    if (state === 'Open' || state === 'Gone') {
      await props.db.query('DELETE FROM salesforce_writeback_jobs WHERE job_id = $1', [job.job_id]);
    } else {
      await reconcile(props, client, job.job_id, job.sobject, report);
    }
  }
  return jobs.length;
}

/**
 * Waits for the job, then in one transaction: the rows Salesforce took become "last written",
 * the ones it refused become failures (with its error), and the job is forgotten.
 */
async function reconcile(
  props: WritebackSalesforceProps,
  client: SalesforceClient,
  jobId: string,
  sobject: WritebackSObject,
  report: WritebackReport,
): Promise<void> {
  await waitForIngestJob(client.conn, jobId, props.poll ?? DEFAULT_POLL);
  const failures = await rowsNotUpdated(client.conn, jobId);
  await props.db.transaction(async (tx) => {
    const ids = failures.map((f) => f.id);
    const [sent] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM salesforce_writeback_rows WHERE job_id = $1',
      [jobId],
    );
    await tx.query(
      `INSERT INTO salesforce_written_values (sobject, id, field_values, written_at)
       SELECT $2, id, field_values, now() FROM salesforce_writeback_rows
       WHERE job_id = $1 AND NOT (id = ANY($3::text[]))
       ON CONFLICT (sobject, id) DO UPDATE SET field_values = EXCLUDED.field_values, written_at = now()`,
      [jobId, sobject, ids],
    );
    await tx.query(
      `DELETE FROM salesforce_writeback_failures f USING salesforce_writeback_rows r
       WHERE r.job_id = $1 AND f.sobject = $2 AND f.id = r.id AND NOT (r.id = ANY($3::text[]))`,
      [jobId, sobject, ids],
    );
    if (failures.length > 0) {
      await tx.query(
        `INSERT INTO salesforce_writeback_failures (sobject, id, error, attempts, failed_at)
         SELECT $1, id, error, 1, now() FROM unnest($2::text[], $3::text[]) AS f (id, error)
         ON CONFLICT (sobject, id) DO UPDATE SET error = EXCLUDED.error,
           attempts = salesforce_writeback_failures.attempts + 1, failed_at = now()`,
        [sobject, ids, failures.map((f) => f.error)],
      );
    }
    await tx.query('DELETE FROM salesforce_writeback_jobs WHERE job_id = $1', [jobId]);
    const counts = report.objects[sobject]!;
    counts.sent += sent?.n ?? 0;
    counts.failed += failures.length;
    counts.updated += (sent?.n ?? 0) - failures.length;
  });
  for (const failure of failures) {
    const code = failure.error.split(':', 1)[0] || 'UNKNOWN';
    report.errors[code] = (report.errors[code] ?? 0) + 1;
  }
}

/**
 * The update CSV: Id and the fields; `#N/A` clears a field (an empty cell would leave it as is),
 * so an account that left its last published segment has its segments cleared.
 */
export function toUpdateCsv(sobject: WritebackSObject, rows: readonly PendingRow[]): string {
  const fields = FIELDS[sobject];
  const header = ['Id', ...fields, ...(sobject === 'Account' ? [SCORED_AT_FIELD] : [])];
  const records = rows.map((row) => {
    const cells = [
      row.id,
      ...fields.map((f) =>
        cell(f === SEGMENTS_FIELD ? segmentsText(row.field_values[f]) : row.field_values[f]),
      ),
    ];
    if (sobject === 'Account') cells.push(`${row.as_of}T00:00:00.000Z`);
    return cells;
  });
  return stringify([header, ...records], { record_delimiter: '\n' });
}

/** The names held for the field (a JSON array, or nothing) as the text Salesforce shows. */
function segmentsText(names: unknown): string | null {
  if (names === undefined || names === null) return null;
  if (!Array.isArray(names))
    throw new Error(`${SEGMENTS_FIELD}: expected the names of segments, got ${JSON.stringify(names)}`);
  return publishedSegmentsText(names.map(String), SEGMENTS_FIELD_LENGTH);
}

function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '#N/A';
  return String(value);
}
