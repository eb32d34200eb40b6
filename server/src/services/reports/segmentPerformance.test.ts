import { parseTimeframe, type Timeframe } from '../../domain/reports/timeframes';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { segmentPerformanceReport } from './segmentPerformance';
import { segmentPerformanceAccounts } from './segmentPerformanceAccounts';
import { loadSegmentPerformanceMarket } from './segmentPerformanceTesting';
import type { SegmentPerformanceProps } from './segmentPerformanceData';

function timeframe(text: string): Timeframe {
  const parsed = parseTimeframe('t', text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.timeframe;
}

describe.each(testStoreTargets())('segment performance report ($name)', (target) => {
  let db: Db;
  useTestStore(target, (opened) => {
    db = opened;
  });
  beforeAll(async () => loadSegmentPerformanceMarket(db));

  const props = (over: Partial<SegmentPerformanceProps> = {}): SegmentPerformanceProps => ({
    db,
    actor: OPERATOR,
    segments: ['focus'],
    type: 'stage',
    baseline: timeframe('2026-01'),
    analysis: timeframe('2026-02..2026-03'),
    cohort: 'analysis',
    options: { excludeZeroAmount: false, excludeIrrelevant: false },
    now: new Date('2026-05-15T00:00:00Z'),
    ...over,
  });

  it('takes the analysis cohort from the closing run and the highest stage over each timeframe’s runs', async () => {
    const report = await segmentPerformanceReport(props());
    expect(report.runs).toEqual({
      baseline: { runId: expect.any(Number), asOf: '2026-02-01' },
      analysis: { runId: expect.any(Number), asOf: '2026-04-01' },
    });
    // Cohort A, B, D: A Awareness → Decision, B Decision → Target, D (no score) → Purchase.
    expect(report.summary).toEqual({
      accounts: 3,
      increased: 2,
      decreased: 1,
      unchanged: 0,
      pipeline_count: 2,
      pipeline_amount: 1000,
      won_count: 0,
      won_amount: 0,
    });
    expect(report.movement!.Awareness!.Decision).toBe(1);
    expect(report.movement!.Decision!.Target).toBe(1);
    expect(report.movement!.not_scored!.Purchase).toBe(1);
    expect(report.distribution.Decision).toEqual({
      baseline: { accounts: 1, pipeline_count: 0, pipeline_amount: 0, won_count: 1, won_amount: 500 },
      analysis: { accounts: 1, pipeline_count: 1, pipeline_amount: 1000, won_count: 0, won_amount: 0 },
    });
    expect(report.parameters.segments).toEqual([{ id: expect.any(Number), name: 'Focus' }]);
    expect(report.notes).toEqual([]);
  });

  it('takes the baseline and today cohorts from their runs; several segments are a union', async () => {
    expect((await segmentPerformanceReport(props({ cohort: 'baseline' }))).summary.accounts).toBe(3); // A, B, C
    const today = await segmentPerformanceReport(props({ cohort: 'today' }));
    expect(today.summary).toMatchObject({ accounts: 2, increased: 1, unchanged: 1 }); // C Target → Target, D
    const union = await segmentPerformanceReport(props({ segments: ['Focus', 'Other'] }));
    expect(union.summary.accounts).toBe(4);
    expect(union.parameters.segments.map((s) => s.name)).toEqual(['Focus', 'Other']);
  });

  it('drops zero amounts on request', async () => {
    const report = await segmentPerformanceReport(
      props({ options: { excludeZeroAmount: true, excludeIrrelevant: false } }),
    );
    expect(report.summary).toMatchObject({ pipeline_count: 1, pipeline_amount: 1000 });
  });

  it('reads engagement states and activities from the activities of each timeframe', async () => {
    const report = await segmentPerformanceReport(props({ type: 'engagement', cohort: 'baseline' }));
    // A intent → intent + opened; B won → known (email open at the analysis's first instant); C none → none.
    expect(report.summary).toMatchObject({ accounts: 3, increased: 1, decreased: 1, unchanged: 1 });
    expect(report.distribution.intent).toMatchObject({
      baseline: { accounts: 1 },
      analysis: { accounts: 1 },
    });
    expect(report.distribution.no_engagement).toMatchObject({
      baseline: { accounts: 2 },
      analysis: { accounts: 1 },
    });
    const line = (panel: string, metric: string, source?: string) =>
      report.activities.find((l) => l.panel === panel && l.metric === metric && l.source === source);
    expect(line('intent', 'keyword_research', 'bombora')).toEqual({
      panel: 'intent',
      metric: 'keyword_research',
      source: 'bombora',
      baseline_accounts: 1,
      analysis_accounts: 1,
      change_pct: 0,
      pipeline_amount: 1000,
      won_amount: 0,
    });
    expect(line('intent', 'keyword_research', 'g2')).toMatchObject({
      baseline_accounts: 0,
      analysis_accounts: 0,
    });
    expect(line('marketing_reached', 'ad_impression', 'linkedin')).toMatchObject({
      baseline_accounts: 1,
      analysis_accounts: 0,
      change_pct: -100,
    });
    expect(line('marketing_engaged', 'email_open')).toMatchObject({
      baseline_accounts: 0,
      analysis_accounts: 1,
      change_pct: null,
    });
    expect(line('sales_engaged', 'total')).toMatchObject({ baseline_accounts: 0, analysis_accounts: 0 });
    expect(report.movement).toBeUndefined();
  });

  it('lists the accounts behind a number', async () => {
    const drill = await segmentPerformanceAccounts({ ...props(), table: 'summary', key: 'increased' });
    expect(drill).toEqual({
      total: 2,
      accounts: [
        { id: 'A', name: 'Account A', domain: 'a.example' },
        { id: 'D', name: 'Account D', domain: 'd.example' },
      ],
    });
    const cell = await segmentPerformanceAccounts({
      ...props(),
      table: 'distribution',
      key: 'baseline.not_scored',
    });
    expect(cell.accounts.map((a) => a.id)).toEqual(['D']);
    await expect(
      segmentPerformanceAccounts({ ...props(), table: 'movement', key: 'Nowhere.Target' }),
    ).rejects.toThrow('no number "Nowhere.Target"');
  });

  it('refuses bad parameters with a clear message', async () => {
    await expect(segmentPerformanceReport(props({ segments: ['Nope'] }))).rejects.toMatchObject({
      code: 'bad_request',
      message: 'segments: unknown segment "Nope"',
    });
    await expect(
      segmentPerformanceReport(
        props({ baseline: timeframe('2026-02'), analysis: timeframe('2026-02..2026-03') }),
      ),
    ).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('must start after the baseline ends'),
    });
    await expect(segmentPerformanceReport(props({ analysis: timeframe('2026-05') }))).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('is not over yet'),
    });
  });

  it('refuses a cohort larger than the limit, saying how large it is', async () => {
    const report = await segmentPerformanceReport(props({}));
    const size = report.summary.accounts;
    expect(size).toBeGreaterThan(1);
    await expect(segmentPerformanceReport(props({ maxCohort: size - 1 }))).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining(`the cohort has ${size} accounts, more than ${size - 1}`),
    });
    await expect(segmentPerformanceReport(props({ maxCohort: size }))).resolves.toMatchObject({
      summary: { accounts: size },
    });
  });

  // Last: it adds a run to the store.
  it('scores the store as of the end of a timeframe that has no run, and says so', async () => {
    const report = await segmentPerformanceReport(
      props({ baseline: timeframe('2025-12'), cohort: 'analysis' }),
    );
    expect(report.runs.baseline.asOf).toBe('2026-01-01');
    expect(report.notes).toEqual([
      'no score run in the baseline timeframe: created the run as of 2026-01-01',
    ]);
    expect(report.summary.accounts).toBe(3);
    const again = await segmentPerformanceReport(props({ baseline: timeframe('2025-12') }));
    expect(again.notes).toEqual([]);
  });
});
