import { keepRates, uniformOf } from './sampling';

describe('uniformOf', () => {
  it('is deterministic, in [0, 1), and differs by key and stream', () => {
    expect(uniformOf(42, 7)).toBe(uniformOf(42, 7));
    expect(uniformOf(42, 7)).not.toBe(uniformOf(42, 11));
    expect(uniformOf(42)).toBe(uniformOf(42, 0));
    expect(uniformOf(1)).not.toBe(uniformOf(2));
  });

  it('spreads evenly over [0, 1)', () => {
    const bins = new Array<number>(10).fill(0);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 20_000; i++) {
      const u = uniformOf(i, 3);
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      bins[Math.floor(u * 10)]! += 1;
    }
    expect(outside).toBe(0);
    expect(sum / 20_000).toBeGreaterThan(0.49);
    expect(sum / 20_000).toBeLessThan(0.51);
    // Each tenth gets 2,000 ± 5 standard deviations (≈ 42 each).
    for (const count of bins) expect(Math.abs(count - 2_000)).toBeLessThan(210);
  });
});

describe('keepRates', () => {
  it.each([
    // positives, negatives, max positives, negatives per positive → rates
    [100, 10_000, 5_000, 3, 1, 0.03], // 300 of 10,000 negatives
    [10_000, 100_000, 5_000, 3, 0.5, 0.15], // 5,000 positives kept, 15,000 negatives
    [100, 200, 5_000, 3, 1, 1], // fewer negatives than allowed: all kept
    [0, 50, 5_000, 3, 1, 0.06], // no positive: as if one, 3 of 50 negatives
    [30, 0, 5_000, 3, 1, 1],
  ])('%d positives, %d negatives, cap %d, %d per positive → %d, %d', (p, n, max, per, positive, negative) => {
    const rates = keepRates(p, n, max, per);
    expect(rates.positive).toBeCloseTo(positive, 15);
    expect(rates.negative).toBeCloseTo(negative, 15);
  });

  it('keeps weighted counts: kept × 1/rate = all, and the ratio capped', () => {
    const rates = keepRates(8_000, 1_000_000, 5_000, 6);
    expect(8_000 * rates.positive).toBeCloseTo(5_000, 9);
    expect(1_000_000 * rates.negative).toBeCloseTo(30_000, 9);
  });
});
