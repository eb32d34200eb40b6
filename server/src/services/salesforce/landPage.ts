import { IMPORT_FORMATS } from '../import/formats';
import {
  REJECTS_TABLE,
  STAGE_TABLE,
  createStagingSql,
  insertNewSql,
  rejectDuplicatesSql,
  updateChangedSql,
} from '../import/stagingSql';
import type { FieldMapping } from '../../integrations/salesforce/fieldMapping';
import type { MappedRecord, SyncObject } from '../../integrations/salesforce/syncObjects';
import type { Db } from '../../store/db';

export interface PageCounts {
  read: number;
  inserted: number;
  updated: number;
  deleted: number;
  rejected: number;
  ignored: number;
  /** Accounts whose CRM fields (owner, type, mapped fields) are new or changed. */
  crmChanged: number;
}

export function emptyCounts(): PageCounts {
  return { read: 0, inserted: 0, updated: 0, deleted: 0, rejected: 0, ignored: 0, crmChanged: 0 };
}

/**
 * Lands one page of Bulk API results in the canonical tables, inside the caller's transaction
 * (which also moves the sync's checkpoint, so a page lands once or not at all). The rows go the
 * way of the canonical import: its field rules check and convert the cells, then they are
 * staged with COPY and upserted by id with the import's own SQL (new rows inserted, changed
 * rows updated, unchanged rows left alone). Deleted records are removed.
 */
export async function landPage(props: {
  tx: Db;
  object: SyncObject;
  mapping: FieldMapping;
  rows: readonly Record<string, string>[];
}): Promise<PageCounts> {
  const { tx, object } = props;
  const format = IMPORT_FORMATS[object.entity];
  const counts = emptyCounts();
  counts.read = props.rows.length;

  const deleted: string[] = [];
  const mapped: MappedRecord[] = [];
  for (const row of props.rows) {
    if (row.IsDeleted === 'true') {
      if (row.Id) deleted.push(row.Id);
      continue;
    }
    const record = object.map(row, props.mapping);
    if (record) mapped.push(record);
    else counts.ignored += 1;
  }
  await attachAccounts(tx, mapped);

  const columnIndex = format.columns.map((_, i) => i);
  const rejects: { id: string; reason: string }[] = [];
  const staged: string[] = [];
  const stagedIds: string[] = [];
  const stagedCrmFields: (Record<string, string> | null)[] = [];
  for (const record of mapped) {
    const result = format.stageRow(
      format.columns.map((c) => record.cells[c] ?? ''),
      columnIndex,
    );
    if (typeof result !== 'string') {
      rejects.push({ id: record.id, reason: result.reason });
      continue;
    }
    staged.push(`${stagedIds.length + 1},${result}\n`);
    stagedIds.push(record.id);
    stagedCrmFields.push(record.crmFields ?? null);
  }

  await tx.exec(`SET LOCAL TIME ZONE 'UTC'; ${createStagingSql(format)}`);
  if (staged.length > 0) {
    await tx.copyCsv(STAGE_TABLE, ['line', ...format.columns], staged.join(''));
    if (format.referencesAccount) await tx.query(rejectUnknownAccountSql);
    await tx.query(rejectDuplicatesSql(format));
    counts.inserted = await tx.run(insertNewSql(format));
    counts.updated = await tx.run(updateChangedSql(format, format.columns)!);
    const refused = await tx.query<{ line: number; reason: string }>(
      `SELECT line, reason FROM ${REJECTS_TABLE}`,
    );
    for (const r of refused) rejects.push({ id: stagedIds[r.line - 1]!, reason: r.reason });
    const converted = mapped.filter((r) => r.converted).map((r) => r.id);
    await tx.query(
      `INSERT INTO salesforce_records (id, sobject, converted)
       SELECT s.id, $1, s.id = ANY($2::text[]) FROM ${STAGE_TABLE} s
       WHERE NOT EXISTS (SELECT 1 FROM ${REJECTS_TABLE} r WHERE r.line = s.line)
       ON CONFLICT (id) DO UPDATE SET sobject = EXCLUDED.sobject, converted = EXCLUDED.converted`,
      [object.sobject, converted],
    );
    if (object.entity === 'accounts') counts.crmChanged = await landCrmFields(tx, stagedCrmFields);
    await tx.query(
      `DELETE FROM salesforce_sync_rejects j USING ${STAGE_TABLE} s
       WHERE j.sobject = $1 AND j.id = s.id AND NOT EXISTS (SELECT 1 FROM ${REJECTS_TABLE} r WHERE r.line = s.line)`,
      [object.sobject],
    );
  }
  counts.rejected = rejects.length;
  if (rejects.length > 0) {
    await tx.query(
      `INSERT INTO salesforce_sync_rejects (sobject, id, reason)
       SELECT $1, id, reason FROM unnest($2::text[], $3::text[]) AS r (id, reason)
       ON CONFLICT (sobject, id) DO UPDATE SET reason = EXCLUDED.reason, seen_at = now()`,
      [object.sobject, rejects.map((r) => r.id), rejects.map((r) => r.reason)],
    );
  }
  if (deleted.length > 0) counts.deleted = await deleteRecords(tx, object, deleted);
  return counts;
}

