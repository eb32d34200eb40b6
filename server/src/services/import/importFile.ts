import { statSync } from 'node:fs';
import { toCsvRecord } from '../../domain/canonical';
import type { Db } from '../../store/db';
import type { ImportFormat } from './formats';
import { parseCsvFile } from './parseCsvFile';
import { parseInWorker } from './parseInWorker';
import { RejectsFile } from './rejects';
import {
  STAGE_TABLE,
  createStagingSql,
  insertNewSql,
  SECONDARY_INDEXES_SQL,
  updateChangedSql,
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
  /** Seconds spent in each phase: reading and staging, the database's checks, the load, updates. */
  phases: Record<string, number>;
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
  /** Parse in a worker thread (default: for files of 8 MB and more, where it pays for its start-up). */
  parseInWorker?: boolean;
}

const WORKER_THRESHOLD_BYTES = 8 * 1024 * 1024;

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
  const phases: Record<string, number> = {};
  let phaseStart = 0;
  const endPhase = (name: string) => {
    const now = seconds();
    phases[name] = Math.round((now - phaseStart) * 1000) / 1000;
    phaseStart = now;
  };

  const useWorker = props.parseInWorker ?? totalBytes >= WORKER_THRESHOLD_BYTES;
  const events = useWorker
    ? parseInWorker(format, props.path, props.batchSize)
    : parseCsvFile(format, props.path, props.batchSize);

  try {
    const first = await events.next();
    if (first.done || first.value.kind !== 'header') throw new Error('the CSV parser gave no header');
    const { presentColumns } = first.value;

    await db.transaction(async (tx) => {
      // Staged timestamps without a zone mean UTC (the canonical format says so).
      await tx.exec(`SET LOCAL TIME ZONE 'UTC'; ${createStagingSql(format)}`);
      // One COPY in flight while the next batch is parsed.
      let copying: Promise<void> = Promise.resolve();
      let nextProgressAt = PROGRESS_EVERY_ROWS;

      for await (const event of events) {
        if (event.kind !== 'batch') continue;
        counts.rows += event.rows;
        if (event.csv !== '') {
          await copying;
          copying = tx.copyCsv(STAGE_TABLE, ['line', ...format.columns], event.csv);
          copying.catch(() => undefined); // awaited (and thrown) at the next batch or after the loop
        }
        for (const reject of event.rejects) {
          counts.rejected += 1;
          await rejects.add(reject);
        }
        if (counts.rows >= nextProgressAt) {
          nextProgressAt = counts.rows + PROGRESS_EVERY_ROWS;
          props.onProgress?.({
            file: format.file,
            rows: counts.rows,
            bytesRead: event.bytesRead,
            totalBytes,
          });
        }
      }
      await copying;
      endPhase('read_and_stage');

      if (format.referencesAccount) await tx.query(rejectUnknownAccountsSql());
      const table = await tableSize(tx, format.table);
      endPhase('check_references');
      const staged = counts.rows - counts.rejected; // before the database's rejects: sizes the load only
      await withSecondaryIndexesDeferred(
        tx,
        format,
        staged > BULK_LOAD_ROWS && table.fewerRowsThan(staged),
        async () => {
          if (table.empty) {
            counts.inserted = await insertIntoEmptyTable(tx, format);
          } else {
            await tx.query(rejectDuplicatesSql(format));
            counts.inserted = await tx.run(insertNewSql(format));
          }
        },
      );
      endPhase('load');
      await reportStagedRejects(tx, format, rejects, counts);
      const accepted = counts.rows - counts.rejected;
      const update = counts.inserted < accepted ? updateChangedSql(format, presentColumns) : null;
      counts.updated = update ? await tx.run(update) : 0;
      endPhase('update');
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
      phases,
    };
  } catch (error) {
    await events.return(undefined);
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
      phases,
    };
  }
}

/** Below this many rows a load goes through the indexes as they are. */
const BULK_LOAD_ROWS = 50_000;

/**
 * A large load into a table that holds fewer rows than it brings runs faster when the
 * secondary indexes are built once afterwards than when they take every row one by one. The
 * drop and the rebuild happen inside the import's transaction: readers of the table wait for
 * it, and a crash leaves the indexes as they were.
 */
async function withSecondaryIndexesDeferred(
  tx: Db,
  format: ImportFormat,
  defer: boolean,
  load: () => Promise<void>,
) {
  if (!defer) return load();
  const indexes = await tx.query<{ name: string; definition: string }>(SECONDARY_INDEXES_SQL, [format.table]);
  for (const index of indexes) await tx.exec(`DROP INDEX ${index.name}`);
  await load();
  for (const index of indexes) await tx.exec(index.definition);
}

/**
 * Into an empty table the only possible key conflicts are duplicates within the file, which
 * are rare: insert at once, and look for duplicates (a full pass over the staged rows) only
 * when the key index refuses the insert.
 */
async function insertIntoEmptyTable(tx: Db, format: ImportFormat): Promise<number> {
  await tx.exec('SAVEPOINT signalfit_insert');
  try {
    const inserted = await tx.run(insertNewSql(format, true));
    await tx.exec('RELEASE SAVEPOINT signalfit_insert');
    return inserted;
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    await tx.exec('ROLLBACK TO SAVEPOINT signalfit_insert');
    await tx.query(rejectDuplicatesSql(format));
    return tx.run(insertNewSql(format, true));
  }
}

const UNIQUE_VIOLATION = '23505';

/** Whether the table is empty, and whether it holds fewer rows than a load (from the planner's estimate). */
async function tableSize(tx: Db, table: string) {
  const [found] = await tx.query<{ empty: boolean; estimate: number }>(
    `SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty,
            (SELECT reltuples FROM pg_class WHERE oid = $1::regclass)::float8 AS estimate`,
    [table],
  );
  const empty = Boolean(found?.empty);
  const estimate = found?.estimate ?? -1;
  return { empty, fewerRowsThan: (rows: number) => empty || (estimate >= 0 && estimate < rows) };
}

async function reportStagedRejects(
  tx: Db,
  format: ImportFormat,
  rejects: RejectsFile,
  counts: { rejected: number },
): Promise<void> {
  let after = 0;
  for (;;) {
    const page = await tx.query<
      Record<string, unknown> & { line: number; column_name: string; reason: string }
    >(rejectedPageSql(), [after, REJECT_PAGE]);
    for (const row of page) {
      const staged: Record<string, unknown> = {};
      for (const column of format.columns) staged[column] = row[column];
      counts.rejected += 1;
      await rejects.add({
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
