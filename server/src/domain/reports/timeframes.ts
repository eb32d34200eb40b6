/**
 * Report timeframes (docs/reports.md): whole calendar months in UTC, one month or a range of
 * months, written `YYYY-MM` or `YYYY-MM..YYYY-MM`. A timeframe is the half-open interval of days
 * [start, end), where `start` is the first day of its first month and `end` the first day after
 * its last month. A run as of day D describes the state at the end of D − 1, so the runs of a
 * timeframe are the complete runs with start < D ≤ end, and its closing run is the latest of them.
 */

export interface Timeframe {
  /** The first month, YYYY-MM. */
  from: string;
  /** The last month, YYYY-MM (equal to `from` for one month). */
  to: string;
  /** First day of `from`, YYYY-MM-DD. */
  start: string;
  /** First day after `to`, YYYY-MM-DD: the closing run's as-of day when one must be made. */
  end: string;
}

export type TimeframeResult = { ok: true; timeframe: Timeframe } | { ok: false; message: string };

const MONTH = /^(\d{4})-(\d{2})$/;

/** Month index (years × 12 + month − 1) of `YYYY-MM`, or null when it is not one. */
function monthIndex(text: string): number | null {
  const match = MONTH.exec(text);
  if (!match) return null;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  return Number(match[1]) * 12 + month - 1;
}

function monthText(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The timeframe of the months `first` to `last` (month indexes, first ≤ last). */
export function timeframeOfMonths(first: number, last: number): Timeframe {
  return {
    from: monthText(first),
    to: monthText(last),
    start: `${monthText(first)}-01`,
    end: `${monthText(last + 1)}-01`,
  };
}

/** Parses `YYYY-MM` or `YYYY-MM..YYYY-MM`; `name` is how the message calls the value. */
export function parseTimeframe(name: string, text: string): TimeframeResult {
  const parts = text.trim().split('..');
  const indexes = parts.map(monthIndex);
  if (parts.length > 2 || indexes.some((index) => index === null)) {
    return {
      ok: false,
      message: `${name}: "${text}" is not a month (YYYY-MM) or a range of months (YYYY-MM..YYYY-MM)`,
    };
  }
  const first = indexes[0] as number;
  const last = (indexes[1] ?? first) as number;
  if (last < first) return { ok: false, message: `${name}: the range "${text}" ends before it starts` };
  return { ok: true, timeframe: timeframeOfMonths(first, last) };
}

/** The month index of a day (a Date in UTC). */
export function monthOf(day: Date): number {
  return day.getUTCFullYear() * 12 + day.getUTCMonth();
}

/**
 * The default timeframes on `today`: one month (baseline two months ago, analysis last month) or
 * ranges (baseline four to six months ago, analysis one to three months ago).
 */
export function defaultTimeframes(
  today: Date,
  kind: 'month' | 'range' = 'month',
): { baseline: Timeframe; analysis: Timeframe } {
  const now = monthOf(today);
  return kind === 'month'
    ? { baseline: timeframeOfMonths(now - 2, now - 2), analysis: timeframeOfMonths(now - 1, now - 1) }
    : { baseline: timeframeOfMonths(now - 6, now - 4), analysis: timeframeOfMonths(now - 3, now - 1) };
}

/** Whether the baseline ends before the analysis starts (a report compares an earlier with a later timeframe). */
export function baselineBeforeAnalysis(baseline: Timeframe, analysis: Timeframe): boolean {
  return baseline.end <= analysis.start;
}

/** The runs of a timeframe: start < as_of ≤ end (days as YYYY-MM-DD compare as text). */
export function runsOfTimeframe<R extends { asOf: string }>(runs: readonly R[], timeframe: Timeframe): R[] {
  return runs.filter((run) => run.asOf > timeframe.start && run.asOf <= timeframe.end);
}

/** The first day of the month three months after `month`'s first day: the backtest window's end. */
export function addMonths(day: string, months: number): string {
  const index = monthIndex(day.slice(0, 7));
  if (index === null) throw new Error(`not a day: ${day}`);
  return `${monthText(index + months)}-${day.slice(8, 10)}`;
}
