import { stringify } from 'csv-stringify/sync';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { spreadsheetSafeCsv } from '../csv/spreadsheetSafe';
import { allAudit, type AuditFilters, type AuditView } from './listAudit';

/** The columns of the audit log's CSV export (docs/audit-log.md). */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actor',
  'actor_kind',
  'action',
  'target_type',
  'target_id',
  'summary',
  'counts',
] as const;

// A name, an email or a summary starting with `=` stays text in a spreadsheet.
const CSV_OPTIONS = spreadsheetSafeCsv();

function csvRecord(entry: AuditView): unknown[] {
  return [
    entry.id,
    entry.at,
    entry.actor,
    entry.actorKind,
    entry.action,
    entry.targetType,
    entry.targetId,
    entry.summary,
    JSON.stringify(entry.counts),
  ];
}

/**
 * The filtered audit log as CSV, newest first, in pieces (the header first, then one piece per
 * page of entries), so the route streams it and a large log never sits whole in memory.
 */
export async function* auditCsv(db: Db, actor: Actor, filters: AuditFilters): AsyncGenerator<string> {
  authorize(actor, 'audit.view', 'exporting the audit log');
  yield stringify([[...AUDIT_CSV_COLUMNS]], CSV_OPTIONS);
  for await (const entries of allAudit(db, actor, filters)) {
    yield stringify(entries.map(csvRecord), CSV_OPTIONS);
  }
}
