import { AppError } from '../../errors';
import { csvRowBatches, type CsvRow } from './csvRows';
import type { ImportFormat } from './formats';
import type { RejectedRow } from './rejects';
import { unknownAccountReason } from './stagingSql';

/** What parsing a canonical CSV file yields: its header first, then batches ready to stage. */
export type ParseEvent =
  | { kind: 'header'; header: string[]; presentColumns: string[] }
  | {
      kind: 'batch';
      /**
       * The batch's valid rows as COPY CSV text: a line per row (a value per canonical column),
       * each ended by a line break. One string crosses from the parser's thread far cheaper than
       * one per row.
       */
      text: string;
      /** Where each valid row's line ends in `text` (just after its line break). */
      ends: number[];
      /** The file line of each valid row. */
      lines: number[];
      /** Rows read in this batch, valid or not. */
      read: number;
      rejects: RejectedRow[];
      bytesRead: number;
    };

export interface ParseOptions {
  /** Valid rows per batch. */
  batchSize?: number;
  /** When given, a row whose account_id is not in it is rejected here (no database pass needed). */
  knownAccounts?: ReadonlySet<string>;
}

/**
 * Reads a canonical CSV file and checks every row against its format: rows that pass become
 * COPY text for the staging table, rows that fail become rejects with line, column and reason.
 * The header comes first; a header without the required columns throws `import_failed`.
 */
export async function* parseCsvFile(
  format: ImportFormat,
  path: string,
  options: ParseOptions = {},
): AsyncGenerator<ParseEvent> {
  const batchSize = options.batchSize ?? 10_000;
  const knownAccounts = format.referencesAccount ? options.knownAccounts : undefined;
  let bytesRead = 0;
  const batches = csvRowBatches(path, (bytes) => (bytesRead = bytes));
  try {
    let header: string[] | null = null;
    let columnIndex: number[] = [];
    let accountAt = -1;
    let staged = new Staged();
    let rejects: RejectedRow[] = [];
    let rows = 0;

    for await (const batch of batches) {
      for (const row of batch) {
        if (header === null) {
          header = row.cells.map((name) =>
            name
              .replace(/^\uFEFF/, '')
              .trim()
              .toLowerCase(),
          );
          checkHeader(format, header);
          columnIndex = format.columns.map((c) => header!.indexOf(c));
          accountAt = header.indexOf('account_id');
          yield { kind: 'header', header, presentColumns: format.columns.filter((c) => header!.includes(c)) };
          continue;
        }
        rows += 1;
        const rejection = checkRow(format, header, columnIndex, row, staged, knownAccounts, accountAt);
        if (rejection) rejects.push(rejection);
        if (staged.lines.length >= batchSize || rejects.length >= batchSize) {
          yield { kind: 'batch', ...staged.take(), read: rows, rejects, bytesRead };
          staged = new Staged();
          rejects = [];
          rows = 0;
        }
      }
    }
    if (header === null)
      throw new AppError('import_failed', `${format.file} is empty: it needs a header row`);
    if (rows > 0) yield { kind: 'batch', ...staged.take(), read: rows, rejects, bytesRead };
  } finally {
    await batches.return(undefined);
  }
}

/** The valid rows of a batch: COPY CSV lines, where each ends in the batch's text, and their file lines. */
class Staged {
  private readonly rows: string[] = [];
  private length = 0;
  readonly ends: number[] = [];
  readonly lines: number[] = [];

  add(row: string, line: number): void {
    this.rows.push(row);
    this.length += row.length + 1;
    this.ends.push(this.length);
    this.lines.push(line);
  }

  take(): { text: string; ends: number[]; lines: number[] } {
    if (this.rows.length > 0) this.rows.push(''); // a line break after the last line too
    return { text: this.rows.join('\n'), ends: this.ends, lines: this.lines };
  }
}

/** Appends a valid row to `staged`; returns the reject of an invalid one. */
function checkRow(
  format: ImportFormat,
  header: string[],
  columnIndex: number[],
  row: CsvRow,
  staged: Staged,
  knownAccounts: ReadonlySet<string> | undefined,
  /** Where account_id is in the file's rows (-1: nowhere). */
  accountAt: number,
): RejectedRow | null {
  if (row.problem) return rejectRow(header, row, null, `unreadable CSV: ${row.problem}`);
  if (row.cells.length !== header.length) {
    const reason = `the row has ${row.cells.length} fields but the header has ${header.length} (check quoting of values with commas)`;
    return rejectRow(header, row, null, reason);
  }
  // Cells are read where they are in the file's row: no object per row.
  const line = format.stageRow(row.cells, columnIndex);
  if (typeof line !== 'string') return rejectRow(header, row, line.column, line.reason);
  if (knownAccounts) {
    const accountId = accountAt >= 0 ? row.cells[accountAt]!.trim() : '';
    if (!knownAccounts.has(accountId)) {
      return rejectRow(header, row, 'account_id', unknownAccountReason(accountId));
    }
  }
  staged.add(line, row.line);
  return null;
}

function rejectRow(header: string[], row: CsvRow, column: string | null, reason: string): RejectedRow {
  return { line: row.line, column, reason, values: rawValues(header, row.cells) };
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
  const repeated = header.filter((c, i) => c !== '' && header.indexOf(c) !== i && format.columns.includes(c));
  if (repeated.length > 0) {
    throw new AppError(
      'import_failed',
      `${format.file}: the header names ${repeated.join(', ')} more than once`,
    );
  }
}

function rawValues(header: string[], cells: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  header.forEach((name, i) => {
    if (name !== '') values[name] = cells[i] ?? '';
  });
  return values;
}
