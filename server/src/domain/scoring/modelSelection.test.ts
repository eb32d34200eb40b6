import fc from 'fast-check';
import { logisticLogit, sigmoid } from './logistic';
import { subset, trainingSet, type TrainingSet } from './matrix';
import { auc } from './metrics';
import {
  chooseModel,
  chooseModelByFolds,
  chosenContributions,
  fit,
  logits,
  chosenLogit,
  rawContributions,
  rawIntercept,
  METHODS,
  type ModelKind,
} from './modelSelection';

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function rowOf(set: TrainingSet, i: number): Float64Array {
  return set.x.subarray(i * set.columns, (i + 1) * set.columns);
}

/** 400 examples, 3 features, log-odds −1 + 1.5 x₀ − x₁ (x₂ is noise); negatives weigh 3. */
function linearSet(seed: number): TrainingSet {
  const next = random(seed);
  const set = trainingSet(400, 3);
  for (let i = 0; i < set.rows; i++) {
    const x = [next() * 2, next() < 0.3 ? 1 : 0, next()];
    set.x.set(x, i * 3);
    set.y[i] = next() < sigmoid(-1 + 1.5 * x[0]! - x[1]!) ? 1 : 0;
    set.weight[i] = set.y[i] ? 1 : 3;
  }
  return set;
}

describe('chooseModel', () => {
  it('keeps naive Bayes when it ranks the validation part better (a bump logistic regression cannot see)', () => {
    // x = 0…9 in turn; the label is 1 exactly for x ∈ {4, 5}: not monotone in x.
    const set = trainingSet(200, 1);
    for (let i = 0; i < 200; i++) {
      set.x[i] = i % 10;
      set.y[i] = i % 10 === 4 || i % 10 === 5 ? 1 : 0;
    }
    const chosen = chooseModel(set, (i) => i % 3 === 0);
    expect(chosen.validationAuc.naive_bayes).toBeGreaterThan(0.8);
    expect(chosen.validationAuc.logistic).toBeLessThan(0.7);
    expect(chosen.kind).toBe('naive_bayes');
  });

  it('keeps logistic regression on a tie', () => {
    // One 0/1 feature: both methods rank the two groups the same way, so the AUCs are equal.
    const set = trainingSet(40, 1);
    for (let i = 0; i < 40; i++) {
      set.x[i] = i % 2;
      set.y[i] = i % 2 === 1 ? (i % 4 === 1 ? 1 : i % 8 === 3 ? 1 : 0) : i % 10 === 0 ? 1 : 0;
    }
    const chosen = chooseModel(set, (i) => i >= 20);
    expect(chosen.validationAuc.logistic).toBeGreaterThan(0.5);
    expect(chosen.validationAuc.logistic).toBe(chosen.validationAuc.naive_bayes);
    expect(chosen.kind).toBe('logistic');
  });

  it('judges on the validation examples only', () => {
    const set = linearSet(7);
    const isValidation = (i: number) => i % 4 === 0;
    const chosen = chooseModel(set, isValidation);
    expect(chosen.validationAuc.logistic).toBeGreaterThan(0.6);
    expect(Number.isFinite(chosen.validationAuc.naive_bayes)).toBe(true);
    // The refit on all examples is the model returned; the choice follows the higher AUC.
    const better =
      (chosen.validationAuc.naive_bayes as number) > (chosen.validationAuc.logistic as number)
        ? 'naive_bayes'
        : 'logistic';
    expect(chosen.kind).toBe(better);
  });

  it('takes logistic regression as is without validation examples', () => {
    const chosen = chooseModel(linearSet(8), () => false);
    expect(chosen.kind).toBe('logistic');
    expect(chosen.validationAuc.logistic).toBeNaN();
    expect(chosen.validationAuc.naive_bayes).toBeNaN();
  });

  it('calibrates by Platt scaling: the weighted mean probability is the weighted positive rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const set = linearSet(seed);
        const chosen = chooseModel(set, (i) => i % 5 === 0);
        // At the optimum of the (unpenalised) calibration intercept, Σ w (p − y) = 0,
        // and Σ w (p − y) t = 0 for the raw log-odds t (its penalty is 1e-6).
        let residual = 0;
        let slopeResidual = 0;
        let total = 0;
        for (let i = 0; i < set.rows; i++) {
          const x = rowOf(set, i);
          const t = (chosenLogit(chosen, x) - chosen.offset) / chosen.slope;
          const r = set.weight[i]! * (sigmoid(chosenLogit(chosen, x)) - set.y[i]!);
          residual += r;
          slopeResidual += r * t;
          total += set.weight[i]!;
        }
        expect(Math.abs(residual) / total).toBeLessThan(1e-7);
        expect(Math.abs(slopeResidual) / total).toBeLessThan(1e-5);
        expect(chosen.slope).toBeGreaterThan(0);
      }),
      { numRuns: 5 },
    );
  });

  it('ranks as the raw model does (the calibration is increasing)', () => {
    const set = linearSet(9);
    const chosen = chooseModel(set, (i) => i % 5 === 0);
    const raw = Array.from({ length: set.rows }, (_, i) => {
      const x = rowOf(set, i);
      return rawIntercept(chosen.model) + rawContributions(chosen.model, x).reduce((s, c) => s + c, 0);
    });
    const calibrated = Array.from({ length: set.rows }, (_, i) => chosenLogit(chosen, rowOf(set, i)));
    expect(auc(calibrated, set.y)).toBeCloseTo(auc(raw, set.y), 12);
    if (chosen.model.kind === 'logistic')
      expect(calibrated[0]).toBeCloseTo(
        chosen.slope * logisticLogit(chosen.model, rowOf(set, 0)) + chosen.offset,
        12,
      );
  });
});

