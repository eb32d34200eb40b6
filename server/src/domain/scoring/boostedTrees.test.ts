import fc from 'fast-check';
import {
  boostedTreesContributions,
  boostedTreesIntercept,
  boostedTreesLogit,
  fitBoostedTrees,
} from './boostedTrees';
import { sigmoid } from './logistic';
import { trainingSet, type TrainingSet } from './matrix';
import { auc } from './metrics';
import { decodeModel, encodeModel } from './modelCodec';

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function setOf(rows: number[][], labels: number[], weights?: number[]): TrainingSet {
  const set = trainingSet(rows.length, rows[0]!.length);
  rows.forEach((row, i) => {
    set.x.set(row, i * set.columns);
    set.y[i] = labels[i]!;
    set.weight[i] = weights?.[i] ?? 1;
  });
  return set;
}

/** 600 examples whose label needs both features high: y ~ Bernoulli(0.9) when x₀ > 0.5 and x₁ > 0.5, else 0.05. */
function interactionSet(seed: number): TrainingSet {
  const next = random(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 600; i++) {
    const row = [next(), next(), next()];
    rows.push(row);
    labels.push(next() < (row[0]! > 0.5 && row[1]! > 0.5 ? 0.9 : 0.05) ? 1 : 0);
  }
  return setOf(rows, labels);
}

const ONE_STUMP = { rounds: 1, depth: 1, learningRate: 1, lambda: 0, minChildHessian: 0 };

describe('boosted trees', () => {
  it('fits one stump by Newton’s step, exactly', () => {
    // Share of positives 1/4: F₀ = ln(1/3), p = 1/4 everywhere, g = p − y, h = p(1 − p) = 3/16.
    // The only threshold is 0 (x ≤ 0 left): G_L = 1/2, H_L = 3/8 → v = −4/3; G_R = −1/2 → v = 4/3.
    const set = setOf([[0], [0], [1], [1]], [0, 0, 1, 0]);
    const model = fitBoostedTrees(set, ONE_STUMP);
    expect(model.base).toBeCloseTo(Math.log(1 / 3), 12);
    expect(Array.from(model.features)).toEqual([0, -1, -1]);
    expect(Array.from(model.thresholds)).toEqual([0, 0, 0]);
    expect(model.values[0]).toBeCloseTo(0, 12);
    expect(model.values[1]).toBeCloseTo(-4 / 3, 12);
    expect(model.values[2]).toBeCloseTo(4 / 3, 12);
    expect(boostedTreesLogit(model, [1])).toBeCloseTo(Math.log(1 / 3) + 4 / 3, 12);
    expect(boostedTreesLogit(model, [0])).toBeCloseTo(Math.log(1 / 3) - 4 / 3, 12);
    // A value between thresholds goes where the training values on its side went.
    expect(boostedTreesLogit(model, [0.5])).toBeCloseTo(Math.log(1 / 3) + 4 / 3, 12);
    expect(Array.from(boostedTreesContributions(model, [1]))[0]).toBeCloseTo(4 / 3, 12);
    expect(boostedTreesIntercept(model)).toBeCloseTo(Math.log(1 / 3), 12);
  });

  it('reads weights as multiplicities, whatever their scale', () => {
    const repeated = setOf([[0], [0], [0], [0], [1], [1], [1], [1]], [0, 0, 0, 0, 1, 1, 0, 0]);
    const weighted = setOf([[0], [1], [1]], [0, 1, 0], [12, 6, 6]);
    const a = fitBoostedTrees(repeated, { ...ONE_STUMP, rounds: 3 });
    const b = fitBoostedTrees(weighted, { ...ONE_STUMP, rounds: 3 });
    for (const x of [0, 1]) expect(boostedTreesLogit(b, [x])).toBeCloseTo(boostedTreesLogit(a, [x]), 12);
  });

  it('leaves a node unsplit when a side would hold too little (minChildHessian)', () => {
    const set = setOf([[0], [0], [1], [1]], [0, 0, 1, 0]);
    const model = fitBoostedTrees(set, { ...ONE_STUMP, minChildHessian: 0.5 });
    expect(Array.from(model.features)).toEqual([-1, -1, -1]);
    expect(boostedTreesLogit(model, [1])).toBeCloseTo(boostedTreesLogit(model, [0]), 12);
  });

  it('finds an effect that needs two signals together, which no additive model can', () => {
    const train = interactionSet(1);
    const test = interactionSet(2);
    const model = fitBoostedTrees(train);
    const t = Array.from({ length: test.rows }, (_, i) =>
      boostedTreesLogit(model, test.x.subarray(i * 3, i * 3 + 3)),
    );
    expect(auc(t, test.y)).toBeGreaterThan(0.9);
    // The noise feature x₂ moves the score less than either signal, on average.
    const spread = [0, 0, 0];
    for (let i = 0; i < test.rows; i++)
      boostedTreesContributions(model, test.x.subarray(i * 3, i * 3 + 3)).forEach(
        (c, j) => (spread[j]! += Math.abs(c)),
      );
    expect(spread[2]).toBeLessThan(Math.min(spread[0]!, spread[1]!) / 3);
  });

  it('learns the base rate and nothing else from labels independent of the features', () => {
    const next = random(3);
    const rows = Array.from({ length: 400 }, () => [next(), next()]);
    const labels: number[] = rows.map(() => (next() < 0.2 ? 1 : 0));
    const model = fitBoostedTrees(setOf(rows, labels), { minChildHessian: 20 });
    const share = labels.reduce((a, b) => a + b, 0) / labels.length;
    const mean = rows.reduce((sum, row) => sum + sigmoid(boostedTreesLogit(model, row)), 0) / rows.length;
    expect(Math.abs(mean - share)).toBeLessThan(0.01);
  });

  it('has contributions that add up to the log-odds, for any input', () => {
    const model = fitBoostedTrees(interactionSet(4));
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (x) => {
          const sum = boostedTreesContributions(model, x).reduce((a, b) => a + b, 0);
          expect(boostedTreesIntercept(model) + sum).toBeCloseTo(boostedTreesLogit(model, x), 10);
        },
      ),
    );
  });

  it('is deterministic and survives being stored as a model version', () => {
    const set = interactionSet(5);
    const model = fitBoostedTrees(set);
    expect(encodeModel(fitBoostedTrees(set))).toBe(encodeModel(model));
    const stored = decodeModel<typeof model>(encodeModel(model));
    for (let i = 0; i < 50; i++) {
      const x = set.x.subarray(i * 3, i * 3 + 3);
      expect(boostedTreesLogit(stored, x)).toBe(boostedTreesLogit(model, x));
    }
  });
});
