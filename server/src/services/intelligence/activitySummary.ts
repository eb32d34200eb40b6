import {
  ACTIVITY_CLASSES,
  activityClassOf,
  type ActivityClass,
  type ActivityType,
} from '../../domain/canonical';

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

const KNOWN_TYPES = new Set<string>(Object.values(ACTIVITY_CLASSES).flat());

/** Activity counts by type and source, summed up by class (fixed order) and source. */
export function summarizeActivity(
  rows: readonly { type: string; source: string | null; n: number; lastAt: string }[],
): ActivityClassSummary[] {
  const classes = (Object.keys(ACTIVITY_CLASSES) as ActivityClass[]).map((cls): ActivityClassSummary => ({
    class: cls,
    count: 0,
    lastAt: null,
    sources: [],
  }));
  for (const row of rows) {
    if (!KNOWN_TYPES.has(row.type)) continue;
    const summary = classes.find((c) => c.class === activityClassOf(row.type as ActivityType))!;
    summary.count += row.n;
    if (!summary.lastAt || row.lastAt > summary.lastAt) summary.lastAt = row.lastAt;
    const source = row.source ?? 'unknown';
    const existing = summary.sources.find((s) => s.source === source);
    if (existing) {
      existing.count += row.n;
      if (row.lastAt > existing.lastAt) existing.lastAt = row.lastAt;
    } else {
      summary.sources.push({ source, count: row.n, lastAt: row.lastAt });
    }
  }
  for (const summary of classes) {
    summary.sources.sort((a, b) => b.count - a.count || a.source.localeCompare(b.source));
  }
  return classes;
}
