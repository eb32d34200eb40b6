/**
 * Calls of the Models page (`/models`, docs/models.md) and the words the app uses for model
 * versions: their kinds, the run's `model_version` label, a set of version ids.
 */
import { requestJson } from 'sf/api';
import { formatDate, formatNumber } from 'sf/format';
import { MODEL_KINDS } from 'sf/vocabulary';

export const KIND_LABELS = Object.freeze({
  intent: 'Intent',
  profile_fit: 'Profile fit',
  contact_fit: 'Contact fit',
  engagement: 'Engagement',
});

/** Postpone's default and bounds (days), as the service checks them. */
export const POSTPONE_DAYS = Object.freeze({ default: 14, min: 1, max: 90 });

/** A kind as a heading ("Profile fit"); a kind the app does not know, with its underscores as spaces. */
export function kindLabel(kind) {
  return KIND_LABELS[kind] || String(kind).replace(/_/g, ' ');
}

/** Every version, newest first (GET /api/models answers the list itself). */
export async function fetchModels(accessToken) {
  const answer = await requestJson('/api/models', { accessToken });
  return Array.isArray(answer) ? answer : (answer && answer.models) || [];
}

/** The candidate training waiting to roll out, or null. */
export function fetchPendingModels(accessToken) {
  return requestJson('/api/models/pending', { accessToken });
}

/** Candidate against active: 404 `not_found` without a candidate, 409 before the first scoring run. */
export function fetchModelComparison(accessToken) {
  return requestJson('/api/models/compare', { accessToken });
}

/**
 * The accounts behind one number of the comparison: `{ kind, from?, to? }` with kind `stage`,
 * `fit`, `becoming_qualified` or `stopping_qualified`; `limit` and `offset` page through them.
 */
export function fetchComparisonAccounts({ kind, from, to, limit, offset }, accessToken) {
  const params = new URLSearchParams({ kind });
  if (from !== undefined) {
    params.set('from', from);
  }
  if (to !== undefined) {
    params.set('to', to);
  }
  params.set('limit', String(limit));
  params.set('offset', String(offset));
  return requestJson(`/api/models/compare/accounts?${params}`, { accessToken });
}

const post = (path, body, accessToken) => requestJson(path, { method: 'POST', body, accessToken });

/** Each acts on every candidate version of the training of version `id`. */
export function approveModels(id, accessToken) {
  return post(`/api/models/${encodeURIComponent(id)}/approve`, {}, accessToken);
}

export function postponeModels(id, days, accessToken) {
  return post(`/api/models/${encodeURIComponent(id)}/postpone`, { days }, accessToken);
}

export function rejectModels(id, accessToken) {
  return post(`/api/models/${encodeURIComponent(id)}/reject`, {}, accessToken);
}

export function rollbackModels(accessToken) {
  return post('/api/models/rollback', {}, accessToken);
}

const LABEL = /^[a-z_]+:\d+(?: [a-z_]+:\d+)*$/;

/**
 * A run's `model_version` ("intent:12 profile_fit:13 contact_fit:14 engagement:15") as
 * `[{ kind, id }]`; null for the free-text labels of runs scored before versions existed.
 */
export function parseModelVersion(label) {
  const text = typeof label === 'string' ? label.trim() : '';
  if (!LABEL.test(text)) {
    return null;
  }
  return text.split(' ').map((part) => {
    const [kind, id] = part.split(':');
    return { kind, id: Number(id) };
  });
}

/**
 * A run's model in words: "model versions: intent #12, profile fit #13, contact fit #14,
 * engagement #15"; an older free-text label as it is ("model test-1"); nothing without a label.
 */
export function modelVersionText(label) {
  const versions = parseModelVersion(label);
  if (versions) {
    const named = versions.map(({ kind, id }) => `${kindLabel(kind).toLowerCase()} #${id}`);
    return `model versions: ${named.join(', ')}`;
  }
  return label ? `model ${label}` : '';
}

/** "Scored by model versions: intent #12, profile fit #13, …" (the account view's line). */
export function scoredByText(label) {
  const text = modelVersionText(label);
  return text ? `Scored by ${text}` : '';
}

/** "version 21", "versions 21–24" (consecutive), "versions 21, 23 and 25". */
export function versionsText(ids) {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  if (sorted.length === 0) {
    return 'no versions';
  }
  if (sorted.length === 1) {
    return `version ${sorted[0]}`;
  }
  const consecutive = sorted.every((id, index) => index === 0 || id === sorted[index - 1] + 1);
  if (consecutive) {
    return `versions ${sorted[0]}–${sorted[sorted.length - 1]}`;
  }
  return `versions ${sorted.slice(0, -1).join(', ')} and ${sorted[sorted.length - 1]}`;
}

/** Rows in the kinds' order (intent, profile fit, contact fit, engagement), unknown kinds last. */
export function byKind(rows) {
  const rank = (kind) => (MODEL_KINDS.includes(kind) ? MODEL_KINDS.indexOf(kind) : MODEL_KINDS.length);
  return [...rows].sort((a, b) => rank(a.kind) - rank(b.kind) || a.id - b.id);
}

/**
 * What a roll-back brings back: per kind with an active version, the version retired most
 * recently (the one active before it, docs/models.md "Rollback"). Empty: nothing to roll back to.
 */
export function rollbackTargets(rows) {
  const activeKinds = new Set(rows.filter((row) => row.state === 'active').map((row) => row.kind));
  const latest = new Map();
  for (const row of rows) {
    if (row.state !== 'retired' || !activeKinds.has(row.kind)) {
      continue;
    }
    const seen = latest.get(row.kind);
    if (!seen || String(row.state_changed_at) > String(seen.state_changed_at)) {
      latest.set(row.kind, row);
    }
  }
  return byKind([...latest.values()]);
}

/** `YYYY-MM-DD` moved by `days` (UTC). */
export function addDays(day, days) {
  const time = Date.parse(`${day}T00:00:00Z`) + days * 86400000;
  return new Date(time).toISOString().slice(0, 10);
}

/** The trained days of some versions: "trained Oct 1, 2026" (or several days, each once). */
export function trainedText(rows) {
  const days = [...new Set(rows.map((row) => row.trained_as_of).filter(Boolean))].sort();
  return days.length ? `trained ${days.map(formatDate).join(', ')}` : '';
}

/** An AUC's 95 % interval, "(0.771–0.853)"; nothing without one. */
export function intervalText(ci) {
  return Array.isArray(ci) && typeof ci[0] === 'number' && typeof ci[1] === 'number'
    ? `(${ci[0].toFixed(3)}–${ci[1].toFixed(3)})`
    : '';
}

/** "0.812 (0.771–0.853)"; "—" without an AUC. */
export function aucText(auc, ci) {
  if (typeof auc !== 'number') {
    return '—';
  }
  const interval = intervalText(ci);
  return interval ? `${auc.toFixed(3)} ${interval}` : auc.toFixed(3);
}

/** A count of the comparison (a number, or a list of accounts: its length). */
export function countOf(value) {
  if (Array.isArray(value)) {
    return value.length;
  }
  return typeof value === 'number' ? value : null;
}

/** "37 accounts become qualified, 12 stop" with the right number for one. */
export function qualifiedChangeText(becoming, stopping) {
  const become = becoming === 1 ? 'account becomes' : 'accounts become';
  const stop = stopping === 1 ? 'stops' : 'stop';
  return `${formatNumber(becoming)} ${become} qualified, ${formatNumber(stopping)} ${stop}`;
}
