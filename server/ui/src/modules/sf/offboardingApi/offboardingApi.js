/**
 * Calls of the Admin's Offboarding page (docs/offboarding.md). Same rules as sf/api: the access
 * token is a bearer header kept in memory; no cookies.
 */
import { requestJson } from 'sf/api';

/** `{ steps: [{ id, title, done, at, by, detail, command, manual }] }`. */
export function fetchOffboarding(accessToken) {
  return requestJson('/api/offboarding', { accessToken });
}

/** Marks a manual step (`opt-outs`, `credits`) done; answers the checklist. */
export function markOffboardingStep(step, accessToken) {
  return requestJson(`/api/offboarding/${encodeURIComponent(step)}`, { method: 'POST', accessToken });
}
