import type { Db } from '../../store/db';
import { CURRENT_RUN_SQL } from './recordIds';

/**
 * What a cached view depends on besides the account: the current run, and the last change of any
 * segment (a view lists the account's segments). Either changing drops every view.
 */
const FRESHNESS_SQL = `SELECT coalesce((SELECT id FROM (${CURRENT_RUN_SQL}) r)::text, '-') || '/' ||
  coalesce((SELECT max(id) FROM segment_changes)::text, '-') AS id`;

interface Entry<T> {
  at: number;
  view: Promise<T>;
  /** A background reload of this stale view is under way. */
  reloading: boolean;
}

export interface ViewCacheOptions {
  /** How long a view is reused; 0 turns the cache off. */
  ttlMs: number;
  /** At most this many views are kept; the oldest go first. */
  maxEntries?: number;
  /** How often the current score run and the last segment change are looked up: either changing drops every cached view. */
  runCheckMs?: number;
  /** Milliseconds now (tests move it). */
  clock?: () => number;
}

/**
 * A short-lived cache of read views (the account view the Salesforce panel opens on every record
 * page), keyed by the id asked for. A view younger than `ttlMs` is reused; one up to twice that
 * age is still answered while a single reload replaces it in the background (nobody waits for a
 * reload of a view in use); an older one is loaded afresh. Every view is dropped within
 * `runCheckMs` of a new scoring run completing (or of a segment changing: created, edited,
 * uploaded, published, deleted), so a rep never sees scores of a run older than
 * the current one for longer than that. Concurrent requests for the same id share one load; a
 * failed load is not kept.
 */
export function viewCache<T>(
  db: Db,
  options: ViewCacheOptions,
): (id: string, load: () => Promise<T>) => Promise<T> {
  const { ttlMs, maxEntries = 10_000, runCheckMs = 1_000, clock = Date.now } = options;
  const views = new Map<string, Entry<T>>();
  let run: { checkedAt: number; id: Promise<string | null> } | undefined;
  /** Counts the times every view was dropped for a new run. */
  let generation = 0;

  async function dropViewsOfOldRuns(): Promise<void> {
    const now = clock();
    if (!run || now - run.checkedAt >= runCheckMs) {
      const previous = run ? await run.id.catch(() => null) : undefined;
      const current = db
        .query<{ id: string }>(FRESHNESS_SQL, [], { name: 'view_cache_freshness' })
        .then((rows) => rows[0]?.id ?? null);
      run = { checkedAt: now, id: current };
      current.catch(() => (run = undefined));
      if ((await current) !== previous) {
        views.clear();
        generation++;
      }
    } else {
      await run.id;
    }
  }

  return async (id, load) => {
    if (ttlMs <= 0) return load();
    await dropViewsOfOldRuns();
    const now = clock();
    const cached = views.get(id);
    if (cached) {
      const age = now - cached.at;
      if (age < ttlMs) return cached.view;
      if (age < 2 * ttlMs) {
        if (!cached.reloading) reloadInBackground(id, cached, now, load);
        return cached.view;
      }
    }
    return store(id, now, load());
  };

  function reloadInBackground(id: string, stale: Entry<T>, at: number, load: () => Promise<T>): void {
    stale.reloading = true;
    const started = generation;
    load().then(
      (view) => {
        // A view read before a new run was seen must not outlive the views dropped for it.
        if (generation === started) store(id, at, Promise.resolve(view));
      },
      () => (stale.reloading = false),
    );
  }

  function store(id: string, at: number, view: Promise<T>): Promise<T> {
    views.delete(id);
    const entry: Entry<T> = { at, view, reloading: false };
    views.set(id, entry);
    view.catch(() => {
      if (views.get(id) === entry) views.delete(id);
    });
    // Maps iterate in insertion order: the first key is the oldest view.
    if (views.size > maxEntries) views.delete(views.keys().next().value as string);
    return view;
  }
}
