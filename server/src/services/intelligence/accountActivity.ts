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

/** One group of the activity scan (see ACTIVITY_GROUPS_SQL). */
export interface ActivityGroupRow {
  by_type: boolean;
  by_person: boolean;
  type: string | null;
  source: string | null;
  contact_id: string | null;
  trend_keyword: string | null;
  trend_day: string | null;
  n: number;
  last_at: string | Date;
}

/**
 * ONE scan of an account's last 90 days (the index on account and time), grouped three ways at
 * once: by type and source, by person (latest activity), and by configured keyword and day (the
 * research trend). `accountSql` names a one-row relation with the account's `id`; parameters:
 * $3 the 90-day start, $4 the trend's start, $5 now.
 */
export function activityGroupsSql(accountSql: string): string {
  return `SELECT GROUPING(type, source) = 0 AS by_type, GROUPING(contact_id) = 0 AS by_person,
            type, source, contact_id, trend_keyword, trend_day,
            count(*)::int AS n, max(occurred_at) AS last_at
       FROM (SELECT a.type, a.source, a.contact_id, a.occurred_at,
                    CASE WHEN a.type = 'keyword_research' AND a.occurred_at >= $4 AND k.keyword IS NOT NULL
                         THEN a.keyword END AS trend_keyword,
                    CASE WHEN a.type = 'keyword_research' AND a.occurred_at >= $4 AND k.keyword IS NOT NULL
                         THEN to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') END AS trend_day
               FROM ${accountSql} acc
               JOIN activities a ON a.account_id = acc.id AND a.occurred_at >= $3 AND a.occurred_at < $5
               LEFT JOIN keywords k ON k.keyword = a.keyword) recent
      GROUP BY GROUPING SETS ((type, source), (contact_id), (trend_keyword, trend_day))`;
}

/** The parameters $3, $4 and $5 of activityGroupsSql. */
export function activityWindow(now: Date): [Date, Date, Date] {
  return [new Date(now.getTime() - ACTIVITY_SUMMARY_DAYS * 86_400_000), trendStart(now), now];
}

/** The summary, the trend and each person's latest activity from the grouped rows. */
export function accountActivity(rows: readonly ActivityGroupRow[], now: Date): AccountActivity {
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
