import type { Db } from '../../store/db';
import type { AccountFilters } from './listAccounts';

/** Searches are counted up to here ("1,000+"): a prefix can match a large share of the store. */
export const SEARCH_COUNT_CAP = 1000;

interface Group {
  fit: string | null;
  stage: string | null;
  /** Null: the current run has not scored these accounts. */
  qualified: boolean | null;
  industry: string | null;
  n: number;
}

export interface MatchCounter {
  /** Matches of the filters (without a search) among every account of the store. */
  count(db: Db, runId: number | null, filters: AccountFilters): Promise<number>;
}

/**
 * Counts of the list without scanning a million rows per request: the store's accounts grouped by
 * fit, stage, qualified and industry (a few hundred groups) are read once per run and kept for
 * `ttlMs`; any filter combination is then a sum over groups. After the time is up the counts are
 * refreshed in the background while the previous ones still answer, so an import shows in the
 * counts within about `ttlMs`. A new run is counted at once.
 */
export function createMatchCounter(ttlMs = 60_000, clock: () => number = Date.now): MatchCounter {
  let cached: { runId: number | null; at: number; groups: Group[] } | null = null;
  let refreshing: Promise<Group[]> | null = null;

  const load = async (db: Db, runId: number | null) => {
    const rows = await db.query<{
      fit: string | null;
      stage: string | null;
      qualified: boolean | null;
      industry: string | null;
      n: number;
    }>(
      `SELECT s.profile_fit AS fit, s.buying_stage AS stage, s.qualified, a.industry, count(*)::int AS n
         FROM accounts a LEFT JOIN account_scores s ON s.run_id = $1 AND s.account_id = a.id
        GROUP BY 1, 2, 3, 4`,
      [runId],
    );
    cached = { runId, at: clock(), groups: rows };
    return rows;
  };

  const groupsFor = async (db: Db, runId: number | null): Promise<Group[]> => {
    if (!cached || cached.runId !== runId) return load(db, runId);
    if (clock() - cached.at > ttlMs && !refreshing) {
      refreshing = load(db, runId).finally(() => (refreshing = null));
      refreshing.catch(() => undefined);
    }
    return cached.groups;
  };

  return {
    async count(db, runId, filters) {
      const groups = await groupsFor(db, runId);
      let n = 0;
      for (const g of groups) {
        if (filters.fit?.length && !filters.fit.includes(g.fit ?? '')) continue;
        if (filters.stage?.length && !filters.stage.includes(g.stage ?? '')) continue;
        if (filters.qualified !== undefined && g.qualified !== filters.qualified) continue;
        if (filters.industry?.length && !filters.industry.includes(g.industry ?? '')) continue;
        n += g.n;
      }
      return n;
    },
  };
}
