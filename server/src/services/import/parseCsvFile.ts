import { AppError } from '../../errors';
import { csvRowBatches, type CsvRow } from './csvRows';
import type { ImportFormat } from './formats';
import type { RejectedRow } from './rejects';

/** What parsing a canonical CSV file yields: its header first, then batches ready to stage. */
export type ParseEvent =
  | { kind: 'header'; header: string[]; presentColumns: string[] }
  | {
      kind: 'batch';
      /** The batch's valid rows as COPY CSV: the line, then one value per canonical column. */
      csv: string;
      /** Rows read in this batch, valid or not. */
      rows: number;
      rejects: RejectedRow[];
      bytesRead: number;
    };

/**
 * Reads a canonical CSV file and checks every row against its format: rows that pass become
 * COPY text for the staging table, rows that fail become rejects with line, column and reason.
 * The header comes first; a header without the required columns throws `import_failed`.
 */
export async function* parseCsvFile(
  format: ImportFormat,
  path: string,
  batchSize = 10_000,
): AsyncGenerator<ParseEvent> {
  let bytesRead = 0;
  const batches = csvRowBatches(path, (bytes) => (bytesRead = bytes));
  try {
    let header: string[] | null = null;
    let columnIndex: number[] = [];
    const staged: Staged = { parts: [], rows: 0 };
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
          yield { kind: 'header', header, presentColumns: format.columns.filter((c) => header!.includes(c)) };
          continue;
        }
        rows += 1;
        const rejection = checkRow(format, header, columnIndex, row, staged);
        if (rejection) rejects.push(rejection);
        if (staged.rows >= batchSize || rejects.length >= batchSize) {
          yield { kind: 'batch', csv: staged.parts.join(''), rows, rejects, bytesRead };
          staged.parts = [];
          staged.rows = 0;
          rejects = [];
          rows = 0;
        }
      }
    }
    if (header === null)
      throw new AppError('import_failed', `${format.file} is empty: it needs a header row`);
    if (rows > 0) yield { kind: 'batch', csv: staged.parts.join(''), rows, rejects, bytesRead };
  } finally {
    await batches.return(undefined);
  }
}

/** The valid rows of a batch, as pieces of COPY CSV joined once when the batch is sent. */
interface Staged {
  parts: string[];
  rows: number;
}

/** Appends a valid row to `staged` as a COPY CSV line; returns the reject of an invalid one. */
function checkRow(
  format: ImportFormat,
  header: string[],
  columnIndex: number[],
  row: CsvRow,
  staged: Staged,
): RejectedRow | null {
  if (row.problem)
    return rejectRow(
      header,
      row,
      null,
      `unreadable CSV: ${row.problem} (check the quoting from this line on)`,
    );
  if (row.cells.length !== header.length) {
    const reason = `the row has ${row.cells.length} fields but the header has ${header.length} (check quoting of values with commas)`;
    return rejectRow(header, row, null, reason);
  }
  const cells: Record<string, string | undefined> = {};
  for (let i = 0; i < format.columns.length; i++) {
    const at = columnIndex[i]!;
    cells[format.columns[i]!] = at >= 0 ? row.cells[at] : undefined;
  }
  const parsed = format.stageRow(cells);
  if (!parsed.ok) return rejectRow(header, row, parsed.column, parsed.reason);
  staged.parts.push(String(row.line), ',', parsed.csv, '\n');
  staged.rows += 1;
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
