import { stringify } from 'csv-stringify/sync';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { spreadsheetSafeCsv } from '../csv/spreadsheetSafe';
import { ENTRY_COLUMNS, entryOf } from './optOutList';

/** The export's columns: one of email and domain is filled per row; `optouts import` reads them back. */
export const EXPORT_COLUMNS = ['email', 'domain', 'source', 'reason', 'created_at', 'created_by'] as const;

/**
 * The whole list as CSV (docs/opt-outs.md "CSV"), addresses then domains, each in code-unit
 * order. Cells a spreadsheet would run as a formula get a leading `'` (services/csv); the import
 * takes that guard off again, so an exported file imports back unchanged (created_at and
 * created_by are then the import's: the list records who added an entry to it).
 */
export async function exportOptOuts(props: {
  db: Db;
  actor: Actor;
}): Promise<{ csv: string; entries: number }> {
  authorize(props.actor, 'optouts.manage', 'viewing the opt-out list');
  const rows = (
    await props.db.query<Parameters<typeof entryOf>[0]>(
      `SELECT ${ENTRY_COLUMNS} FROM opt_outs ORDER BY kind DESC, value COLLATE "C"`,
    )
  ).map(entryOf);
  const csv = stringify(
    [
      [...EXPORT_COLUMNS],
      ...rows.map((e) => [
        e.kind === 'email' ? e.value : '',
        e.kind === 'domain' ? e.value : '',
        e.source,
        e.reason ?? '',
        e.createdAt,
        e.createdBy,
      ]),
    ],
    { record_delimiter: '\n', ...spreadsheetSafeCsv() },
  );
  return { csv, entries: rows.length };
}
