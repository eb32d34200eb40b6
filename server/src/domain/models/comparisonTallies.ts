import { accountBehavior, type AccountBehavior } from '../reports/modelInsightsAccountBehavior';
import { accountFit, type BandFit } from '../reports/modelInsightsAccountFit';
import type { AccountTally } from '../reports/modelInsightsAccounts';
import { isRelevantOpportunity, type RelevantOpportunityRule } from '../scoring/opportunities';
import type { BuyingStage, FitBand } from '../vocabulary';

/**
 * The comparison's backtest (docs/models.md "Comparison"): each version's scores as of day B
 * judged on the relevant opportunities opened in [B, D), with the model-insights definitions
 * (account behaviour by stage, account fit by band).
 */

/** What the backtest reads of a scored account. */
export interface ScoredAccount {
  accountId: string;
  stage: BuyingStage | null;
  fit: FitBand | null;
  intentScore: number | null;
}

/** An opportunity opened in the window, as the store holds it. */
export interface WindowOpportunity {
  accountId: string;
  relevant: boolean | null;
  type: string | null;
  amount: number | null;
  isWon: boolean | null;
  closedMs: number | null;
}

/** An account's outcome in the window: its relevant opportunities, and those won before the end. */
export interface Outcome {
  opportunities: number;
  wonOpportunities: number;
}

/**
 * The relevant opportunities of the window by account (the scoring settings' rule); one counts as
 * won when it was won with closed_at before `endMs` (the window's end).
 */
export function windowOutcomes(
  opportunities: readonly WindowOpportunity[],
  rule: RelevantOpportunityRule,
  endMs: number,
): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  for (const o of opportunities) {
    if (!isRelevantOpportunity(o, rule)) continue;
    const outcome = outcomes.get(o.accountId) ?? { opportunities: 0, wonOpportunities: 0 };
    outcome.opportunities += 1;
    if (o.isWon === true && o.closedMs !== null && o.closedMs < endMs) outcome.wonOpportunities += 1;
    outcomes.set(o.accountId, outcome);
  }
  return outcomes;
}

/**
 * The model-insights tallies of one version's scores: accounts alike in stage, fit, intent score
 * and outcome share a tally. Outcomes of accounts the version did not score do not count.
 */
export function comparisonTallies(
  accounts: readonly ScoredAccount[],
  outcomes: ReadonlyMap<string, Outcome>,
): AccountTally[] {
  const tallies = new Map<string, AccountTally>();
  for (const account of accounts) {
    const outcome = outcomes.get(account.accountId);
    const opportunities = outcome?.opportunities ?? 0;
    const wonOpportunities = outcome?.wonOpportunities ?? 0;
    const converted = opportunities > 0;
    const won = wonOpportunities > 0;
    const key = JSON.stringify([account.stage, account.fit, account.intentScore, converted, won]);
    const tally = tallies.get(key);
    if (tally === undefined) {
      tallies.set(key, {
        stage: account.stage,
        fit: account.fit,
        intentScore: account.intentScore,
        converted,
        won,
        accounts: 1,
        opportunities,
        wonOpportunities,
      });
    } else {
      tally.accounts += 1;
      tally.opportunities += opportunities;
      tally.wonOpportunities += wonOpportunities;
    }
  }
  return [...tallies.values()];
}

/** One version's figures in the comparison: the model insights' account behaviour and fit. */
export interface VersionMetrics extends AccountBehavior {
  account_fit: Record<FitBand, BandFit>;
}

export function versionMetrics(tallies: readonly AccountTally[]): VersionMetrics {
  return { ...accountBehavior(tallies), account_fit: accountFit(tallies) };
}

/** The backtest's population: accounts scored at B, those that converted, their opportunities. */
export function backtestPopulation(
  accounts: readonly ScoredAccount[],
  outcomes: ReadonlyMap<string, Outcome>,
): { accounts: number; converters: number; opportunities: number } {
  let converters = 0;
  let opportunities = 0;
  for (const account of accounts) {
    const count = outcomes.get(account.accountId)?.opportunities ?? 0;
    if (count > 0) converters += 1;
    opportunities += count;
  }
  return { accounts: accounts.length, converters, opportunities };
}

/**
 * What the backtest's figures mean for each side: a version trained on facts up to its day T
 * (not included) learnt from the outcomes of [B, T) when T is after B, so its figures here lean
 * in its favour; the roll-out gate uses each version's own out-of-fold figures instead.
 */
export function backtestNote(
  scoredAsOf: string,
  outcomesUntil: string,
  trainedAsOf: { active: string; candidate: string },
): string {
  const seen = (['candidate', 'active'] as const)
    .filter((side) => trainedAsOf[side] > scoredAsOf)
    .map((side) => {
      const until = trainedAsOf[side] < outcomesUntil ? trainedAsOf[side] : outcomesUntil;
      return `the ${side} was trained on facts before ${trainedAsOf[side]}, which include the outcomes of ${scoredAsOf} to ${until} (not included) of this window`;
    });
  if (seen.length === 0)
    return `both sides were trained on facts before ${scoredAsOf}: neither saw this window's outcomes`;
  const lean =
    seen.length === 1
      ? 'its figures here lean in its favour'
      : "each side's figures here lean in its favour, the more so the later it was trained";
  return `${seen.join('; ')}: ${lean}; the roll-out gate uses each version's own out-of-fold figures instead`;
}
