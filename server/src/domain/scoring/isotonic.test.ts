import fc from 'fast-check';
import { fitIsotonic, isotonicProbability } from './isotonic';

describe('fitIsotonic: pooled adjacent violators with m pseudo-examples at the base rate', () => {
  // t = 1…6, labels 0 1 0 0 1 1, weight 1: base rate b = 0.5.
  const t = [1, 2, 3, 4, 5, 6];
  const y = [0, 1, 0, 0, 1, 1];
  const w = [1, 1, 1, 1, 1, 1];

  it('without pseudo-examples (m = 0): plain isotonic regression', () => {
    // {1}: 0; {2, 3, 4}: 1/3 (the 1 at t = 2 is pooled with the 0s after it); {5, 6}: 1.
    const c = fitIsotonic(t, y, w, 0);
    expect(Array.from(c.probabilities)).toEqual([0, 1 / 3, 1]);
    expect(Array.from(c.weights)).toEqual([1, 3, 2]);
    expect(Array.from(c.centers)).toEqual([1, 3, 5.5]);
  });

  it('with m = 2: p(B) = (Σwy + 2 · 0.5) / (Σw + 2)', () => {
    // {1}: 1/3; {2}: 2/3, then {2, 3}: 2/4, then {2, 3, 4}: 2/5 = 0.4; {5}: 2/3, then {5, 6}: 3/4.
    const c = fitIsotonic(t, y, w, 2);
    expect(Array.from(c.probabilities)).toEqual([1 / 3, 0.4, 0.75]);
    expect(Array.from(c.weights)).toEqual([1, 3, 2]);
    expect(Array.from(c.centers)).toEqual([1, 3, 5.5]);
  });

  it('pools equal t at once and weighs each example by its weight', () => {
    // t = 0 twice (a 1 of weight 1, a 0 of weight 3), t = 1 a 1 of weight 2: b = 3 / 6 = 0.5.
    const c = fitIsotonic([1, 0, 0], [1, 1, 0], [2, 1, 3], 0);
    expect(Array.from(c.probabilities)).toEqual([0.25, 1]);
    expect(Array.from(c.weights)).toEqual([4, 2]);
    expect(Array.from(c.centers)).toEqual([0, 1]);
  });
});

describe('isotonicProbability', () => {
  const c = fitIsotonic([1, 2, 3, 4, 5, 6], [0, 1, 0, 0, 1, 1], [1, 1, 1, 1, 1, 1], 2);

  it.each([
    [0, 1 / 3], // below the first centre: the first block
    [1, 1 / 3],
    [3, 0.4], // on a centre: that block
    [5.5, 0.75],
    [100, 0.75], // above the last centre: the last block
  ])('t = %d → %d', (value, p) => {
    expect(isotonicProbability(c, value)).toBeCloseTo(p, 12);
  });

  it('interpolates the log-odds linearly between centres', () => {
    // Between the centres 1 and 3, at 3/4 of the way: z = ln(1/2) + 0.75 (ln(2/3) − ln(1/2)).
    const z = Math.log(0.5) + 0.75 * (Math.log(2 / 3) - Math.log(0.5));
    expect(isotonicProbability(c, 2.5)).toBeCloseTo(1 / (1 + Math.exp(-z)), 12);
    expect(isotonicProbability(c, 2.5)).toBeCloseTo(0.38286966, 8);
  });

  it('property: the blocks rise strictly, their weights add up, and p is non-decreasing in t within their range (also with one label only)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.boolean(), fc.integer({ min: 1, max: 6 })),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        fc.constantFrom(0.5, 2, 10),
        fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 2, maxLength: 20 }),
        (examples, prior, probes) => {
          const c = fitIsotonic(
            examples.map((e) => e[0]),
            examples.map((e) => (e[1] ? 1 : 0)),
            examples.map((e) => e[2]),
            prior,
          );
          const p = Array.from(c.probabilities);
          const total = examples.reduce((sum, e) => sum + e[2], 0);
          const sorted = [...probes].sort((a, b) => a - b).map((t) => isotonicProbability(c, t));
          return (
            p.every((value, b) => value >= 0 && value <= 1 && (b === 0 || value > (p[b - 1] as number))) &&
            Math.abs(Array.from(c.weights).reduce((a, b) => a + b, 0) - total) < 1e-9 &&
            sorted.every(
              (value, k) =>
                value >= (p[0] as number) - 1e-12 &&
                value <= (p[p.length - 1] as number) + 1e-12 &&
                (k === 0 || value >= (sorted[k - 1] as number) - 1e-12),
            )
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
