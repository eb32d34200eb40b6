import { addDays } from '../../domain/dates';
import { fitOwnFigures, intentOwnFigures } from '../../domain/models/ownFigures';
import type { ModelKind } from '../../domain/scoring/modelCodec';
import type { FitTrainingSummary } from '../../domain/scoring/fitModel';
import type { TrainedModels } from '../../domain/scoring/trainModels';
import { TRAINING_WINDOWS, WINDOW_COUNT, WINDOW_DAYS } from '../../domain/scoring/windowActivity';
import type { VersionFigures } from './versionStore';

/**
 * What each version of one training stores of it (docs/models.md "Own figures"): its training
 * (window, snapshots, examples, positives, base rate, why there is no model) and its own figures,
 * out of fold, from the training summaries (domain/models/ownFigures.ts). Pure.
 *
 * The training window ends on the day (facts strictly before it). The intent and contact fit
 * models read the activity of the WINDOW_COUNT windows of WINDOW_DAYS before it; the profile fit
 * labels every relevant opportunity ever opened before the day (its window has no start);
 * engagement has fixed weights and only its grade cuts fitted on the day's people (no labels), so
 * it has neither window nor figures.
 */
export function versionFigures(
  summaries: TrainedModels['summaries'],
  trainedAsOf: string,
): Record<ModelKind, VersionFigures> {
  const activityStart = addDays(trainedAsOf, -WINDOW_COUNT * WINDOW_DAYS);
  const intent = intentOwnFigures(summaries.intent);
  const fit = (summary: FitTrainingSummary, windowStart: string | null): VersionFigures => {
    const figures = fitOwnFigures(summary);
    return {
      training: {
        window_start: windowStart,
        window_end: trainedAsOf,
        snapshots: 1,
        examples: summary.examples,
        positives: summary.positives,
        base_rate: summary.examples > 0 ? summary.positives / summary.examples : null,
        fallback: summary.fallback,
      },
      backtest: summary.method === null ? null : { ...figures },
      auc: figures.auc,
      identificationRate: null,
    };
  };
  return {
    intent: {
      training: {
        window_start: activityStart,
        window_end: trainedAsOf,
        snapshots: TRAINING_WINDOWS.length,
        examples: summaries.intent.examples,
        positives: summaries.intent.positives,
        base_rate: summaries.intent.baseRate,
        fallback: summaries.intent.fallback,
      },
      backtest: summaries.intent.method === null ? null : { ...intent },
      auc: intent.auc,
      identificationRate: intent.identification_rate,
    },
    profile_fit: fit(summaries.profile, null),
    contact_fit: fit(summaries.contact, activityStart),
    engagement: {
      training: {
        window_start: null,
        window_end: trainedAsOf,
        snapshots: 0,
        examples: null,
        positives: null,
        base_rate: null,
        fallback: null,
      },
      backtest: null,
      auc: null,
      identificationRate: null,
    },
  };
}
