import { stringify } from 'csv-stringify/sync';
import {
  openIngestJob,
  rowsNotUpdated,
  uploadAndClose,
  waitForIngestJob,
} from '../../integrations/salesforce/bulkIngest';
import type { PollOptions } from '../../integrations/salesforce/bulkQuery';
import type { SalesforceClient } from '../../integrations/salesforce/client';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { FIELDS, SCORED_AT_FIELD, WRITEBACK_ORDER } from '../salesforce/writebackTargets';

/** Bulk API 2.0's CSV value that sets a field to null. */
const NULL_VALUE = '#N/A';
const ROWS_PER_JOB = 100_000;

export interface ClearReport {
  objects: Record<string, { sent: number; cleared: number; failed: number }>;
  errors: string[];
}

/**
 * Blanks the Signalfit fields of every record the write-back wrote (salesforce_written_values),
 * with Bulk API 2.0 update jobs (docs/offboarding.md "Salesforce clean-up"): before the fields
 * themselves are deleted, so no copy of a score lingers in field history or reports. A record
 * cleared is forgotten here; one Salesforce refused stays, and a rerun tries it again.
 */
export async function clearSalesforceFields(props: {
  db: Db;
  actor: Actor;
  connect: () => Promise<SalesforceClient>;
  poll?: PollOptions;
  rowsPerJob?: number;
}): Promise<ClearReport> {
  authorize(props.actor, 'offboarding.manage', "blanking Signalfit's Salesforce fields");
  const { db } = props;
  const poll = props.poll ?? { pollIntervalMs: 2_000, pollTimeoutMs: 60 * 60_000 };
  const report: ClearReport = { objects: {}, errors: [] };
  const client = await props.connect();
  for (const sobject of WRITEBACK_ORDER) {
    const counts = (report.objects[sobject] = { sent: 0, cleared: 0, failed: 0 });
    let after = '';
    for (;;) {
      const rows = await db.query<{ id: string }>(
        'SELECT id FROM salesforce_written_values WHERE sobject = $1 AND id > $2 ORDER BY id LIMIT $3',
        [sobject, after, props.rowsPerJob ?? ROWS_PER_JOB],
      );
      if (rows.length === 0) break;
      after = rows.at(-1)!.id;
      const fields = [...FIELDS[sobject], ...(sobject === 'Account' ? [SCORED_AT_FIELD] : [])];
      const csv = stringify([['Id', ...fields], ...rows.map((r) => [r.id, ...fields.map(() => NULL_VALUE)])]);
      const jobId = await openIngestJob(client.conn, sobject, 'update');
      await uploadAndClose(client.conn, jobId, csv);
      const info = await waitForIngestJob(client.conn, jobId, poll);
      if (info.errorMessage) report.errors.push(`${sobject} job ${jobId}: ${info.errorMessage}`);
      const refused = new Set((await rowsNotUpdated(client.conn, jobId)).map((f) => f.id));
      const cleared = rows.map((r) => r.id).filter((id) => !refused.has(id));
      await db.run('DELETE FROM salesforce_written_values WHERE sobject = $1 AND id = ANY ($2::text[])', [
        sobject,
        cleared,
      ]);
      counts.sent += rows.length;
      counts.cleared += cleared.length;
      counts.failed += refused.size;
    }
  }
  const counts: Record<string, number> = {};
  for (const [sobject, c] of Object.entries(report.objects)) counts[sobject] = c.cleared;
  await recordAudit(db, props.actor, {
    action: 'salesforce.clear_fields',
    targetType: 'salesforce',
    summary: 'blanked the Signalfit fields in Salesforce before the package is removed',
    counts,
  });
  return report;
}
