import type { EngagementGrade, ReachLevel } from '../vocabulary';
import { fitBandOf, referenceScores } from './bands';
import { engagedPeople, type Engaged } from './engagedPeople';
import { engagementGrade, engagementScore } from './engagement';
import type { MarketFacts } from './facts';
import { accountFitLogits, distinctJobs, personFitLogits, type DistinctJobs } from './fitLogits';
import { F, intentModelInput, intentSignals } from './intentFeatures';
import { intentFitLogits, intentProbability } from './intentModel';
import { intentReasonText, reasonContributions, researchDetail, type ResearchDetail } from './intentReasons';
import { chosenContributions } from './modelSelection';
import { personaOf } from './personas';
import { reachOf } from './reach';
import { plural, topReasons, type Reason } from './reasons';
import type { AccountScore, MarketScores, PersonScore } from './scoreMarket';
import type { ScoringSettings } from './settings';
import { intentScoreOfLift, stageOfLift } from './stages';
import { ENGINE_VERSION, type TrainedModels } from './trainModels';
import type { WindowActivity } from './windowActivity';

/**
 * Scores every account and person as of T with models already trained (trainModels.ts): reads
 * only the latest window of each account (k = 0, the 91 days before T) and fits nothing. Pure:
 * the same facts, settings and models give the same scores, so a stored run can be reproduced
 * from its model versions and the facts before its day.
 */
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

/**
 * What the account researched in its last 7, 28 and 91 days, each worked out when a reason's
 * text first asks for it: most accounts' top reasons name one of them or none.
 */
function lazyResearchDetail(window: WindowActivity | undefined) {
  const cache = new Map<number, ResearchDetail>();
  const of = (days: number) => {
    let detail = cache.get(days);
    if (detail === undefined) {
      detail = researchDetail(window, days);
      cache.set(days, detail);
    }
    return detail;
  };
  return {
    get last7() {
      return of(7);
    },
    get last28() {
      return of(28);
    },
    get last91() {
      return of(91);
    },
  };
}

function applyIntent(facts: MarketFacts, models: TrainedModels) {
  const model = models.intent;
  const n = facts.accounts.length;
  const probabilities = new Float64Array(n);
  const reach = new Array<ReachLevel>(n);
  const reachReasons = new Array<Reason[]>(n);
  const intentReasons = new Array<Reason[]>(n);
  const fitLogits = model === null ? null : intentFitLogits(model, facts);
  for (let account = 0; account < n; account++) {
    const window = facts.windows[account]?.[0];
    const signals = intentSignals(
      window,
      facts.opportunities[account] ?? [],
      facts.asOfMs,
      model?.vocabulary ?? { sections: [] },
      fitLogits?.[account] ?? null,
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
    const input = intentModelInput(signals, model.vocabulary);
    probabilities[account] = intentProbability(model, input);
    const detail = lazyResearchDetail(window);
    const contributions = reasonContributions(chosenContributions(model.chosen, input), model.vocabulary);
    intentReasons[account] = topReasons(contributions, (feature, contribution) =>
      intentReasonText(feature, signals, model.vocabulary, detail, contribution, model.typicalOfConverters),
    );
  }
  return { probabilities, reach, reachReasons, intentReasons };
}

/**
 * Fit scores are percentiles among the model's training population (bands.ts referenceScores):
 * an account's score does not depend on which other accounts are scored today.
 */
function applyProfileFit(facts: MarketFacts, models: TrainedModels) {
  const model = models.profile;
  if (model === null) return { scores: null, reasons: new Array<Reason[]>(facts.accounts.length).fill([]) };
  const { logits, reasons } = accountFitLogits(facts, model);
  return { scores: referenceScores(model.reference, logits), reasons };
}

function engagementReasons(person: Engaged | undefined): Reason[] {
  if (person === undefined) return [];
  return [...person.acts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([type, count]) => {
      const [one, many] = ENGAGEMENT_TYPE_NAMES[type] ?? [type, type];
      return { text: `${plural(count, one, many)} in the last 90 days`, weight: count };
    });
}

function applyContactFit(facts: MarketFacts, models: TrainedModels, jobs: DistinctJobs) {
  const model = models.contact;
  if (model === null) return { scores: null, reasons: new Array<Reason[]>(facts.people.length).fill([]) };
  const { logits, reasons } = personFitLogits(facts, model, jobs);
  return { scores: referenceScores(model.reference, logits), reasons };
}

function applyPeople(facts: MarketFacts, settings: ScoringSettings, models: TrainedModels): PersonScore[] {
  const engaged = engagedPeople(facts, models.engagement);
  const jobs = distinctJobs(facts.people);
  const fit = applyContactFit(facts, models, jobs);
  // A persona depends on the job alone.
  const personas = jobs.jobs.map((job) => personaOf(job, settings.personas));
  return facts.people.map((person, i): PersonScore => {
    const engagement = engaged.get(person.id);
    const score = engagementScore(engagement?.points ?? 0);
    const profileScore = fit.scores === null ? null : (fit.scores[i] as number);
    return {
      contactId: person.id,
      accountId: facts.accounts[person.account]?.id as string,
      engagementScore: score,
      engagementGrade: engagementGrade(score, models.engagement) as EngagementGrade,
      profileScore,
      profileFit: profileScore === null ? null : fitBandOf(profileScore, settings.fitBands),
      persona: personas[jobs.jobOf[i] as number] as string | null,
      reasons: { engagement: engagementReasons(engagement), profile: fit.reasons[i] as Reason[] },
    };
  });
}

/** The run's model label when the caller gives none: the engine, each model's method and T. */
export function defaultModelLabel(models: TrainedModels, asOfMs: number): string {
  const method = (m: string | null) => m ?? 'none';
  const { intent, profile, contact } = models.summaries;
  return `${ENGINE_VERSION}-intent:${method(intent.method)}-fit:${method(profile.method)}-contact:${method(contact.method)}@${isoDate(asOfMs)}`;
}

export function applyModels(
  facts: MarketFacts,
  settings: ScoringSettings,
  models: TrainedModels,
  /** The run's `model_version` (the service names the versions applied). */
  modelVersion: string = defaultModelLabel(models, facts.asOfMs),
): MarketScores {
  const intent = applyIntent(facts, models);
  const profile = applyProfileFit(facts, models);
  const people = applyPeople(facts, settings, models);
  const accounts = facts.accounts.map((account, i): AccountScore => {
    const model = models.intent;
    const probability = model === null ? null : (intent.probabilities[i] as number);
    const lift = probability === null || model === null ? null : probability / model.baseRate;
    const profileScore = profile.scores === null ? null : (profile.scores[i] as number);
    return {
      accountId: account.id,
      intentScore: lift === null ? null : intentScoreOfLift(lift),
      buyingStage: lift === null || model === null ? null : stageOfLift(lift, model.stageCuts),
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
  return {
    accounts,
    people,
    summary: { modelVersion, ...models.summaries },
  };
}
