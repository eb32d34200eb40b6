import fc from 'fast-check';
import { DEFAULT_FIT_BAND_CUTS, fitBandOf, percentileScores, referenceOf, referenceScores } from './bands';

describe('fitBandOf', () => {
  it.each([
    [100, 'Strong'],
    [81, 'Strong'],
    [80.99, 'Moderate'],
    [80, 'Moderate'],
    [50, 'Moderate'],
    [49.99, 'Weak'],
    [49, 'Weak'],
    [0, 'Weak'],
  ])('default cuts 81/50: %d → %s', (score, band) => {
    expect(fitBandOf(score)).toBe(band);
  });

  it('uses configured cuts', () => {
    const cuts = { strong: 70, moderate: 30 };
    expect(fitBandOf(70, cuts)).toBe('Strong');
    expect(fitBandOf(69, cuts)).toBe('Moderate');
    expect(fitBandOf(30, cuts)).toBe('Moderate');
    expect(fitBandOf(29, cuts)).toBe('Weak');
  });

  it('the default cuts are 81 and 50', () => {
    expect(DEFAULT_FIT_BAND_CUTS).toEqual({ strong: 81, moderate: 50 });
  });

  it('the band never falls as the score rises', () => {
    const rank = { Weak: 0, Moderate: 1, Strong: 2 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(rank[fitBandOf(low)]).toBeLessThanOrEqual(rank[fitBandOf(high)]);
      }),
    );
  });
});

describe('percentileScores', () => {
  it('scales the ranks of distinct values to 0–100', () => {
    // n = 3: ranks 0, 1, 2 → 100 · r / 2.
    expect(Array.from(percentileScores([30, 10, 20]))).toEqual([100, 0, 50]);
    // n = 5: ranks 0…4 → 0, 25, 50, 75, 100.
    expect(Array.from(percentileScores([-1, 3.5, 2, 8, 0]))).toEqual([0, 75, 50, 100, 25]);
  });

  it('gives ties their mid-rank', () => {
    // n = 4, sorted 5, 5, 7, 9: the two 5s have mid-rank (0 + 1) / 2 = 0.5 → round(100 · 0.5 / 3) = 17;
    // 7 has rank 2 → round(66.67) = 67; 9 → 100.
    expect(Array.from(percentileScores([7, 5, 9, 5]))).toEqual([67, 17, 100, 17]);
    // n = 6, sorted 1, 2, 2, 2, 3, 3: the 2s mid-rank 2 → 40; the 3s mid-rank 4.5 → 90.
    expect(Array.from(percentileScores([2, 3, 1, 2, 3, 2]))).toEqual([40, 90, 0, 40, 90, 40]);
    // All equal: mid-rank (n − 1) / 2 → 50.
    expect(Array.from(percentileScores([4, 4, 4]))).toEqual([50, 50, 50]);
  });

  it('one value scores 100 and no value gives no score', () => {
    expect(Array.from(percentileScores([-3]))).toEqual([100]);
    expect(percentileScores([])).toHaveLength(0);
  });

  it('reads typed arrays', () => {
    expect(Array.from(percentileScores(Float64Array.from([0.2, 0.1])))).toEqual([100, 0]);
  });

  const values = fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 40 });

  it('scores are integers in 0–100', () => {
    fc.assert(
      fc.property(values, (xs) =>
        percentileScores(xs).every((s) => Number.isInteger(s) && s >= 0 && s <= 100),
      ),
    );
  });

  it('is monotone: a larger value never scores lower, equal values score the same', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const scores = percentileScores(xs);
        for (let i = 0; i < xs.length; i++)
          for (let j = 0; j < xs.length; j++) {
            const [xi, xj, si, sj] = [
              xs[i] as number,
              xs[j] as number,
              scores[i] as number,
              scores[j] as number,
            ];
            if ((xi < xj && si > sj) || (xi === xj && si !== sj)) return false;
          }
        return true;
      }),
    );
  });

  it('matches the mid-rank formula and spans 0–100 when the extremes are unique', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const n = xs.length;
        const scores = percentileScores(xs);
        xs.forEach((x, i) => {
          const below = xs.filter((v) => v < x).length;
          const equal = xs.filter((v) => v === x).length;
          const expected = n === 1 ? 100 : Math.round((100 * (below + (equal - 1) / 2)) / (n - 1));
          expect(scores[i]).toBe(expected);
        });
        const distinct = [...new Set(xs)].sort((a, b) => a - b);
        if (n >= 2 && xs.filter((v) => v === distinct[0]).length === 1) expect(Math.min(...scores)).toBe(0);
        if (xs.filter((v) => v === distinct[distinct.length - 1]).length === 1)
          expect(Math.max(...scores)).toBe(100);
      }),
    );
  });
});

