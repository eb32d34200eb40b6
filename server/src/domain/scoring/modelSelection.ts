import { fitLogistic, logisticContributions, type LogisticModel } from './logistic';
import { subset, trainingSet, type TrainingSet } from './matrix';
import { auc } from './metrics';
import { fitNaiveBayes, naiveBayesContributions, type NaiveBayesModel } from './naiveBayes';

/**
 * Model choice: the candidate methods (L2 logistic regression and binned naive Bayes) are
 * judged by the AUC of the log-odds they give examples they were not fitted on, and the best
 * (the first listed on a tie, so logistic) is refitted on all the history. Both are additive:
 * each feature's contribution is a reason, and the fit models' scorer reads each attribute's
 * effect alone (fitModel.ts binaryScorer). (Boosted trees were measured as a third candidate for
 * intent and left out: scripts/bench/RESULTS.md.)
 *
 * - Profile and contact fit (`chooseModel`): one held-out part. The winner's log-odds t are then
 *   recalibrated, ln-odds' = a·t + b, by a one-feature logistic regression on all the history
 *   (Platt scaling): naive Bayes is overconfident, and down-sampled negatives shift the
 *   intercept. (Fit scores are percentiles of the log-odds, so only the order matters there.)
 * - Intent (`chooseModelByFolds`): the training snapshots are the folds; every example is judged
 *   by a model fitted without its snapshot, and the out-of-fold log-odds are handed back for the
 *   intent model's calibration (isotonic.ts), whose probabilities the buying stages are cut on.
 */
export type ModelKind = 'logistic' | 'naive_bayes';
export type Model = LogisticModel | NaiveBayesModel;

/** Each method's name as people read it. */
export const METHOD_LABELS: Readonly<Record<ModelKind, string>> = {
  logistic: 'logistic',
  naive_bayes: 'naive Bayes',
};

/** The candidate methods, logistic first (it is kept on a tie). */
export const METHODS = ['logistic', 'naive_bayes'] as const;

export interface ChosenModel {
  readonly kind: ModelKind;
  readonly model: Model;
  /**
   * Platt calibration of the log-odds: a · t + b (for intent it only scales the reasons'
   * contributions; the probability comes from isotonic.ts).
   */
  readonly slope: number;
  readonly offset: number;
  /**
   * Validation AUC of each candidate: on the held-out part, or out of fold over all snapshots
   * (intent), of each method that was a candidate.
   */
  readonly validationAuc: Partial<Record<ModelKind, number>>;
}

/** Raw signed contributions of each feature (before calibration). */
export function rawContributions(model: Model, x: ArrayLike<number>): Float64Array {
  return model.kind === 'logistic' ? logisticContributions(model, x) : naiveBayesContributions(model, x);
}

export function rawIntercept(model: Model): number {
  return model.kind === 'logistic' ? model.intercept : model.priorLogOdds;
}

export function rawLogit(model: Model, x: ArrayLike<number>): number {
  let t = rawIntercept(model);
  for (const c of rawContributions(model, x)) t += c;
  return t;
}

/** Fits one method on a training set. */
export function fit(kind: ModelKind, set: TrainingSet): Model {
  return kind === 'logistic' ? fitLogistic(set) : fitNaiveBayes(set);
}

/** Raw (uncalibrated) log-odds of every example of a set. */
export function logits(model: Model, set: TrainingSet): Float64Array {
  const out = new Float64Array(set.rows);
  for (let i = 0; i < set.rows; i++)
    out[i] = rawLogit(model, set.x.subarray(i * set.columns, (i + 1) * set.columns));
  return out;
}

/**
 * Chooses and fits the model. `isValidation(i)` marks the examples held out for the choice;
 * with no validation example or no positive among them, logistic regression is taken as is.
 */
