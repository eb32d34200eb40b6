import { sigmoid } from './logistic';
import type { TrainingSet } from './matrix';

/**
 * Gradient-boosted regression trees for a 0/1 label (log loss), grown with Newton steps.
 *
 * Weights are rescaled to a mean of 1 first (so λ and the smallest child mean the same on a
 * market of any size). With b the weighted share of positives, F₀ = ln(b / (1 − b)); then for
 * each round m = 1…M, with p_i = σ(F_{m−1}(x_i)):
 *
 *   g_i = w_i (p_i − y_i),   h_i = w_i p_i (1 − p_i)
 *
 * and one tree of depth at most D is grown greedily, level by level. A node holding examples
 * with sums G = Σ g_i, H = Σ h_i has the value v = −η G / (H + λ) (η the learning rate). It is
 * split on the feature j and threshold θ (x_j ≤ θ to the left) that maximise
 *
 *   gain = G_L² / (H_L + λ) + G_R² / (H_R + λ) − G² / (H + λ)
 *
 * over the thresholds of j (below), when the gain is positive and each side holds
 * H ≥ MIN_CHILD_HESSIAN; otherwise it is a leaf. F_m(x) = F_{m−1}(x) + v(leaf of x).
 * The thresholds of a feature are its distinct values at the quantiles k / BINS, k = 1…BINS − 1,
 * of the training set (all its distinct values but the largest when it has fewer): a split
 * "x ≤ θ" is the same for any value between two thresholds, so the fit only needs per-bin sums.
 *
 * Contributions (reasons): the path of x through a tree passes nodes n₀ (root) … n_k (leaf);
 * each step from n to its child c on feature j adds v(c) − v(n) to j's contribution. The
 * log-odds are then exactly F₀ + Σ_trees v(root) + Σ_j contribution_j (the intercept is the
 * first two terms): each feature is credited with how much the splits on it moved the score
 * for this account, signed.
 *
 * Why trees for intent: a buying signal means more on an account that suits the product, and
 * the profile fit matters most where research is quiet. A logistic regression adds each
 * signal's effect alone; trees find those interactions and thresholds from the market's own
 * history. Out-of-fold model selection (modelSelection.ts) keeps them only where they rank
 * better than the logistic regression and naive Bayes.
 */
export interface BoostedTreesModel {
  readonly kind: 'boosted_trees';
  /** Nodes per tree: a complete binary tree of depth D, 2^(D+1) − 1 nodes, children of n at 2n + 1 and 2n + 2. */
  readonly nodesPerTree: number;
  /** F₀. */
  readonly base: number;
  /** Per node of every tree, the feature it splits on; −1 for a leaf (and for the unused nodes below it). */
  readonly features: Float64Array;
  readonly thresholds: Float64Array;
  /** Per node, its value v (unused nodes 0). */
  readonly values: Float64Array;
}

export interface BoostedTreesOptions {
  rounds?: number;
  depth?: number;
  learningRate?: number;
  lambda?: number;
  minChildHessian?: number;
}

export const BOOSTED_TREES_DEFAULTS: Required<BoostedTreesOptions> = {
  rounds: 150,
  depth: 3,
  learningRate: 0.05,
  lambda: 1,
  minChildHessian: 3,
};
export const BINS = 32;

