import { isQualified, qualifiedSince } from '../../domain/scoring/qualified';
import { applyModels } from '../../domain/scoring/applyModels';
import type { MarketFacts } from '../../domain/scoring/facts';
import { type MarketScores } from '../../domain/scoring/scoreMarket';
import { trainModels, type TrainedModels } from '../../domain/scoring/trainModels';
import type { ScoringSettings } from '../../domain/scoring/settings';
import { WINDOW_COUNT } from '../../domain/scoring/windowActivity';
import type { Db } from '../../store/db';
import { loadMarketFacts, type LoadFactsOptions } from './loadFacts';
import { loadScoringSettings } from './settings';

/** Models to apply instead of training, and the run's `model_version` label for them. */
export interface AppliedModels {
  models: TrainedModels;
  label: string;
}

/**
 * Scores every account and person as of `asOf` without storing anything (scoreStore.ts
 * stores; the backtest only measures): with `applied`, by applying those models; without, by
 * training on the facts before `asOf` first (the trained models are handed back). Applying reads
 * only the latest window of activity (k = 0), training all five; both in one snapshot
 * (readFacts).
 */
export async function computeScores(
  db: Db,
  asOf: Date,
  settings?: ScoringSettings,
  applied?: AppliedModels,
): Promise<{
  scores: MarketScores;
  /** The models the scores came from (trained here when none were given). */
  models: TrainedModels;
  settings: ScoringSettings;
  /** modelMs = trainMs (0 when applying) + applyMs. */
  timings: { readMs: number; modelMs: number; trainMs: number; applyMs: number };
}> {
  const used = settings ?? (await loadScoringSettings(db));
  // Applying reads only window 0 (applyModels.ts): a fifth of the activities training reads.
  const windows = applied === undefined ? WINDOW_COUNT : 1;
  const started = Date.now();
  const facts = await readFacts(db, asOf, used, { windows });
  const read = Date.now();
  const models = applied?.models ?? trainModels(facts, used);
  const trained = Date.now();
  const scores = applyModels(facts, used, models, applied?.label);
  const done = Date.now();
  return {
    scores,
    models,
    settings: used,
    timings: {
      readMs: read - started,
      modelMs: done - read,
      trainMs: trained - read,
      applyMs: done - trained,
    },
  };
}

/**
 * The facts as of `asOf` in one snapshot of the store, so an import running meanwhile is either
 * wholly seen or not at all; on PostgreSQL two connections share it (the snapshot is exported
 * to the second, which reads the window counts meanwhile: loadFacts.ts).
 */
export async function readFacts(
  db: Db,
  asOf: Date,
  settings: ScoringSettings,
  options: Omit<LoadFactsOptions, 'countsDb'> = {},
): Promise<MarketFacts> {
  return db.transaction(async (tx) => {
    if (tx.kind !== 'postgres') return loadMarketFacts(tx, asOf, settings, options);
    await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // The pool must therefore allow two connections (every pool here does: 10 by default, 2 at
    // least in tests).
    const [exported] = await tx.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
    const snapshot = exported?.snapshot as string;
    return db.transaction(async (counts) => {
      await counts.exec(
        `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '${snapshot}'`,
      );
      return loadMarketFacts(tx, asOf, settings, { ...options, countsDb: counts });
    });
  });
}

/** The date part of a day (UTC), as YYYY-MM-DD. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Qualified accounts of the latest complete run on or before `asOf`, with their since dates. */
export async function previousQualified(
  db: Db,
  asOf: string,
): Promise<Map<string, { qualified: boolean; qualifiedSince: string | null }>> {
  const rows = await db.query<{ account_id: string; qualified_since: string }>(
    `SELECT account_id, to_char(qualified_since, 'YYYY-MM-DD') AS qualified_since FROM account_scores
      WHERE qualified AND run_id = (SELECT id FROM score_runs WHERE status = 'complete' AND as_of <= $1
        ORDER BY as_of DESC, id DESC LIMIT 1)`,
    [asOf],
  );
  return new Map(
    rows.map((row) => [row.account_id, { qualified: true, qualifiedSince: row.qualified_since }]),
  );
}

export interface QualifiedAccount {
  qualified: boolean;
  qualifiedSince: string | null;
}

export function qualification(
  scores: MarketScores,
  previous: Map<string, QualifiedAccount>,
  asOf: string,
): QualifiedAccount[] {
  return scores.accounts.map((account) => {
    const qualified = isQualified(account.profileFit, account.buyingStage);
    return {
      qualified,
      qualifiedSince: qualifiedSince(qualified, previous.get(account.accountId) ?? null, asOf),
    };
  });
}
