import { DEFAULT_FIT_BAND_CUTS, type FitBandCuts } from './bands';
import { DEFAULT_RELEVANT_RULE, type RelevantOpportunityRule } from './opportunities';
import { DEFAULT_PERSONAS, type Persona } from './personas';
import { DEFAULT_STAGE_LIFT_CUTS, type StageLiftCuts } from './stages';

/** What an operator can change about scoring; each has a shipped default. */
export interface ScoringSettings {
  personas: Persona[];
  fitBands: FitBandCuts;
  stageLiftCuts: StageLiftCuts;
  relevantRule: RelevantOpportunityRule;
}

export const DEFAULT_SCORING_SETTINGS: ScoringSettings = {
  personas: DEFAULT_PERSONAS,
  fitBands: DEFAULT_FIT_BAND_CUTS,
  stageLiftCuts: DEFAULT_STAGE_LIFT_CUTS,
  relevantRule: DEFAULT_RELEVANT_RULE,
};
