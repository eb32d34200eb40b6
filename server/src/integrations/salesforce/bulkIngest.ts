import type { Connection } from '@jsforce/jsforce-node';
import { parse } from 'csv-parse/sync';
import type { PollOptions } from './bulkQuery';

/**
 * Bulk API 2.0 update jobs, step by step, so that the write-back can record the job between
 * steps and finish (or abort) it after a crash instead of sending the rows twice.
 */
export type IngestState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted' | 'Failed';

export interface RowFailure {
  id: string;
  error: string;
}

/** Opens an update job for `sobject`; returns its id. */
export async function openUpdateJob(conn: Connection, sobject: string): Promise<string> {
  const job = conn.bulk2.createJob({
    object: sobject,
    operation: 'update',
    contentType: 'CSV',
    lineEnding: 'LF',
  });
  const info = await job.open();
  if (typeof info.id !== 'string' || info.id === '') throw new Error('Salesforce opened a job without an id');
  return info.id;
}

/** Uploads the job's CSV and marks the upload complete (Salesforce starts processing). */
export async function uploadAndClose(conn: Connection, jobId: string, csv: string): Promise<void> {
  const job = conn.bulk2.job('ingest', { id: jobId });
  await job.uploadData(csv);
  await job.close();
}

export async function ingestState(conn: Connection, jobId: string): Promise<IngestState> {
  return (await conn.bulk2.job('ingest', { id: jobId }).check()).state;
}

export async function abortIngestJob(conn: Connection, jobId: string): Promise<void> {
  await conn.bulk2.job('ingest', { id: jobId }).abort();
}

/** Waits for a closed job to end; returns its final state (JobComplete, Failed or Aborted). */
export async function waitForIngestJob(
  conn: Connection,
  jobId: string,
  poll: PollOptions,
): Promise<IngestState> {
  const deadline = Date.now() + poll.pollTimeoutMs;
  for (;;) {
    const state = await ingestState(conn, jobId);
    if (state === 'JobComplete' || state === 'Failed' || state === 'Aborted') return state;
    if (Date.now() > deadline)
      throw new Error(`Bulk API job ${jobId} still ${state} after ${poll.pollTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, poll.pollIntervalMs));
  }
}

/**
 * The rows Salesforce did not update: failed ones with its error (`STATUS_CODE:message:fields`)
 * and unprocessed ones (a job that failed or was aborted part way).
 */
export async function rowsNotUpdated(conn: Connection, jobId: string): Promise<RowFailure[]> {
  const job = conn.bulk2.job('ingest', { id: jobId });
  const failures: RowFailure[] = [];
  for (const row of csvRows(await job.getFailedResults(true))) {
    const id = row.Id || row.sf__Id || '';
    if (id) failures.push({ id, error: row.sf__Error || 'failed without an error message' });
  }
  for (const row of csvRows(await job.getUnprocessedRecords(true))) {
    if (row.Id)
      failures.push({ id: row.Id, error: 'UNPROCESSED:the job ended before this row was processed' });
  }
  return failures;
}

function csvRows(text: unknown): Record<string, string>[] {
  if (typeof text !== 'string' || text.trim() === '') return [];
  return parse(text, { columns: true, skip_empty_lines: true });
}