describe('chosenContributions', () => {
  it('add up to the calibrated log-odds minus the calibrated baseline', () => {
    const set = linearSet(10);
    for (const isValidation of [() => false, (i: number) => i % 3 === 0]) {
      const chosen = chooseModel(set, isValidation);
      for (let i = 0; i < 20; i++) {
        const x = rowOf(set, i);
        const sum = chosenContributions(chosen, x).reduce((s, c) => s + c, 0);
        expect(sum + chosen.slope * rawIntercept(chosen.model) + chosen.offset).toBeCloseTo(
          chosenLogit(chosen, x),
          12,
        );
        const raw = rawContributions(chosen.model, x);
        chosenContributions(chosen, x).forEach((c, j) => expect(c).toBeCloseTo(raw[j]! * chosen.slope, 14));
      }
    }
  });
});

describe('chooseModelByFolds', () => {
  const foldOf = (i: number) => 1 + (i % 4);
  const FOLDS = [1, 2, 3, 4];

  /** What each method says of each example when fitted without the example's fold. */
  function outOfFold(set: TrainingSet, kind: ModelKind): Float64Array {
    const out = new Float64Array(set.rows);
    for (const fold of FOLDS) {
      const held = Array.from({ length: set.rows }, (_, i) => i).filter((i) => foldOf(i) === fold);
      const rest = Array.from({ length: set.rows }, (_, i) => i).filter((i) => foldOf(i) !== fold);
      const t = logits(fit(kind, subset(set, rest)), subset(set, held));
      held.forEach((row, k) => (out[row] = t[k]!));
    }
    return out;
  }

  it('judges each method by the AUC of its out-of-fold log-odds over all examples, and refits the better on all', () => {
    const set = linearSet(11);
    const { chosen, outOfFold: oof } = chooseModelByFolds(set, foldOf, FOLDS);
    const each = METHODS.map((kind) => ({ kind, oof: outOfFold(set, kind) }));
    for (const { kind, oof: t } of each) expect(chosen.validationAuc[kind]).toBe(auc(t, set.y));
    // The first of the highest (logistic on a tie).
    const better = each.reduce((a, b) => (auc(b.oof, set.y) > auc(a.oof, set.y) ? b : a));
    expect(chosen.kind).toBe(better.kind);
    expect(Array.from(oof)).toEqual(Array.from(better.oof));
    expect(chosen.model).toEqual(fit(better.kind, set));
  });

  it('keeps naive Bayes for a bump logistic regression cannot see', () => {
    const set = trainingSet(200, 1);
    for (let i = 0; i < 200; i++) {
      set.x[i] = i % 10;
      set.y[i] = i % 10 === 4 || i % 10 === 5 ? 1 : 0;
    }
    const { chosen } = chooseModelByFolds(set, (i) => 1 + (Math.floor(i / 7) % 4), FOLDS);
    expect(chosen.validationAuc.naive_bayes).toBeGreaterThan(0.8);
    expect(chosen.validationAuc.logistic).toBeLessThan(0.7);
    expect(chosen.kind).toBe('naive_bayes');
  });

  it('fits the Platt line on the out-of-fold log-odds: Σ w (p − y) = 0 there', () => {
    const set = linearSet(12);
    const { chosen, outOfFold: oof } = chooseModelByFolds(set, foldOf, FOLDS);
    let residual = 0;
    let total = 0;
    for (let i = 0; i < set.rows; i++) {
      residual += set.weight[i]! * (sigmoid(chosen.slope * oof[i]! + chosen.offset) - set.y[i]!);
      total += set.weight[i]!;
    }
    expect(Math.abs(residual) / total).toBeLessThan(1e-7);
    expect(chosen.slope).toBeGreaterThan(0);
  });

  it('takes logistic regression without a choice when there is only one fold', () => {
    const set = linearSet(13);
    const { chosen, outOfFold: oof } = chooseModelByFolds(set, () => 1, FOLDS);
    expect(chosen.kind).toBe('logistic');
    expect(chosen.validationAuc.logistic).toBeNaN();
    expect(chosen.validationAuc.naive_bayes).toBeNaN();
    // Its calibration then sees the model's own log-odds.
    expect(Array.from(oof)).toEqual(Array.from(logits(chosen.model, set)));
  });
});