const rejectUnknownAccountSql = `
  INSERT INTO ${REJECTS_TABLE} (line, column_name, reason)
  SELECT s.line, 'account_id', 'account_id "' || s.account_id || '" names no synced account'
  FROM ${STAGE_TABLE} s
  WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = s.account_id)
  ON CONFLICT (line) DO NOTHING`;

/**
 * Keeps the CRM fields (owner, type, mapped custom fields) of the accounts of this page that
 * landed, replacing what an earlier sync kept when they differ (`synced_at`: when these values
 * landed); a rejected row keeps nothing new. `byLine[i]` belongs to staged line i + 1. Returns
 * how many accounts' fields are new or changed: a change of owner or type alone leaves the
 * canonical account as it was, yet moves CRM segments.
 */
async function landCrmFields(tx: Db, byLine: readonly (Record<string, string> | null)[]): Promise<number> {
  return tx.run(
    `INSERT INTO account_crm_fields (account_id, field_values, synced_at)
     SELECT s.id, v.field_values, now()
     FROM unnest($1::jsonb[]) WITH ORDINALITY AS v (field_values, line)
     JOIN ${STAGE_TABLE} s ON s.line = v.line
     WHERE v.field_values IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ${REJECTS_TABLE} r WHERE r.line = s.line)
     ON CONFLICT (account_id) DO UPDATE SET field_values = EXCLUDED.field_values, synced_at = now()
     WHERE account_crm_fields.field_values IS DISTINCT FROM EXCLUDED.field_values`,
    [byLine.map((v) => (v ? JSON.stringify(v) : null))],
  );
}

/**
 * Fills in the account of records that name none: a person by the account whose domain is
 * their e-mail's (the lowest id when several share it), an activity by its person's account.
 */
async function attachAccounts(tx: Db, records: MappedRecord[]): Promise<void> {
  const domains = new Set<string>();
  const people = new Set<string>();
  for (const r of records) {
    if (!r.accountFrom) continue;
    if ('emailDomain' in r.accountFrom) domains.add(r.accountFrom.emailDomain);
    else people.add(r.accountFrom.personId);
  }
  const byDomain = new Map<string, string>();
  if (domains.size > 0) {
    const rows = await tx.query<{ domain: string; id: string }>(
      'SELECT domain, min(id) AS id FROM accounts WHERE domain = ANY($1::text[]) GROUP BY domain',
      [[...domains]],
    );
    for (const row of rows) byDomain.set(row.domain, row.id);
  }
  const byPerson = new Map<string, string>();
  if (people.size > 0) {
    const rows = await tx.query<{ id: string; account_id: string }>(
      'SELECT id, account_id FROM contacts WHERE id = ANY($1::text[])',
      [[...people]],
    );
    for (const row of rows) byPerson.set(row.id, row.account_id);
  }
  for (const r of records) {
    if (!r.accountFrom) continue;
    const found =
      'emailDomain' in r.accountFrom
        ? byDomain.get(r.accountFrom.emailDomain)
        : byPerson.get(r.accountFrom.personId);
    if (found) r.cells.account_id = found;
  }
}

/** Removes records deleted in Salesforce, with what hangs off them here; returns how many were held. */
async function deleteRecords(tx: Db, object: SyncObject, ids: string[]): Promise<number> {
  const table = object.entity;
  if (table === 'accounts') {
    // Contacts and opportunities go with their account (ON DELETE CASCADE); activities have no key.
    await tx.query('DELETE FROM activities WHERE account_id = ANY($1::text[])', [ids]);
    await tx.query('DELETE FROM account_crm_fields WHERE account_id = ANY($1::text[])', [ids]);
  }
  const removed = await tx.run(`DELETE FROM ${table} WHERE id = ANY($1::text[])`, [ids]);
  await tx.query('DELETE FROM salesforce_records WHERE id = ANY($1::text[])', [ids]);
  await tx.query('DELETE FROM salesforce_written_values WHERE id = ANY($1::text[])', [ids]);
  await tx.query('DELETE FROM salesforce_sync_rejects WHERE sobject = $1 AND id = ANY($2::text[])', [
    object.sobject,
    ids,
  ]);
  return removed;
}
