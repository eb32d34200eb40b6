import type { AccountTruth } from './market';
import { trueInMarketProbability } from './oracle';

const DAY = 86_400_000;
const S = Date.parse('2026-05-05T00:00:00Z');
const SHAPE = { buyingShare: 1, cycleLength: 1 };
const truth = (fit: number, cycles: AccountTruth['cycles'] = []): AccountTruth => ({
  account_id: 'a',
  true_fit: fit,
  fit_tier: 'strong',
  cycles,
});
const cycle = (startDaysBefore: number) => ({
  signal_start: new Date(S - startDaysBefore * DAY),
  opens_at: new Date(S + 200 * DAY),
  opportunity_id: null,
  stalled: false,
  cold: false,
});

describe('trueInMarketProbability', () => {
  it('in a cycle: the chance it opens within 90 days, given it has not yet, times not stalling', () => {
    // fit 1: s = 0.15. 30 days in: F(30) = 0, F(120) = 1 → p = 0.85.
    expect(trueInMarketProbability(truth(1, [cycle(30)]), S, SHAPE)).toBeCloseTo(0.85, 12);
    // 0 days in: F(90) = (60/90)² = 4/9 → p = 0.85 × 4/9.
    expect(trueInMarketProbability(truth(1, [cycle(0)]), S, SHAPE)).toBeCloseTo((0.85 * 4) / 9, 12);
    // twice as long cycles, 30 days in: F(30) = 0, F(120) = ((60 − 30)/90)² = 1/9 → 0.85 / 9.
    expect(trueInMarketProbability(truth(1, [cycle(30)]), S, { buyingShare: 1, cycleLength: 2 })).toBeCloseTo(
      0.85 / 9,
      12,
    );
  });

  it('outside a cycle: a new one must start and open within the horizon', () => {
    // fit 0: r = 0.02/year, s = 0.3, P(open) = 0.14 + 0.86 × 0.7 = 0.742;
    // ∫₀⁹⁰ F(90 − t) dt = ∫₀⁶⁰ (x/90)² dx = 60³ / (3 × 90²) = 8.888…
    const expected = 1 - Math.exp((-0.02 / 365) * (60 ** 3 / (3 * 90 ** 2)) * 0.742);
    expect(trueInMarketProbability(truth(0), S, SHAPE)).toBeCloseTo(expected, 6);
    expect(trueInMarketProbability(truth(0), S, { buyingShare: 2, cycleLength: 1 })).toBeGreaterThan(
      expected,
    );
  });
});
