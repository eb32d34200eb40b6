import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { toCsvRecord } from '../../domain/canonical';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import type { ImportFormat } from './formats';
import { RejectsFile } from './rejects';
import {
  STAGE_TABLE,
  createStagingSql,
  mergeSql,
  rejectDuplicatesSql,
  rejectUnknownAccountsSql,
  rejectedPageSql,
} from './stagingSql';

export interface FileImportReport {
  entity: string;
  file: string;
  status: 'imported' | 'failed';
  /** Data rows read (the header excluded). */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejectsFile: string | null;
  /** Why the whole file failed, when it did. */
  error: string | null;
  seconds: number;
}

export interface ImportProgress {
  file: string;
  rows: number;
  bytesRead: number;
  totalBytes: number;
}

export interface ImportFileProps {
  db: Db;
  format: ImportFormat;
  /** Path of the CSV file to read. */
  path: string;
  /** Folder that receives `rejected-<file>` when rows are rejected. */
  reportDir: string;
  onProgress?: (progress: ImportProgress) => void;
  /** Rows sent to the database per COPY. */
  batchSize?: number;
}

const PROGRESS_EVERY_ROWS = 25_000;
const REJECT_PAGE = 5_000;

/**
 * Imports one canonical CSV file: streams it row by row (never whole in memory), validates each
 * row, stages the good ones with COPY, lets the database reject duplicates and unknown accounts,
 * then upserts what is left — all in one transaction, so a crash leaves the file either fully
 * imported or not at all, and a rerun completes it.
 */
export async function importFile(props: ImportFileProps): Promise<FileImportReport> {
  const { db, format } = props;
  const started = process.hrtime.bigint();
  const totalBytes = statSync(props.path).size;
  const rejects = new RejectsFile(props.reportDir, format.file, format.columns);
  const counts = { rows: 0, inserted: 0, updated: 0, rejected: 0 };
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;

  const source = createReadStream(props.path);
  let bytesRead = 0;
  source.on('data', (chunk) => (bytesRead += chunk.length));
  const parser = source.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    }),
  );
  // Rows the CSV parser itself cannot read (broken quoting) are rejected, not fatal.
  const parseErrors: { line: number; reason: string }[] = [];
  parser.on('skip', (error: Error & { lines?: number }) => {
    parseErrors.push({ line: error.lines ?? 0, reason: `unreadable CSV: ${error.message}` });
  });
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;

  try {
    const first = await records.next();
    if (first.done) throw new AppError('import_failed', `${format.file} is empty: it needs a header row`);
    const header = first.value.record.map((name) => name.trim().toLowerCase());
    checkHeader(format, header);
    const presentColumns = format.columns.filter((c) => header.includes(c));
    const columnIndex = format.columns.map((c) => header.indexOf(c));

    await db.transaction(async (tx) => {
      await tx.exec(createStagingSql(format));
      let batch: unknown[][] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await tx.copyCsv(STAGE_TABLE, ['line', ...format.columns], stringify(batch));
        batch = [];
      };
      const drainParseErrors = async () => {
        for (const error of parseErrors.splice(0)) {
          counts.rows += 1;
          counts.rejected += 1;
          await rejects.add({ line: error.line, column: null, reason: error.reason, values: {} });
        }
      };

      for (let next = await records.next(); !next.done; next = await records.next()) {
        const { record, info } = next.value;
        counts.rows += 1;
        if (parseErrors.length > 0) await drainParseErrors();
        const values = rawValues(header, record);
        if (record.length !== header.length) {
          counts.rejected += 1;
          await rejects.add({
            line: info.lines,
            column: null,
            reason: `the row has ${record.length} fields but the header has ${header.length} (check quoting of values with commas)`,
            values,
          });
          continue;
        }
        const cells: Record<string, string | undefined> = {};
        format.columns.forEach((column, i) => {
          const at = columnIndex[i] ?? -1;
          cells[column] = at >= 0 ? record[at] : undefined;
        });
        const parsed = format.schema.safeParse(cells);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const column = typeof issue?.path[0] === 'string' ? issue.path[0] : null;
          counts.rejected += 1;
          await rejects.add({
            line: info.lines,
            column,
            reason: column ? `${column} ${issue?.message}` : (issue?.message ?? 'invalid row'),
            values,
          });
          continue;
        }
        batch.push([info.lines, ...format.columns.map((c) => stageValue(parsed.data[c]))]);
        if (batch.length >= (props.batchSize ?? 10_000)) await flush();
        if (counts.rows % PROGRESS_EVERY_ROWS === 0) {
          props.onProgress?.({ file: format.file, rows: counts.rows, bytesRead, totalBytes });
        }
      }
      await flush();
      await drainParseErrors();

      await tx.query(rejectDuplicatesSql(format));
      if (format.referencesAccount) await tx.query(rejectUnknownAccountsSql());
      await reportStagedRejects(tx, format, rejects, counts);
      const [merged] = await tx.query<{ inserted: number; updated: number }>(mergeSql(format, presentColumns));
      counts.inserted = merged?.inserted ?? 0;
      counts.updated = merged?.updated ?? 0;
    });
    props.onProgress?.({ file: format.file, rows: counts.rows, bytesRead: totalBytes, totalBytes });
    const rejectsFile = await rejects.close();
    return {
      entity: format.entity,
      file: format.file,
      status: 'imported',
      ...counts,
      unchanged: counts.rows - counts.rejected - counts.inserted - counts.updated,
      rejectsFile,
      error: null,
      seconds: seconds(),
    };
  } catch (error) {
    source.destroy();
    await rejects.discard();
    return {
      entity: format.entity,
      file: format.file,
      status: 'failed',
      rows: counts.rows,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      rejectsFile: null,
      error: error instanceof Error ? error.message : String(error),
      seconds: seconds(),
    };
  }
}

function checkHeader(format: ImportFormat, header: string[]): void {
  const missing = format.required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new AppError(
      'import_failed',
      `${format.file}: the header lacks the required column(s) ${missing.join(', ')} ` +
        `(found: ${header.join(', ') || 'nothing'}; expected at least: ${format.required.join(', ')})`,
    );
  }
  const repeated = header.filter((c, i) => c !== '' && header.indexOf(c) !== i);
  const repeatedKnown = repeated.filter((c) => format.columns.includes(c));
  if (repeatedKnown.length > 0) {
    throw new AppError('import_failed', `${format.file}: the header names ${repeatedKnown.join(', ')} more than once`);
  }
}

function rawValues(header: string[], record: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  header.forEach((name, i) => {
    if (name !== '') values[name] = record[i] ?? '';
  });
  return values;
}

/** A canonical value as COPY's CSV expects it (absent → empty, unquoted → NULL). */
function stageValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (Array.isArray(value)) return `{${value.map((v) => `"${String(v).replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
  return String(value);
}

async function reportStagedRejects(
  tx: Db,
  format: ImportFormat,
  rejects: RejectsFile,
  counts: { rejected: number },
): Promise<void> {
  let after = 0;
  for (;;) {
    const page = await tx.query<Record<string, unknown> & { line: number; column_name: string; reason: string }>(
      rejectedPageSql(),
      [after, REJECT_PAGE],
    );
    for (const row of page) {
      const staged: Record<string, unknown> = {};
      for (const column of format.columns) staged[column] = row[column];
      counts.rejected += 1;
      await rejects.add({ line: row.line, column: row.column_name, reason: row.reason, values: toCsvRecord(staged) });
    }
    if (page.length < REJECT_PAGE) return;
    after = page[page.length - 1]!.line;
  }
}

