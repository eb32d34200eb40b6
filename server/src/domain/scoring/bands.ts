import type { FitBand } from '../vocabulary';

/**
 * Score bands. A profile score s ∈ [0, 100] falls in
 *   Strong   when s ≥ strong   (default 81, so 81–100),
 *   Moderate when s ≥ moderate (default 50, so 50–80),
 *   Weak     otherwise         (0–49).
 */
export interface FitBandCuts {
  strong: number;
  moderate: number;
}

export const DEFAULT_FIT_BAND_CUTS: FitBandCuts = { strong: 81, moderate: 50 };

export function fitBandOf(score: number, cuts: FitBandCuts = DEFAULT_FIT_BAND_CUTS): FitBand {
  if (score >= cuts.strong) return 'Strong';
  if (score >= cuts.moderate) return 'Moderate';
  return 'Weak';
}

/**
 * Percentile scores: value i gets round(100 × (below_i + (equal_i − 1) / 2) / (n − 1)), its
 * mid-rank among the n values scaled to 0–100, so the lowest value scores 0, the highest 100,
 * ties share a score, and a score of 81 means "above about 81% of the others". One value
 * scores 100 alone (it is the best there is). O(n log n).
 */
export function percentileScores(values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  const scores = new Uint8Array(n);
  if (n === 0) return scores;
  if (n === 1) {
    scores[0] = 100;
    return scores;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (values[a] as number) - (values[b] as number),
  );
  let start = 0;
  while (start < n) {
    let end = start;
    const value = values[order[start] as number] as number;
    while (end + 1 < n && values[order[end + 1] as number] === value) end++;
    const midRank = (start + end) / 2;
    const score = Math.round((100 * midRank) / (n - 1));
    for (let k = start; k <= end; k++) scores[order[k] as number] = score;
    start = end + 1;
  }
  return scores;
}

/**
 * A reference population for fit scores: the log-odds of every account (or person) scored on
 * the day a fit model was trained, kept with the model (trainModels.ts) as its distinct values
 * in ascending order, each with how many members had it. Its size n is the sum of the counts.
 */
export interface ScoreReference {
  /** Distinct values, ascending. */
  readonly values: Float64Array;
  /** counts[i]: how many members had values[i] (≥ 1). */
  readonly counts: readonly number[];
}

/** The reference of `values`: O(n) counting plus a sort of the distinct values. */
export function referenceOf(values: ArrayLike<number>): ScoreReference {
  const byValue = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    byValue.set(value, (byValue.get(value) ?? 0) + 1);
  }
  const distinct = Float64Array.from(byValue.keys()).sort();
  return { values: distinct, counts: Array.from(distinct, (value) => byValue.get(value) as number) };
}

/**
 * Scores values against a reference instead of against each other: x gets
 *   round(100 × (below(x) + (equal(x) − 1) / 2) / (n − 1)), clamped to 0–100,
 * with below(x) the reference members under x, equal(x) those equal to x and n its size (n ≤ 1:
 * 100). For a member of the reference this is percentileScores' mid-rank formula with the same
 * below, equal and n, computed the same way (below + (equal − 1)/2 is a whole or half number, so
 * exact): scored against the reference made of themselves, the values get exactly their
 * percentile scores. A value the reference never held (equal = 0) sits half a rank below the
 * members above it; under the lowest it scores 0, over the highest 100. So a score is the share
 * of the training day's population below x, and does not move when the population scored
 * later does. O(log d) per value for d distinct reference values.
 */
export function referenceScores(reference: ScoreReference, values: ArrayLike<number>): Uint8Array {
  const { values: distinct, counts } = reference;
  // below[i]: members under distinct[i].
  const below = new Float64Array(distinct.length + 1);
  for (let i = 0; i < distinct.length; i++) below[i + 1] = (below[i] as number) + (counts[i] as number);
  const n = below[distinct.length] as number;
  const scores = new Uint8Array(values.length);
  for (let v = 0; v < values.length; v++) {
    if (n <= 1) {
      scores[v] = 100;
      continue;
    }
    const x = values[v] as number;
    // The first distinct value not under x.
    let low = 0;
    let high = distinct.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((distinct[mid] as number) < x) low = mid + 1;
      else high = mid;
    }
    const equal = low < distinct.length && distinct[low] === x ? (counts[low] as number) : 0;
    const midRank = (below[low] as number) + (equal - 1) / 2;
    scores[v] = Math.min(100, Math.max(0, Math.round((100 * midRank) / (n - 1))));
  }
  return scores;
}
