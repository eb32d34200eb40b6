import type { Db } from '../../store/db';

/**
 * The most accounts a training reads. Training holds five windows of every account it reads and
 * every person of them in memory (2.0 GB at 100,000 accounts and 1.19 M people:
 * scripts/bench/RESULTS.md), so a larger market trains on a sample of this many accounts and
 * applies the models to all of them (docs/models.md "Training on a sample").
 */
export const TRAINING_ACCOUNTS = 100_000;

/**
 * The bound of the training sample as of T: the `size`-th smallest MD5 of the ids of the
 * accounts scored as of T, so the accounts at or below it are a sample of exactly `size` that
 * does not depend on how ids were made, and the same one every time. Null when every account
 * fits: the training reads them all.
 */
export async function trainingSample(
  db: Db,
  asOf: Date,
  size: number = TRAINING_ACCOUNTS,
): Promise<string | null> {
  if (!(Number.isInteger(size) && size >= 1))
    throw new Error(`a sample must hold a whole number of accounts ≥ 1, not ${size}`);
  const [row] = await db.query<{ bound: string | null; total: string }>(
    `SELECT (SELECT md5(id) FROM accounts WHERE created_at IS NULL OR created_at < $1 ORDER BY 1 OFFSET $2 - 1 LIMIT 1) AS bound,
        (SELECT count(*) FROM accounts WHERE created_at IS NULL OR created_at < $1) AS total`,
    [asOf, size],
  );
  return row === undefined || row.bound === null || Number(row.total) <= size ? null : row.bound;
}
