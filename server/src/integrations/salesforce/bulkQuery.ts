import type { Connection } from '@jsforce/jsforce-node';
// The one private path: no public API of jsforce hands out a response's headers (Sforce-Locator).
import { HttpApi } from '@jsforce/jsforce-node/lib/http-api';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

/**
 * Bulk API 2.0 queries, page by page. jsforce's `bulk2.query` streams every page at once; a
 * sync that must resume after a crash or at the API budget needs each page's `Sforce-Locator`
 * in hand, so the pages are fetched here one request at a time with jsforce's own HTTP layer.
 */
export type QueryOperation = 'query' | 'queryAll';

export interface PollOptions {
  pollIntervalMs: number;
  pollTimeoutMs: number;
}

/** A page of results: the CSV rows by column name (the Bulk API's nulls are empty strings). */
export interface ResultPage {
  records: Record<string, string>[];
  /** The locator of the next page; null after the last page. */
  nextLocator: string | null;
}

const queryJobInfo = z.object({ id: z.string().min(1), state: z.string() });

/** Creates a query job; returns its id. */
export async function startQueryJob(
  conn: Connection,
  soql: string,
  operation: QueryOperation,
): Promise<string> {
  const created = await conn.request({
    method: 'POST',
    url: '/jobs/query',
    body: JSON.stringify({ operation, query: soql }),
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
  return queryJobInfo.parse(created).id;
}

/** Waits until the job has its results (jsforce throws when it fails, is aborted, or times out). */
export async function waitForQueryJob(conn: Connection, jobId: string, poll: PollOptions): Promise<void> {
  const job = conn.bulk2.job('query', { id: jobId });
  await job.poll(poll.pollIntervalMs, poll.pollTimeoutMs);
}

/** One page of a finished job's results: `locator` null for the first page. */
export async function fetchResultPage(
  conn: Connection,
  jobId: string,
  locator: string | null,
  maxRecords: number,
): Promise<ResultPage> {
  const params = new URLSearchParams({ maxRecords: String(maxRecords) });
  if (locator) params.set('locator', locator);
  // No fixed response type: a CSV page is parsed by its content type, and an error's JSON body
  // too, so a refusal keeps Salesforce's errorCode (NOT_FOUND for expired results).
  const api = new HttpApi(conn, {});
  let nextLocator: string | null = null;
  api.on('response', (response: { headers?: Record<string, string | undefined> }) => {
    const header = response.headers?.['sforce-locator'];
    nextLocator = header && header !== 'null' ? header : null;
  });
  const url = `${conn.instanceUrl}/services/data/v${conn.version}/jobs/query/${encodeURIComponent(jobId)}/results?${params}`;
  const body = await api.request<unknown>({ method: 'GET', url, headers: { Accept: 'text/csv' } });
  return { records: resultRecords(body), nextLocator };
}

/** The page's rows, whether jsforce parsed the CSV already or left it as text. */
function resultRecords(body: unknown): Record<string, string>[] {
  if (Array.isArray(body)) return body as Record<string, string>[];
  if (typeof body !== 'string' || body.trim() === '') return [];
  return parse(body, { columns: true, skip_empty_lines: true });
}
