import { toCsvRecord } from '../../domain/canonical';
import type { Db } from '../../store/db';
import type { ImportFormat } from './formats';
import type { RejectsFile } from './rejects';
import {
  REJECTS_TABLE,
  SECONDARY_INDEXES_SQL,
  STAGE_TABLE,
  insertNewSql,
  rejectDuplicatesSql,
  rejectKeysAlreadyLoadedSql,
  rejectUnknownAccountsSql,
  rejectedPageSql,
  updateChangedSql,
} from './stagingSql';

export interface LoadCounts {
  inserted: number;
  updated: number;
  rejected: number;
}

/**
 * Valid rows of one parsed batch: COPY CSV text with a line per row (a value per canonical
 * column, each line ended by a line break), where each row's line ends in it, and their file lines.
 */
export interface RowBatch {
  text: string;
  ends: readonly number[];
  lines: readonly number[];
}

/** Below this many staged rows a load into a table with rows goes through the indexes as they are. */
const BULK_LOAD_ROWS = 50_000;
const REJECT_PAGE = 5_000;
const UNIQUE_VIOLATION = '23505';

/**
 * Moves a file's valid rows into its table, inside the import's transaction.
 *
 * Into a table that was empty when the file started ("fresh", a first load), each batch is
 * copied straight into the table while the parser reads on: no other row can hold a key there,
 * unknown accounts were already rejected by the parser, and a key repeated within the file —
 * rare — makes the key index refuse the batch, which then goes through the staging checks
 * instead. Secondary indexes are dropped at the start of a large fresh load and built once at
 * the end (readers of the table wait for the commit).
 *
 * Into a table that already holds rows, the whole file is staged first, then checked for
 * unknown accounts and repeats, inserted where new and updated where changed.
 */
export class StagedLoad {
  private droppedIndexes: { name: string; definition: string }[] = [];

  private constructor(
    private readonly tx: Db,
    private readonly format: ImportFormat,
    private readonly rejects: RejectsFile,
    private readonly counts: LoadCounts,
    readonly fresh: boolean,
  ) {}

  static async begin(props: {
    tx: Db;
    format: ImportFormat;
    rejects: RejectsFile;
    counts: LoadCounts;
    /** Whether the file looks large enough for dropping and rebuilding indexes to pay. */
    large: boolean;
  }): Promise<StagedLoad> {
    const [found] = await props.tx.query<{ empty: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM ${props.format.table}) AS empty`,
    );
    const load = new StagedLoad(props.tx, props.format, props.rejects, props.counts, Boolean(found?.empty));
    if (load.fresh && props.large) await load.dropSecondaryIndexes();
    return load;
  }

  /** The account ids the parser must check rows against: fresh loads of files that name accounts. */
  async knownAccounts(): Promise<Set<string> | undefined> {
    if (!this.fresh || !this.format.referencesAccount) return undefined;
    const rows = await this.tx.query<{ id: string }>('SELECT id FROM accounts');
    return new Set(rows.map((row) => row.id));
  }

  async add(batch: RowBatch): Promise<void> {
    if (batch.lines.length === 0) return;
    if (!this.fresh) return this.stage(batch);
    const { tx, format } = this;
    await tx.exec('SAVEPOINT signalfit_batch');
    try {
      await tx.copyCsv(format.table, format.columns, batch.text);
      await tx.exec('RELEASE SAVEPOINT signalfit_batch');
      this.counts.inserted += batch.lines.length;
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      await tx.exec('ROLLBACK TO SAVEPOINT signalfit_batch');
      await this.stage(batch);
      await tx.query(rejectDuplicatesSql(format));
      await tx.query(rejectKeysAlreadyLoadedSql(format));
      this.counts.inserted += await tx.run(insertNewSql(format, true));
      await this.reportRejects();
      await tx.exec(`TRUNCATE ${STAGE_TABLE}, ${REJECTS_TABLE}`);
    }
  }

  /** Checks and loads what was staged (tables with rows), updates changed rows, builds dropped indexes again. */
  async finish(presentColumns: readonly string[], rowsRead: number): Promise<void> {
    const { tx, format } = this;
    if (!this.fresh) {
      if (format.referencesAccount) await tx.query(rejectUnknownAccountsSql());
      await tx.query(rejectDuplicatesSql(format));
      const accepted = () => rowsRead - this.counts.rejected;
      if (accepted() > BULK_LOAD_ROWS && (await this.holdsFewerRowsThan(accepted())))
        await this.dropSecondaryIndexes();
      this.counts.inserted += await tx.run(insertNewSql(format));
      await this.reportRejects();
      const update = updateChangedSql(format, presentColumns);
      if (update && this.counts.inserted < accepted()) this.counts.updated += await tx.run(update);
    }
    for (const index of this.droppedIndexes) await tx.exec(index.definition);
  }

  private async stage(batch: RowBatch): Promise<void> {
    let start = 0;
    const csv = batch.lines
      .map((line, i) => {
        const row = batch.text.slice(start, batch.ends[i]); // with its line break
        start = batch.ends[i]!;
        return `${line},${row}`;
      })
      .join('');
    await this.tx.copyCsv(STAGE_TABLE, ['line', ...this.format.columns], csv);
  }

  private async dropSecondaryIndexes(): Promise<void> {
    this.droppedIndexes = await this.tx.query<{ name: string; definition: string }>(SECONDARY_INDEXES_SQL, [
      this.format.table,
    ]);
    for (const index of this.droppedIndexes) await this.tx.exec(`DROP INDEX ${index.name}`);
  }

  /** From the planner's estimate, which is enough to decide how to load. */
  private async holdsFewerRowsThan(rows: number): Promise<boolean> {
    const [found] = await this.tx.query<{ estimate: number }>(
      'SELECT reltuples::float8 AS estimate FROM pg_class WHERE oid = $1::regclass',
      [this.format.table],
    );
    const estimate = found?.estimate ?? -1;
    return estimate >= 0 && estimate < rows;
  }

  /** Writes the rows the database rejected (with their staged values) to the rejects file. */
  private async reportRejects(): Promise<void> {
    let after = 0;
    for (;;) {
      const page = await this.tx.query<
        Record<string, unknown> & { line: number; column_name: string; reason: string }
      >(rejectedPageSql(), [after, REJECT_PAGE]);
      for (const row of page) {
        const staged: Record<string, unknown> = {};
        for (const column of this.format.columns) staged[column] = row[column];
        this.counts.rejected += 1;
        await this.rejects.add({
          line: row.line,
          column: row.column_name,
          reason: row.reason,
          values: toCsvRecord(staged),
        });
      }
      if (page.length < REJECT_PAGE) return;
      after = page[page.length - 1]!.line;
    }
  }
}
