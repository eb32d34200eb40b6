import {
  backtestNote,
  backtestPopulation,
  comparisonTallies,
  versionMetrics,
  windowOutcomes,
  type ScoredAccount,
  type VersionMetrics,
} from '../../domain/models/comparisonTallies';
import {
  backtestDay,
  qualifiedImpact,
  sampledDays,
  type QualifiedImpact,
  type QualifiedSample,
} from '../../domain/models/qualifiedImpact';
import {
  drillDown,
  pairAccounts,
  transitionKeys,
  transitionMatrix,
  type AccountState,
  type ComparedAccount,
  type DrillDown,
  type Transitions,
} from '../../domain/models/transitionMatrix';
import { applyModels } from '../../domain/scoring/applyModels';
import { MODEL_KINDS, type ModelKind } from '../../domain/scoring/modelCodec';
import type { MarketScores } from '../../domain/scoring/scoreMarket';
import type { ScoringSettings } from '../../domain/scoring/settings';
import type { TrainedModels } from '../../domain/scoring/trainModels';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import { findRun, type RunRef } from '../scoring/currentRun';
import { readInParts } from '../scoring/readInParts';
import { qualification } from '../scoring/scoreRun';
import { loadScoringSettings } from '../scoring/settings';
import {
  activeVersionIds,
  listVersions,
  loadModels,
  versionLabel,
  type ModelState,
  type ModelVersionRow,
  type VersionIds,
} from './versionStore';

/**
 * The comparison of the candidate versions with the active ones (docs/models.md "Comparison"),
 * what `models compare` prints and GET /api/models/compare answers.
 */

/** One side of the comparison: the versions it applies and their own figures. */
export interface ComparedVersions {
  /** The training of the side (the active side: the training of its intent version). */
  training_id: number;
  trained_as_of: string;
  versions: Array<{
    id: number;
    kind: ModelKind;
    method: string | null;
    auc: number | null;
    identification_rate: number | null;
    state: ModelState;
  }>;
}

export interface ModelComparison {
  active: ComparedVersions;
  candidate: ComparedVersions;
  metrics: {
    backtest: {
      /** B = D − 90 days: both sides score the facts before B. */
      scored_as_of: string;
      /** D: outcomes are the relevant opportunities opened in [B, D). */
      outcomes_until: string;
      accounts: number;
      converters: number;
      opportunities: number;
      /** Which side's training saw part of the window's outcomes (its figures lean in its favour). */
      note: string;
    };
    active: VersionMetrics;
    candidate: VersionMetrics;
  };
  qualified_impact: QualifiedImpact;
  transitions: { stage: Transitions; fit: Transitions };
  /** When the comparison was made (it is kept and reused while the run and the versions stay). */
  compared_at: string;
}

/** What identifies a kept comparison: the current run and the versions on both sides. */
interface ComparisonKey {
  run_id: number;
  training_id: number;
  active: VersionIds;
  candidate: VersionIds;
}

/** A candidate's scores at D kept with the comparison for the drill-down: [id, stage, fit, intent, profile, qualified]. */
type CandidateRow = [
  string,
  AccountState['stage'],
  AccountState['fit'],
  number | null,
  number | null,
  boolean,
];

interface Sides {
  run: RunRef;
  trainingId: number;
  activeIds: VersionIds;
  candidateIds: VersionIds;
  key: ComparisonKey;
}

/**
 * Compares the pending candidate training's versions with the active ones, or reuses the
 * comparison kept on the training while the current run and the active versions are the same.
 * No candidate: not_found; no current run: conflict.
 */
export async function compareModels(
  db: Db,
  props: { now?: Date; accountsPerPart?: number } = {},
): Promise<ModelComparison> {
  return (await ensureComparison(db, props.now ?? new Date(), false, props.accountsPerPart)).result;
}

export interface CompareAccountsProps extends Partial<DrillDownQuery> {
  kind: DrillDownQuery['kind'];
  limit: number;
  offset: number;
  now?: Date;
}

interface DrillDownQuery {
  kind: 'stage' | 'fit' | 'becoming_qualified' | 'stopping_qualified';
  from?: string;
  to?: string;
}

export interface ComparedAccountRow extends ComparedAccount {
  name: string | null;
}

