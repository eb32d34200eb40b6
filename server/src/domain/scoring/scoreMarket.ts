import type { BuyingStage, EngagementGrade, FitBand, ReachLevel } from '../vocabulary';
import { fitBandOf, percentileScores } from './bands';
import { contactFeatures, contactVocabulary } from './contactFeatures';
import { ENGAGEMENT_WINDOW_DAYS, engagementGrade, engagementPoints, engagementScore } from './engagement';
import type { MarketFacts } from './facts';
import { binaryScorer, scoreBinary, trainFitModel, type FitTrainingSummary } from './fitModel';
import { F, intentModelInput, intentSignals } from './intentFeatures';
import { intentProbability, trainIntentModel, type IntentTrainingSummary } from './intentModel';
import { intentReasonText, researchDetail } from './intentReasons';
import { chosenContributions } from './modelSelection';
import { DAY_MS, openedBefore } from './opportunities';
import { personaOf, type PersonJob } from './personas';
import { profileFeatures, profileVocabulary } from './profileFeatures';
import { reachOf } from './reach';
import { plural, topReasons, type Reason } from './reasons';
import type { ScoringSettings } from './settings';
import { intentScoreOfLift, stageOfLift } from './stages';
import { engagementEvents, WINDOW_DAYS } from './windowActivity';

/**
 * One scoring run as of T: trains the three models on the facts before T and scores every
 * account and person. Pure: the same facts and settings give the same scores.
 */
export const ENGINE_VERSION = 'v1';

export interface AccountScore {
  accountId: string;
  intentScore: number | null;
  buyingStage: BuyingStage | null;
  /** Calibrated probability of a relevant opportunity in the next 90 days (null without a model). */
  intentProbability: number | null;
  profileScore: number | null;
  profileFit: FitBand | null;
  reach: ReachLevel;
  reasons: { intent: Reason[]; profile: Reason[]; reach: Reason[] };
}

export interface PersonScore {
  contactId: string;
  accountId: string;
  engagementScore: number;
  engagementGrade: EngagementGrade;
  profileScore: number | null;
  profileFit: FitBand | null;
  persona: string | null;
  reasons: { engagement: Reason[]; profile: Reason[] };
}

export interface ScoringSummary {
  modelVersion: string;
  intent: IntentTrainingSummary;
  profile: FitTrainingSummary;
  contact: FitTrainingSummary;
}

export interface MarketScores {
  accounts: AccountScore[];
  people: PersonScore[];
  summary: ScoringSummary;
}

/** Contact fit label window: engaged in the 120 days before their account opened a relevant opportunity. */
const COMMITTEE_WINDOW_DAYS = 120;
const ENGAGEMENT_TYPE_NAMES: Readonly<Record<string, [string, string]>> = {
  email_open: ['email open', 'email opens'],
  email_click: ['email click', 'email clicks'],
  ad_click: ['ad click', 'ad clicks'],
  webinar: ['webinar', 'webinars'],
  trade_show: ['trade show visit', 'trade show visits'],
  field_event: ['event', 'events'],
  form_fill: ['form filled', 'forms filled'],
  sales_reply: ['reply to sales', 'replies to sales'],
};

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function scoreIntent(facts: MarketFacts, settings: ScoringSettings) {
  const { model, summary } = trainIntentModel(facts, settings.stageLiftCuts);
  const n = facts.accounts.length;
  const probabilities = new Float64Array(n);
  const reach = new Array<ReachLevel>(n);
  const reachReasons = new Array<Reason[]>(n);
  const intentReasons = new Array<Reason[]>(n);
  for (let account = 0; account < n; account++) {
    const window = facts.windows[account]?.[0];
    const signals = intentSignals(
      window,
      facts.opportunities[account] ?? [],
      facts.asOfMs,
      model?.vocabulary ?? { sections: [] },
    );
    const points = signals[F.reach_28d] as number;
    reach[account] = reachOf(points);
    reachReasons[account] =
      points > 0
        ? [
            {
              text: `${plural(signals[F.sales_touches_28d] as number, 'sales touch', 'sales touches')} and marketing worth ${Math.round(points * 10) / 10} reach points in the last 28 days`,
              weight: Math.round(points * 100) / 100,
            },
          ]
        : [{ text: 'No sales or marketing touch in the last 28 days', weight: 0 }];
    if (model === null) {
      intentReasons[account] = [];
      continue;
    }
    const input = intentModelInput(signals);
    probabilities[account] = intentProbability(model, input);
    const detail = {
      last7: researchDetail(window, 7),
      last28: researchDetail(window, 28),
      last91: researchDetail(window, 91),
    };
    intentReasons[account] = topReasons(chosenContributions(model.chosen, input), (feature) =>
      intentReasonText(feature, signals, model.vocabulary, detail),
    );
  }
  return { model, summary, probabilities, reach, reachReasons, intentReasons, settings };
}

function scoreProfiles(facts: MarketFacts) {
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
  const logits = new Float64Array(facts.accounts.length);
  const reasons = new Array<Reason[]>(facts.accounts.length).fill([]);
  if (chosen !== null) {
    const scorer = binaryScorer(chosen, vocabulary.names.length);
    active.forEach((features, account) => {
      const scored = scoreBinary(scorer, features, vocabulary.texts);
      logits[account] = scored.logit;
      reasons[account] = scored.reasons;
    });
  }
  return { summary, scores: chosen === null ? null : percentileScores(logits), reasons };
}

