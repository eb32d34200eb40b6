import { isRelevantOpportunity, type RelevantOpportunityRule } from '../scoring/opportunities';
import type { Timeframe } from './timeframes';

/**
 * Opportunities in the segment performance report (docs/reports.md). New pipeline of a timeframe:
 * the opportunities created in it; won: those with `is_won` and `closed_at` in it. Counts take
 * every currency; amount sums only US dollars or no currency; a blank amount counts as 0.
 */
export interface ReportOpportunity {
  accountId: string;
  type: string | null;
  amount: number | null;
  currency: string | null;
  isWon: boolean | null;
  relevant: boolean | null;
  /** ISO instants. */
  createdAt: string;
  closedAt: string | null;
}

export interface OpportunityOptions {
  /** Drop blank and zero amounts. */
  excludeZeroAmount: boolean;
  /** Drop opportunities that are not relevant (the `relevant` flag, else the configured rule). */
  excludeIrrelevant: boolean;
}

export interface PipelineAndWon {
  pipeline_count: number;
  pipeline_amount: number;
  won_count: number;
  won_amount: number;
}

/** The opportunities a report counts under its options. */
export function reportedOpportunities(
  opportunities: readonly ReportOpportunity[],
  options: OpportunityOptions,
  rule: RelevantOpportunityRule,
): ReportOpportunity[] {
  return opportunities.filter(
    (o) =>
      (!options.excludeZeroAmount || (o.amount !== null && o.amount !== 0)) &&
      (!options.excludeIrrelevant || isRelevantOpportunity(o, rule)),
  );
}

/** The amount an opportunity adds to a sum: its amount in USD or no currency, else 0. */
export function usdAmount(opportunity: ReportOpportunity): number {
  const currency = opportunity.currency?.trim().toUpperCase() ?? '';
  return currency === '' || currency === 'USD' ? (opportunity.amount ?? 0) : 0;
}

/** Whether an ISO instant falls in the timeframe [start, end). */
export function inTimeframe(instant: string | null, timeframe: Timeframe): boolean {
  if (instant === null) return false;
  const ms = Date.parse(instant);
  return ms >= Date.parse(`${timeframe.start}T00:00:00Z`) && ms < Date.parse(`${timeframe.end}T00:00:00Z`);
}

export function createdIn(o: ReportOpportunity, timeframe: Timeframe): boolean {
  return inTimeframe(o.createdAt, timeframe);
}

export function wonIn(o: ReportOpportunity, timeframe: Timeframe): boolean {
  return o.isWon === true && inTimeframe(o.closedAt, timeframe);
}

/** Opportunities by account, for the sums over sets of accounts. */
export function byAccount(opportunities: readonly ReportOpportunity[]): Map<string, ReportOpportunity[]> {
  const map = new Map<string, ReportOpportunity[]>();
  for (const o of opportunities) {
    const list = map.get(o.accountId);
    if (list) list.push(o);
    else map.set(o.accountId, [o]);
  }
  return map;
}

/** New pipeline and won of `accounts` in `timeframe`. */
export function pipelineAndWon(
  accounts: Iterable<string>,
  opportunities: ReadonlyMap<string, readonly ReportOpportunity[]>,
  timeframe: Timeframe,
): PipelineAndWon {
  const sums: PipelineAndWon = { pipeline_count: 0, pipeline_amount: 0, won_count: 0, won_amount: 0 };
  for (const account of accounts) {
    for (const o of opportunities.get(account) ?? []) {
      if (createdIn(o, timeframe)) {
        sums.pipeline_count += 1;
        sums.pipeline_amount += usdAmount(o);
      }
      if (wonIn(o, timeframe)) {
        sums.won_count += 1;
        sums.won_amount += usdAmount(o);
      }
    }
  }
  return sums;
}