/**
 * The accounts behind a cell of a transition matrix (`from` the current run's stage or fit, `to`
 * the candidate's, "none" for none; either may be left out for a whole row or column) or behind a
 * qualified change, ordered by account id, a page at a time.
 */
export async function compareAccounts(
  db: Db,
  props: CompareAccountsProps,
): Promise<{ total: number; accounts: ComparedAccountRow[] }> {
  const filter = drillDownOf(props);
  if (!Number.isInteger(props.limit) || props.limit < 1 || props.limit > 1000)
    throw new AppError('bad_request', `limit: ${props.limit} is not a whole number from 1 to 1000`);
  if (!Number.isInteger(props.offset) || props.offset < 0)
    throw new AppError('bad_request', `offset: ${props.offset} is not a whole number from 0`);
  const { sides, candidateRows } = await ensureComparison(db, props.now ?? new Date(), true);
  const active = await storedStates(db, sides.run.id);
  const candidate = new Map(
    (candidateRows ?? []).map(([id, stage, fit, intent, profile, qualified]): [string, AccountState] => [
      id,
      { stage, fit, intent_score: intent, profile_score: profile, qualified },
    ]),
  );
  const matching = drillDown(pairAccounts(active, candidate), filter);
  const page = matching.slice(props.offset, props.offset + props.limit);
  const names = await db.query<{ id: string; name: string | null }>(
    'SELECT id, name FROM accounts WHERE id = ANY($1::text[])',
    [page.map((account) => account.account_id)],
  );
  const nameOf = new Map(names.map((row) => [row.id, row.name]));
  return {
    total: matching.length,
    accounts: page.map((account) => ({
      account_id: account.account_id,
      name: nameOf.get(account.account_id) ?? null,
      active: account.active,
      candidate: account.candidate,
    })),
  };
}

function drillDownOf(props: DrillDownQuery): DrillDown {
  if (props.kind === 'becoming_qualified' || props.kind === 'stopping_qualified') return { kind: props.kind };
  if (props.kind !== 'stage' && props.kind !== 'fit')
    throw new AppError(
      'bad_request',
      `kind: "${String(props.kind)}" is not one of stage, fit, becoming_qualified, stopping_qualified`,
    );
  const keys = transitionKeys(props.kind);
  for (const [name, value] of [
    ['from', props.from],
    ['to', props.to],
  ] as const) {
    if (value !== undefined && !keys.includes(value))
      throw new AppError('bad_request', `${name}: "${value}" is not one of ${keys.join(', ')}`);
  }
  return { kind: props.kind, from: props.from, to: props.to };
}

async function resolveSides(db: Db): Promise<Sides> {
  const [pending] = await db.query<{ training_id: number | null }>(
    `SELECT max(training_id)::int AS training_id FROM model_versions WHERE state = 'candidate'`,
  );
  const trainingId = pending?.training_id ?? null;
  if (trainingId === null) throw new AppError('not_found', 'no candidate model to compare');
  const run = await findRun(db);
  if (run === null) throw new AppError('conflict', 'no scoring run yet: score first');
  const activeIds = await activeVersionIds(db);
  if (activeIds === null) throw new AppError('conflict', 'no active model versions yet: score first');
  const candidates = await db.query<{ id: number; kind: ModelKind }>(
    `SELECT id::int AS id, kind FROM model_versions WHERE training_id = $1 AND state = 'candidate'`,
    [trainingId],
  );
  const candidateIds = Object.fromEntries(
    MODEL_KINDS.map((kind) => [kind, candidates.find((v) => v.kind === kind)?.id ?? activeIds[kind]]),
  ) as VersionIds;
  // In the kinds' order, so that a kept key compares equal as text.
  const inOrder = (ids: VersionIds) =>
    Object.fromEntries(MODEL_KINDS.map((kind) => [kind, ids[kind]])) as VersionIds;
  return {
    run,
    trainingId,
    activeIds,
    candidateIds,
    key: { run_id: run.id, training_id: trainingId, active: inOrder(activeIds), candidate: candidateIds },
  };
}

const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

