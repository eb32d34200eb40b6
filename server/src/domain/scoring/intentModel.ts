import type { MarketFacts } from './facts';
import { accountLogits, type ProfileScorer } from './fitLogits';
import {
  intentFeatureNames,
  intentModelInput,
  intentSignals,
  intentVocabulary,
  type IntentVocabulary,
} from './intentFeatures';
import { trainingSet } from './matrix';
import { fitIsotonic, isotonicProbability, type IsotonicCalibration } from './isotonic';
import { chooseModelByFolds, METHODS, rawLogit, type ChosenModel, type ModelKind } from './modelSelection';
import { DAY_MS, opensWithinHorizon } from './opportunities';
import { keepRates, uniformOf } from './sampling';
import {
  DEFAULT_STAGE_LIFT_CUTS,
  fitStageCuts,
  type StageCheck,
  type StageCutRule,
  type StageLiftCuts,
} from './stages';
import { TRAINING_WINDOWS, WINDOW_DAYS } from './windowActivity';

/**
 * The intent model, trained on snapshots of the account's own history before T.
 *
 * Snapshots S_k = T − 91k days, k = 1…4: at each, every account that existed then is an
 * example with the signals of the window before S_k and the label "a relevant opportunity was
 * created in [S_k, S_k + 90 days)", which ends before T — no fact at or after T is used.
 * Positives are capped at MAX_TRAINING_POSITIVES and negatives at 6 per positive
 * (deterministic sample, weighted back): with a few dozen features, 5,000 conversions pin the
 * model down, and each method is fitted four times out of fold (the chosen one once more).
 *
 * The snapshots are the folds (modelSelection.ts, chooseModelByFolds): each method is fitted
 * four times, each time without one snapshot, and judged on the snapshot it did not see; the
 * better is refitted on all four. Its out-of-fold log-odds — what a model that had not seen the
 * example said — are what the probability is calibrated on (isotonic.ts, with
 * CALIBRATION_PRIOR_WEIGHT pseudo-examples per block) and what the stage cuts are checked on
 * (stages.ts, fitStageCuts: every stage above Target must hold at least
 * MIN_STAGE_CONVERSIONS_PER_SNAPSHOT conversions per snapshot). Calibrating on the training fit
 * itself trusted the model where it overfits: in a backtest before this (seed 7001), the
 * accounts it put at 1–2 times the base rate converted less than those in Target.
 *
 * The base rate b is the share of all account-snapshots that converted: the lift of an account
 * is p / b (stages.ts).
 */
export const MIN_INTENT_POSITIVES = 20;
export const MAX_TRAINING_POSITIVES = 5_000;
export const CALIBRATION_PRIOR_WEIGHT = 2;
export const MIN_STAGE_CONVERSIONS_PER_SNAPSHOT = 10;

export interface IntentModel {
  readonly chosen: ChosenModel;
  readonly vocabulary: IntentVocabulary;
  readonly featureNames: readonly string[];
  readonly baseRate: number;
  readonly calibration: IsotonicCalibration;
  /** The stage cuts used (stages.ts fitStageCuts). */
  readonly stageCuts: StageLiftCuts;
  /**
   * Per signal (intentSignals), its median among the converting training examples: the figure a
   * reason that counts against the score compares with ("fewer than the 60 typical of accounts
   * that bought"). Absent from versions trained before it was kept.
   */
  readonly typicalOfConverters?: Float64Array;
  /**
   * The profile-fit model whose log-odds ℓ give the intent model's profile-fit signals (a copy of
   * the profile-fit version trained with it, so the signals mean the same whichever profile-fit
   * version is active), and the mean and standard deviation of ℓ over the accounts of the
   * training day: the signal is z = (ℓ − mean) / sd. Absent: the model has no such signals.
   */
  readonly profileFit?: IntentFitInput;
}

export interface IntentFitInput {
  readonly scorer: ProfileScorer;
  readonly mean: number;
  readonly sd: number;
}

/**
 * The profile fit the intent model reads: `scorer`, trained on the history before T, gives the
 * signal when scoring; for training snapshot S_k the signal comes from a profile-fit model
 * trained on the history before S_k (`logitsAsOf(S_k)`), so each example's fit is what was
 * knowable on its day — a model trained up to T would already know whether the example's own
 * opportunity opened. Null from `logitsAsOf`: too little history on that day for a fit model,
 * and the intent model goes without the signal.
 *
 * Each day's log-odds ℓ are standardised over the accounts of that day, z = (ℓ − mean) / sd:
 * a fit model trained on a longer history gives higher log-odds to everyone (more of them have
 * opened an opportunity by then) and spreads them more, and an unstandardised signal raised
 * every account's probability when scoring above what the training days had taught — buying
 * stages filled with quiet accounts that did not convert (measured: scripts/bench/RESULTS.md).
 */
