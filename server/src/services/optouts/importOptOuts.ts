import { MAX_LIST_ROWS } from '../../domain/segments/listUpload';
import { AppError } from '../../errors';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { CsvReader, type CsvRow } from '../import/csvReader';
import { reasonText } from './optOutList';
import { optOutDomain, optOutEmail, type OptOutValue } from './optOutValue';

/** A row not taken: its line (the header is line 1), what it held and why. */
export interface BadOptOutRow {
  line: number;
  value: string;
  reason: string;
}

export interface OptOutImport {
  /** Data rows read (the header not counted). */
  rows: number;
  /** Entries the list did not hold and holds now. */
  added: number;
  /** Entries the list held already, or that an earlier row of the file gave. */
  already: number;
  /** Rows with a problem (each in badRows); their good cells are still taken. */
  bad: number;
  badRows: BadOptOutRow[];
}

interface Columns {
  email: number | null;
  domain: number | null;
  source: number | null;
  reason: number | null;
}

interface Wanted extends OptOutValue {
  source: string;
  reason: string | null;
}

/**
 * Imports a CSV of opt-outs (docs/opt-outs.md "CSV"): a header naming `email` and/or `domain`
 * (any case), optionally `source` and `reason` (what `optouts export` writes, so an exported
 * file imports back unchanged). Each non-empty email or domain cell is one entry, normalized as
 * the list keeps it; a row with no value, a malformed email or a malformed domain is reported
 * with its line and reason, and the row's good cells and the other rows are kept. An entry the
 * list holds (or an earlier row gave) is counted `already`, never stored twice. A file without
 * either column, or with more than MAX_LIST_ROWS rows, is refused whole. The entries and the
 * audit entry (`optout.import`, with the counts) are written in one transaction.
 */
export async function importOptOuts(props: {
  db: Db;
  actor: Actor;
  csv: string | Iterable<string> | AsyncIterable<string>;
  now?: Date;
}): Promise<OptOutImport> {
  authorize(props.actor, 'optouts.manage', 'changing the opt-out list');
  const { wanted, badRows, rows, repeated } = await readOptOuts(props.csv);
  const now = props.now ?? new Date();
  const by = actorLabel(props.actor);
  return props.db.transaction(async (tx) => {
    const inserted = await tx.query<{ kind: string }>(
      `INSERT INTO opt_outs (kind, value, source, reason, created_at, created_by)
       SELECT w.kind, w.value, w.source, w.reason, $5, $6
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS w (kind, value, source, reason)
       ON CONFLICT (kind, value) DO NOTHING RETURNING kind`,
      [
        wanted.map((w) => w.kind),
        wanted.map((w) => w.value),
        wanted.map((w) => w.source),
        wanted.map((w) => w.reason),
        now,
        by,
      ],
    );
    const result: OptOutImport = {
      rows,
      added: inserted.length,
      already: wanted.length - inserted.length + repeated,
      bad: badRows.length,
      badRows,
    };
    await recordAudit(
      tx,
      props.actor,
      {
        action: 'optout.import',
        targetType: 'opt_outs',
        summary: `imported opt-outs: ${result.added} added, ${result.already} already listed, ${result.bad} bad rows`,
        counts: { rows, added: result.added, already: result.already, bad: result.bad },
      },
      now,
    );
    return result;
  });
}

/** A cell `optouts export` wrote with a spreadsheet guard (`'=…`), as it was. */
function unguarded(cell: string): string {
  return /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell) ? cell.slice(1) : cell;
}

function columnsOf(header: readonly string[]): Columns | null {
  const names = header.map((cell, i) => (i === 0 ? cell.replace(/^\uFEFF/, '') : cell).trim().toLowerCase());
  const at = (name: string) => (names.includes(name) ? names.indexOf(name) : null);
  const columns = { email: at('email'), domain: at('domain'), source: at('source'), reason: at('reason') };
  return columns.email === null && columns.domain === null ? null : columns;
}

async function readOptOuts(
  csv: string | Iterable<string> | AsyncIterable<string>,
): Promise<{ wanted: Wanted[]; badRows: BadOptOutRow[]; rows: number; repeated: number }> {
  const reader = new CsvReader();
  let columns: Columns | null = null;
  let headerSeen = false;
  let rows = 0;
  let repeated = 0;
  const wanted = new Map<string, Wanted>();
  const badRows: BadOptOutRow[] = [];

  const take = (row: CsvRow) => {
    if (!headerSeen) {
      headerSeen = true;
      columns = columnsOf(row.cells);
      if (!columns)
        throw new AppError(
          'bad_request',
          `the file's header (line 1: ${JSON.stringify(row.cells.join(',').slice(0, 200))}) names neither email nor domain: add one of them as a column name`,
        );
      return;
    }
    rows += 1;
    if (rows > MAX_LIST_ROWS)
      throw new AppError(
        'bad_request',
        `the file has more than ${MAX_LIST_ROWS.toLocaleString('en-US')} rows (line ${row.line}): split it and import the parts; nothing was stored`,
      );
    const raw = row.cells.join(',').slice(0, 200);
    if (row.problem) {
      badRows.push({ line: row.line, value: raw, reason: row.problem });
      return;
    }
    const cols = columns!;
    const cell = (index: number | null) => (index === null ? '' : unguarded(row.cells[index] ?? '').trim());
    const email = cell(cols.email);
    const domain = cell(cols.domain);
    if (email === '' && domain === '') {
      badRows.push({ line: row.line, value: raw, reason: 'empty' });
      return;
    }
    const reasons: string[] = [];
    const source = cell(cols.source) || 'import';
    for (const parsed of [
      email === '' ? null : optOutEmail(email),
      domain === '' ? null : optOutDomain(domain),
    ]) {
      if (parsed === null) continue;
      if ('reason' in parsed) {
        reasons.push(parsed.reason);
        continue;
      }
      const key = `${parsed.kind}:${parsed.value}`;
      if (wanted.has(key)) repeated += 1;
      else
        wanted.set(key, { ...parsed, source: source.slice(0, 100), reason: reasonText(cell(cols.reason)) });
    }
    if (reasons.length > 0) badRows.push({ line: row.line, value: raw, reason: reasons.join('; ') });
  };

  const pieces = typeof csv === 'string' ? [csv] : csv;
  for await (const piece of pieces) for (const row of reader.push(piece)) take(row);
  for (const row of reader.end()) take(row);
  if (!headerSeen)
    throw new AppError('bad_request', 'the file is empty: give a header line naming email or domain');
  return { wanted: [...wanted.values()], badRows, rows, repeated };
}
