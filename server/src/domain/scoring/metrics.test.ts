import fc from 'fast-check';
import { auc, conversionByGroup, topShareCapture } from './metrics';

/** AUC by its definition: the share of (positive, negative) pairs ranked right, ties one half. */
function pairwiseAuc(scores: readonly number[], labels: readonly number[]): number {
  let right = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!labels[i]) return;
    scores.forEach((q, j) => {
      if (labels[j]) return;
      pairs++;
      right += p > q ? 1 : p === q ? 0.5 : 0;
    });
  });
  return pairs === 0 ? NaN : right / pairs;
}

describe('auc', () => {
  it('counts the pairs ranked right', () => {
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of 4 pairs right.
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(auc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
  });

  it('counts ties one half', () => {
    // Positives 1 and 2 against the negative 1: ½ + 1 of 2 pairs.
    expect(auc([1, 1, 2], [0, 1, 1])).toBe(0.75);
    expect(auc([5, 5, 5, 5], [1, 0, 1, 0])).toBe(0.5);
    // Rank sum: sorted 1(−) 2(+) 2(−) 2(+) 3(−) 4(+); positives' mid-ranks 3 + 3 + 6 = 12;
    // (12 − 3·4/2) / (3·3) = 6/9.
    expect(auc([2, 1, 2, 4, 3, 2], [1, 0, 0, 1, 0, 1])).toBeCloseTo(6 / 9, 15);
  });

  it('is NaN without both classes', () => {
    expect(auc([1, 2], [1, 1])).toBeNaN();
    expect(auc([1, 2], [0, 0])).toBeNaN();
    expect(auc([], [])).toBeNaN();
  });

  it('reads typed arrays', () => {
    expect(auc(Float64Array.from([0.9, 0.1, 0.5]), Uint8Array.from([1, 0, 0]))).toBe(1);
  });

  // Integer scores in a small range, so that ties are common.
  const sample = fc
    .array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.boolean()), { minLength: 2, maxLength: 80 })
    .filter((rows) => rows.some(([, y]) => y) && rows.some(([, y]) => !y))
    .map((rows) => ({ scores: rows.map(([s]) => s), labels: rows.map(([, y]) => (y ? 1 : 0)) }));

  it('property: equals the pairwise definition and lies in [0, 1]', () => {
    fc.assert(
      fc.property(sample, ({ scores, labels }) => {
        const value = auc(scores, labels);
        return value >= 0 && value <= 1 && Math.abs(value - pairwiseAuc(scores, labels)) < 1e-12;
      }),
    );
  });

  it('property: reversing the scores gives 1 − AUC', () => {
    fc.assert(
      fc.property(sample, ({ scores, labels }) => {
        const reversed = auc(
          scores.map((s) => -s),
          labels,
        );
        return Math.abs(reversed - (1 - auc(scores, labels))) < 1e-12;
      }),
    );
  });

  it('property: invariant under strictly increasing transforms', () => {
    const transforms: Array<(s: number) => number> = [
      (s) => 3 * s - 7,
      (s) => Math.exp(s / 5),
      (s) => s * s * s,
      (s) => 1 / (1 + Math.exp(-s / 4)),
      (s) => Math.atan(s) + 100,
    ];
    fc.assert(
      fc.property(sample, fc.constantFrom(...transforms), ({ scores, labels }, f) => {
        return Math.abs(auc(scores.map(f), labels) - auc(scores, labels)) < 1e-12;
      }),
    );
  });

  it('property: swapping the labels gives 1 − AUC', () => {
    fc.assert(
      fc.property(sample, ({ scores, labels }) => {
        const swapped = auc(
          scores,
          labels.map((y) => 1 - y),
        );
        return Math.abs(swapped - (1 - auc(scores, labels))) < 1e-12;
      }),
    );
  });
});

describe('conversionByGroup', () => {
  it('gives accounts, conversions, rate and lift per group, in the order asked', () => {
    const result = conversionByGroup(['A', 'A', 'B', 'B', 'B', 'X'], [1, 0, 1, 1, 0, 0], ['B', 'A', 'C']);
    // Baseline 3 of 6 = 0.5 (the group X counts in the baseline, though not asked for).
    expect(result.baseline).toBe(0.5);
    expect(result.groups[0]).toEqual({
      group: 'B',
      accounts: 3,
      converted: 2,
      conversionRate: 2 / 3,
      lift: 4 / 3,
    });
    expect(result.groups[1]).toEqual({ group: 'A', accounts: 2, converted: 1, conversionRate: 0.5, lift: 1 });
    expect(result.groups[2]).toMatchObject({ group: 'C', accounts: 0, converted: 0 });
    expect(result.groups[2]?.conversionRate).toBeNaN();
    expect(result.groups[2]?.lift).toBeNaN();
  });

  it('has no baseline without accounts', () => {
    const result = conversionByGroup([], [], ['A']);
    expect(result.baseline).toBeNaN();
    expect(result.groups[0]?.accounts).toBe(0);
  });

  it('reads any truthy value as converted', () => {
    expect(conversionByGroup(['A', 'A'], Uint8Array.from([0, 7]), ['A']).groups[0]?.converted).toBe(1);
  });
});

describe('topShareCapture', () => {
  const scores = [5, 4, 3, 2, 1];
  const converted = [1, 0, 1, 0, 1];

  it.each([
    [0.2, 1 / 3], // top 1 account: 1 of the 3 conversions
    [0.4, 1 / 3], // top 2
    [0.6, 2 / 3], // top 3
    [1, 1],
    [0, 0],
  ])('share %d → %d', (share, expected) => {
    expect(topShareCapture(scores, converted, share)).toBeCloseTo(expected, 15);
  });

  it('rounds the number of top accounts and sorts by score, not input order', () => {
    // 7 accounts × 0.2 = 1.4 → the top 1, the highest score (index 3).
    expect(topShareCapture([1, 2, 3, 9, 4, 5, 6], [0, 0, 0, 1, 0, 0, 1], 0.2)).toBe(0.5);
  });

  it('takes ties at the cut in input order', () => {
    expect(topShareCapture([1, 1, 1, 1, 1], [0, 1, 0, 0, 0], 0.2)).toBe(0);
    expect(topShareCapture([1, 1, 1, 1, 1], [1, 0, 0, 0, 0], 0.2)).toBe(1);
  });

  it('is NaN without conversions', () => {
    expect(topShareCapture([1, 2], [0, 0], 0.5)).toBeNaN();
  });
});