async function ensureComparison(
  db: Db,
  now: Date,
  withRows: boolean,
  accountsPerPart?: number,
): Promise<{ sides: Sides; result: ModelComparison; candidateRows: CandidateRow[] | null }> {
  const sides = await resolveSides(db);
  const [kept] = await db.query<{ key: unknown; result: unknown; rows: unknown }>(
    `SELECT comparison->'key' AS key, comparison->'result' AS result,
            ${withRows ? `comparison->'candidate_rows'` : 'NULL'} AS rows
       FROM model_trainings WHERE id = $1`,
    [sides.trainingId],
  );
  const reusable =
    kept?.key != null &&
    JSON.stringify(json(kept.key)) === JSON.stringify(sides.key) &&
    (!withRows || kept.rows != null);
  if (reusable)
    return {
      sides,
      result: json<ModelComparison>(kept?.result),
      candidateRows: kept?.rows == null ? null : json<CandidateRow[]>(kept.rows),
    };
  const { result, candidateRows } = await makeComparison(db, sides, now, accountsPerPart);
  await db.run('UPDATE model_trainings SET comparison = $2 WHERE id = $1', [
    sides.trainingId,
    JSON.stringify({ key: sides.key, result, candidate_rows: candidateRows }),
  ]);
  return { sides, result, candidateRows };
}

const dateOf = (day: string) => new Date(`${day}T00:00:00Z`);

/** Accounts a run's scores qualify, by the rule the run uses. */
function qualifiedOf(scores: MarketScores, day: string): boolean[] {
  return qualification(scores, new Map(), day).map((q) => q.qualified);
}

function scoredAccounts(scores: MarketScores): ScoredAccount[] {
  return scores.accounts.map((a) => ({
    accountId: a.accountId,
    stage: a.buyingStage,
    fit: a.profileFit,
    intentScore: a.intentScore,
  }));
}

async function makeComparison(
  db: Db,
  sides: Sides,
  now: Date,
  accountsPerPart: number | undefined,
): Promise<{ result: ModelComparison; candidateRows: CandidateRow[] }> {
  const settings = await loadScoringSettings(db);
  const versions = await listVersions(db);
  const applied = {
    active: { models: await loadModels(db, sides.activeIds), label: versionLabel(sides.activeIds) },
    candidate: { models: await loadModels(db, sides.candidateIds), label: versionLabel(sides.candidateIds) },
  };
  const day = sides.run.asOf;
  const scoredAsOf = backtestDay(day);

  // The sampled days (the first is B): each side's qualified accounts, and at B the backtest.
  const samples: QualifiedSample[] = [];
  const backtest = { active: [] as ScoredAccount[], candidate: [] as ScoredAccount[] };
  for (const sampled of sampledDays(day)) {
    const sample: QualifiedSample = { day: sampled, active: 0, candidate: 0 };
    await applyInParts(db, sampled, settings, accountsPerPart, applied, (scores) => {
      sample.active += qualifiedOf(scores.active, sampled).filter(Boolean).length;
      sample.candidate += qualifiedOf(scores.candidate, sampled).filter(Boolean).length;
      if (sampled !== scoredAsOf) return;
      for (const account of scoredAccounts(scores.active)) backtest.active.push(account);
      for (const account of scoredAccounts(scores.candidate)) backtest.candidate.push(account);
    });
    samples.push(sample);
  }
  const outcomes = windowOutcomes(
    await windowOpportunities(db, scoredAsOf, day),
    settings.relevantRule,
    +dateOf(day),
  );

  // The current run's day: its stored rows against the candidate applied to the same facts.
  const candidateRows: CandidateRow[] = [];
  await applyInParts(
    db,
    day,
    settings,
    accountsPerPart,
    { candidate: applied.candidate },
    ({ candidate }) => {
      const qualified = qualifiedOf(candidate, day);
      candidate.accounts.forEach((a, i) =>
        candidateRows.push([
          a.accountId,
          a.buyingStage,
          a.profileFit,
          a.intentScore,
          a.profileScore,
          qualified[i] === true,
        ]),
      );
    },
  );
  const candidateStates = new Map(
    candidateRows.map(([id, stage, fit, intent, profile, qualified]): [string, AccountState] => [
      id,
      { stage, fit, intent_score: intent, profile_score: profile, qualified },
    ]),
  );
  const accounts = pairAccounts(await storedStates(db, sides.run.id), candidateStates);

  const activeSide = sideOf(
    versions,
    sides.activeIds,
    versions.find((v) => v.id === sides.activeIds.intent),
  );
  const candidateSide = sideOf(
    versions,
    sides.candidateIds,
    versions.find((v) => v.training_id === sides.trainingId),
  );
  const result: ModelComparison = {
    active: activeSide,
    candidate: candidateSide,
    metrics: {
      backtest: {
        scored_as_of: scoredAsOf,
        outcomes_until: day,
        ...backtestPopulation(backtest.candidate, outcomes),
        note: backtestNote(scoredAsOf, day, {
          active: activeSide.trained_as_of,
          candidate: candidateSide.trained_as_of,
        }),
      },
      active: versionMetrics(comparisonTallies(backtest.active, outcomes)),
      candidate: versionMetrics(comparisonTallies(backtest.candidate, outcomes)),
    },
    qualified_impact: qualifiedImpact(day, accounts, samples),
    transitions: { stage: transitionMatrix(accounts, 'stage'), fit: transitionMatrix(accounts, 'fit') },
    compared_at: now.toISOString(),
  };
  return { result, candidateRows };
}

