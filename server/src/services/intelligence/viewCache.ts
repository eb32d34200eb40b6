import type { Db } from '../../store/db';
import { CURRENT_RUN_SQL } from './recordIds';

export interface ViewCacheOptions {
  /** How long a view is reused; 0 turns the cache off. */
  ttlMs: number;
  /** At most this many views are kept; the oldest go first. */
  maxEntries?: number;
  /** How often the current score run is looked up: a new run drops every cached view. */
  runCheckMs?: number;
  /** Milliseconds now (tests move it). */
  clock?: () => number;
}

/**
 * A short-lived cache of read views (the account view the Salesforce panel opens on every record
 * page), keyed by the id asked for. A view is reused for `ttlMs` at most, and every view is
 * dropped within `runCheckMs` of a new scoring run completing, so a rep never sees scores older
 * than the current run for longer than that. Concurrent requests for the same id share one load;
 * a failed load is not kept.
 */
export function viewCache<T>(
  db: Db,
  options: ViewCacheOptions,
): (id: string, load: () => Promise<T>) => Promise<T> {
  const { ttlMs, maxEntries = 10_000, runCheckMs = 1_000, clock = Date.now } = options;
  const views = new Map<string, { at: number; view: Promise<T> }>();
  let run: { checkedAt: number; id: Promise<string | null> } | undefined;

  async function dropViewsOfOldRuns(): Promise<void> {
    const now = clock();
    if (!run || now - run.checkedAt >= runCheckMs) {
      const previous = run ? await run.id.catch(() => null) : undefined;
      const current = db
        .query<{ id: string }>(CURRENT_RUN_SQL, [], { name: 'view_cache_current_run' })
        .then((rows) => rows[0]?.id ?? null);
      run = { checkedAt: now, id: current };
      current.catch(() => (run = undefined));
      if ((await current) !== previous) views.clear();
    } else {
      await run.id;
    }
  }

  return async (id, load) => {
    if (ttlMs <= 0) return load();
    await dropViewsOfOldRuns();
    const now = clock();
    const cached = views.get(id);
    if (cached && now - cached.at < ttlMs) return cached.view;
    views.delete(id);
    const view = load();
    const entry = { at: now, view };
    views.set(id, entry);
    view.catch(() => {
      if (views.get(id) === entry) views.delete(id);
    });
    // Maps iterate in insertion order: the first key is the oldest view.
    if (views.size > maxEntries) views.delete(views.keys().next().value as string);
    return view;
  };
}
