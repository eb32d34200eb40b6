import { DAY_MS, HORIZON_DAYS } from '../scoring/opportunities';
import { isBecomingQualified, isStoppingQualified, type ComparedAccount } from './transitionMatrix';

/**
 * The days of a comparison and its qualified-account impact (docs/models.md "Comparison"). Days
 * are YYYY-MM-DD (UTC).
 */

/** The gap between the sampled days of the 90-day average. */
export const SAMPLE_EVERY_DAYS = 15;

/** `day` moved by `days` (negative: earlier). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The backtest day B = D − 90 days: both versions score as of B and are judged on [B, D). */
export function backtestDay(day: string): string {
  return addDays(day, -HORIZON_DAYS);
}

/** The days the 90-day average samples: D − 90, D − 75, …, D − 15 (six days, oldest first). */
export function sampledDays(day: string): string[] {
  const days: string[] = [];
  for (let back = HORIZON_DAYS; back > 0; back -= SAMPLE_EVERY_DAYS) days.push(addDays(day, -back));
  return days;
}

/** How many accounts a version qualifies on one sampled day. */
export interface QualifiedSample {
  day: string;
  active: number;
  candidate: number;
}

export interface QualifiedImpact {
  /** The current run's day D. */
  day: string;
  /** Qualified in the current run (its stored rows). */
  active_qualified: number;
  /** Qualified when the candidate scores D. */
  candidate_qualified: number;
  /** Would become qualified on the roll-out day: qualified by the candidate, not by the current run. */
  becoming_qualified: number;
  /** Would stop being qualified: qualified by the current run, not by the candidate. */
  stopping_qualified: number;
  /** Qualified accounts per day over the last 90 days under each version, averaged over the sampled days. */
  average_qualified_per_day: { active: number | null; candidate: number | null; days_sampled: string[] };
}

export function qualifiedImpact(
  day: string,
  accounts: readonly ComparedAccount[],
  samples: readonly QualifiedSample[],
): QualifiedImpact {
  const mean = (values: number[]) =>
    values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
  return {
    day,
    active_qualified: accounts.filter((a) => a.active?.qualified === true).length,
    candidate_qualified: accounts.filter((a) => a.candidate?.qualified === true).length,
    becoming_qualified: accounts.filter(isBecomingQualified).length,
    stopping_qualified: accounts.filter(isStoppingQualified).length,
    average_qualified_per_day: {
      active: mean(samples.map((s) => s.active)),
      candidate: mean(samples.map((s) => s.candidate)),
      days_sampled: samples.map((s) => s.day),
    },
  };
}