type Applied = { models: TrainedModels; label: string };

/**
 * Each side applied to the facts before `day`, read once for both and a part of the accounts at
 * a time (readInParts), so a comparison's memory follows a part and not the market.
 */
async function applyInParts<Side extends string>(
  db: Db,
  day: string,
  settings: ScoringSettings,
  accountsPerPart: number | undefined,
  sides: Record<Side, Applied>,
  onPart: (scores: Record<Side, MarketScores>) => void,
): Promise<void> {
  await readInParts(
    db,
    dateOf(day),
    settings,
    (facts) => {
      const scores = {} as Record<Side, MarketScores>;
      for (const side of Object.keys(sides) as Side[])
        scores[side] = applyModels(facts, settings, sides[side].models, sides[side].label);
      onPart(scores);
    },
    { accountsPerPart },
  );
}

function sideOf(
  versions: readonly ModelVersionRow[],
  ids: VersionIds,
  anchor: ModelVersionRow | undefined,
): ComparedVersions {
  const rows = MODEL_KINDS.map((kind) => versions.find((v) => v.id === ids[kind]) as ModelVersionRow);
  const main = anchor ?? (rows[0] as ModelVersionRow);
  return {
    training_id: main.training_id,
    trained_as_of: main.trained_as_of,
    versions: rows.map((v) => ({
      id: v.id,
      kind: v.kind,
      method: v.method,
      auc: v.auc,
      identification_rate: v.identification_rate,
      state: v.state,
    })),
  };
}

/** The current run's stored scores by account. */
async function storedStates(db: Db, runId: number): Promise<Map<string, AccountState>> {
  const rows = await db.query<{
    account_id: string;
    stage: AccountState['stage'];
    fit: AccountState['fit'];
    intent_score: number | null;
    profile_score: number | null;
    qualified: boolean;
  }>(
    `SELECT account_id, buying_stage AS stage, profile_fit AS fit, intent_score, profile_score, qualified
       FROM account_scores WHERE run_id = $1`,
    [runId],
  );
  return new Map(
    rows.map((row): [string, AccountState] => [
      row.account_id,
      {
        stage: row.stage,
        fit: row.fit,
        intent_score: row.intent_score === null ? null : Number(row.intent_score),
        profile_score: row.profile_score === null ? null : Number(row.profile_score),
        qualified: row.qualified,
      },
    ]),
  );
}

/** The opportunities opened in [from, until) (days). */
async function windowOpportunities(db: Db, from: string, until: string) {
  const rows = await db.query<{
    account_id: string;
    relevant: boolean | null;
    type: string | null;
    amount: string | null;
    is_won: boolean | null;
    closed_at: Date | null;
  }>(
    'SELECT account_id, relevant, type, amount, is_won, closed_at FROM opportunities WHERE created_at >= $1 AND created_at < $2',
    [dateOf(from), dateOf(until)],
  );
  return rows.map((row) => ({
    accountId: row.account_id,
    relevant: row.relevant,
    type: row.type,
    amount: row.amount === null ? null : Number(row.amount),
    isWon: row.is_won,
    closedMs: row.closed_at === null ? null : new Date(row.closed_at).getTime(),
  }));
}
