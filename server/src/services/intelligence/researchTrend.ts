import type { Db } from '../../store/db';

/** The research trend covers this many UTC days, today included. */
export const RESEARCH_TREND_DAYS = 30;

export interface ResearchTrend {
  /** The first and last day shown (YYYY-MM-DD, UTC). */
  from: string;
  to: string;
  /** One entry per configured keyword the account researched, most researched first. */
  keywords: { keyword: string; total: number; daily: number[] }[];
}

/**
 * Daily keyword research by the account over the last 30 days, on configured keywords only
 * (research on other keywords moves no score, so it is not shown either).
 */
export async function researchTrend(db: Db, accountId: string, now: Date): Promise<ResearchTrend> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const first = today - (RESEARCH_TREND_DAYS - 1) * 86_400_000;
  const rows = await db.query<{ keyword: string; day: string; n: number }>(
    `SELECT a.keyword, to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n
       FROM activities a
       JOIN keywords k ON k.keyword = a.keyword
      WHERE a.account_id = $1 AND a.type = 'keyword_research' AND a.occurred_at >= $2 AND a.occurred_at < $3
      GROUP BY 1, 2`,
    [accountId, new Date(first), now],
  );
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
  return { from: isoDay(first), to: isoDay(today), keywords };
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
