import type { EngagementModel } from './engagement';
import type { IntentModel, IntentTrainingSummary } from './intentModel';
import type { FitTrainingSummary } from './fitModel';
import type { ContactFitModel, ProfileFitModel, TrainedModels } from './trainModels';

/**
 * Trained models as JSON text and back, exactly: a model version's parameters are stored as
 * text (a `json` column, which keeps the text as written) and a run applied from them must give
 * the very same scores. JSON has no typed arrays, maps or non-finite numbers, so those are
 * tagged: {"$f64": [..]}, {"$map": [[key, value], ..]}, {"$num": "NaN" | "Infinity" | "-Infinity"}.
 * Finite doubles survive as they are: JavaScript writes the shortest text that reads back as
 * the same double.
 */
export const MODEL_KINDS = ['intent', 'profile_fit', 'contact_fit', 'engagement'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** What one version of each kind holds: its model (null: too little history) and its training summary. */
export interface ModelParams {
  intent: { model: IntentModel | null; summary: IntentTrainingSummary };
  profile_fit: { model: ProfileFitModel | null; summary: FitTrainingSummary };
  contact_fit: { model: ContactFitModel | null; summary: FitTrainingSummary };
  engagement: { model: EngagementModel };
}

function replacer(this: unknown, key: string, value: unknown): unknown {
  // `this[key]` is the value before toJSON; typed arrays and maps are found there.
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Float64Array)
    return { $f64: Array.from(raw, (x) => (Number.isFinite(x) ? x : { $num: String(x) })) };
  if (raw instanceof Map) return { $map: [...raw.entries()] };
  if (typeof raw === 'number' && !Number.isFinite(raw)) return { $num: String(raw) };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const tagged = value as Record<string, unknown>;
    if ('$num' in tagged) return Number(tagged.$num);
    if ('$f64' in tagged) return Float64Array.from(tagged.$f64 as number[]);
    if ('$map' in tagged) return new Map(tagged.$map as Array<[unknown, unknown]>);
  }
  return value;
}

export function encodeModel(value: unknown): string {
  return JSON.stringify(value, replacer);
}

export function decodeModel<T>(text: string): T {
  return JSON.parse(text, reviver) as T;
}

/** The four versions' parameters of one training. */
export function paramsOf(models: TrainedModels): ModelParams {
  return {
    intent: { model: models.intent, summary: models.summaries.intent },
    profile_fit: { model: models.profile, summary: models.summaries.profile },
    contact_fit: { model: models.contact, summary: models.summaries.contact },
    engagement: { model: models.engagement },
  };
}

/** The models to apply, from one version of each kind (not necessarily trained together). */
export function modelsOf(params: ModelParams): TrainedModels {
  return {
    intent: params.intent.model,
    profile: params.profile_fit.model,
    contact: params.contact_fit.model,
    engagement: params.engagement.model,
    summaries: {
      intent: params.intent.summary,
      profile: params.profile_fit.summary,
      contact: params.contact_fit.summary,
    },
  };
}
