import type { Db } from '../../store/db';
import { ACTIVITY_SUMMARY_DAYS, summarizeActivity, type ActivityClassSummary } from './activitySummary';
import { researchTrend, trendStart, type ResearchTrend } from './researchTrend';

export interface AccountActivity {
  /** The last 90 days by class and source. */
  summary: ActivityClassSummary[];
  /** The last 30 days of research on configured keywords. */
  trend: ResearchTrend;
  /** Each person's latest activity within the last 90 days (ISO timestamp), by person id. */
  lastActivityByPerson: Map<string, string>;
}

type Row = {
  by_type: boolean;
  by_person: boolean;
  type: string | null;
  source: string | null;
  contact_id: string | null;
  trend_keyword: string | null;
  trend_day: string | null;
  n: number;
  last_at: Date;
};

/**
 * Everything the account view shows about the account's activity, from ONE scan of its last 90
 * days (the index on account and time): grouping sets give the counts by type and source, the
 * latest activity of each person and the daily research on configured keywords together.
 */
export async function accountActivity(db: Db, accountId: string, now: Date): Promise<AccountActivity> {
  const since = new Date(now.getTime() - ACTIVITY_SUMMARY_DAYS * 86_400_000);
  const rows = await db.query<Row>(
    `WITH recent AS (
       SELECT a.type, a.source, a.contact_id, a.occurred_at,
              CASE WHEN a.type = 'keyword_research' AND a.occurred_at >= $3 AND k.keyword IS NOT NULL
                   THEN a.keyword END AS trend_keyword,
              CASE WHEN a.type = 'keyword_research' AND a.occurred_at >= $3 AND k.keyword IS NOT NULL
                   THEN to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') END AS trend_day
         FROM activities a
         LEFT JOIN keywords k ON k.keyword = a.keyword
        WHERE a.account_id = $1 AND a.occurred_at >= $2 AND a.occurred_at < $4
     )
     SELECT GROUPING(type, source) = 0 AS by_type, GROUPING(contact_id) = 0 AS by_person,
            type, source, contact_id, trend_keyword, trend_day,
            count(*)::int AS n, max(occurred_at) AS last_at
       FROM recent
      GROUP BY GROUPING SETS ((type, source), (contact_id), (trend_keyword, trend_day))`,
    [accountId, since, trendStart(now), now],
  );
  const byType: { type: string; source: string | null; n: number; lastAt: string }[] = [];
  const daily: { keyword: string; day: string; n: number }[] = [];
  const lastActivityByPerson = new Map<string, string>();
  for (const row of rows) {
    const lastAt = new Date(row.last_at).toISOString();
    if (row.by_type && row.type) byType.push({ type: row.type, source: row.source, n: row.n, lastAt });
    else if (row.by_person) {
      if (row.contact_id) lastActivityByPerson.set(row.contact_id, lastAt);
    } else if (row.trend_keyword && row.trend_day) {
      daily.push({ keyword: row.trend_keyword, day: row.trend_day, n: row.n });
    }
  }
  return { summary: summarizeActivity(byType), trend: researchTrend(daily, now), lastActivityByPerson };
}
