import { referenceOf, type ScoreReference } from './bands';
import { contactFeatures, contactVocabulary, type ContactVocabulary } from './contactFeatures';
import { engagedPeople } from './engagedPeople';
import { DEFAULT_ENGAGEMENT_MODEL, engagementScore, fitGradeCuts, type EngagementModel } from './engagement';
import type { MarketFacts } from './facts';
import { accountFitLogits, accountLogits, distinctJobs, personFitLogits } from './fitLogits';
import { trainFitModel, type FitTrainingSummary } from './fitModel';
import {
  trainIntentModel,
  type IntentModel,
  type IntentProfileFit,
  type IntentTrainingSummary,
} from './intentModel';
import type { ChosenModel } from './modelSelection';
import { DAY_MS, openedBefore } from './opportunities';
import { profileFeatures, profileVocabulary, type ProfileVocabulary } from './profileFeatures';
import type { ScoringSettings } from './settings';
import { engagementEvents, WINDOW_COUNT, WINDOW_DAYS } from './windowActivity';

/**
 * Training, apart from scoring (applyModels.ts): the models a run applies are fitted once, kept
 * as versions (docs/models.md) and applied day after day to new facts without refitting. Each
 * model carries what it needs to score on its own: its fitted parameters, the feature
 * vocabulary it was fitted with (features met later that it never saw count for nothing) and,
 * for the fit models, the log-odds of the population scored on the training day, against which
 * later days are scored (fit scores are percentiles among that population, bands.ts).
 */
/** The engine that trains and applies; a version trained by another engine is refused (docs/models.md). */
export const ENGINE_VERSION = 'v1';

export interface FitModel {
  readonly chosen: ChosenModel;
  readonly vocabulary: ProfileVocabulary | ContactVocabulary;
}

export interface ProfileFitModel extends FitModel {
  readonly vocabulary: ProfileVocabulary;
  /**
   * The log-odds of every account scored on the training day (bands.ts): profile scores are
   * percentiles among them, whatever the population scored later.
   */
  readonly reference: ScoreReference;
}

export interface ContactFitModel extends FitModel {
  readonly vocabulary: ContactVocabulary;
  /** The log-odds of every person scored on the training day, as for ProfileFitModel. */
  readonly reference: ScoreReference;
}

export interface TrainedModels {
  /** Null when there was too little history (the summary says why); so for the two others. */
  readonly intent: IntentModel | null;
  readonly profile: ProfileFitModel | null;
  readonly contact: ContactFitModel | null;
  readonly engagement: EngagementModel;
  readonly summaries: {
    readonly intent: IntentTrainingSummary;
    readonly profile: FitTrainingSummary;
    readonly contact: FitTrainingSummary;
  };
}

/** Contact fit label window: engaged in the 120 days before their account opened a relevant opportunity. */
const COMMITTEE_WINDOW_DAYS = 120;

function trainProfileFit(facts: MarketFacts) {
  const profiles = facts.accounts.map((a) => a.profile);
  const vocabulary = profileVocabulary(profiles);
  const active = profiles.map((profile) => profileFeatures(profile, vocabulary));
  const { chosen, summary } = trainFitModel(
    vocabulary.names.length,
    facts.accounts.length,
    (account) => openedBefore(facts.opportunities[account] ?? [], facts.asOfMs),
    (account) => active[account] as number[],
    'accounts with a relevant opportunity',
  );
  if (chosen === null) return { model: null, summary };
  const reference = referenceOf(accountFitLogits(facts, { chosen, vocabulary }).logits);
  return { model: { chosen, vocabulary, reference }, summary };
}

/**
 * The profile fit as the intent model reads it (intentModel.ts IntentProfileFit): the model
 * trained up to T for scoring, and for a training snapshot S the log-odds of a profile-fit
 * model trained the same way on the accounts that existed at S, labelled by the relevant
 * opportunities opened before S.
 */
