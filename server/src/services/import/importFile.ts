import { statSync } from 'node:fs';
import { OPERATOR, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import type { ImportFormat } from './formats';
import { parseCsvFile, type ParseEvent } from './parseCsvFile';
import { parseInWorker } from './parseInWorker';
import { RejectsFile } from './rejects';
import { createStagingSql } from './stagingSql';
import { StagedLoad } from './stagedLoad';

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
  /** Who imports (audit log); default: the command line (`signalfit import`, `signalfit demo`). */
  actor?: Actor;
}

export const WORKER_THRESHOLD_BYTES = 8 * 1024 * 1024;
/** From this size on a fresh load drops and rebuilds the table's secondary indexes (about 50,000 rows). */
const LARGE_FILE_BYTES = 4 * 1024 * 1024;
/** Parsed rows waiting for the database, at most: beyond, the parser waits. */
const MAX_QUEUED_ROWS = 50_000;

const PROGRESS_EVERY_ROWS = 25_000;

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
  let events: AsyncGenerator<ParseEvent> | null = null;

  try {
    await db.transaction(async (tx) => {
      // Staged timestamps without a zone mean UTC (the canonical format says so).
      await tx.exec(`SET LOCAL TIME ZONE 'UTC'; ${createStagingSql(format)}`);
      const load = await StagedLoad.begin({
        tx,
        format,
        rejects,
        counts,
        large: totalBytes >= LARGE_FILE_BYTES,
      });
      const options = { batchSize: props.batchSize, knownAccounts: await load.knownAccounts() };
      events = useWorker
        ? parseInWorker(format, props.path, options)
        : parseCsvFile(format, props.path, options);
      const first = await events.next();
      if (first.done || first.value.kind !== 'header') throw new Error('the CSV parser gave no header');
      const { presentColumns } = first.value;

      // The database's work runs in order on one connection, queued behind the parser. The
      // queue is bounded, so a slow database holds the parser back instead of filling memory.
      let queue: Promise<void> = Promise.resolve();
      let queuedRows = 0;
      let nextProgressAt = PROGRESS_EVERY_ROWS;

      for await (const event of events) {
        if (event.kind !== 'batch') continue;
        counts.rows += event.read;
        if (event.lines.length > 0) {
          const batchRows = event.lines.length;
          queuedRows += batchRows;
          queue = queue.then(async () => {
            await load.add(event);
            queuedRows -= batchRows;
          });
          queue.catch(() => undefined); // surfaces at the next await of the queue
        }
        for (const reject of event.rejects) {
          counts.rejected += 1;
          await rejects.add(reject);
        }
        if (queuedRows > MAX_QUEUED_ROWS) await queue;
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
      await queue;
      endPhase('read_and_load');
      await load.finish(presentColumns, counts.rows);
      endPhase('finish');
      await recordAudit(tx, props.actor ?? OPERATOR, {
        action: 'import.file',
        targetType: 'import',
        targetId: format.file,
        summary: `imported ${format.file}`,
        counts: { ...counts, unchanged: counts.rows - counts.rejected - counts.inserted - counts.updated },
      });
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
    await (events as AsyncGenerator<ParseEvent> | null)?.return(undefined);
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
