/**
 * The intent score's discrimination in a backtest: the area under the ROC curve of the score
 * against "the account opened a relevant opportunity in the window", from a histogram of scores
 * (the intent score is a whole number 0–100, so the store hands over counts, not 100,000 rows).
 *
 * With n₁ positives (converters) and n₂ negatives, for score s let p(s), q(s) be the positives and
 * negatives scoring s. Ties count one half:
 *   A = Σₛ p(s) · (Q₍<s₎ + q(s)/2) / (n₁ n₂)
 * with Q₍<s₎ the negatives scoring below s. A ∈ [0, 1]; 0.5 is chance.
 *
 * 95 % interval by Hanley and McNeil (1982), "The meaning and use of the area under a receiver
 * operating characteristic (ROC) curve", Radiology 143:29–36:
 *   Q₁ = A / (2 − A),   Q₂ = 2A² / (1 + A)
 *   SE(A) = √[ (A(1 − A) + (n₁ − 1)(Q₁ − A²) + (n₂ − 1)(Q₂ − A²)) / (n₁ n₂) ]
 *   interval = [max(0, A − 1.96 SE), min(1, A + 1.96 SE)]
 * A and the interval are null when either class is empty (no pair to compare).
 */

export interface ScoreTally {
  /** The score (any number; equal scores are ties). */
  score: number;
  /** Accounts with this score that converted. */
  positives: number;
  /** Accounts with this score that did not. */
  negatives: number;
}

export interface AucResult {
  auc: number | null;
  /** [low, high], the 95 % interval, or null with `auc`. */
  ci: [number, number] | null;
}

const Z_95 = 1.96;

export function aucOfTallies(tallies: readonly ScoreTally[]): AucResult {
  // Merge equal scores first so that a tie split over several tallies still counts one half.
  const byScore = new Map<number, { positives: number; negatives: number }>();
  for (const t of tallies) {
    const entry = byScore.get(t.score) ?? { positives: 0, negatives: 0 };
    entry.positives += t.positives;
    entry.negatives += t.negatives;
    byScore.set(t.score, entry);
  }
  const scores = [...byScore.keys()].sort((a, b) => a - b);
  let n1 = 0;
  let n2 = 0;
  let negativesBelow = 0;
  let wins = 0;
  for (const score of scores) {
    const { positives, negatives } = byScore.get(score) as { positives: number; negatives: number };
    wins += positives * (negativesBelow + negatives / 2);
    negativesBelow += negatives;
    n1 += positives;
    n2 += negatives;
  }
  if (n1 === 0 || n2 === 0) return { auc: null, ci: null };
  const a = wins / (n1 * n2);
  return { auc: a, ci: hanleyMcNeilInterval(a, n1, n2) };
}

/** The 95 % interval of an AUC `a` over n1 positives and n2 negatives (both > 0). */
export function hanleyMcNeilInterval(a: number, n1: number, n2: number): [number, number] {
  const q1 = a / (2 - a);
  const q2 = (2 * a * a) / (1 + a);
  const variance = (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n2 - 1) * (q2 - a * a)) / (n1 * n2);
  // Rounding can leave a hair below 0 when A is 0 or 1.
  const se = Math.sqrt(Math.max(0, variance));
  return [Math.max(0, a - Z_95 * se), Math.min(1, a + Z_95 * se)];
}
