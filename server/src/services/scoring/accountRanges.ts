import type { Db } from '../../store/db';
import type { AccountRange } from './loadFacts';

/**
 * How many accounts a daily run scores at a time (scoreStore.ts): it reads, applies and writes
 * one part before the next, so its memory follows the part, not the market. At 100,000
 * accounts and 1.19 M people the whole market took 2.7 GB (scripts/bench/RESULTS.md); a part
 * of 50,000 accounts stays well under 2 GB however large the market.
 */
export const ACCOUNTS_PER_PART = 50_000;

/**
 * The accounts scored as of T (created before T or undated), split into consecutive ranges of
 * at most `size` ids in the store's own text order, which the primary key and the account
 * indexes of contacts, opportunities and activities follow. One range, open at both ends, when
 * they all fit in one. Run in the snapshot the parts are read in, so the ranges cover exactly
 * the accounts read.
 */
export async function accountRanges(
  db: Db,
  asOf: Date,
  size: number = ACCOUNTS_PER_PART,
): Promise<AccountRange[]> {
  if (!(Number.isInteger(size) && size >= 1))
    throw new Error(`a part must hold a whole number of accounts ≥ 1, not ${size}`);
  const rows = await db.query<{ id: string; total: string }>(
    `SELECT id, total FROM (
        SELECT id, row_number() OVER (ORDER BY id) AS n, count(*) OVER () AS total FROM accounts
        WHERE created_at IS NULL OR created_at < $1
      ) numbered
      WHERE n % $2 = 0 ORDER BY id`,
    [asOf, size],
  );
  const ranges: AccountRange[] = [];
  let after: string | null = null;
  for (const row of rows) {
    ranges.push({ after, through: row.id });
    after = row.id;
  }
  // The last part holds what is left after the last full one (nothing when the count divides evenly).
  const total = rows.length === 0 ? null : Number(rows[0]?.total);
  if (total === null || total % size !== 0) ranges.push({ after, through: null });
  return ranges;
}
