/**
 * Calls of the Admin "Audit log" page (GET /api/audit and its CSV), and its filters as the query
 * of the app's address and of the API (the same names, so a reload or a shared link keeps them).
 */
import { requestBlob, requestJson } from 'sf/api';

export const AUDIT_PAGE_SIZE = 50;

/** The filters read from a query string: `since`, `until` (days, YYYY-MM-DD), `actor`, `action`. */
export function parseAuditQuery(query) {
  const params = new URLSearchParams(query || '');
  const day = (name) => (/^\d{4}-\d{2}-\d{2}$/.test(params.get(name) || '') ? params.get(name) : '');
  return {
    since: day('since'),
    until: day('until'),
    actor: (params.get('actor') || '').trim(),
    action: (params.get('action') || '').trim(),
  };
}

/** The filters as a query string (empty ones left out). */
export function auditQuery(filters) {
  const params = new URLSearchParams();
  for (const name of ['since', 'until', 'actor', 'action']) {
    if (filters[name]) {
      params.set(name, filters[name]);
    }
  }
  return params.toString();
}

/** `{ entries, next }`: a page of entries, newest first; `before` is the `next` of the page before. */
export function fetchAudit(query, before, accessToken) {
  const params = new URLSearchParams(query);
  params.set('limit', String(AUDIT_PAGE_SIZE));
  if (before) {
    params.set('before', String(before));
  }
  return requestJson(`/api/audit?${params}`, { accessToken });
}

/** The address of the CSV of the filtered log (fetched with the bearer token, then saved by the page). */
export function auditCsvPath(query) {
  return `/api/audit.csv${query ? `?${query}` : ''}`;
}

export function fetchAuditCsv(query, accessToken) {
  return requestBlob(auditCsvPath(query), { accessToken, headers: { Accept: 'text/csv' } });
}