export function intentProfileFit(facts: MarketFacts, model: ProfileFitModel | null): IntentProfileFit | null {
  if (model === null) return null;
  const { vocabulary } = model;
  const active = facts.accounts.map((account) => profileFeatures(account.profile, vocabulary));
  return {
    scorer: { chosen: model.chosen, vocabulary },
    logitsAsOf: (atMs) => {
      const existing = facts.accounts.flatMap((account, i) =>
        account.createdMs === null || account.createdMs < atMs ? [i] : [],
      );
      const { chosen } = trainFitModel(
        vocabulary.names.length,
        existing.length,
        (example) => openedBefore(facts.opportunities[existing[example] as number] ?? [], atMs),
        (example) => active[existing[example] as number] as number[],
        'accounts with a relevant opportunity',
      );
      return chosen === null ? null : accountLogits(facts, { chosen, vocabulary });
    },
  };
}

/**
 * The buying-committee label of every person: engaged in the COMMITTEE_WINDOW_DAYS before their
 * account opened a relevant opportunity (only people of accounts that opened one are examples).
 */
function committeeLabels(facts: MarketFacts): { committee: Uint8Array; population: number[] } {
  const personIndex = new Map(facts.people.map((p, i) => [p.id, i]));
  const committee = new Uint8Array(facts.people.length);
  const inPopulation = new Uint8Array(facts.accounts.length);
  for (let account = 0; account < facts.accounts.length; account++) {
    const openings = (facts.opportunities[account] ?? [])
      .filter((o) => o.relevant && o.createdMs < facts.asOfMs)
      .map((o) => Math.floor((facts.asOfMs - o.createdMs) / DAY_MS));
    if (openings.length === 0) continue;
    inPopulation[account] = 1;
    (facts.windows[account] ?? []).forEach((window, k) => {
      for (const event of engagementEvents(window)) {
        const person = personIndex.get(event.contactId);
        if (person === undefined) continue;
        const age = event.age + k * WINDOW_DAYS;
        if (openings.some((opened) => age > opened && age <= opened + COMMITTEE_WINDOW_DAYS))
          committee[person] = 1;
      }
    });
  }
  const population = facts.people
    .map((_, i) => i)
    .filter((i) => inPopulation[facts.people[i]?.account as number]);
  return { committee, population };
}

function trainContactFit(facts: MarketFacts) {
  const { committee, population } = committeeLabels(facts);
  const jobs = distinctJobs(facts.people);
  const vocabulary = contactVocabulary(facts.people.map((p) => p.job));
  // People share jobs: a job's features are worked out once.
  const byJob = jobs.jobs.map((job) => contactFeatures(job, vocabulary));
  const { chosen, summary } = trainFitModel(
    vocabulary.names.length,
    population.length,
    (example) => committee[population[example] as number] === 1,
    (example) => byJob[jobs.jobOf[population[example] as number] as number] as number[],
    'people engaged before their account opened a relevant opportunity',
  );
  if (chosen === null) return { model: null, summary };
  // Everyone scored on the day, not only the examples the model learnt from.
  const reference = referenceOf(personFitLogits(facts, { chosen, vocabulary }, jobs).logits);
  return { model: { chosen, vocabulary, reference }, summary };
}

/**
 * The engagement model: the fixed points and half-life, with grade cuts fitted on the scores of
 * the people engaged on the training day (engagement.ts fitGradeCuts).
 */
export function trainEngagement(facts: MarketFacts): EngagementModel {
  const engaged = engagedPeople(facts, DEFAULT_ENGAGEMENT_MODEL);
  const scores: number[] = [];
  for (const person of facts.people) {
    const points = engaged.get(person.id)?.points;
    if (points !== undefined) scores.push(engagementScore(points));
  }
  const { cuts, from } = fitGradeCuts(scores);
  return { ...DEFAULT_ENGAGEMENT_MODEL, gradeCuts: cuts, gradeCutsFrom: from };
}

/** Fits the three models on the facts before T (as of facts.asOfMs); pure. */
export function trainModels(facts: MarketFacts, settings: ScoringSettings): TrainedModels {
  if (facts.windowCount !== undefined && facts.windowCount < WINDOW_COUNT)
    throw new Error(`training needs all ${WINDOW_COUNT} windows of facts, these hold ${facts.windowCount}`);
  const profile = trainProfileFit(facts);
  const intent = trainIntentModel(facts, settings.stageLiftCuts, intentProfileFit(facts, profile.model));
  const contact = trainContactFit(facts);
  return {
    intent: intent.model,
    profile: profile.model,
    contact: contact.model,
    engagement: trainEngagement(facts),
    summaries: { intent: intent.summary, profile: profile.summary, contact: contact.summary },
  };
}
