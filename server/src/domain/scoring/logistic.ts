import { solveSymmetric, type TrainingSet } from './matrix';

/**
 * L2-regularised logistic regression, fitted by Newton's method (iteratively reweighted least
 * squares).
 *
 * Features are standardised first: z_j = (x_j − μ_j) / σ_j with the weighted mean and standard
 * deviation of the training set (σ_j = 1 for a constant column). Then
 *
 *   p(x) = 1 / (1 + e^−(β₀ + Σ_j β_j z_j))
 *
 * minimises  −Σ_i w_i [y_i ln p_i + (1 − y_i) ln(1 − p_i)] + (λ/2) Σ_{j≥1} β_j²
 * (the intercept is not penalised). Each Newton step solves (XᵀWX + λI) Δ = −gradient with
 * W = diag(w_i p_i (1 − p_i)); it stops when the largest step is below 1e-6 or after 50 steps.
 *
 * Why this method: the signals are few (tens) and their effects add up on the log-odds scale
 * (more research, more visits, more engagement each multiply the odds), the fit is convex and
 * deterministic, and each signal's contribution β_j z_j is a signed reason a rep can read.
 */
export interface LogisticModel {
  readonly kind: 'logistic';
  readonly intercept: number;
  readonly coefficients: Float64Array;
  readonly means: Float64Array;
  readonly scales: Float64Array;
}

export interface LogisticOptions {
  /** Penalty λ on the standardised coefficients; default 1. */
  lambda?: number;
}

function columnMoments(set: TrainingSet): { means: Float64Array; scales: Float64Array } {
  const d = set.columns;
  const means = new Float64Array(d);
  const squares = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < set.rows; i++) {
    const w = set.weight[i] as number;
    total += w;
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const value = set.x[row + j] as number;
      means[j] = (means[j] as number) + w * value;
      squares[j] = (squares[j] as number) + w * value * value;
    }
  }
  const scales = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const mean = (means[j] as number) / total;
    means[j] = mean;
    const variance = (squares[j] as number) / total - mean * mean;
    scales[j] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { means, scales };
}

export function sigmoid(t: number): number {
  return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
}

/**
 * The fit works on the raw features with a per-feature penalty λσ_j² — the same optimum as the
 * standardised problem (β_raw_j = β_j / σ_j, the unpenalised intercept absorbs the means) —
 * so that each example costs only its non-zero features: most signals of most accounts are 0.
 */
export function fitLogistic(set: TrainingSet, options: LogisticOptions = {}): LogisticModel {
  const lambda = options.lambda ?? 1;
  const d = set.columns;
  const size = d + 1; // intercept first
  const { means, scales } = columnMoments(set);
  // Non-zero features of every example (compressed rows).
  const rowStart = new Int32Array(set.rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < set.rows; i++) {
    for (let j = 0; j < d; j++) {
      const value = set.x[i * d + j] as number;
      if (value !== 0) {
        indices.push(j + 1);
        values.push(value);
      }
    }
    rowStart[i + 1] = indices.length;
  }
  const beta = new Float64Array(size);
  for (let step = 0; step < 50; step++) {
    const gradient = new Float64Array(size);
    const hessian = new Float64Array(size * size);
    for (let i = 0; i < set.rows; i++) {
      const from = rowStart[i] as number;
      const to = rowStart[i + 1] as number;
      let t = beta[0] as number;
      for (let k = from; k < to; k++) t += (beta[indices[k] as number] as number) * (values[k] as number);
      const p = sigmoid(t);
      const w = set.weight[i] as number;
      const residual = w * (p - (set.y[i] as number));
      const curvature = w * p * (1 - p);
      gradient[0] = (gradient[0] as number) + residual;
      hessian[0] = (hessian[0] as number) + curvature;
      for (let k = from; k < to; k++) {
        const a = indices[k] as number;
        const xa = values[k] as number;
        gradient[a] = (gradient[a] as number) + residual * xa;
        const scaled = curvature * xa;
        hessian[a * size] = (hessian[a * size] as number) + scaled;
        for (let l = from; l <= k; l++) {
          const b = indices[l] as number;
          hessian[a * size + b] = (hessian[a * size + b] as number) + scaled * (values[l] as number);
        }
      }
    }
    for (let a = 1; a < size; a++) {
      // (λ/2) β_j² with β_j = σ_j β_raw_j is (λ σ_j² / 2) β_raw_j².
      const penalty = lambda * (scales[a - 1] as number) * (scales[a - 1] as number);
      gradient[a] = (gradient[a] as number) + penalty * (beta[a] as number);
      hessian[a * size + a] = (hessian[a * size + a] as number) + penalty;
    }
    for (let a = 0; a < size; a++)
      for (let b = 0; b < a; b++) hessian[b * size + a] = hessian[a * size + b] as number;
    hessian[0] = (hessian[0] as number) + 1e-9; // keeps an all-one-label set solvable
    const delta = solveSymmetric(hessian, gradient, size);
    let largest = 0;
    for (let a = 0; a < size; a++) {
      beta[a] = (beta[a] as number) - (delta[a] as number);
      largest = Math.max(largest, Math.abs(delta[a] as number) * (a === 0 ? 1 : (scales[a - 1] as number)));
    }
    if (largest < 1e-6) break;
  }
  // Back to the standardised parameters the contributions are read in.
  const coefficients = new Float64Array(d);
  let intercept = beta[0] as number;
  for (let j = 0; j < d; j++) {
    coefficients[j] = (beta[j + 1] as number) * (scales[j] as number);
    intercept += (beta[j + 1] as number) * (means[j] as number);
  }
  return { kind: 'logistic', intercept, coefficients, means, scales };
}

/** Signed contribution of each feature to the log-odds of one example: β_j (x_j − μ_j) / σ_j. */
export function logisticContributions(model: LogisticModel, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(model.coefficients.length);
  for (let j = 0; j < out.length; j++)
    out[j] =
      ((model.coefficients[j] as number) * ((x[j] as number) - (model.means[j] as number))) /
      (model.scales[j] as number);
  return out;
}

/** Log-odds of one example. */
export function logisticLogit(model: LogisticModel, x: ArrayLike<number>): number {
  let t = model.intercept;
  const contributions = logisticContributions(model, x);
  for (const c of contributions) t += c;
  return t;
}
