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
