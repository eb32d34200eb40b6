import { contactFeatures } from './contactFeatures';
import type { MarketFacts } from './facts';
import { binaryScorer, scoreBinary } from './fitModel';
import type { PersonJob } from './personas';
import { profileFeatures } from './profileFeatures';
import type { Reason } from './reasons';
import type { ContactFitModel, ProfileFitModel } from './trainModels';

/**
 * The log-odds and reasons of every account (profile fit) or person (contact fit) under a fit
 * model. The trainer (trainModels.ts, for the model's reference population) and the applier
 * (applyModels.ts, for the day's scores) both call these, so that on the training day both see
 * the very same doubles and the reference scores reproduce the percentiles exactly (bands.ts).
 */
export interface FitLogits {
  logits: Float64Array;
  /** Per account or person; people with the same job share one array. */
  reasons: Reason[][];
}

export function accountFitLogits(
  facts: Pick<MarketFacts, 'accounts'>,
  model: Pick<ProfileFitModel, 'chosen' | 'vocabulary'>,
): FitLogits {
  const scorer = binaryScorer(model.chosen, model.vocabulary.names.length);
  const logits = new Float64Array(facts.accounts.length);
  const reasons = new Array<Reason[]>(facts.accounts.length);
  facts.accounts.forEach((account, i) => {
    const scored = scoreBinary(
      scorer,
      profileFeatures(account.profile, model.vocabulary),
      model.vocabulary.texts,
    );
    logits[i] = scored.logit;
    reasons[i] = scored.reasons;
  });
  return { logits, reasons };
}

export function personFitLogits(
  facts: Pick<MarketFacts, 'people'>,
  model: Pick<ContactFitModel, 'chosen' | 'vocabulary'>,
): FitLogits {
  const scorer = binaryScorer(model.chosen, model.vocabulary.names.length);
  const logits = new Float64Array(facts.people.length);
  const reasons = new Array<Reason[]>(facts.people.length);
  // People share jobs: a job's log-odds and reasons are worked out once (one reasons array per
  // job, which the store also writes once).
  const byJob = new Map<string, { logit: number; reasons: Reason[] }>();
  facts.people.forEach((person, i) => {
    const job = person.job as PersonJob;
    const key = `${job.job_level}\u0000${job.job_function}\u0000${job.title}`;
    let entry = byJob.get(key);
    if (entry === undefined) {
      entry = scoreBinary(scorer, contactFeatures(job, model.vocabulary), model.vocabulary.texts);
      byJob.set(key, entry);
    }
    logits[i] = entry.logit;
    reasons[i] = entry.reasons;
  });
  return { logits, reasons };
}
