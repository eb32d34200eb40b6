import fc from 'fast-check';
import { trainingSet } from './matrix';
import { binOf, fitNaiveBayes, naiveBayesContributions } from './naiveBayes';

function setOf(x: number[][], y: number[], weight?: number[]) {
  const columns = x[0]?.length ?? 0;
  const set = trainingSet(x.length, columns);
  x.forEach((row, i) => set.x.set(row, i * columns));
  set.y.set(y);
  if (weight) set.weight.set(weight);
  return set;
}

function expectClose(actual: ArrayLike<number>, expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, k) => expect(actual[k]).toBeCloseTo(value, 14));
}

describe('binOf: the first bin whose upper edge is ≥ the value, else the last', () => {
  const edges = Float64Array.from([2, 3, 4, 5]);
  it.each([
    [-10, 0],
    [2, 0],
    [2.5, 1],
    [3, 1],
    [4.5, 3],
    [5, 3],
    [6, 4],
  ])('%d → bin %d', (value, bin) => {
    expect(binOf(edges, value)).toBe(bin);
  });
});

describe('fitNaiveBayes on a hand-worked example', () => {
  // Five examples, labels 0 0 0 1 1 (N₀ = 3, N₁ = 2).
  // Feature 0, a flag: sorted 0 0 1 1 1, quintiles at positions ⌊q·5⌋ = 1, 2, 3, 4 → 0, 1, 1, 1:
  //   edges [0, 1], bins ≤ 0 | (0, 1] | > 1 (B = 3).
  // Feature 1: sorted 1 2 3 4 5 → edges [2, 3, 4, 5], B = 5.
  const set = setOf(
    [
      [0, 5],
      [0, 1],
      [1, 4],
      [1, 2],
      [1, 3],
    ],
    [0, 0, 0, 1, 1],
  );
  const model = fitNaiveBayes(set);

  it('cuts the bins at the distinct quintiles', () => {
    expectClose(model.edges[0]!, [0, 1]);
    expectClose(model.edges[1]!, [2, 3, 4, 5]);
  });

  it('gives each bin ln((c₁ + 1) / (N₁ + B)) − ln((c₀ + 1) / (N₀ + B))', () => {
    // Feature 0: c₀ = [2, 1, 0], c₁ = [0, 2, 0].
    //   ln(1/5) − ln(3/6) = ln(2/5);  ln(3/5) − ln(2/6) = ln(9/5);  ln(1/5) − ln(1/6) = ln(6/5).
    expectClose(model.logRatios[0]!, [Math.log(2 / 5), Math.log(9 / 5), Math.log(6 / 5)]);
    // Feature 1: negatives 5, 1, 4 in bins 3, 0, 2 (c₀ = [1, 0, 1, 1, 0]); positives 2, 3 in bins 0, 1
    // (c₁ = [1, 1, 0, 0, 0]); denominators 2 + 5 = 7 and 3 + 5 = 8.
    expectClose(model.logRatios[1]!, [
      Math.log(2 / 7 / (2 / 8)),
      Math.log(2 / 7 / (1 / 8)),
      Math.log(1 / 7 / (2 / 8)),
      Math.log(1 / 7 / (2 / 8)),
      Math.log(1 / 7 / (1 / 8)),
    ]);
  });

  it('smooths the prior the same way: ln((N₁ + 1) / (N₀ + 1))', () => {
    expect(model.priorLogOdds).toBeCloseTo(Math.log(3 / 4), 14);
  });

  it('reads each feature’s contribution from its bin', () => {
    expectClose(naiveBayesContributions(model, [1, 3]), [Math.log(9 / 5), Math.log(16 / 7)]);
    expectClose(naiveBayesContributions(model, [0, 9]), [Math.log(2 / 5), Math.log(8 / 7)]);
    // A value above every edge falls in the last bin, empty in training.
    expectClose(naiveBayesContributions(model, [7, -1]), [Math.log(6 / 5), Math.log(8 / 7)]);
  });

  it('counts weights, not examples', () => {
    // Doubling the weight of the first example (a negative with the flag off) is counting it twice.
    const weighted = fitNaiveBayes(
      setOf(
        [
          [0, 5],
          [0, 1],
          [1, 4],
          [1, 2],
          [1, 3],
        ],
        [0, 0, 0, 1, 1],
        [2, 1, 1, 1, 1],
      ),
    );
    // N₀ = 4: c₀ = [3, 1, 0] → ln(1/5) − ln(4/7), ln(3/5) − ln(2/7), ln(1/5) − ln(1/7).
    expectClose(weighted.logRatios[0]!, [Math.log(7 / 20), Math.log(21 / 10), Math.log(7 / 5)]);
    expect(weighted.priorLogOdds).toBeCloseTo(Math.log(3 / 5), 14);
  });
});

describe('bins of flags', () => {
  it('keeps one bin for a rare flag and one for the rest', () => {
    const rare = fitNaiveBayes(
      setOf([[0], [0], [0], [0], [0], [0], [0], [0], [0], [1]], [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]),
    );
    expectClose(rare.edges[0]!, [0]);
    // Flag on: 1 positive of 2, 0 negatives of 8 → ln(2/4) − ln(1/10) = ln 5.
    expectClose(naiveBayesContributions(rare, [1]), [Math.log(5)]);
    // Flag off: ln(2/4) − ln(9/10) = ln(5/9).
    expectClose(naiveBayesContributions(rare, [0]), [Math.log(5 / 9)]);
  });

  it('property: every ratio is finite and a constant feature says the same for every value it had', () => {
    const data = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.constant(2), fc.boolean()), {
        minLength: 1,
        maxLength: 40,
      })
      .map((rows) => ({ x: rows.map(([a, b]) => [a, b]), y: rows.map(([, , y]) => (y ? 1 : 0)) }));
    fc.assert(
      fc.property(data, ({ x, y }) => {
        const model = fitNaiveBayes(setOf(x, y));
        const n1 = y.filter((v) => v === 1).length;
        const n0 = y.length - n1;
        const constant = naiveBayesContributions(model, [0, 2])[1]!;
        return (
          model.logRatios.every((ratios) => ratios.every(Number.isFinite)) &&
          model.edges.every((edges) => edges.every((e, k) => k === 0 || e > edges[k - 1]!)) &&
          Math.abs(constant - (Math.log((n1 + 1) / (n1 + 2)) - Math.log((n0 + 1) / (n0 + 2)))) < 1e-12
        );
      }),
    );
  });
});