export interface IntentProfileFit {
  readonly scorer: ProfileScorer;
  readonly logitsAsOf: (atMs: number) => Float64Array | null;
}

/** Out-of-fold calibrated lifts of the training examples, with their weights and labels (stages.ts fitStageCuts). */
export interface StageHistory {
  readonly lifts: Float64Array;
  readonly weights: Float64Array;
  readonly labels: Uint8Array;
  /** The conversions a stage needs to be measured (fitStageCuts' minConversions). */
  readonly minConversions: number;
}

export interface IntentTrainingSummary {
  method: ModelKind | null;
  validationAuc: Partial<Record<ModelKind, number>> | null;
  examples: number;
  positives: number;
  baseRate: number;
  /** Why there is no model, when there is none. */
  fallback: string | null;
  /** The stage cuts used and what each stage held out of fold in training (null without a model). */
  stageCuts: StageLiftCuts | null;
  /**
   * The rule that placed each cut (stages.ts fitStageCuts); absent from versions trained before
   * the rules were reported.
   */
  stageCutRules?: StageCutRule[] | null;
  stages: StageCheck[] | null;
  /** Stages that held too few conversions in training to measure their conversion, and why it matters. */
  stageWarning: string | null;
}

function existedAt(facts: MarketFacts, account: number, atMs: number): boolean {
  const createdMs = facts.accounts[account]?.createdMs ?? null;
  return createdMs === null || createdMs < atMs;
}

export function snapshotMs(facts: MarketFacts, window: number): number {
  return facts.asOfMs - window * WINDOW_DAYS * DAY_MS;
}

/** The profile-fit log-odds the model reads, per account of the facts (null: it reads none). */
export function intentFitLogits(
  model: IntentModel,
  facts: Pick<MarketFacts, 'accounts'>,
): Float64Array | null {
  const input = model.profileFit;
  if (input === undefined) return null;
  return accountLogits(facts, input.scorer).map((logit) => (logit - input.mean) / input.sd);
}

/** Mean and standard deviation (1 when there is no spread) of the log-odds of the accounts `members`. */
export function fitStandard(logits: Float64Array, members: readonly number[]): { mean: number; sd: number } {
  let sum = 0;
  for (const i of members) sum += logits[i] as number;
  const mean = members.length === 0 ? 0 : sum / members.length;
  let squares = 0;
  for (const i of members) squares += ((logits[i] as number) - mean) ** 2;
  const sd = members.length === 0 ? 0 : Math.sqrt(squares / members.length);
  return { mean, sd: sd > 0 ? sd : 1 };
}

/** The calibrated probability of the chosen model for one input. */
export function intentProbability(model: IntentModel, input: ArrayLike<number>): number {
  return isotonicProbability(model.calibration, rawLogit(model.chosen.model, input));
}

/**
 * Per training snapshot, the standardised profile-fit log-odds of every account then, and the
 * fit input for scoring; null without a fit model on some snapshot.
 */
function fitSignals(
  facts: MarketFacts,
  profileFit: IntentProfileFit | null,
): { bySnapshot: Map<number, Float64Array>; input: IntentFitInput } | null {
  if (profileFit === null) return null;
  const bySnapshot = new Map<number, Float64Array>();
  for (const window of TRAINING_WINDOWS) {
    const atMs = snapshotMs(facts, window);
    const logits = profileFit.logitsAsOf(atMs);
    if (logits === null) return null;
    const members = facts.accounts.flatMap((_, i) => (existedAt(facts, i, atMs) ? [i] : []));
    const { mean, sd } = fitStandard(logits, members);
    bySnapshot.set(
      window,
      logits.map((logit) => (logit - mean) / sd),
    );
  }
  const atT = accountLogits(facts, profileFit.scorer);
  const standard = fitStandard(
    atT,
    facts.accounts.map((_, i) => i),
  );
  return { bySnapshot, input: { scorer: profileFit.scorer, ...standard } };
}

