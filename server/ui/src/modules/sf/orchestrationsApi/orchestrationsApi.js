/**
 * Calls of the app's Orchestrations section, of the credits and providers it shows, and of the
 * panel's "find more people like this". Same rules as sf/api: the access token is a bearer
 * header kept in memory; no cookies. `id` is an orchestration's numeric id.
 */
import { requestBlob, requestJson } from 'sf/api';

const orchestrationPath = (id) => `/api/orchestrations/${encodeURIComponent(id)}`;

/** `{ orchestrations: OrchestrationView[] }`. */
export function fetchOrchestrations(accessToken) {
  return requestJson('/api/orchestrations', { accessToken });
}

/** `{ orchestration, changes }`. */
export function fetchOrchestration(id, accessToken) {
  return requestJson(orchestrationPath(id), { accessToken });
}

/** `definition` is the o.json; answers `{ orchestration }`. */
export function createOrchestration(definition, accessToken) {
  return requestJson('/api/orchestrations', { method: 'POST', body: definition, accessToken });
}

/** `changes` is a partial o.json; answers `{ orchestration }`. */
export function updateOrchestration(id, changes, accessToken) {
  return requestJson(orchestrationPath(id), { method: 'PATCH', body: changes, accessToken });
}

/** `{ sample, counts, credits }`: nothing is bought, charged or created. */
export function previewOrchestration(id, accessToken) {
  return requestJson(`${orchestrationPath(id)}/preview`, { method: 'POST', accessToken });
}

/** The preview's files: `candidates` or `accounts`, as a Blob. */
export function fetchPreviewCsv(id, file, accessToken) {
  return requestBlob(`${orchestrationPath(id)}/preview/${file}.csv`, {
    accessToken,
    headers: { Accept: 'text/csv' },
  });
}

/** Queues a run; answers `{ run }` at once. */
export function runOrchestration(id, accessToken) {
  return requestJson(`${orchestrationPath(id)}/run`, { method: 'POST', accessToken });
}

/** Pushes again what a run bought and did not push, and retries its failures; answers `{ run }`. */
export function repushOrchestration(id, runId, accessToken) {
  return requestJson(`${orchestrationPath(id)}/repush`, { method: 'POST', body: { runId }, accessToken });
}

/** `{ runs }`, newest first. */
export function fetchRuns(id, accessToken) {
  return requestJson(`${orchestrationPath(id)}/runs`, { accessToken });
}

/** `{ run, records }`; `outcome` (optional) keeps the records of that outcome. */
export function fetchRun(id, runId, outcome, accessToken) {
  const query = outcome ? `?outcome=${encodeURIComponent(outcome)}` : '';
  return requestJson(`${orchestrationPath(id)}/runs/${encodeURIComponent(runId)}${query}`, { accessToken });
}

export function fetchRunCsv(id, runId, accessToken) {
  return requestBlob(`${orchestrationPath(id)}/runs/${encodeURIComponent(runId)}/records.csv`, {
    accessToken,
    headers: { Accept: 'text/csv' },
  });
}

/** `{ providers }`. */
export function fetchProviders(accessToken) {
  return requestJson('/api/providers', { accessToken });
}

/** `{ credits: CreditView | null, entries }`. */
export function fetchCredits(accessToken) {
  return requestJson('/api/credits', { accessToken });
}

/** The panel: `{ provider, candidates }` of people like the persona at the account (≤ 10). */
export function findMorePeople(accountId, persona, accessToken) {
  return requestJson(
    `/api/accounts/${encodeURIComponent(accountId)}/acquire?persona=${encodeURIComponent(persona)}`,
    { accessToken },
  );
}

/** The panel: buys one candidate; answers `{ outcome, target_id, error? }`. */
export function buyPerson(accountId, providerId, persona, accessToken) {
  return requestJson(`/api/accounts/${encodeURIComponent(accountId)}/acquire`, {
    method: 'POST',
    body: { providerId, persona },
    accessToken,
  });
}
