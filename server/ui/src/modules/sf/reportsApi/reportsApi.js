/**
 * Calls of the app's Reports section, and the report parameters as the app keeps them in its
 * address (the same query as the API, so a reload or a shared link shows the same report).
 */
import { requestJson } from 'sf/api';

/** `YYYY-MM` of the month `offset` months from the month of `today` (UTC). */
export function monthOffset(today, offset) {
  const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + offset, 1));
  return date.toISOString().slice(0, 7);
}

/**
 * The comparison's default timeframes as the reference sets them: one month to another, the
 * baseline two months ago and the analysis last month; a range to another, months 6–4 ago and
 * 3–1 ago. A range is `from..to`.
 */
export function defaultTimeframes(today, mode) {
  if (mode === 'range') {
    return {
      baseline: `${monthOffset(today, -6)}..${monthOffset(today, -4)}`,
      analysis: `${monthOffset(today, -3)}..${monthOffset(today, -1)}`,
    };
  }
  return { baseline: monthOffset(today, -2), analysis: monthOffset(today, -1) };
}

/** The report's settings read from a query string; `segments` empty means not configured yet. */
export function parseSegmentReportQuery(query, today) {
  const params = new URLSearchParams(query || '');
  const baseline = params.get('baseline') || '';
  const mode = baseline.includes('..') ? 'range' : 'month';
  const defaults = defaultTimeframes(today, mode);
  return {
    segments: (params.get('segments') || '').split(',').filter(Boolean),
    type: params.get('type') === 'engagement' ? 'engagement' : 'stage',
    mode,
    baseline: baseline || defaults.baseline,
    analysis: params.get('analysis') || defaults.analysis,
    cohort: ['today', 'baseline', 'analysis'].includes(params.get('cohort'))
      ? params.get('cohort')
      : 'analysis',
    excludeZeroAmount: params.get('excludeZeroAmount') === 'true',
    excludeIrrelevant: params.get('excludeIrrelevant') === 'true',
  };
}

/** The settings as the query of the app's address and of GET /api/reports/segment-performance. */
export function segmentReportQuery(settings) {
  const params = new URLSearchParams({
    segments: settings.segments.join(','),
    type: settings.type,
    baseline: settings.baseline,
    analysis: settings.analysis,
    cohort: settings.cohort,
  });
  if (settings.excludeZeroAmount) {
    params.set('excludeZeroAmount', 'true');
  }
  if (settings.excludeIrrelevant) {
    params.set('excludeIrrelevant', 'true');
  }
  return params.toString();
}

export function fetchSegmentPerformance(query, accessToken) {
  return requestJson(`/api/reports/segment-performance?${query}`, { accessToken });
}

/** `{ total, accounts: [{ id, name, domain }] }`: the accounts behind one number of the report. */
export function fetchSegmentPerformanceAccounts(query, table, key, accessToken) {
  const params = new URLSearchParams(query);
  params.set('table', table);
  params.set('key', key);
  return requestJson(`/api/reports/segment-performance/accounts?${params}`, { accessToken });
}

export function fetchModelInsights(month, accessToken) {
  return requestJson(`/api/reports/model-insights?month=${encodeURIComponent(month)}`, { accessToken });
}
