import {
  defaultTimeframes,
  fetchModelInsights,
  fetchSegmentPerformance,
  fetchSegmentPerformanceAccounts,
  monthOffset,
  parseSegmentReportQuery,
  segmentReportQuery,
} from 'sf/reportsApi';
import { stubFetch } from '../../../../../test/lwcTesting';

const TODAY = new Date('2026-12-05T10:00:00Z');

afterEach(() => {
  delete global.fetch;
});

describe('sf/reportsApi', () => {
  it('counts months in UTC across a year', () => {
    expect(monthOffset(TODAY, -1)).toBe('2026-11');
    expect(monthOffset(TODAY, -12)).toBe('2025-12');
    expect(monthOffset(new Date('2027-01-01T00:30:00Z'), -1)).toBe('2026-12');
  });

  it('defaults as the reference: two months ago against last month, or months 6–4 against 3–1', () => {
    expect(defaultTimeframes(TODAY, 'month')).toEqual({ baseline: '2026-10', analysis: '2026-11' });
    expect(defaultTimeframes(TODAY, 'range')).toEqual({
      baseline: '2026-06..2026-08',
      analysis: '2026-09..2026-11',
    });
  });

  it('reads the settings of an address and writes them back as the API query', () => {
    const settings = parseSegmentReportQuery(
      'segments=2,EMEA%20software&type=engagement&baseline=2026-04..2026-06&analysis=2026-07..2026-09&cohort=today&excludeIrrelevant=true',
      TODAY,
    );
    expect(settings).toEqual({
      segments: ['2', 'EMEA software'],
      type: 'engagement',
      mode: 'range',
      baseline: '2026-04..2026-06',
      analysis: '2026-07..2026-09',
      cohort: 'today',
      excludeZeroAmount: false,
      excludeIrrelevant: true,
    });
    expect(segmentReportQuery(settings)).toBe(
      'segments=2%2CEMEA+software&type=engagement&baseline=2026-04..2026-06&analysis=2026-07..2026-09&cohort=today&excludeIrrelevant=true',
    );
  });

  it('fills what the address lacks with the defaults (stage analysis, analysis cohort, last months)', () => {
    expect(parseSegmentReportQuery('', TODAY)).toEqual({
      segments: [],
      type: 'stage',
      mode: 'month',
      baseline: '2026-10',
      analysis: '2026-11',
      cohort: 'analysis',
      excludeZeroAmount: false,
      excludeIrrelevant: false,
    });
  });

  it('calls the report routes with the bearer token', async () => {
    const fetch = stubFetch({
      '/api/reports/segment-performance': { summary: {} },
      '/api/reports/segment-performance/accounts': { total: 0, accounts: [] },
      '/api/reports/model-insights': { signals: [] },
    });
    await fetchSegmentPerformance('segments=2&type=stage', 'token-1');
    await fetchSegmentPerformanceAccounts('segments=2&type=stage', 'movement', 'Target.Decision', 'token-1');
    await fetchModelInsights('2026-09', 'token-1');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      '/api/reports/segment-performance?segments=2&type=stage',
      '/api/reports/segment-performance/accounts?segments=2&type=stage&table=movement&key=Target.Decision',
      '/api/reports/model-insights?month=2026-09',
    ]);
    expect(fetch.mock.calls[0][1].headers.Authorization).toBe('Bearer token-1');
  });
});
