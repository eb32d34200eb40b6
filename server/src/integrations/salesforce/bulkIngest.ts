import type { Connection } from '@jsforce/jsforce-node';
import { parse } from 'csv-parse/sync';
import type { PollOptions } from './bulkQuery';

/**
 * Bulk API 2.0 ingest jobs (insert, update, delete), step by step, so that a caller can record
 * the job between steps and finish (or abort) it after a crash instead of sending the rows twice.
 */
export type IngestState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted' | 'Failed';
export type IngestOperation = 'insert' | 'update' | 'delete';

export interface RowFailure {
  id: string;
  error: string;
}

/** What Salesforce says about a job: its state, its object and, when it failed, why. */
export interface IngestJobInfo {
  state: IngestState;
  object: string;
  errorMessage: string | null;
}

/**
 * How a closed job is waited for. With `maxPollIntervalMs` the wait between two checks doubles
 * up to it (a job that takes minutes then costs a handful of checks, not one every interval).
 */
export interface IngestPoll extends PollOptions {
  maxPollIntervalMs?: number;
}

/** A finished job's rows by column name: the sent columns plus sf__Id and sf__Created or sf__Error. */
export interface IngestResults {
  successful: Record<string, string>[];
  failed: Record<string, string>[];
}

/** Opens an ingest job of `operation` on `sobject`; returns its id. */
export async function openIngestJob(
  conn: Connection,
  sobject: string,
  operation: IngestOperation,
): Promise<string> {
  const job = conn.bulk2.createJob({ object: sobject, operation, contentType: 'CSV', lineEnding: 'LF' });
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

export async function readIngestJob(conn: Connection, jobId: string): Promise<IngestJobInfo> {
  const info = await conn.bulk2.job('ingest', { id: jobId }).check();
  const errorMessage = (info as { errorMessage?: unknown }).errorMessage;
  return {
    state: info.state,
    object: info.object,
    errorMessage: typeof errorMessage === 'string' && errorMessage !== '' ? errorMessage : null,
  };
}

export async function ingestState(conn: Connection, jobId: string): Promise<IngestState> {
  return (await readIngestJob(conn, jobId)).state;
}

export async function abortIngestJob(conn: Connection, jobId: string): Promise<void> {
  await conn.bulk2.job('ingest', { id: jobId }).abort();
}

/** Waits for a closed job to end; returns what Salesforce says of it (JobComplete, Failed or Aborted). */
export async function waitForIngestJob(
  conn: Connection,
  jobId: string,
  poll: IngestPoll,
): Promise<IngestJobInfo> {
  const deadline = Date.now() + poll.pollTimeoutMs;
  let interval = poll.pollIntervalMs;
  for (;;) {
    const info = await readIngestJob(conn, jobId);
    const { state } = info;
    if (state === 'JobComplete' || state === 'Failed' || state === 'Aborted') return info;
    if (Date.now() > deadline)
      throw new Error(`Bulk API job ${jobId} still ${state} after ${poll.pollTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, interval));
    if (poll.maxPollIntervalMs) interval = Math.min(interval * 2, poll.maxPollIntervalMs);
  }
}

/** The rows a finished job took and the ones it refused (two calls). */
export async function ingestResults(conn: Connection, jobId: string): Promise<IngestResults> {
  const job = conn.bulk2.job('ingest', { id: jobId });
  return { successful: csvRows(await job.getSuccessfulResults(true)), failed: await failedRows(conn, jobId) };
}

async function failedRows(conn: Connection, jobId: string): Promise<Record<string, string>[]> {
  return csvRows(await conn.bulk2.job('ingest', { id: jobId }).getFailedResults(true));
}

/** The rows of a job that ended before processing them (failed or aborted part way). */
export async function unprocessedRows(conn: Connection, jobId: string): Promise<Record<string, string>[]> {
  return csvRows(await conn.bulk2.job('ingest', { id: jobId }).getUnprocessedRecords(true));
}

/**
 * The rows Salesforce did not update: failed ones with its error (`STATUS_CODE:message:fields`)
 * and unprocessed ones (a job that failed or was aborted part way).
 */
export async function rowsNotUpdated(conn: Connection, jobId: string): Promise<RowFailure[]> {
  const failures: RowFailure[] = [];
  for (const row of await failedRows(conn, jobId)) {
    const id = row.Id || row.sf__Id || '';
    if (id) failures.push({ id, error: row.sf__Error || 'failed without an error message' });
  }
  for (const row of await unprocessedRows(conn, jobId)) {
    if (row.Id)
      failures.push({ id: row.Id, error: 'UNPROCESSED:the job ended before this row was processed' });
  }
  return failures;
}

function csvRows(text: unknown): Record<string, string>[] {
  if (typeof text !== 'string' || text.trim() === '') return [];
  return parse(text, { columns: true, skip_empty_lines: true });
}
