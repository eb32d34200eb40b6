/**
 * Calls of the Opt-outs page (docs/opt-outs.md). Same rules as sf/api: the access token is a
 * bearer header kept in memory; no cookies. An entry is `{ email }` or `{ domain }`.
 */
import { requestBlob, requestJson } from 'sf/api';

/** `{ entries, total }`, newest first; `q` finds values containing it. */
export function fetchOptOuts({ q = '', limit = 100, offset = 0 } = {}, accessToken) {
  const params = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  if (q) {
    params.set('q', q);
  }
  return requestJson(`/api/optouts?${params}`, { accessToken });
}

/** `{ entry, added }`. */
export function addOptOut(target, accessToken) {
  return requestJson('/api/optouts', { method: 'POST', body: target, accessToken });
}

/** `{ entry }` removed. */
export function removeOptOut(target, accessToken) {
  return requestJson('/api/optouts', { method: 'DELETE', body: target, accessToken });
}

/** `{ rows, added, already, bad, badRows }`. */
export function importOptOuts(csv, accessToken) {
  return requestJson('/api/optouts', { method: 'POST', text: csv, contentType: 'text/csv', accessToken });
}

/** The whole list as a CSV Blob. */
export function exportOptOuts(accessToken) {
  return requestBlob('/api/optouts.csv', { accessToken, headers: { Accept: 'text/csv' } });
}

/** The report of the 7 days before now: `{ since, until, newOptOuts, stillPresent }`. */
export function fetchOptOutReport(accessToken) {
  return requestJson('/api/optouts/report', { accessToken });
}
