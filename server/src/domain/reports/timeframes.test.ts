import {
  addMonths,
  baselineBeforeAnalysis,
  defaultTimeframes,
  parseTimeframe,
  runsOfTimeframe,
  timeframeOfMonths,
} from './timeframes';

const parsed = (text: string) => {
  const result = parseTimeframe('--baseline', text);
  if (!result.ok) throw new Error(result.message);
  return result.timeframe;
};

describe('report timeframes', () => {
  it('reads one month and a range of months as [start, end)', () => {
    expect(parsed('2026-09')).toEqual({
      from: '2026-09',
      to: '2026-09',
      start: '2026-09-01',
      end: '2026-10-01',
    });
    expect(parsed('2025-11..2026-01')).toEqual({
      from: '2025-11',
      to: '2026-01',
      start: '2025-11-01',
      end: '2026-02-01',
    });
    expect(parsed('2026-12').end).toBe('2027-01-01');
  });

  it('refuses what is not a month, a month 13 and a range that ends before it starts', () => {
    expect(parseTimeframe('--baseline', '2026-13')).toEqual({
      ok: false,
      message: '--baseline: "2026-13" is not a month (YYYY-MM) or a range of months (YYYY-MM..YYYY-MM)',
    });
    expect(parseTimeframe('--analysis', '2026-9').ok).toBe(false);
    expect(parseTimeframe('--analysis', '2026-01..2026-02..2026-03').ok).toBe(false);
    expect(parseTimeframe('--analysis', '2026-05..2026-03')).toEqual({
      ok: false,
      message: '--analysis: the range "2026-05..2026-03" ends before it starts',
    });
  });

  it('defaults to two months ago against last month, or 4–6 against 1–3 months ago', () => {
    const today = new Date('2026-12-05T10:00:00Z');
    expect(defaultTimeframes(today)).toEqual({
      baseline: timeframeOfMonths(2026 * 12 + 9, 2026 * 12 + 9),
      analysis: timeframeOfMonths(2026 * 12 + 10, 2026 * 12 + 10),
    });
    expect(defaultTimeframes(today).baseline.from).toBe('2026-10');
    expect(defaultTimeframes(today).analysis.from).toBe('2026-11');
    const ranges = defaultTimeframes(new Date('2026-02-01T00:00:00Z'), 'range');
    expect([ranges.baseline.from, ranges.baseline.to]).toEqual(['2025-08', '2025-10']);
    expect([ranges.analysis.from, ranges.analysis.to]).toEqual(['2025-11', '2026-01']);
  });

  it('keeps the runs with start < as_of ≤ end, and orders baseline before analysis', () => {
    const runs = ['2026-09-01', '2026-09-02', '2026-09-30', '2026-10-01', '2026-10-02'].map((asOf) => ({
      asOf,
    }));
    expect(runsOfTimeframe(runs, parsed('2026-09')).map((r) => r.asOf)).toEqual([
      '2026-09-02',
      '2026-09-30',
      '2026-10-01',
    ]);
    expect(baselineBeforeAnalysis(parsed('2026-08'), parsed('2026-09'))).toBe(true);
    expect(baselineBeforeAnalysis(parsed('2026-08..2026-09'), parsed('2026-09'))).toBe(false);
    expect(addMonths('2026-11-01', 3)).toBe('2027-02-01');
  });
});
