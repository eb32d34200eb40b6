import type { MarketFacts } from '../../domain/scoring/facts';
import type { ScoringSettings } from '../../domain/scoring/settings';
import type { Db } from '../../store/db';
import { accountRanges } from './accountRanges';
import { loadMarketFacts } from './loadFacts';
import { inSnapshot } from './scoreRun';

export interface ReadInPartsOptions {
  /** Accounts a part holds (accountRanges.ts; default ACCOUNTS_PER_PART). */
  accountsPerPart?: number;
  /** Stops between parts. */
  signal?: AbortSignal;
  /** Told how long each part's read took. */
  onRead?: (ms: number) => void;
  /** A transaction the reads must not wait for (PGlite: the one connection it holds). */
  within?: Db;
}

/**
 * The facts before `day` that applying model versions needs (one window), a part of the
 * accounts at a time, all in one snapshot: what a whole read would give, split by account, so
 * that memory follows a part and not the market. `onPart` is awaited before the next part is
 * read. One connection (the snapshot's) on PostgreSQL.
 */
export async function readInParts(
  db: Db,
  day: Date,
  settings: ScoringSettings,
  onPart: (facts: MarketFacts) => Promise<void> | void,
  options: ReadInPartsOptions = {},
): Promise<void> {
  await inSnapshot(
    db,
    options.within,
    async (read) => {
      for (const range of await accountRanges(read, day, options.accountsPerPart)) {
        options.signal?.throwIfAborted();
        const started = Date.now();
        const facts = await loadMarketFacts(read, day, settings, { windows: 1, accounts: range });
        options.onRead?.(Date.now() - started);
        await onPart(facts);
      }
    },
    { countsConnection: false },
  );
}
