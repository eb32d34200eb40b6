/**
 * Isotonic calibration: a non-decreasing map from a model's raw log-odds t to a probability,
 * fitted by pooling adjacent violators (PAV) on log-odds the model gave examples it was not
 * trained on (out-of-fold, intentModel.ts).
 *
 * Examples are sorted by t (equal t pooled at once) and each starts a block; a block B's
 * probability is its smoothed conversion
 *
 *   p(B) = (Σ_{i∈B} w_i y_i + m · b) / (Σ_{i∈B} w_i + m)
 *
 * with b the weighted base rate of all the examples and m = `priorWeight` pseudo-examples at
 * that rate (a block of a few examples says little: without it, a lone negative at the bottom
 * would read as "never converts", p = 0). While a block's p is not above the p of the block
 * before it, the two are pooled: the blocks' probabilities end strictly increasing.
 *
 * A new t is placed by its block centres (the weighted mean t of each block): between the
 * centres of blocks j and j + 1 the log-odds of p is interpolated linearly in t; below the
 * first centre or above the last, p is that end block's. So p is continuous and non-decreasing
 * in t (strictly between centres), and a block's examples average close to its p.
 *
 * Why this and not a logistic (Platt) curve: an intent model's log-odds are not linear in the
 * true log-odds — naive Bayes counts correlated signals twice, and most accounts have no signal
 * and sit in one flat mass — and buying stages are cut on the calibrated probability, so a
 * probability must mean the same conversion over the whole range, not only on average.
 */
export interface IsotonicCalibration {
  /** Weighted mean raw log-odds of each block, increasing. */
  readonly centers: Float64Array;
  /** Probability of each block, strictly increasing. */
  readonly probabilities: Float64Array;
  /** Weighted examples in each block. */
  readonly weights: Float64Array;
}

export function fitIsotonic(
  t: ArrayLike<number>,
  y: ArrayLike<number>,
  weight: ArrayLike<number>,
  priorWeight: number,
): IsotonicCalibration {
  const n = t.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (t[a] as number) - (t[b] as number));
  let totalWeight = 0;
  let totalPositive = 0;
  for (let i = 0; i < n; i++) {
    totalWeight += weight[i] as number;
    totalPositive += (weight[i] as number) * (y[i] as number);
  }
  const base = totalWeight === 0 ? 0 : totalPositive / totalWeight;
  const value = (w: number, s: number) => (s + priorWeight * base) / (w + priorWeight);
  // The blocks, a stack: weight, weighted positives, weighted sum of t.
  const w: number[] = [];
  const s: number[] = [];
  const m: number[] = [];
  let k = 0;
  while (k < n) {
    const first = t[order[k] as number] as number;
    let bw = 0;
    let bs = 0;
    while (k < n && t[order[k] as number] === first) {
      const i = order[k] as number;
      bw += weight[i] as number;
      bs += (weight[i] as number) * (y[i] as number);
      k++;
    }
    w.push(bw);
    s.push(bs);
    m.push(bw * first);
    while (w.length > 1) {
      const top = w.length - 1;
      if (value(w[top] as number, s[top] as number) > value(w[top - 1] as number, s[top - 1] as number))
        break;
      w[top - 1] = (w[top - 1] as number) + (w.pop() as number);
      s[top - 1] = (s[top - 1] as number) + (s.pop() as number);
      m[top - 1] = (m[top - 1] as number) + (m.pop() as number);
    }
  }
  return {
    centers: Float64Array.from(m, (bm, b) => bm / (w[b] as number)),
    probabilities: Float64Array.from(w, (bw, b) => value(bw, s[b] as number)),
    weights: Float64Array.from(w),
  };
}

/** ln(p / (1 − p)), with p kept off 0 and 1 (a block can be all one label when priorWeight is 0). */
function logOdds(p: number): number {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return Math.log(q / (1 - q));
}

/** The calibrated probability of raw log-odds t. */
export function isotonicProbability(calibration: IsotonicCalibration, t: number): number {
  const { centers, probabilities } = calibration;
  const last = centers.length - 1;
  if (last < 0) return NaN;
  if (!(t > (centers[0] as number))) return probabilities[0] as number;
  if (t >= (centers[last] as number)) return probabilities[last] as number;
  // The segment [centers[j], centers[j + 1]) holding t (binary search).
  let low = 0;
  let high = last - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((centers[mid] as number) <= t) low = mid;
    else high = mid - 1;
  }
  const from = centers[low] as number;
  const to = centers[low + 1] as number;
  const a = logOdds(probabilities[low] as number);
  const b = logOdds(probabilities[low + 1] as number);
  const z = a + ((t - from) / (to - from)) * (b - a);
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
