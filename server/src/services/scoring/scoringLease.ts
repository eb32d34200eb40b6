import { acquireLease } from '../../jobs/lease';
import type { Db } from '../../store/db';
import { scoreStore, type ScoreStoreProps, type ScoreStoreResult } from './scoreStore';

/**
 * One scoring at a time across the service's instances: the scheduled scoring (the daily job)
 * and "Recompute now" hold this one lease while they score, and its fence guards the run's commit.
 */
export const SCORING_LEASE = 'scoring';
export const SCORING_LEASE_TTL_MS = 60_000;

/** How long the scheduled scoring waits for a recompute under way before it gives up. */
const SCHEDULED_WAIT_MS = 30 * 60_000;

/**
 * The daily job's scoring: waits while a recompute holds the scoring lease, then scores under it.
 * Stops when `signal` aborts or the lease is lost; a lost lease also refuses the commit.
 */
export async function scoreScheduled(
  db: Db,
  props: ScoreStoreProps & { signal: AbortSignal; onLeaseLost?: (error: Error) => void },
  score: (db: Db, props: ScoreStoreProps) => Promise<ScoreStoreResult> = scoreStore,
): Promise<ScoreStoreResult> {
  const lease = await acquireLease(db, SCORING_LEASE, {
    ttlMs: SCORING_LEASE_TTL_MS,
    waitMs: SCHEDULED_WAIT_MS,
    signal: props.signal,
    onLost: props.onLeaseLost,
  });
  try {
    return await score(db, {
      ...props,
      signal: AbortSignal.any([props.signal, lease.signal]),
      beforeCommit: lease.fence,
    });
  } finally {
    await lease.release().catch(() => undefined);
  }
}
