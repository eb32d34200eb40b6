/**
 * Calls of the app's Segments section and alerts. Same rules as sf/api: the access token is a
 * bearer header kept in memory; no cookies. `id` is a segment's numeric id (or its name).
 */
import { requestBlob, requestEmpty, requestJson } from 'sf/api';

const segmentPath = (id) => `/api/segments/${encodeURIComponent(id)}`;

/** `GET /api/session` with the bearer: the signed-in user's `can` (what the policies allow them). */
export function fetchSession(accessToken) {
  return requestJson('/api/session', { accessToken });
}

export function fetchSegments(accessToken) {
  return requestJson('/api/segments', { accessToken });
}

/** `{ segment, history }`. */
export function fetchSegment(id, accessToken) {
  return requestJson(segmentPath(id), { accessToken });
}

/** `fields`: `{ name, folder?, tags?, description?, kind?, definition }`; answers `{ segment }`. */
export function createSegment(fields, accessToken) {
  return requestJson('/api/segments', { method: 'POST', body: fields, accessToken });
}

export function updateSegment(id, fields, accessToken) {
  return requestJson(segmentPath(id), { method: 'PATCH', body: fields, accessToken });
}

export function deleteSegment(id, accessToken) {
  return requestEmpty(segmentPath(id), { method: 'DELETE', accessToken });
}

/**
 * The live count and first members of a definition being built (nothing is stored);
 * `segmentId` names the segment being edited.
 */
export function previewSegment({ kind, definition, segmentId }, accessToken) {
  return requestJson('/api/segments/preview', {
    method: 'POST',
    body: { kind, definition, segmentId },
    accessToken,
  });
}

/**
 * A list segment from a CSV (column `account_id` or `domain`): replaces the list, or adds to it
 * with `append`. Answers `{ segment, rows, matched, unmatched: [{ line, value, reason }] }`.
 */
export function uploadSegmentList({ name, folder, append, csv }, accessToken) {
  const params = new URLSearchParams({ name });
  if (folder) {
    params.set('folder', folder);
  }
  if (append) {
    params.set('append', 'true');
  }
  return requestJson(`/api/segments/upload?${params}`, {
    method: 'POST',
    text: csv,
    contentType: 'text/csv',
    accessToken,
  });
}

/** A page of the segment's members, the same query and answer as GET /api/accounts. */
export function fetchSegmentAccounts(id, query, accessToken) {
  return requestJson(`${segmentPath(id)}/accounts${query ? `?${query}` : ''}`, { accessToken });
}

export function fetchSegmentCsv(id, query, accessToken) {
  return requestBlob(`${segmentPath(id)}/export.csv${query ? `?${query}` : ''}`, {
    accessToken,
    headers: { Accept: 'text/csv' },
  });
}

/** Publishes (`published` true) or unpublishes the segment; answers `{ segment }`. */
export function setPublished(id, published, accessToken) {
  return requestJson(`${segmentPath(id)}/${published ? 'publish' : 'unpublish'}`, {
    method: 'POST',
    accessToken,
  });
}

/** `{ subscriptions, recent }` of every segment (the page keeps its own segment's). */
export function fetchAlerts(accessToken) {
  return requestJson('/api/alerts', { accessToken });
}

/** `fields`: `{ segment, event, slackWebhookUrl?, digest }`; answers `{ subscription }`. */
export function createAlert(fields, accessToken) {
  return requestJson('/api/alerts', { method: 'POST', body: fields, accessToken });
}

export function deleteAlert(id, accessToken) {
  return requestEmpty(`/api/alerts/${encodeURIComponent(id)}`, { method: 'DELETE', accessToken });
}

export function sendTestAlert(id, accessToken) {
  return requestJson(`/api/alerts/${encodeURIComponent(id)}/test`, { method: 'POST', accessToken });
}