export function trainIntentModel(
  facts: MarketFacts,
  configuredCuts: StageLiftCuts = DEFAULT_STAGE_LIFT_CUTS,
  profileFit: IntentProfileFit | null = null,
  /** The methods the folds choose from (benchmarks compare sets of them). */
  methods: readonly ModelKind[] = METHODS,
): {
  model: IntentModel | null;
  summary: IntentTrainingSummary;
  /** The out-of-fold history the stage cuts were fitted on (null without a model): benchmarks compare stage rules on it. */
  stageHistory: StageHistory | null;
} {
  const fit = fitSignals(facts, profileFit);
  const vocabulary: IntentVocabulary = {
    ...intentVocabulary(facts.windows.flat()),
    ...(fit === null ? {} : { profileFit: true }),
  };
  const featureNames = intentFeatureNames(vocabulary);
  const examples: Array<{ account: number; window: number; label: 0 | 1 }> = [];
  let positives = 0;
  for (const window of TRAINING_WINDOWS) {
    const atMs = snapshotMs(facts, window);
    for (let account = 0; account < facts.accounts.length; account++) {
      if (!existedAt(facts, account, atMs)) continue;
      const label = opensWithinHorizon(facts.opportunities[account] ?? [], atMs) ? 1 : 0;
      positives += label;
      examples.push({ account, window, label });
    }
  }
  const baseRate = examples.length === 0 ? 0 : positives / examples.length;
  const summary: IntentTrainingSummary = {
    method: null,
    validationAuc: null,
    examples: examples.length,
    positives,
    baseRate,
    fallback: null,
    stageCuts: null,
    stageCutRules: null,
    stages: null,
    stageWarning: null,
  };
  if (positives < MIN_INTENT_POSITIVES) {
    summary.fallback = `too little history: ${positives} relevant opportunities opened in the training windows, at least ${MIN_INTENT_POSITIVES} needed`;
    return { model: null, summary, stageHistory: null };
  }
  const rates = keepRates(positives, examples.length - positives, MAX_TRAINING_POSITIVES, 6);
  const kept = examples.filter(
    (e) => uniformOf(e.account, e.window) < (e.label ? rates.positive : rates.negative),
  );
  const set = trainingSet(kept.length, featureNames.length);
  const converterSignals: Float64Array[] = [];
  kept.forEach((e, row) => {
    const signals = intentSignals(
      facts.windows[e.account]?.[e.window],
      facts.opportunities[e.account] ?? [],
      snapshotMs(facts, e.window),
      vocabulary,
      fit?.bySnapshot.get(e.window)?.[e.account] ?? null,
    );
    if (e.label) converterSignals.push(signals);
    set.x.set(intentModelInput(signals, vocabulary), row * featureNames.length);
    set.y[row] = e.label;
    set.weight[row] = 1 / (e.label ? rates.positive : rates.negative);
  });
  const { chosen, outOfFold } = chooseModelByFolds(
    set,
    (row) => kept[row]?.window as number,
    TRAINING_WINDOWS,
    methods,
  );
  summary.method = chosen.kind;
  summary.validationAuc = chosen.validationAuc;
  const calibration = fitIsotonic(outOfFold, set.y, set.weight, CALIBRATION_PRIOR_WEIGHT);
  const lifts = outOfFold.map((t) => isotonicProbability(calibration, t) / baseRate);
  const minConversions = MIN_STAGE_CONVERSIONS_PER_SNAPSHOT * TRAINING_WINDOWS.length;
  const stages = fitStageCuts(lifts, set.weight, set.y, configuredCuts, minConversions);
  summary.stageCuts = stages.cuts;
  summary.stageCutRules = stages.rules;
  summary.stages = stages.stages;
  const warnings: string[] = [];
  if (stages.thin.length > 0)
    warnings.push(
      `too few conversions to measure ${stages.thin.join(', ')} (fewer than ${minConversions} in the training history, out of fold)`,
    );
  if (stages.notRising.length > 0)
    warnings.push(
      `${stages.notRising.join(', ')} did not convert above the stage below in training (out of fold)`,
    );
  // A thin stage that still rose in training is a caution about noise, not a broken order.
  const consequence =
    stages.notRising.length > 0
      ? 'stages may not rise in conversion'
      : 'a thin stage’s conversion may differ from one backtest to the next';
  summary.stageWarning = warnings.length > 0 ? `${warnings.join('; ')}: ${consequence}` : null;
  return {
    model: {
      chosen,
      vocabulary,
      featureNames,
      baseRate,
      calibration,
      stageCuts: stages.cuts,
      typicalOfConverters: medians(converterSignals, featureNames.length),
      ...(fit === null ? {} : { profileFit: fit.input }),
    },
    summary,
    stageHistory: { lifts, weights: set.weight, labels: set.y, minConversions },
  };
}

/** Per column, the median of the rows (the mean of the two middle values for an even count). */
export function medians(rows: readonly Float64Array[], columns: number): Float64Array {
  const out = new Float64Array(columns);
  const column = new Float64Array(rows.length);
  for (let j = 0; j < columns; j++) {
    rows.forEach((row, i) => (column[i] = row[j] as number));
    column.sort();
    const mid = rows.length >> 1;
    out[j] =
      rows.length === 0
        ? NaN
        : rows.length % 2
          ? (column[mid] as number)
          : ((column[mid - 1] as number) + (column[mid] as number)) / 2;
  }
  return out;
}
