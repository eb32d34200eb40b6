import { isQualified, qualifiedSince } from '../../domain/scoring/qualified';
import { applyModels } from '../../domain/scoring/applyModels';
import type { MarketFacts } from '../../domain/scoring/facts';
import { type MarketScores } from '../../domain/scoring/scoreMarket';
import { trainModels, type TrainedModels } from '../../domain/scoring/trainModels';
import type { ScoringSettings } from '../../domain/scoring/settings';
import type { Db } from '../../store/db';
import { loadMarketFacts, type LoadFactsOptions } from './loadFacts';
import { loadScoringSettings } from './settings';
import { trainingSample } from './trainingSample';

/** Models to apply instead of training, and the run's `model_version` label for them. */
export interface AppliedModels {
  models: TrainedModels;
  label: string;
}

/**
 * Scores every account and person as of `asOf` without storing anything (scoreStore.ts
 * stores; the backtest only measures): with `applied`, by applying those models; without, by
 * training on the facts before `asOf` first (trainAsOf; the trained models are handed back).
 * Applying reads only the latest window of activity (k = 0), training all five. Holds the whole
 * market in memory, so the service does not use it: a run, the comparison and the backtest apply
 * the models in parts (readInParts.ts). Tests and benchmarks compare with it.
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
  const started = Date.now();
  let facts: MarketFacts | null = null;
  let models: TrainedModels;
  let trainMs = 0;
  if (applied === undefined) {
    const training = await trainAsOf(db, asOf, used);
    models = training.models;
    trainMs = training.trainMs;
    // Facts of every account were read to train on: they serve for applying too.
    facts = training.wholeMarket;
  } else {
    models = applied.models;
  }
  // Applying reads only window 0 (applyModels.ts): a fifth of the activities training reads.
  facts ??= await readFacts(db, asOf, used, { windows: 1 });
  const read = Date.now();
  const scores = applyModels(facts, used, models, applied?.label);
  const done = Date.now();
  return {
    scores,
    models,
    settings: used,
    timings: {
      readMs: read - started - trainMs,
      modelMs: done - read + trainMs,
      trainMs,
      applyMs: done - read,
    },
  };
}

/**
 * Trains the models on the facts before `asOf`: all five windows of every account, or of a
 * sample of TRAINING_ACCOUNTS in a larger market (trainingSample.ts), read in one snapshot.
 * Hands back the facts it read when they are the whole market's.
 */
export async function trainAsOf(
  db: Db,
  asOf: Date,
  settings: ScoringSettings,
  /** The sample's size (default TRAINING_ACCOUNTS; tests, benchmarks). */
  sampleSize?: number,
): Promise<{
  models: TrainedModels;
  wholeMarket: MarketFacts | null;
  sampled: number | null;
  trainMs: number;
}> {
  const { facts, sample } = await inSnapshot(db, undefined, async (read, counts) => {
    const bound = await trainingSample(read, asOf, sampleSize);
    return {
      sample: bound,
      facts: await loadMarketFacts(read, asOf, settings, { countsDb: counts, sample: bound ?? undefined }),
    };
  });
  const started = Date.now();
  const models = trainModels(facts, settings);
  return {
    models,
    wholeMarket: sample === null ? facts : null,
    sampled: sample === null ? null : facts.accounts.length,
    trainMs: Date.now() - started,
  };
}

/**
 * The facts as of `asOf` in one snapshot of the store, so an import running meanwhile is either
 * wholly seen or not at all; on PostgreSQL two connections share it (the window counts are read
 * on the second meanwhile: loadFacts.ts).
 */
export async function readFacts(
  db: Db,
  asOf: Date,
  settings: ScoringSettings,
  options: Omit<LoadFactsOptions, 'countsDb'> = {},
): Promise<MarketFacts> {
  return inSnapshot(db, undefined, (read, counts) =>
    loadMarketFacts(read, asOf, settings, { ...options, countsDb: counts }),
  );
}

/**
 * Runs `work` on one snapshot of the store. On PostgreSQL: a repeatable-read, read-only
 * transaction and, unless `countsConnection` is false, a second connection in the same snapshot
 * (exported to it) for the window counts; the pool must allow the connections the caller holds
 * and these two (every pool here does: 10 by default, 4 in tests). On PGlite, one connection
 * serves everything: the work runs in `within` when the caller holds a transaction (nothing
 * else can write meanwhile), else in a transaction of its own.
 */
export async function inSnapshot<T>(
  db: Db,
  within: Db | undefined,
  work: (read: Db, counts: Db | undefined) => Promise<T>,
  { countsConnection = true }: { countsConnection?: boolean } = {},
): Promise<T> {
  if (db.kind !== 'postgres') return (within ?? db).transaction((tx) => work(tx, undefined));
  return db.transaction(async (tx) => {
    await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (!countsConnection) return work(tx, undefined);
    const [exported] = await tx.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
    const snapshot = exported?.snapshot as string;
    return db.transaction(async (counts) => {
      await counts.exec(
        `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '${snapshot}'`,
      );
      return work(tx, counts);
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
