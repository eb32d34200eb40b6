import type { KeywordCategory } from './keywords';
import type { Random } from './random';
import type { ResolvedShape } from './shape';
import { DAY_MS, type MarketWindow } from './time';

/**
 * Buying cycles: the hidden events the intent model has to discover.
 *
 * Signal starts form a Poisson process over [window start − 150 days, window end) with
 *   rate(true_fit) = b × (0.02 + 0.9 × true_fit²)   cycles per year   (b: the shape's buyingShare, 1)
 * (≈ 0.04/year for a weak-fit account, ≈ 0.5/year for a strong one: strong-fit accounts open
 * relevant opportunities about ten times as often as weak ones). One cycle at a time: a start
 * that falls before the previous cycle is over (its open date + 60 days, or its stall + 90 days)
 * is skipped. Cycles whose open date is before the window are dropped (nothing of them is visible).
 *
 * - lead time from signal start to opportunity open: c × (30 + 90 × √U) days (c: the shape's
 *   cycleLength, 1; then 30–120, mean 90,
 *   skewed long so that most openings in the next 90 days already show signals);
 * - cold (14%): the opportunity opens with weak or no prior signal (a referral, an inbound call);
 *   its signal_start is its open date;
 * - stalled (30% − 15% × true_fit of the others, ~22% overall): signals start, then stop at
 *   35–90% of the way to the planned open date, and no opportunity opens;
 * - intensity: LogNormal(0, 0.35²) × (0.7 + 0.3 × sizeScale), a multiplier on the cycle's
 *   activity rates (cycleActivity.ts): some buyers research more, big companies have more people;
 * - focus: one product category (65%) or two of the seller's, whose configured keywords the
 *   buyer researches.
 *
 * Cycles may open after the window's end: their early signals are in the window, their
 * opportunity is not (the truth records them with no opportunity id).
 */

export interface PlannedCycle {
  readonly signalStartMs: number;
  readonly opensAtMs: number;
  /** When the signals stop for good; null unless stalled. */
  readonly stallAtMs: number | null;
  readonly cold: boolean;
  readonly intensity: number;
  readonly focusKeywords: readonly string[];
}

const LOOKBACK_DAYS = 150;

export function cycleRatePerYear(trueFit: number): number {
  return 0.02 + 0.9 * trueFit * trueFit;
}

function drawFocus(random: Random, groups: readonly KeywordCategory[]): string[] {
  const first = random.int(0, groups.length - 1);
  const categories = [first];
  if (random.chance(0.35)) categories.push((first + random.int(1, groups.length - 1)) % groups.length);
  return categories.flatMap((index) => groups[index]?.keywords ?? []);
}

export function planBuyingCycles(
  random: Random,
  trueFit: number,
  sizeScale: number,
  window: MarketWindow,
  shape: ResolvedShape,
): PlannedCycle[] {
  const meanGapMs = (365 / (shape.buyingShare * cycleRatePerYear(trueFit))) * DAY_MS;
  const cycles: PlannedCycle[] = [];
  let busyUntilMs = -Infinity;

  for (
    let startMs = window.startMs - LOOKBACK_DAYS * DAY_MS + random.exponential(meanGapMs);
    startMs < window.endMs;
    startMs += random.exponential(meanGapMs)
  ) {
    if (startMs < busyUntilMs) continue;
    const leadDays = shape.cycleLength * (30 + 90 * Math.sqrt(random.next()));
    const opensAtMs = Math.floor(startMs + leadDays * DAY_MS);
    const cold = random.chance(0.14);
    const stalled = !cold && random.chance(0.3 - 0.15 * trueFit);
    const stallAtMs = stalled ? Math.floor(startMs + random.uniform(0.35, 0.9) * leadDays * DAY_MS) : null;
    const intensity = random.logNormal(0, 0.35) * (0.7 + 0.3 * sizeScale);
    const focusKeywords = drawFocus(random, shape.seller.keywordCategories);
    busyUntilMs = stallAtMs !== null ? stallAtMs + 90 * DAY_MS : opensAtMs + 60 * DAY_MS;
    if (opensAtMs < window.startMs) continue;
    cycles.push({
      signalStartMs: cold ? opensAtMs : Math.floor(startMs),
      opensAtMs,
      stallAtMs,
      cold,
      intensity,
      focusKeywords,
    });
  }
  return cycles;
}