/** The thresholds of one column (ascending), and each row's bin: the index of the first threshold ≥ x (the count when none). */
function binColumn(set: TrainingSet, j: number): { thresholds: Float64Array; bins: Uint8Array } {
  const values = new Float64Array(set.rows);
  for (let i = 0; i < set.rows; i++) values[i] = set.x[i * set.columns + j] as number;
  const sorted = Float64Array.from(values).sort();
  const picked: number[] = [];
  for (let k = 1; k < BINS; k++) {
    const value = sorted[Math.floor((k * sorted.length) / BINS)];
    if (value !== undefined && value !== picked[picked.length - 1]) picked.push(value);
  }
  // The largest value cannot split anything off to its right.
  while (picked.length > 0 && picked[picked.length - 1] === sorted[sorted.length - 1]) picked.pop();
  const thresholds = Float64Array.from(picked);
  const bins = new Uint8Array(set.rows);
  for (let i = 0; i < set.rows; i++) {
    const x = values[i] as number;
    let lo = 0;
    let hi = thresholds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((thresholds[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    bins[i] = lo;
  }
  return { thresholds, bins };
}

interface Split {
  feature: number;
  bin: number;
  gain: number;
}

function bestSplit(
  rows: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  columns: ReadonlyArray<{ thresholds: Float64Array; bins: Uint8Array }>,
  lambda: number,
  minChild: number,
): Split | null {
  let G = 0;
  let H = 0;
  for (const i of rows) {
    G += grad[i] as number;
    H += hess[i] as number;
  }
  const parent = (G * G) / (H + lambda);
  const g = new Float64Array(BINS);
  const h = new Float64Array(BINS);
  let best: Split | null = null;
  columns.forEach((column, feature) => {
    const cuts = column.thresholds.length;
    if (cuts === 0) return;
    g.fill(0, 0, cuts + 1);
    h.fill(0, 0, cuts + 1);
    for (const i of rows) {
      const b = column.bins[i] as number;
      g[b] = (g[b] as number) + (grad[i] as number);
      h[b] = (h[b] as number) + (hess[i] as number);
    }
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < cuts; b++) {
      gl += g[b] as number;
      hl += h[b] as number;
      const gr = G - gl;
      const hr = H - hl;
      if (hl < minChild || hr < minChild) continue;
      const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
      if (gain > 1e-12 && (best === null || gain > best.gain)) best = { feature, bin: b, gain };
    }
  });
  return best;
}

export function fitBoostedTrees(set: TrainingSet, options: BoostedTreesOptions = {}): BoostedTreesModel {
  const { rounds, depth, learningRate, lambda, minChildHessian } = { ...BOOSTED_TREES_DEFAULTS, ...options };
  const nodesPerTree = 2 ** (depth + 1) - 1;
  const n = set.rows;
  let totalWeight = 0;
  let positiveWeight = 0;
  for (let i = 0; i < n; i++) {
    totalWeight += set.weight[i] as number;
    if (set.y[i] === 1) positiveWeight += set.weight[i] as number;
  }
  const scale = totalWeight > 0 ? n / totalWeight : 1;
  const share = totalWeight > 0 ? positiveWeight / totalWeight : 0.5;
  const base = share <= 0 || share >= 1 ? 0 : Math.log(share / (1 - share));
  const columns = Array.from({ length: set.columns }, (_, j) => binColumn(set, j));
  const features = new Float64Array(rounds * nodesPerTree).fill(-1);
  const thresholds = new Float64Array(rounds * nodesPerTree);
  const values = new Float64Array(rounds * nodesPerTree);
  const score = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  for (let m = 0; m < rounds; m++) {
    for (let i = 0; i < n; i++) {
      const w = (set.weight[i] as number) * scale;
      const p = sigmoid(score[i] as number);
      grad[i] = w * (p - (set.y[i] as number));
      hess[i] = w * p * (1 - p);
    }
    const offset = m * nodesPerTree;
    let level: Array<{ node: number; rows: Int32Array }> = [{ node: 0, rows: all }];
    for (let d = 0; d <= depth; d++) {
      const next: typeof level = [];
      for (const { node, rows } of level) {
        let G = 0;
        let H = 0;
        for (const i of rows) {
          G += grad[i] as number;
          H += hess[i] as number;
        }
        const value = (-learningRate * G) / (H + lambda);
        values[offset + node] = value;
        const split = d < depth ? bestSplit(rows, grad, hess, columns, lambda, minChildHessian) : null;
        if (split === null) {
          for (const i of rows) score[i] = (score[i] as number) + value;
          continue;
        }
        const column = columns[split.feature] as { thresholds: Float64Array; bins: Uint8Array };
        features[offset + node] = split.feature;
        thresholds[offset + node] = column.thresholds[split.bin] as number;
        const left: number[] = [];
        const right: number[] = [];
        for (const i of rows) ((column.bins[i] as number) <= split.bin ? left : right).push(i);
        next.push(
          { node: 2 * node + 1, rows: Int32Array.from(left) },
          { node: 2 * node + 2, rows: Int32Array.from(right) },
        );
      }
      level = next;
    }
  }
  return { kind: 'boosted_trees', nodesPerTree, base, features, thresholds, values };
}

/** F₀ plus every tree's root value: the log-odds before any split is taken. */
export function boostedTreesIntercept(model: BoostedTreesModel): number {
  let t = model.base;
  for (let offset = 0; offset < model.values.length; offset += model.nodesPerTree)
    t += model.values[offset] as number;
  return t;
}

/** Each feature's signed contribution to the log-odds of x (they add up to the log-odds minus the intercept). */
export function boostedTreesContributions(
  model: BoostedTreesModel,
  x: ArrayLike<number>,
  columns = x.length,
): Float64Array {
  const out = new Float64Array(columns);
  for (let offset = 0; offset < model.values.length; offset += model.nodesPerTree) {
    let node = 0;
    for (;;) {
      const feature = model.features[offset + node] as number;
      if (feature < 0) break;
      const child =
        (x[feature] as number) <= (model.thresholds[offset + node] as number) ? 2 * node + 1 : 2 * node + 2;
      out[feature] =
        (out[feature] as number) +
        (model.values[offset + child] as number) -
        (model.values[offset + node] as number);
      node = child;
    }
  }
  return out;
}

/** The log-odds of x. */
export function boostedTreesLogit(model: BoostedTreesModel, x: ArrayLike<number>): number {
  let t = model.base;
  for (let offset = 0; offset < model.values.length; offset += model.nodesPerTree) {
    let node = 0;
    for (;;) {
      const feature = model.features[offset + node] as number;
      if (feature < 0) break;
      node =
        (x[feature] as number) <= (model.thresholds[offset + node] as number) ? 2 * node + 1 : 2 * node + 2;
    }
    t += model.values[offset + node] as number;
  }
  return t;
}
