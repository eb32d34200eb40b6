import type { BuyingStage, EngagementGrade, FitBand, ReachLevel } from '../vocabulary';
import { applyModels } from './applyModels';
import type { MarketFacts } from './facts';
import type { FitTrainingSummary } from './fitModel';
import type { IntentTrainingSummary } from './intentModel';
import type { Reason } from './reasons';
import type { ScoringSettings } from './settings';
import { trainModels } from './trainModels';

/**
 * One scoring run as of T that trains the three models on the facts before T and applies them
 * (trainModels.ts, applyModels.ts). Pure: the same facts and settings give the same scores. The
 * service trains only to make a candidate or on a store's first run (docs/models.md); a daily
 * run applies the active versions.
 */
export { ENGINE_VERSION } from './trainModels';

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

export function scoreMarket(facts: MarketFacts, settings: ScoringSettings): MarketScores {
  return applyModels(facts, settings, trainModels(facts, settings));
}
