import { fitLogistic, logisticContributions, type LogisticModel } from './logistic';
import { subset, trainingSet, type TrainingSet } from './matrix';
import { auc } from './metrics';
import { fitNaiveBayes, naiveBayesContributions, type NaiveBayesModel } from './naiveBayes';

/**
 * Model choice: both candidate methods (L2 logistic regression and binned naive Bayes) are
 * fitted on the training part of the history and judged by their AUC on a later validation
 * part (for intent: the most recent snapshot, so the judgement looks forward in time as the
 * model will be used). The better one (logistic on a tie) is refitted on all the history.
 *
 * The winner's log-odds t are then recalibrated, ln-odds' = a·t + b, by a one-feature logistic
 * regression on all the history (Platt scaling): naive Bayes is overconfident, and down-sampled
 * negatives shift the intercept; stages and lifts need honest probabilities.
 */
export type ModelKind = 'logistic' | 'naive_bayes';

export interface ChosenModel {
  readonly kind: ModelKind;
  readonly model: LogisticModel | NaiveBayesModel;
  /** Calibration of the log-odds: a · t + b. */
  readonly slope: number;
  readonly offset: number;
  /** Validation AUC of each candidate. */
  readonly validationAuc: Record<ModelKind, number>;
}

/** Raw signed contributions of each feature (before calibration). */
export function rawContributions(model: LogisticModel | NaiveBayesModel, x: ArrayLike<number>): Float64Array {
  return model.kind === 'logistic' ? logisticContributions(model, x) : naiveBayesContributions(model, x);
}

export function rawIntercept(model: LogisticModel | NaiveBayesModel): number {
  return model.kind === 'logistic' ? model.intercept : model.priorLogOdds;
}

function rawLogit(model: LogisticModel | NaiveBayesModel, x: ArrayLike<number>): number {
  let t = rawIntercept(model);
  for (const c of rawContributions(model, x)) t += c;
  return t;
}

function fit(kind: ModelKind, set: TrainingSet): LogisticModel | NaiveBayesModel {
  return kind === 'logistic' ? fitLogistic(set) : fitNaiveBayes(set);
}

function logits(model: LogisticModel | NaiveBayesModel, set: TrainingSet): Float64Array {
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
  const validationAuc: Record<ModelKind, number> = { logistic: NaN, naive_bayes: NaN };
  let kind: ModelKind = 'logistic';
  if (train.length > 0 && validate.length > 0) {
    const trainSet = subset(set, train);
    const validateSet = subset(set, validate);
    for (const candidate of ['logistic', 'naive_bayes'] as const)
      validationAuc[candidate] = auc(logits(fit(candidate, trainSet), validateSet), validateSet.y);
    if ((validationAuc.naive_bayes as number) > (validationAuc.logistic as number)) kind = 'naive_bayes';
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

/** Calibrated log-odds of one example. */
export function chosenLogit(chosen: ChosenModel, x: ArrayLike<number>): number {
  return chosen.slope * rawLogit(chosen.model, x) + chosen.offset;
}

/** Calibrated signed contributions (they add up to the log-odds minus the model's baseline). */
export function chosenContributions(chosen: ChosenModel, x: ArrayLike<number>): Float64Array {
  return rawContributions(chosen.model, x).map((c) => c * chosen.slope);
}
