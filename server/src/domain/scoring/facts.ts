import type { OpportunityFact } from './opportunities';
import type { PersonJob } from './personas';
import type { AccountProfile } from './profileFeatures';
import type { WindowActivity } from './windowActivity';

/**
 * Everything the scoring engine knows as of T, all of it from facts strictly before T: the
 * accounts and people created before T (or with no creation date), the opportunities created
 * before T (a closing date at or after T reads as "still open"), and each account's activity
 * per 91-day window before T. Accounts are in id order; the index of an account is its place
 * in that order.
 */
export interface MarketFacts {
  readonly asOfMs: number;
  /**
   * How many windows were read, from k = 0 (absent: all WINDOW_COUNT). Facts read for applying
   * only (windowCount 1, services/scoring/loadFacts.ts) cannot train: trainModels refuses them.
   */
  readonly windowCount?: number;
  readonly accounts: ReadonlyArray<{ id: string; createdMs: number | null; profile: AccountProfile }>;
  /** Per account index. */
  readonly opportunities: ReadonlyArray<readonly OpportunityFact[]>;
  /** Per account index, per window k (undefined: no activity in that window). */
  readonly windows: ReadonlyArray<ReadonlyArray<WindowActivity | undefined>>;
  readonly people: ReadonlyArray<{ id: string; account: number; job: PersonJob }>;
}
