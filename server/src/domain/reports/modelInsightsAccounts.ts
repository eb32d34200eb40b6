import type { BuyingStage, FitBand } from '../vocabulary';

/**
 * What a model-insights backtest knows of the accounts of one run: their scores as of the first
 * day of the backtest month M and their outcomes in the window [first day of M, + 3 months).
 * One tally stands for `accounts` accounts alike in every field: the store groups 100,000
 * accounts into a few hundred tallies, tests write one tally per account.
 */
export interface AccountTally {
  /** The run's buying stage; null when the run had no intent model (the fallback). */
  stage: BuyingStage | null;
  /** The run's account profile fit; null when the run had no fit model. */
  fit: FitBand | null;
  /** The run's intent score, 0–100; null with `stage`. */
  intentScore: number | null;
  /** Opened at least one relevant opportunity in the window (a converter). */
  converted: boolean;
  /** Opened a relevant opportunity in the window that was won with closed_at before the window's end. */
  won: boolean;
  accounts: number;
}
