/**
 * Calls of the standalone app (the panel's calls stay in sf/api). Same rules: the access token is
 * a bearer header kept in memory; the sign-in cookie goes only to the two session calls below.
 */
import { requestBlob, requestEmpty, requestJson } from 'sf/api';

export function fetchSignInOptions() {
  return requestJson('/api/session');
}

export function demoSignIn() {
  return requestJson('/api/session/demo', { method: 'POST' });
}

/** The sign-in cookie's session as a bearer: `{ accessToken, expiresIn, user }`; 401 when not signed in. */
export function sessionToken() {
  return requestJson('/api/session/token', { method: 'POST', body: {}, withSignInCookie: true });
}

/** Ends the sign-in cookie's session. */
export function signOut() {
  return requestEmpty('/api/session/signout', { method: 'POST', body: {}, withSignInCookie: true });
}

/** `query` is a URLSearchParams string of the list's sort, filters and cursor. */
export function fetchAccounts(query, accessToken) {
  return requestJson(`/api/accounts${query ? `?${query}` : ''}`, { accessToken });
}

export function fetchIndustries(accessToken) {
  return requestJson('/api/accounts/industries', { accessToken });
}

export function fetchScoringStatus(accessToken) {
  return requestJson('/api/scoring/status', { accessToken });
}

export function startRecompute(accessToken) {
  return requestJson('/api/scoring/recompute', { method: 'POST', accessToken });
}

/** The CSV of the current view, as a Blob (fetched with the bearer token, then saved by the page). */
export function fetchAccountsCsv(query, accessToken) {
  return requestBlob(`/api/accounts/export.csv${query ? `?${query}` : ''}`, {
    accessToken,
    headers: { Accept: 'text/csv' },
  });
}

/**
 * The app's routes: `/accounts?…`, `/accounts/:id`, `/people/:id`, `/segments?…`,
 * `/segments/new`, `/segments/upload?name=…`, `/segments/:id?…` (its members' sort and filters),
 * `/segments/:id/edit`, `/reports`, `/reports/segment-performance?…` (the report's settings, the
 * API's query), `/reports/model-insights?month=…`, `/models` (in the Reports section),
 * `/orchestrations`, `/orchestrations/new`,
 * `/orchestrations/:id` (its preview), `/orchestrations/:id/edit`, `/orchestrations/:id/history?run=…`,
 * `/admin`, `/users`, `/optouts`, `/audit?…`, `/retention`, `/offboarding`; anything else is the accounts
 * list.
 */
export function parseRoute(pathname, search) {
  const query = (search || '').replace(/^\?/, '');
  // The Admin section (sf/adminNav): its entrance and its pages, each at its own address.
  const admin = /^\/(admin|users|optouts|retention|offboarding)\/?$/.exec(pathname);
  if (admin) {
    return { name: admin[1] };
  }
  if (/^\/reports\/?$/.test(pathname)) {
    return { name: 'reports' };
  }
  if (/^\/reports\/segment-performance\/?$/.test(pathname)) {
    return { name: 'report-segment-performance', query };
  }
  if (/^\/reports\/model-insights\/?$/.test(pathname)) {
    return { name: 'report-model-insights', query };
  }
  if (/^\/models\/?$/.test(pathname)) {
    return { name: 'models' };
  }
  if (/^\/audit\/?$/.test(pathname)) {
    return { name: 'audit', query };
  }
  const orchestration = parseOrchestrationRoute(pathname, query);
  if (orchestration) {
    return orchestration;
  }
  if (/^\/segments\/?$/.test(pathname)) {
    return { name: 'segments', query };
  }
  if (/^\/segments\/new\/?$/.test(pathname)) {
    return { name: 'segment-new' };
  }
  if (/^\/segments\/upload\/?$/.test(pathname)) {
    return { name: 'segment-upload', listName: new URLSearchParams(query).get('name') || '' };
  }
  const segment = /^\/segments\/([^/]+)(\/edit)?\/?$/.exec(pathname);
  if (segment) {
    const id = decodeURIComponent(segment[1]);
    return segment[2] ? { name: 'segment-edit', id } : { name: 'segment', id, query };
  }
  const account = /^\/accounts\/([^/]+)\/?$/.exec(pathname);
  if (account) {
    return { name: 'account', id: decodeURIComponent(account[1]) };
  }
  const person = /^\/people\/([^/]+)\/?$/.exec(pathname);
  if (person) {
    return { name: 'person', id: decodeURIComponent(person[1]) };
  }
  return { name: 'accounts', query };
}

function parseOrchestrationRoute(pathname, query) {
  if (/^\/orchestrations\/?$/.test(pathname)) {
    return { name: 'orchestrations' };
  }
  if (/^\/orchestrations\/new\/?$/.test(pathname)) {
    return { name: 'orchestration-new' };
  }
  const match = /^\/orchestrations\/([^/]+)(\/edit|\/history)?\/?$/.exec(pathname);
  if (!match) {
    return null;
  }
  const id = decodeURIComponent(match[1]);
  if (match[2] === '/edit') {
    return { name: 'orchestration-edit', id };
  }
  if (match[2] === '/history') {
    return { name: 'orchestration-history', id, runId: new URLSearchParams(query).get('run') || '' };
  }
  return { name: 'orchestration-preview', id };
}