function scorePeople(
  facts: MarketFacts,
  settings: ScoringSettings,
): { people: PersonScore[]; summary: FitTrainingSummary } {
  const personIndex = new Map(facts.people.map((p, i) => [p.id, i]));
  // Engagement points and acts per person, and the buying-committee label.
  const points = new Float64Array(facts.people.length);
  const acts = facts.people.map(() => new Map<string, number>());
  const committee = new Uint8Array(facts.people.length);
  const inCommitteePopulation = new Uint8Array(facts.accounts.length);
  for (let account = 0; account < facts.accounts.length; account++) {
    const openings = (facts.opportunities[account] ?? [])
      .filter((o) => o.relevant && o.createdMs < facts.asOfMs)
      .map((o) => Math.floor((facts.asOfMs - o.createdMs) / DAY_MS));
    if (openings.length > 0) inCommitteePopulation[account] = 1;
    // Engagement points need the latest window only; the committee label needs all of them.
    const windows = (facts.windows[account] ?? []).slice(0, openings.length > 0 ? undefined : 1);
    windows.forEach((window, k) => {
      for (const event of engagementEvents(window)) {
        const person = personIndex.get(event.contactId);
        if (person === undefined) continue;
        const age = event.age + k * WINDOW_DAYS;
        if (age < ENGAGEMENT_WINDOW_DAYS) {
          points[person] = (points[person] as number) + engagementPoints(event.type, age);
          const personActs = acts[person] as Map<string, number>;
          personActs.set(event.type, (personActs.get(event.type) ?? 0) + 1);
        }
        if (
          openings.some(
            (openedDaysAgo) => age > openedDaysAgo && age <= openedDaysAgo + COMMITTEE_WINDOW_DAYS,
          )
        )
          committee[person] = 1;
      }
    });
  }
  const population = facts.people
    .map((_, i) => i)
    .filter((i) => inCommitteePopulation[facts.people[i]?.account as number]);
  const jobs = facts.people.map((p) => p.job);
  const vocabulary = contactVocabulary(jobs);
  // People share jobs: features, log-odds and reasons are worked out once per job.
  const byJob = new Map<string, { active: number[]; logit: number; reasons: Reason[] }>();
  const jobOf = (i: number) => {
    const job = jobs[i] as PersonJob;
    const key = `${job.job_level}\u0000${job.job_function}\u0000${job.title}`;
    let entry = byJob.get(key);
    if (entry === undefined) {
      entry = { active: contactFeatures(job, vocabulary), logit: 0, reasons: [] };
      byJob.set(key, entry);
    }
    return entry;
  };
  const { chosen, summary } = trainFitModel(
    vocabulary.names.length,
    population.length,
    (example) => committee[population[example] as number] === 1,
    (example) => jobOf(population[example] as number).active,
    'people engaged before their account opened a relevant opportunity',
  );
  const logits = new Float64Array(facts.people.length);
  const fitReasons = new Array<Reason[]>(facts.people.length).fill([]);
  if (chosen !== null) {
    const scorer = binaryScorer(chosen, vocabulary.names.length);
    for (const entry of byJob.values())
      Object.assign(entry, scoreBinary(scorer, entry.active, vocabulary.texts));
    facts.people.forEach((_, i) => {
      const entry = jobOf(i);
      if (entry.reasons.length === 0 && entry.logit === 0)
        Object.assign(entry, scoreBinary(scorer, entry.active, vocabulary.texts));
      logits[i] = entry.logit;
      fitReasons[i] = entry.reasons;
    });
  }
  const fitScores = chosen === null ? null : percentileScores(logits);
  const people = facts.people.map((person, i): PersonScore => {
    const score = engagementScore(points[i] as number);
    const engagementReasons = [...(acts[i] as Map<string, number>).entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 3)
      .map(([type, count]) => {
        const [one, many] = ENGAGEMENT_TYPE_NAMES[type] ?? [type, type];
        return { text: `${plural(count, one, many)} in the last 90 days`, weight: count };
      });
    const profileScore = fitScores === null ? null : (fitScores[i] as number);
    return {
      contactId: person.id,
      accountId: facts.accounts[person.account]?.id as string,
      engagementScore: score,
      engagementGrade: engagementGrade(score),
      profileScore,
      profileFit: profileScore === null ? null : fitBandOf(profileScore, settings.fitBands),
      persona: personaOf(person.job, settings.personas),
      reasons: { engagement: engagementReasons, profile: fitReasons[i] as Reason[] },
    };
  });
  return { people, summary };
}

export function scoreMarket(facts: MarketFacts, settings: ScoringSettings): MarketScores {
  const intent = scoreIntent(facts, settings);
  const profile = scoreProfiles(facts);
  const { people, summary: contactSummary } = scorePeople(facts, settings);
  const accounts = facts.accounts.map((account, i): AccountScore => {
    const probability = intent.model === null ? null : (intent.probabilities[i] as number);
    const lift = probability === null || intent.model === null ? null : probability / intent.model.baseRate;
    const profileScore = profile.scores === null ? null : (profile.scores[i] as number);
    return {
      accountId: account.id,
      intentScore: lift === null ? null : intentScoreOfLift(lift),
      buyingStage: lift === null || intent.model === null ? null : stageOfLift(lift, intent.model.stageCuts),
      intentProbability: probability,
      profileScore,
      profileFit: profileScore === null ? null : fitBandOf(profileScore, settings.fitBands),
      reach: intent.reach[i] as ReachLevel,
      reasons: {
        intent: intent.intentReasons[i] as Reason[],
        profile: profile.reasons[i] as Reason[],
        reach: intent.reachReasons[i] as Reason[],
      },
    };
  });
  const method = (m: string | null) => m ?? 'none';
  const modelVersion = `${ENGINE_VERSION}-intent:${method(intent.summary.method)}-fit:${method(profile.summary.method)}-contact:${method(contactSummary.method)}@${isoDate(facts.asOfMs)}`;
  return {
    accounts,
    people,
    summary: { modelVersion, intent: intent.summary, profile: profile.summary, contact: contactSummary },
  };
}