describe('referenceScores', () => {
  it('keeps a reference as its distinct values in order, with their counts', () => {
    const reference = referenceOf([3, 1, 3, 2, 3, -0, 0]);
    expect(Array.from(reference.values)).toEqual([0, 1, 2, 3]);
    expect(reference.counts).toEqual([2, 1, 1, 3]);
  });

  it('scores a value by the reference members below and equal to it', () => {
    // Reference 1, 2, 3, 4, 5 (n = 5, so 100 · mid-rank / 4).
    const reference = referenceOf([5, 4, 3, 2, 1]);
    // Members: their own percentiles 0, 25, 50, 75, 100.
    expect(Array.from(referenceScores(reference, [1, 2, 3, 4, 5]))).toEqual([0, 25, 50, 75, 100]);
    // 2.5 is not a member: below 2, equal 0 → mid-rank 1.5 → 37.5 → 38 (half a rank under 3).
    expect(Array.from(referenceScores(reference, [2.5]))).toEqual([38]);
    // Under the lowest: mid-rank −0.5 → −12.5 → 0; over the highest: 4.5 → 112.5 → 100.
    expect(Array.from(referenceScores(reference, [0, 9]))).toEqual([0, 100]);
  });

  it('weighs members by their counts', () => {
    // Reference 5, 5, 7, 9 (as percentileScores' tie example): 5 → 17, 7 → 67, 9 → 100; 6 → mid-rank 1.5 → 50.
    const reference = referenceOf([7, 5, 9, 5]);
    expect(Array.from(referenceScores(reference, [5, 7, 9, 6]))).toEqual([17, 67, 100, 50]);
  });

  it('a reference of one member (or none) scores everything 100', () => {
    expect(Array.from(referenceScores(referenceOf([2]), [1, 2, 3]))).toEqual([100, 100, 100]);
    expect(Array.from(referenceScores(referenceOf([]), [1]))).toEqual([100]);
  });

  const values = fc.array(
    fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.integer({ min: -3, max: 3 })),
    { minLength: 1, maxLength: 60 },
  );

  it('scoring the reference’s own values gives exactly their percentile scores', () => {
    fc.assert(
      fc.property(values, (xs) => {
        expect(Array.from(referenceScores(referenceOf(xs), xs))).toEqual(Array.from(percentileScores(xs)));
      }),
    );
  });

  it('scores in 0–100, never lower for a larger value, whatever is scored', () => {
    fc.assert(
      fc.property(values, values, (reference, xs) => {
        const scores = referenceScores(referenceOf(reference), xs);
        xs.forEach((x, i) =>
          xs.forEach((y, j) => {
            if (x <= y) expect(scores[i]).toBeLessThanOrEqual(scores[j] as number);
          }),
        );
        expect(scores.every((s) => s >= 0 && s <= 100)).toBe(true);
      }),
    );
  });

  it('a value the reference never held sits half a rank under the members above it', () => {
    fc.assert(
      fc.property(values, fc.double({ noNaN: true, min: -1e6, max: 1e6 }), (reference, x) => {
        fc.pre(reference.length >= 2 && !reference.includes(x));
        const n = reference.length;
        const below = reference.filter((v) => v < x).length;
        const [score] = referenceScores(referenceOf(reference), [x]);
        expect(score).toBe(Math.min(100, Math.max(0, Math.round((100 * (below - 0.5)) / (n - 1)))));
      }),
    );
  });
});
