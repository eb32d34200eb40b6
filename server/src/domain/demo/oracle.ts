import { cycleRatePerYear } from './buyingCycle';
import type { AccountTruth } from './market';
import { DAY_MS } from './time';

/**
 * The true in-market probability: the chance, as the generator's own model sees it on day S,
 * that an account opens a relevant opportunity in [S, S + h days). It knows the hidden state on
 * day S (true fit, whether a buying cycle has started and how long ago) but not the draws still
 * to come (whether the cycle stalls, when exactly it opens), so its AUC is the best any model of
 * the facts could hope for: the oracle beside the engine's AUC in the benchmarks.
 *
 * With the shape's buying share b and cycle length c (shape.ts, buyingCycle.ts), lead time
 * L = c (30 + 90 √U), so P(L ≤ x) = F(x) = clamp(((x / c − 30) / 90)², 0, 1); a cycle opens
 * unless it stalls, P(open) = 1 − s with s = 0.3 − 0.15 fit for a cycle with signals and
 * 0.14 + 0.86 (1 − s) for one not yet started (cold ones never stall).
 *
 * - In a cycle with signals on day S, started e days before and not yet open:
 *     p = (1 − s) × (F(e + h) − F(e)) / (1 − F(e))
 * - Otherwise a new cycle must start and open within the horizon; starts come at the rate
 *   r = b × (0.02 + 0.9 fit²) a year, so
 *     p = 1 − exp(−r / 365 × ∫₀ʰ F(h − t) dt × P(open))
 *   (the integral by the midpoint rule, 90 steps). The "one cycle at a time" rule is ignored:
 *   this slightly overrates accounts that just opened one.
 */

export interface OracleShape {
  readonly buyingShare: number;
  readonly cycleLength: number;
}

function leadCdf(days: number, cycleLength: number): number {
  const u = (days / cycleLength - 30) / 90;
  return u <= 0 ? 0 : u >= 1 ? 1 : u * u;
}

export function trueInMarketProbability(
  truth: AccountTruth,
  dayMs: number,
  shape: OracleShape,
  horizonDays = 90,
): number {
  const stall = 0.3 - 0.15 * truth.true_fit;
  const active = truth.cycles.find(
    (cycle) => !cycle.cold && cycle.signal_start.getTime() <= dayMs && dayMs < cycle.opens_at.getTime(),
  );
  if (active !== undefined) {
    const elapsed = (dayMs - active.signal_start.getTime()) / DAY_MS;
    const before = leadCdf(elapsed, shape.cycleLength);
    if (before >= 1) return 1 - stall;
    return ((1 - stall) * (leadCdf(elapsed + horizonDays, shape.cycleLength) - before)) / (1 - before);
  }
  const steps = 90;
  let integral = 0;
  for (let k = 0; k < steps; k++)
    integral += leadCdf(horizonDays - ((k + 0.5) * horizonDays) / steps, shape.cycleLength);
  integral *= horizonDays / steps;
  const opens = 0.14 + 0.86 * (1 - stall);
  const rate = shape.buyingShare * cycleRatePerYear(truth.true_fit);
  return 1 - Math.exp((-rate / 365) * integral * opens);
}
