import { hanleyMcNeilInterval } from '../reports/modelInsightsAuc';
import type { FitTrainingSummary } from '../scoring/fitModel';
import { MAX_TRAINING_POSITIVES, type IntentTrainingSummary } from '../scoring/intentModel';
import { keepRates } from '../scoring/sampling';
import type { StageCheck } from '../scoring/stages';
import type { BuyingStage } from '../vocabulary';

/**
 * A model version's own figures (docs/models.md "Own figures"): measured once, at training, on
 * examples the judging model was not fitted on, and stored with the version so that a candidate
 * and the active version are compared on the same footing.
 *
 * Intent. Every kept training example (an account at one of the four snapshots) is scored by a
 * model fitted without its snapshot (out of fold). With the chosen method's out-of-fold AUC A
 * over n₁ positive and n₂ negative examples, the 95 % interval is Hanley and McNeil's
 * (domain/reports/modelInsightsAuc.ts). Per stage s, from the summary's stage checks (weighted
 * back to the full history): conversion c_s = conversions_s / examples_s and lift c_s / b with
 * b the base rate. The identification rate is the share of the out-of-fold conversions that sat
 * in Decision or Purchase:
 *
 *   I = (conversions_Decision + conversions_Purchase) / Σ_s conversions_s   ∈ [0, 1]
 *
 * Profile and contact fit: the chosen method's AUC on the held-out quarter, with its interval.
 *
 * n₁ and n₂ are the sizes of the sample the AUC was measured on. The sample is drawn by a hash of
 * each example at the keep rates r₊, r₋ of the training (domain/scoring/sampling.ts), so its size
 * is known in expectation: n₁ = P · r₊, n₂ = N · r₋ (intent; all of them while P ≤ 5,000 for
 * positives), a quarter of each for the fit models' held-out part. The interval's width depends
 * on √n, so the expectation stands in for the count without a visible difference.
 */
export interface StageFigure {
  stage: BuyingStage;
  from_lift: number;
  examples: number;
  conversions: number;
  /** conversions / examples; null for an empty stage. */
  conversion_rate: number | null;
  /** conversion_rate / base rate; null for an empty stage or a zero base rate. */
  lift: number | null;
}

/** What an intent version stores as its backtest (snake_case: it is stored as JSON and shown). */
export interface IntentOwnFigures {
  method: string | null;
  auc: number | null;
  auc_ci: [number, number] | null;
  identification_rate: number | null;
  /** The sample the AUC was measured on (expected sizes, see above). */
  positives: number;
  negatives: number;
  by_stage: StageFigure[];
}

export interface FitOwnFigures {
  method: string | null;
  auc: number | null;
  auc_ci: [number, number] | null;
  positives: number;
  negatives: number;
}

/** Negatives kept per positive in the intent training sample (intentModel.ts). */
const INTENT_NEGATIVES_PER_POSITIVE = 6;
/** The fit models' sample caps (fitModel.ts) and the held-out share they are judged on. */
const FIT_MAX_POSITIVES = 5_000;
const FIT_NEGATIVES_PER_POSITIVE = 3;
const FIT_HELD_OUT = 0.25;

const DECIDED: readonly BuyingStage[] = ['Decision', 'Purchase'];

/** A finite number, or null (NaN and ±∞ are not figures; JSON cannot hold them). */
function finite(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

/** The AUC and its 95 % interval, null when the AUC is not a number or a class is empty. */
export function aucWithInterval(
  auc: number | null | undefined,
  positives: number,
  negatives: number,
): { auc: number | null; auc_ci: [number, number] | null } {
  const a = finite(auc);
  if (a === null || positives <= 0 || negatives <= 0) return { auc: a, auc_ci: null };
  return { auc: a, auc_ci: hanleyMcNeilInterval(a, positives, negatives) };
}

/** I = conversions in Decision and Purchase / all conversions; null when nothing converted. */
export function identificationRate(stages: readonly StageCheck[]): number | null {
  let all = 0;
  let decided = 0;
  for (const check of stages) {
    all += check.conversions;
    if (DECIDED.includes(check.stage)) decided += check.conversions;
  }
  return all > 0 ? decided / all : null;
}

export function stageFigures(stages: readonly StageCheck[], baseRate: number): StageFigure[] {
  return stages.map((check) => {
    const rate = check.examples > 0 ? check.conversions / check.examples : null;
    return {
      stage: check.stage,
      from_lift: check.fromLift,
      examples: check.examples,
      conversions: check.conversions,
      conversion_rate: rate,
      lift: rate !== null && baseRate > 0 ? rate / baseRate : null,
    };
  });
}

/** The intent version's own figures from its training summary. */
export function intentOwnFigures(summary: IntentTrainingSummary): IntentOwnFigures {
  const negativesAll = summary.examples - summary.positives;
  const rates = keepRates(
    summary.positives,
    negativesAll,
    MAX_TRAINING_POSITIVES,
    INTENT_NEGATIVES_PER_POSITIVE,
  );
  const positives = summary.positives * rates.positive;
  const negatives = negativesAll * rates.negative;
  const chosen = summary.method === null ? null : (summary.validationAuc?.[summary.method] ?? null);
  const stages = summary.stages ?? [];
  return {
    method: summary.method,
    ...aucWithInterval(chosen, positives, negatives),
    identification_rate: stages.length > 0 ? identificationRate(stages) : null,
    positives,
    negatives,
    by_stage: stageFigures(stages, summary.baseRate),
  };
}

/** A profile or contact fit version's own figures from its training summary. */
export function fitOwnFigures(summary: FitTrainingSummary): FitOwnFigures {
  const negativesAll = summary.examples - summary.positives;
  const rates = keepRates(summary.positives, negativesAll, FIT_MAX_POSITIVES, FIT_NEGATIVES_PER_POSITIVE);
  const positives = FIT_HELD_OUT * summary.positives * rates.positive;
  const negatives = FIT_HELD_OUT * negativesAll * rates.negative;
  const chosen = summary.method === null ? null : (summary.validationAuc?.[summary.method] ?? null);
  return { method: summary.method, ...aucWithInterval(chosen, positives, negatives), positives, negatives };
}
