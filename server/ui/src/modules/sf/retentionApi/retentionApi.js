/**
 * Calls of the Admin's Retention tab (docs/retention.md). Same rules as sf/api: the access token
 * is a bearer header kept in memory; no cookies.
 */
import { requestJson } from 'sf/api';

/** `{ retention: { activitiesDays, outboundDays, scoreRuns, auditDays } }`; null keeps a class for ever. */
export function fetchRetention(accessToken) {
  return requestJson('/api/retention', { accessToken });
}

/** Changes the classes given (null: keep for ever); answers the settings now. */
export function saveRetention(changes, accessToken) {
  return requestJson('/api/retention', { method: 'PUT', body: changes, accessToken });
}

/**
 * The daily job's last purge, from the audit log (`retention.purge`, its `counts` the rows
 * deleted per table), or null when none ran. Needs `audit.view`.
 */
export async function fetchLastPurge(accessToken) {
  const page = await requestJson('/api/audit?action=retention.purge&limit=1', { accessToken });
  return (page && page.entries && page.entries[0]) || null;
}