export function chooseModel(set: TrainingSet, isValidation: (row: number) => boolean): ChosenModel {
  const train: number[] = [];
  const validate: number[] = [];
  for (let i = 0; i < set.rows; i++) (isValidation(i) ? validate : train).push(i);
  const validationAuc: Partial<Record<ModelKind, number>> = { logistic: NaN, naive_bayes: NaN };
  let kind: ModelKind = 'logistic';
  if (train.length > 0 && validate.length > 0) {
    const trainSet = subset(set, train);
    const validateSet = subset(set, validate);
    for (const candidate of METHODS)
      validationAuc[candidate] = auc(logits(fit(candidate, trainSet), validateSet), validateSet.y);
    kind = best(validationAuc, METHODS);
  }
  const model = fit(kind, set);
  const calibration = trainingSet(set.rows, 1);
  calibration.x.set(logits(model, set));
  calibration.y.set(set.y);
  calibration.weight.set(set.weight);
  const platt = fitLogistic(calibration, { lambda: 1e-6 });
  const slope = (platt.coefficients[0] as number) / (platt.scales[0] as number);
  const offset = platt.intercept - slope * (platt.means[0] as number);
  return { kind, model, slope, offset, validationAuc };
}

/**
 * Chooses by time folds (the intent model): `foldOf(i)` is the snapshot of example i. For each
 * candidate method and each fold f, the method is fitted on the other folds and gives log-odds
 * to the examples of f; the method whose out-of-fold log-odds have the highest AUC over all the
 * examples together (the first of `methods` on a tie: logistic) is refitted on all of them. Every example is judged by
 * a model that did not see it, and four snapshots judge rather than one: a single snapshot holds
 * only a few hundred conversions, and which method wins on it is close to a coin toss when the
 * methods are near. The chosen method's out-of-fold log-odds are returned for calibration
 * (isotonic.ts); the Platt line is fitted on them too (it scales the reasons' contributions).
 * With fewer than two folds or no positive, logistic regression is taken without a choice.
 */
export function chooseModelByFolds(
  set: TrainingSet,
  foldOf: (row: number) => number,
  folds: readonly number[],
  methods: readonly ModelKind[] = METHODS,
): { chosen: ChosenModel; outOfFold: Float64Array } {
  const validationAuc: Partial<Record<ModelKind, number>> = Object.fromEntries(methods.map((m) => [m, NaN]));
  const outOfFold = Object.fromEntries(methods.map((m) => [m, new Float64Array(set.rows)])) as Record<
    ModelKind,
    Float64Array
  >;
  const rowsOf = folds.map((fold) => {
    const held: number[] = [];
    const rest: number[] = [];
    for (let i = 0; i < set.rows; i++) (foldOf(i) === fold ? held : rest).push(i);
    return { held, rest };
  });
  const usable = rowsOf.filter((f) => f.held.length > 0 && f.rest.length > 0).length >= 2;
  let kind: ModelKind = 'logistic';
  if (usable && set.y.some((label) => label === 1)) {
    for (const candidate of methods) {
      for (const { held, rest } of rowsOf) {
        if (held.length === 0 || rest.length === 0) continue;
        const t = logits(fit(candidate, subset(set, rest)), subset(set, held));
        held.forEach((row, i) => (outOfFold[candidate][row] = t[i] as number));
      }
      validationAuc[candidate] = auc(outOfFold[candidate], set.y);
    }
    kind = best(validationAuc, methods);
  }
  const model = fit(kind, set);
  const calibration = trainingSet(set.rows, 1);
  calibration.x.set(usable ? outOfFold[kind] : logits(model, set));
  calibration.y.set(set.y);
  calibration.weight.set(set.weight);
  const platt = fitLogistic(calibration, { lambda: 1e-6 });
  const slope = (platt.coefficients[0] as number) / (platt.scales[0] as number);
  const offset = platt.intercept - slope * (platt.means[0] as number);
  return {
    chosen: { kind, model, slope, offset, validationAuc },
    outOfFold: usable ? outOfFold[kind] : calibration.x,
  };
}

/** The method with the highest validation AUC; the first of `methods` on a tie (logistic). */
function best(validationAuc: Partial<Record<ModelKind, number>>, methods: readonly ModelKind[]): ModelKind {
  let chosen = methods[0] as ModelKind;
  for (const method of methods)
    if ((validationAuc[method] ?? NaN) > (validationAuc[chosen] ?? NaN)) chosen = method;
  return chosen;
}

/** Calibrated log-odds of one example. */
export function chosenLogit(chosen: ChosenModel, x: ArrayLike<number>): number {
  return chosen.slope * rawLogit(chosen.model, x) + chosen.offset;
}

/** Calibrated signed contributions (they add up to the log-odds minus the model's baseline). */
export function chosenContributions(chosen: ChosenModel, x: ArrayLike<number>): Float64Array {
  return rawContributions(chosen.model, x).map((c) => c * chosen.slope);
}
