import { auc } from './metrics';
import { DAY_MS } from './opportunities';

/**
 * Does the profile fit foretell the next opportunities? For each horizon h (days) after the
 * scoring day S, an account converts when it opened a relevant opportunity in [S, S + h days),
 * and
 *   fit AUC(h) = AUC(profile scores, converted within h)            (metrics.ts)
 * The horizon is measurable only when the facts reach its end: S + h days ≤ E, with E the
 * exclusive end of the facts (the day after the latest fact). Otherwise its AUC is null ("not
 * measurable"), never a figure computed on a window the facts do not cover.
 */

export const FIT_FORECAST_HORIZONS_DAYS = [90, 180] as const;

export interface FitForecast {
  days: number;
  /** Accounts that opened a relevant opportunity within the horizon (null when not measurable). */
  converted: number | null;
  /** AUC of the profile scores against those accounts; null when the facts do not reach that far. */
  auc: number | null;
}

export interface FitForecastInput {
  /** The profile score of each account (null without a fit model: ranked lowest). */
  accounts: ReadonlyArray<{ accountId: string; profileScore: number | null }>;
  /** When each relevant opportunity opened, by account. */
  openings: ReadonlyArray<{ accountId: string; openedMs: number }>;
  scoredAtMs: number;
  /** Exclusive end of the facts. */
  factsEndMs: number;
  horizonsDays?: readonly number[];
}

export function fitForecast(input: FitForecastInput): FitForecast[] {
  const firstOpening = new Map<string, number>();
  for (const { accountId, openedMs } of input.openings)
    if (openedMs >= input.scoredAtMs)
      firstOpening.set(accountId, Math.min(openedMs, firstOpening.get(accountId) ?? Infinity));
  const scores = input.accounts.map((a) => a.profileScore ?? -Infinity);
  return (input.horizonsDays ?? FIT_FORECAST_HORIZONS_DAYS).map((days) => {
    const endMs = input.scoredAtMs + days * DAY_MS;
    if (endMs > input.factsEndMs) return { days, converted: null, auc: null };
    const converted = input.accounts.map((a) =>
      (firstOpening.get(a.accountId) ?? Infinity) < endMs ? 1 : 0,
    );
    return { days, converted: converted.reduce<number>((sum, c) => sum + c, 0), auc: auc(scores, converted) };
  });
}

/** The exclusive end of the facts: the start of the day after the latest fact (UTC). */
export function factsEndOf(latestFactMs: number | null): number {
  if (latestFactMs === null) return -Infinity;
  return (Math.floor(latestFactMs / DAY_MS) + 1) * DAY_MS;
}
