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
/** Why an attribute lowers a fit score, in words (fitModel.ts scoreBinary). */
export const PROFILE_AGAINST = 'less common among accounts that bought';
export const CONTACT_AGAINST = 'less common among people engaged before their account bought';

export interface FitLogits {
  logits: Float64Array;
  /** Per account or person; people with the same job share one array. */
  reasons: Reason[][];
}

/** What scoring a profile needs: the chosen model and the vocabulary it was fitted with. */
export type ProfileScorer = Pick<ProfileFitModel, 'chosen' | 'vocabulary'>;

/** The log-odds alone of every account (no reasons): what the intent model reads. */
export function accountLogits(facts: Pick<MarketFacts, 'accounts'>, model: ProfileScorer): Float64Array {
  const scorer = binaryScorer(model.chosen, model.vocabulary.names.length);
  return Float64Array.from(facts.accounts, (account) => {
    let logit = scorer.base;
    for (const j of profileFeatures(account.profile, model.vocabulary)) logit += scorer.delta[j] as number;
    return logit;
  });
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
      PROFILE_AGAINST,
    );
    logits[i] = scored.logit;
    reasons[i] = scored.reasons;
  });
  return { logits, reasons };
}

/**
 * The distinct jobs of the people (level, function, title; null is not 'null'), and the index
 * of each person's job among them: people share jobs (a few hundred jobs for a million people),
 * so what depends on the job alone is worked out once per job.
 */
export interface DistinctJobs {
  jobs: PersonJob[];
  /** Per person: the index of their job in `jobs`. */
  jobOf: Uint32Array;
}

export function distinctJobs(people: MarketFacts['people']): DistinctJobs {
  const jobs: PersonJob[] = [];
  const jobOf = new Uint32Array(people.length);
  const index = new Map<string | null, Map<string | null, Map<string | null, number>>>();
  people.forEach((person, i) => {
    const { job_level, job_function, title } = person.job;
    let byFunction = index.get(job_level);
    if (byFunction === undefined) index.set(job_level, (byFunction = new Map()));
    let byTitle = byFunction.get(job_function);
    if (byTitle === undefined) byFunction.set(job_function, (byTitle = new Map()));
    let job = byTitle.get(title);
    if (job === undefined) {
      job = jobs.length;
      jobs.push(person.job);
      byTitle.set(title, job);
    }
    jobOf[i] = job;
  });
  return { jobs, jobOf };
}

export function personFitLogits(
  facts: Pick<MarketFacts, 'people'>,
  model: Pick<ContactFitModel, 'chosen' | 'vocabulary'>,
  jobs: DistinctJobs = distinctJobs(facts.people),
): FitLogits {
  const scorer = binaryScorer(model.chosen, model.vocabulary.names.length);
  // A job's log-odds and reasons are worked out once (one reasons array per job, which the
  // store also writes once).
  const byJob = jobs.jobs.map((job) =>
    scoreBinary(scorer, contactFeatures(job, model.vocabulary), model.vocabulary.texts, CONTACT_AGAINST),
  );
  const logits = new Float64Array(facts.people.length);
  const reasons = new Array<Reason[]>(facts.people.length);
  for (let i = 0; i < facts.people.length; i++) {
    const entry = byJob[jobs.jobOf[i] as number] as { logit: number; reasons: Reason[] };
    logits[i] = entry.logit;
    reasons[i] = entry.reasons;
  }
  return { logits, reasons };
}
