import fc from 'fast-check';
import { fitLogistic, logisticContributions, logisticLogit, sigmoid, type LogisticModel } from './logistic';
import { trainingSet, type TrainingSet } from './matrix';

/** A seeded generator (mulberry32): the same numbers on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function setOf(rows: Array<{ x: number[]; y: number; w?: number }>): TrainingSet {
  const columns = rows[0]?.x.length ?? 0;
  const set = trainingSet(rows.length, columns);
  rows.forEach((row, i) => {
    set.x.set(row.x, i * columns);
    set.y[i] = row.y;
    set.weight[i] = row.w ?? 1;
  });
  return set;
}

/** Gaussian elimination with partial pivoting (independent of the Cholesky solver under test). */
function gaussSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const v = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let sum = m[r]![n]!;
    for (let k = r + 1; k < n; k++) sum -= m[r]![k]! * v[k]!;
    v[r] = sum / m[r]![r]!;
  }
  return v;
}

/**
 * The textbook fit: standardise every column with its weighted mean and standard deviation,
 * put a column of ones in front, and run Newton's method on
 *   −Σ w_i [y_i ln p_i + (1 − y_i) ln(1 − p_i)] + (λ/2) Σ_{j≥1} β_j²
 * with dense matrices until the step is below 1e-13.
 */
function denseStandardisedFit(set: TrainingSet, lambda: number) {
  const { rows: n, columns: d } = set;
  const W = set.weight.reduce((s, w) => s + w, 0);
  const means: number[] = [];
  const scales: number[] = [];
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += set.weight[i]! * set.x[i * d + j]!;
    mean /= W;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += set.weight[i]! * (set.x[i * d + j]! - mean) ** 2;
    variance /= W;
    means.push(mean);
    scales.push(variance > 1e-12 ? Math.sqrt(variance) : 1);
  }
  const z = Array.from({ length: n }, (_, i) => [
    1,
    ...Array.from({ length: d }, (_, j) => (set.x[i * d + j]! - means[j]!) / scales[j]!),
  ]);
  const beta = new Array<number>(d + 1).fill(0);
  for (let step = 0; step < 200; step++) {
    const g = new Array<number>(d + 1).fill(0);
    const h = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      const p = sigmoid(zi.reduce((s, v, k) => s + v * beta[k]!, 0));
      const w = set.weight[i]!;
      for (let a = 0; a <= d; a++) {
        g[a]! += w * (p - set.y[i]!) * zi[a]!;
        for (let b = 0; b <= d; b++) h[a]![b]! += w * p * (1 - p) * zi[a]! * zi[b]!;
      }
    }
    for (let a = 1; a <= d; a++) {
      g[a]! += lambda * beta[a]!;
      h[a]![a]! += lambda;
    }
    const delta = gaussSolve(h, g);
    delta.forEach((v, k) => (beta[k]! -= v));
    if (Math.max(...delta.map(Math.abs)) < 1e-13) break;
  }
  return { intercept: beta[0]!, coefficients: beta.slice(1), means, scales };
}

describe('sigmoid', () => {
  it.each([
    [0, 0.5],
    [Math.log(3), 0.75],
    [-Math.log(3), 0.25],
    [Math.log(9), 0.9],
  ])('σ(%d) = %d', (t, p) => {
    expect(sigmoid(t)).toBeCloseTo(p, 15);
  });

  it('saturates without NaN', () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(-745)).toBeGreaterThan(0);
  });

  it('property: σ(−t) = 1 − σ(t)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -30, max: 30, noNaN: true }),
        (t) => Math.abs(sigmoid(-t) - (1 - sigmoid(t))) < 1e-15,
      ),
    );
  });
});

describe('logisticContributions and logisticLogit', () => {
  const model: LogisticModel = {
    kind: 'logistic',
    intercept: 0.3,
    coefficients: Float64Array.from([2, -1]),
    means: Float64Array.from([1, 0.5]),
    scales: Float64Array.from([2, 0.25]),
  };

  it('gives β_j (x_j − μ_j) / σ_j and adds them to the intercept', () => {
    // 2 · (3 − 1) / 2 = 2 and −1 · (1 − 0.5) / 0.25 = −2.
    expect(Array.from(logisticContributions(model, [3, 1]))).toEqual([2, -2]);
    expect(logisticLogit(model, [3, 1])).toBeCloseTo(0.3, 15);
    // At the means every contribution is 0: the logit is the intercept.
    expect(Array.from(logisticContributions(model, [1, 0.5])).every((c) => c === 0)).toBe(true);
    expect(logisticLogit(model, [1, 0.5])).toBe(0.3);
    // −1 and +1: 0.3 + 2 · (0 − 1)/2 − (0.75 − 0.5)/0.25 = 0.3 − 1 − 1.
    expect(logisticLogit(model, [0, 0.75])).toBeCloseTo(-1.7, 15);
  });
});

