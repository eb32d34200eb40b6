import type { Db } from '../../store/db';
import { findRun, type RunRef } from '../scoring/currentRun';
import { scoreStore } from '../scoring/scoreStore';

/**
 * The complete run as of `day` (YYYY-MM-DD); when the store has none, scores as of that day first
 * (from the facts before it, kept like any run: a past day never becomes the current run, which
 * is the latest as-of day). `created` tells the caller to say so in its output.
 */
export async function ensureRunAsOf(db: Db, day: string): Promise<{ run: RunRef; created: boolean }> {
  const found = await findRun(db, day);
  if (found) return { run: found, created: false };
  const result = await scoreStore(db, { asOf: new Date(`${day}T00:00:00Z`) });
  const run = await findRun(db, result.asOf);
  if (!run) throw new Error(`unreachable: the run as of ${day} was stored but not found`);
  return { run, created: true };
}
