import { accountBehavior, type AccountBehavior } from './modelInsightsAccountBehavior';
import { accountFit, type BandFit } from './modelInsightsAccountFit';
import type { AccountTally } from './modelInsightsAccounts';
import { contactBehavior, contactFit, type PersonTally } from './modelInsightsContacts';
import {
  signalTable,
  type SignalKind,
  type SignalPopulation,
  type SignalRow,
  type SignalTally,
} from './modelInsightsSignals';
import type { ContactBandFit, GradeBehavior } from './modelInsightsContacts';
import type { EngagementGrade, FitBand } from '../vocabulary';

/**
 * The model-insights report of backtest month M (docs/reports.md "Model insights"), the JSON the
 * CLI prints and GET /api/reports/model-insights answers, less its parameters, run and notes.
 */
export interface ModelInsightsTables extends AccountBehavior {
  account_fit: Record<FitBand, BandFit>;
  contact_behavior: Record<EngagementGrade, GradeBehavior>;
  contact_fit: Record<FitBand, ContactBandFit>;
  signals: SignalRow[];
}

export interface ModelInsightsFacts {
  accounts: readonly AccountTally[];
  people: readonly PersonTally[];
  signals: readonly SignalTally[];
  populations: Record<SignalKind, SignalPopulation>;
}

export function modelInsightsTables(facts: ModelInsightsFacts): ModelInsightsTables {
  return {
    ...accountBehavior(facts.accounts),
    account_fit: accountFit(facts.accounts),
    contact_behavior: contactBehavior(facts.people),
    contact_fit: contactFit(facts.people),
    signals: signalTable(facts.signals, facts.populations),
  };
}
