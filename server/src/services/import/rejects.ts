import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';
import { spreadsheetSafeCsv } from '../csv/spreadsheetSafe';

export interface RejectedRow {
  /** Line of the source file the row starts on (the header is line 1). */
  line: number;
  /** The column at fault, or null when the row as a whole is (wrong field count, broken quoting). */
  column: string | null;
  reason: string;
  /** The row's cells as read, by column name. */
  values: Record<string, string>;
}

/**
 * Collects a file's rejected rows in `rejected-<file>` beside the import report: the line, the
 * column and the reason first, then the row's own columns, so the file can be fixed and
 * imported again. Opened on the first reject only; a file with no rejects leaves none behind.
 */
export class RejectsFile {
  readonly path: string;
  private stream: WriteStream | null = null;
  private csv: Stringifier | null = null;
  private count = 0;

  constructor(
    reportDir: string,
    sourceFile: string,
    private readonly columns: readonly string[],
  ) {
    this.path = path.join(reportDir, `rejected-${sourceFile}`);
    rmSync(this.path, { force: true });
  }

  get size(): number {
    return this.count;
  }

  async add(row: RejectedRow): Promise<void> {
    if (!this.csv) {
      this.stream = createWriteStream(this.path);
      // People open this file to fix the rows: a value that reads as a formula stays text.
      this.csv = stringify({
        ...spreadsheetSafeCsv(),
        header: true,
        columns: ['line', 'column', 'reason', ...this.columns],
      });
      this.csv.pipe(this.stream);
    }
    this.count += 1;
    const ok = this.csv.write({
      line: row.line,
      column: row.column ?? '',
      reason: row.reason,
      ...row.values,
    });
    if (!ok) await once(this.csv, 'drain');
  }

  /** Finishes the file; returns its path, or null when nothing was rejected. */
  async close(): Promise<string | null> {
    if (!this.csv || !this.stream) return null;
    const finished = once(this.stream, 'finish');
    this.csv.end();
    await finished;
    return this.path;
  }

  /** Throws the file away (the import of its source failed, so its report would mislead). */
  async discard(): Promise<void> {
    await this.close();
    rmSync(this.path, { force: true });
  }
}
