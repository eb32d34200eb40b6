/**
 * Calls to the Outreach routes of the Signalfit API (README "Outreach"), with the dashboard's
 * in-memory bearer token. Errors are sf/api's ApiError, so views treat them alike.
 */
import { requestJson } from 'sf/api';

/** What each per-person result code means to the user. */
export const RESULT_LABELS = {
  enrolled: 'Enrolled',
  already_enrolled: 'Already in this sequence',
  person_opted_out: 'Opted out: not sent',
  person_has_no_email: 'No email: not sent',
  person_not_found: 'Not found',
  outreach_validation_failed: 'Outreach refused',
  outreach_rate_limited: 'Outreach is busy: try again later',
};

function call(path, accessToken, options = {}) {
  return requestJson(path, { ...options, accessToken });
}

export function fetchOutreachStatus(accessToken) {
  return call('/api/outreach/status', accessToken);
}

/** Whether to offer "Add to Outreach sequence": Outreach is set up and this user may enroll. */
export async function canAddToOutreach(accessToken) {
  if (!accessToken) {
    return false;
  }
  try {
    const status = await fetchOutreachStatus(accessToken);
    return status.configured && status.mayEnroll;
  } catch {
    return false;
  }
}

/** A single-use link (valid a minute) that starts the Outreach sign-in in a new window. */
export function createConnectLink(accessToken) {
  return call('/api/outreach/connect-ticket', accessToken, { method: 'POST' });
}

export function fetchSequences(accessToken, search) {
  const query = search ? `?search=${encodeURIComponent(search)}` : '';
  return call(`/api/outreach/sequences${query}`, accessToken);
}

export function fetchMailboxes(accessToken) {
  return call('/api/outreach/mailboxes', accessToken);
}

/** `idempotencyKey` stays the same when the user retries the same submission. */
export function enrollInSequence(accessToken, request, idempotencyKey) {
  return call('/api/outreach/enrollments', accessToken, {
    method: 'POST',
    body: request,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

export function fetchEnrollmentHistory(accessToken, personId) {
  return call(`/api/outreach/enrollments?personId=${encodeURIComponent(personId)}`, accessToken);
}

export function newIdempotencyKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
