import { startOfUtcDay } from '../../domain/dates';

/** The research trend covers this many UTC days, today included. */
export const RESEARCH_TREND_DAYS = 30;

export interface ResearchTrend {
  /** The first and last day shown (YYYY-MM-DD, UTC). */
  from: string;
  to: string;
  /** One entry per configured keyword the account researched, most researched first. */
  keywords: { keyword: string; total: number; daily: number[] }[];
}

/** The first instant of the trend's window: midnight UTC, 29 days before today. */
export function trendStart(now: Date): Date {
  return new Date(startOfUtcDay(now).getTime() - (RESEARCH_TREND_DAYS - 1) * 86_400_000);
}

/**
 * Daily research counts (configured keywords only: research on other keywords moves no score,
 * so it is not shown either) as one series of 30 days per keyword.
 */
export function researchTrend(
  rows: readonly { keyword: string; day: string; n: number }[],
  now: Date,
): ResearchTrend {
  const first = trendStart(now).getTime();
  const byKeyword = new Map<string, number[]>();
  for (const row of rows) {
    const index = Math.round((Date.parse(`${row.day}T00:00:00Z`) - first) / 86_400_000);
    if (index < 0 || index >= RESEARCH_TREND_DAYS) continue;
    const daily = byKeyword.get(row.keyword) ?? new Array<number>(RESEARCH_TREND_DAYS).fill(0);
    daily[index] = (daily[index] ?? 0) + row.n;
    byKeyword.set(row.keyword, daily);
  }
  const keywords = [...byKeyword].map(([keyword, daily]) => ({
    keyword,
    total: daily.reduce((sum, n) => sum + n, 0),
    daily,
  }));
  keywords.sort((a, b) => b.total - a.total || a.keyword.localeCompare(b.keyword));
  return {
    from: isoDay(first),
    to: isoDay(first + (RESEARCH_TREND_DAYS - 1) * 86_400_000),
    keywords,
  };
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
