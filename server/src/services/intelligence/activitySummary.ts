import {
  ACTIVITY_CLASSES,
  activityClassOf,
  type ActivityClass,
  type ActivityType,
} from '../../domain/canonical';
import type { Db } from '../../store/db';

/** The activity summary covers this many days before the request. */
export const ACTIVITY_SUMMARY_DAYS = 90;

export interface ActivitySource {
  source: string;
  count: number;
  lastAt: string;
}

export interface ActivityClassSummary {
  class: ActivityClass;
  count: number;
  lastAt: string | null;
  /** Busiest source first. A missing source is reported as `unknown`. */
  sources: ActivitySource[];
}

/** The account's activities of the last 90 days by class (fixed order) and source. */
export async function activitySummary(db: Db, accountId: string, now: Date): Promise<ActivityClassSummary[]> {
  const since = new Date(now.getTime() - ACTIVITY_SUMMARY_DAYS * 86_400_000);
  const rows = await db.query<{ type: string; source: string | null; n: number; last_at: Date }>(
    `SELECT type, source, count(*)::int AS n, max(occurred_at) AS last_at
       FROM activities
      WHERE account_id = $1 AND occurred_at >= $2 AND occurred_at < $3
      GROUP BY type, source`,
    [accountId, since, now],
  );
  const classes = (Object.keys(ACTIVITY_CLASSES) as ActivityClass[]).map((cls): ActivityClassSummary => ({
    class: cls,
    count: 0,
    lastAt: null,
    sources: [],
  }));
  for (const row of rows) {
    if (!(Object.values(ACTIVITY_CLASSES).flat() as string[]).includes(row.type)) continue;
    const summary = classes.find((c) => c.class === activityClassOf(row.type as ActivityType))!;
    const lastAt = new Date(row.last_at).toISOString();
    summary.count += row.n;
    if (!summary.lastAt || lastAt > summary.lastAt) summary.lastAt = lastAt;
    const source = row.source ?? 'unknown';
    const existing = summary.sources.find((s) => s.source === source);
    if (existing) {
      existing.count += row.n;
      if (lastAt > existing.lastAt) existing.lastAt = lastAt;
    } else {
      summary.sources.push({ source, count: row.n, lastAt });
    }
  }
  for (const summary of classes)
    summary.sources.sort((a, b) => b.count - a.count || a.source.localeCompare(b.source));
  return classes;
}
