import { trainingSet } from './matrix';
import {
  chooseModel,
  rawContributions,
  rawIntercept,
  type ChosenModel,
  type ModelKind,
} from './modelSelection';
import { topReasons, type Reason } from './reasons';
import { keepRates, uniformOf } from './sampling';

/**
 * A profile-fit model over 0/1 features (accounts: profileFeatures.ts; people:
 * contactFeatures.ts): examples with a label, a deterministic 25% held out to choose the method,
 * positives capped at 5,000 and negatives at 3 per positive (weighted back).
 */
export const MIN_FIT_POSITIVES = 20;

export interface FitTrainingSummary {
  method: ModelKind | null;
  validationAuc: Partial<Record<ModelKind, number>> | null;
  examples: number;
  positives: number;
  fallback: string | null;
}

export function trainFitModel(
  columns: number,
  count: number,
  labelOf: (example: number) => boolean,
  /** Indices of the example's 0/1 features that are on. */
  featuresOf: (example: number) => readonly number[],
  what: string,
): { chosen: ChosenModel | null; summary: FitTrainingSummary } {
  let positives = 0;
  for (let i = 0; i < count; i++) if (labelOf(i)) positives++;
  const summary: FitTrainingSummary = {
    method: null,
    validationAuc: null,
    examples: count,
    positives,
    fallback: null,
  };
  if (positives < MIN_FIT_POSITIVES) {
    summary.fallback = `too little history: ${positives} ${what}, at least ${MIN_FIT_POSITIVES} needed`;
    return { chosen: null, summary };
  }
  const rates = keepRates(positives, count - positives, 5_000, 3);
  const kept: number[] = [];
  for (let i = 0; i < count; i++)
    if (uniformOf(i, 7) < (labelOf(i) ? rates.positive : rates.negative)) kept.push(i);
  const set = trainingSet(kept.length, columns);
  kept.forEach((example, r) => {
    for (const j of featuresOf(example)) set.x[r * columns + j] = 1;
    const label = labelOf(example);
    set.y[r] = label ? 1 : 0;
    set.weight[r] = 1 / (label ? rates.positive : rates.negative);
  });
  const chosen = chooseModel(set, (r) => uniformOf(kept[r] as number, 11) < 0.25);
  summary.method = chosen.kind;
  summary.validationAuc = chosen.validationAuc;
  return { chosen, summary };
}

/**
 * Scoring with 0/1 features: a feature's contribution depends only on its own value, so the
 * log-odds are base + Σ over the features that are on of (on_j − off_j), with
 * base = calibrated(intercept + Σ_j off_j). The reasons are the features that are on, by the
 * size of their contribution on_j. Millions of people are scored this way without a matrix.
 */
export interface BinaryScorer {
  readonly base: number;
  /** Calibrated on_j − off_j. */
  readonly delta: Float64Array;
  /** Calibrated on_j. */
  readonly on: Float64Array;
}

export function binaryScorer(chosen: ChosenModel, columns: number): BinaryScorer {
  const off = rawContributions(chosen.model, new Float64Array(columns));
  const on = rawContributions(chosen.model, new Float64Array(columns).fill(1));
  let raw = rawIntercept(chosen.model);
  for (const c of off) raw += c;
  return {
    base: chosen.slope * raw + chosen.offset,
    delta: on.map((c, j) => chosen.slope * (c - (off[j] as number))),
    on: on.map((c) => chosen.slope * c),
  };
}

/**
 * Log-odds and reasons of one example given the indices of its features that are on. A reason
 * states the attribute ("Industry: Software"); one that lowers the score says why, `against`
 * ("Industry: Retail — less common among accounts that bought"), so that its words agree with
 * its arrow.
 */
export function scoreBinary(
  scorer: BinaryScorer,
  active: readonly number[],
  texts: readonly string[],
  against: string,
): { logit: number; reasons: Reason[] } {
  let logit = scorer.base;
  const contributions = new Float64Array(active.length);
  active.forEach((j, k) => {
    logit += scorer.delta[j] as number;
    contributions[k] = scorer.on[j] as number;
  });
  return {
    logit,
    reasons: topReasons(contributions, (k, contribution) => {
      const text = texts[active[k] as number] as string;
      return contribution < 0 ? `${text} — ${against}` : text;
    }),
  };
}
