import type { MarketFacts } from './facts';
import {
  intentFeatureNames,
  intentModelInput,
  intentSignals,
  intentVocabulary,
  type IntentVocabulary,
} from './intentFeatures';
import { trainingSet } from './matrix';
import { chooseModel, type ChosenModel, type ModelKind } from './modelSelection';
import { DAY_MS, opensWithinHorizon } from './opportunities';
import { keepRates, uniformOf } from './sampling';
import { TRAINING_WINDOWS, WINDOW_DAYS } from './windowActivity';

/**
 * The intent model, trained on snapshots of the account's own history before T.
 *
 * Snapshots S_k = T − 91k days, k = 1…4: at each, every account that existed then is an
 * example with the signals of the window before S_k and the label "a relevant opportunity was
 * created in [S_k, S_k + 90 days)", which ends before T — no fact at or after T is used. The
 * most recent snapshot (k = 1) is the validation set on which the two methods are compared, so
 * the choice looks forward in time as the model will be used. Positives are capped at 20,000
 * and negatives at 6 per positive (deterministic sample, weighted back).
 *
 * The base rate b is the share of all account-snapshots that converted: the lift of an account
 * is p / b (stages.ts).
 */
export const MIN_INTENT_POSITIVES = 20;

export interface IntentModel {
  readonly chosen: ChosenModel;
  readonly vocabulary: IntentVocabulary;
  readonly featureNames: readonly string[];
  readonly baseRate: number;
}

export interface IntentTrainingSummary {
  method: ModelKind | null;
  validationAuc: Record<ModelKind, number> | null;
  examples: number;
  positives: number;
  baseRate: number;
  /** Why there is no model, when there is none. */
  fallback: string | null;
}

function existedAt(facts: MarketFacts, account: number, atMs: number): boolean {
  const createdMs = facts.accounts[account]?.createdMs ?? null;
  return createdMs === null || createdMs < atMs;
}

export function snapshotMs(facts: MarketFacts, window: number): number {
  return facts.asOfMs - window * WINDOW_DAYS * DAY_MS;
}

export function trainIntentModel(facts: MarketFacts): {
  model: IntentModel | null;
  summary: IntentTrainingSummary;
} {
  const vocabulary = intentVocabulary(facts.windows.flat());
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
  };
  if (positives < MIN_INTENT_POSITIVES) {
    summary.fallback = `too little history: ${positives} relevant opportunities opened in the training windows, at least ${MIN_INTENT_POSITIVES} needed`;
    return { model: null, summary };
  }
  const rates = keepRates(positives, examples.length - positives, 20_000, 6);
  const kept = examples.filter(
    (e) => uniformOf(e.account, e.window) < (e.label ? rates.positive : rates.negative),
  );
  const set = trainingSet(kept.length, featureNames.length);
  kept.forEach((e, row) => {
    const signals = intentSignals(
      facts.windows[e.account]?.[e.window],
      facts.opportunities[e.account] ?? [],
      snapshotMs(facts, e.window),
      vocabulary,
    );
    set.x.set(intentModelInput(signals), row * featureNames.length);
    set.y[row] = e.label;
    set.weight[row] = 1 / (e.label ? rates.positive : rates.negative);
  });
  const chosen = chooseModel(set, (row) => kept[row]?.window === TRAINING_WINDOWS[0]);
  summary.method = chosen.kind;
  summary.validationAuc = chosen.validationAuc;
  return { model: { chosen, vocabulary, featureNames, baseRate }, summary };
}