describe('fitLogistic', () => {
  it('recovers the saturated model of one 0/1 feature (λ → 0)', () => {
    // x = 0: 1 positive, 3 negatives (odds 1/3); x = 1: 3 positives, 1 negative (odds 3).
    // Raw: intercept ln(1/3), slope ln 9. The feature has mean ½ and deviation ½, so
    // standardised: coefficient ½ ln 9 = ln 3 and intercept ln(1/3) + ½ ln 9 = 0.
    const set = setOf([
      { x: [0], y: 1 },
      { x: [0], y: 0 },
      { x: [0], y: 0 },
      { x: [0], y: 0 },
      { x: [1], y: 1 },
      { x: [1], y: 1 },
      { x: [1], y: 1 },
      { x: [1], y: 0 },
    ]);
    const model = fitLogistic(set, { lambda: 1e-10 });
    expect(Array.from(model.means)).toEqual([0.5]);
    expect(Array.from(model.scales)).toEqual([0.5]);
    expect(model.intercept).toBeCloseTo(0, 8);
    expect(model.coefficients[0]).toBeCloseTo(Math.log(3), 8);
    expect(sigmoid(logisticLogit(model, [0]))).toBeCloseTo(0.25, 8);
    expect(sigmoid(logisticLogit(model, [1]))).toBeCloseTo(0.75, 8);
  });

  it('shrinks the standardised coefficient by λ: Σ w (p − y) z + λ β = 0', () => {
    // Same data, λ = 1. The feature standardises to z = ±1 and the intercept is 0 by symmetry,
    // so the coefficient β solves 4 (σ(β) − ¾) − 4 (σ(−β) − ¼) + β = 8 σ(β) − 6 + β = 0
    // (β ≈ 0.69, less than the unpenalised ln 3): found here by bisection.
    const set = setOf([
      ...[1, 0, 0, 0].map((y) => ({ x: [0], y })),
      ...[1, 1, 1, 0].map((y) => ({ x: [1], y })),
    ]);
    let [low, high] = [0, Math.log(3)];
    for (let k = 0; k < 100; k++) {
      const mid = (low + high) / 2;
      if (8 * sigmoid(mid) - 6 + mid > 0) high = mid;
      else low = mid;
    }
    expect(low).toBeGreaterThan(0.68);
    expect(low).toBeLessThan(0.7);
    const model = fitLogistic(set, { lambda: 1 });
    expect(model.intercept).toBeCloseTo(0, 10);
    expect(model.coefficients[0]).toBeCloseTo(low, 10);
    // λ = 4 shrinks it further: the fitted β makes 8 σ(β) − 6 + 4β vanish.
    const strong = fitLogistic(set, { lambda: 4 }).coefficients[0]!;
    expect(strong).toBeLessThan(low);
    expect(8 * sigmoid(strong) - 6 + 4 * strong).toBeCloseTo(0, 10);
  });

  it('gives a constant column a scale of 1 and no weight', () => {
    const set = setOf([
      { x: [3, 0], y: 1 },
      { x: [3, 1], y: 0 },
      { x: [3, 1], y: 1 },
      { x: [3, 0], y: 0 },
      { x: [3, 0], y: 1 },
    ]);
    const model = fitLogistic(set);
    expect(model.scales[0]).toBe(1);
    expect(model.means[0]).toBe(3);
    expect(model.coefficients[0]).toBeCloseTo(0, 9);
  });

  // Small sets of mostly-zero features (the sparse path skips zeros) with both labels.
  const smallSet = fc
    .record({
      d: fc.integer({ min: 1, max: 4 }),
      n: fc.integer({ min: 4, max: 30 }),
      lambda: fc.constantFrom(1, 0.1, 5),
    })
    .chain(({ d, n, lambda }) =>
      fc.record({
        lambda: fc.constant(lambda),
        rows: fc.array(
          fc.record({
            x: fc.array(fc.constantFrom(0, 0, 0, 1, 1, 2, -1.5, 3.25, 10), { minLength: d, maxLength: d }),
            y: fc.integer({ min: 0, max: 1 }),
            w: fc.constantFrom(1, 1, 0.5, 2, 3.5),
          }),
          { minLength: n, maxLength: n },
        ),
      }),
    )
    .filter(({ rows }) => rows.some((r) => r.y === 1) && rows.some((r) => r.y === 0));

  it('property: the sparse fit equals the dense standardised Newton fit (to 1e-6)', () => {
    fc.assert(
      fc.property(smallSet, ({ rows, lambda }) => {
        const set = setOf(rows);
        const sparse = fitLogistic(set, { lambda });
        const dense = denseStandardisedFit(set, lambda);
        expect(sparse.intercept).toBeCloseTo(dense.intercept, 6);
        dense.coefficients.forEach((b, j) => expect(sparse.coefficients[j]).toBeCloseTo(b, 6));
        dense.means.forEach((m, j) => expect(sparse.means[j]).toBeCloseTo(m, 10));
        dense.scales.forEach((s, j) => expect(sparse.scales[j]).toBeCloseTo(s, 10));
      }),
      { numRuns: 150 },
    );
  });

  it('equals the dense fit with many sparse 0/1 features, rare ones and down-sampling weights', () => {
    // 300 examples × 12 flags switched on with rates from 2% to 50%; negatives weigh 4.
    const next = random(7);
    const d = 12;
    const set = trainingSet(300, d);
    for (let i = 0; i < set.rows; i++) {
      let t = -1;
      for (let j = 0; j < d; j++)
        if (next() < 0.02 + (0.48 * j) / (d - 1)) {
          set.x[i * d + j] = 1;
          t += j % 3 === 0 ? 0.8 : j % 3 === 1 ? -0.5 : 0;
        }
      set.y[i] = next() < sigmoid(t) ? 1 : 0;
      set.weight[i] = set.y[i] ? 1 : 4;
    }
    for (const lambda of [1, 0.01]) {
      const sparse = fitLogistic(set, { lambda });
      const dense = denseStandardisedFit(set, lambda);
      expect(sparse.intercept).toBeCloseTo(dense.intercept, 6);
      dense.coefficients.forEach((b, j) => expect(sparse.coefficients[j]).toBeCloseTo(b, 6));
    }
  });

  it('property: a weight of 2 is the same as the example twice', () => {
    fc.assert(
      fc.property(smallSet, fc.nat(), ({ rows, lambda }, pick) => {
        const at = pick % rows.length;
        const plain = rows.map((r) => ({ ...r, w: 1 }));
        const weighted = plain.map((r, i) => (i === at ? { ...r, w: 2 } : r));
        const doubled = [...plain, plain[at]!];
        const a = fitLogistic(setOf(weighted), { lambda });
        const b = fitLogistic(setOf(doubled), { lambda });
        expect(a.intercept).toBeCloseTo(b.intercept, 6);
        a.coefficients.forEach((c, j) => expect(c).toBeCloseTo(b.coefficients[j]!, 6));
      }),
      { numRuns: 50 },
    );
  });

  it('recovers known coefficients from a large simulated sample', () => {
    // 20,000 examples: x₁, x₂ standard normal, x₃ a 0/1 flag on 30% of them (sparse);
    // true log-odds −1.5 + 1.2 x₁ − 0.7 x₂ + 0.9 x₃.
    const next = random(20261101);
    const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    const truth = { intercept: -1.5, slopes: [1.2, -0.7, 0.9] };
    const n = 20_000;
    const set = trainingSet(n, 3);
    for (let i = 0; i < n; i++) {
      const x = [normal(), normal(), next() < 0.3 ? 1 : 0];
      set.x.set(x, i * 3);
      const t = truth.intercept + x.reduce((s, v, j) => s + v * truth.slopes[j]!, 0);
      set.y[i] = next() < sigmoid(t) ? 1 : 0;
    }
    const model = fitLogistic(set);
    // Back to raw units: slope β_j / σ_j, intercept β₀ − Σ β_j μ_j / σ_j.
    const slopes = Array.from(model.coefficients, (b, j) => b / model.scales[j]!);
    const intercept = model.intercept - slopes.reduce((s, b, j) => s + b * model.means[j]!, 0);
    // Standard errors here are about 0.02–0.04; allow about four of them.
    expect(Math.abs(intercept - truth.intercept)).toBeLessThan(0.1);
    slopes.forEach((b, j) => expect(Math.abs(b - truth.slopes[j]!)).toBeLessThan(0.1));
  });
});
