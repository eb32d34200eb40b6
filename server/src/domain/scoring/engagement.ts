import type { EngagementGrade } from '../vocabulary';

/**
 * A person's engagement, recency-weighted, from their known engagement in the 90 days before T.
 *
 *   points  = Σ ENGAGEMENT_POINTS[type] × 2^(−age in days / 30)     (half-life 30 days)
 *   score   = round(100 × (1 − e^(−points / 10)))                    0–100
 *   grade   = A (score ≥ a), B (≥ b), C (≥ c), D (below)
 *
 * The grade cuts a > b > c are fitted on the market when a model is trained (fitGradeCuts: the
 * top 2 %, 10 % and 30 % of the people engaged on the training day); the fixed cuts 70 / 40 / 15
 * are the fallback with too few engaged people, and what versions trained before the fitting
 * hold.
 *
 * A form fill or a reply today (8 points) scores 55; a webinar and a form fill this week
 * score 75 or more; one email open a month ago scores 5. The points say what each act tells of the
 * person's interest: asking (form, reply) weighs most, opening an email least.
 */
export const ENGAGEMENT_POINTS: Readonly<Record<string, number>> = {
  email_open: 1,
  email_click: 3,
  ad_click: 2,
  webinar: 6,
  trade_show: 5,
  field_event: 6,
  form_fill: 8,
  sales_reply: 8,
};

export const ENGAGEMENT_HALF_LIFE_DAYS = 30;
export const ENGAGEMENT_WINDOW_DAYS = 90;

/**
 * The engagement settings as one model version (kind `engagement`, docs/models.md): the points
 * of each act, the half-life and the lowest score of grades A, B and C. Only the grade cuts are
 * fitted (on the training day's people); a version pins everything so that a run can be
 * reproduced after it changes.
 */
export interface EngagementModel {
  readonly points: Readonly<Record<string, number>>;
  readonly halfLifeDays: number;
  readonly windowDays: number;
  readonly gradeCuts: GradeCuts;
  /**
   * How the grade cuts were set: at the market's shares of engaged people, or the fixed cuts
   * (too few engaged people). Absent from versions trained before the cuts were fitted (fixed).
   */
  readonly gradeCutsFrom?: 'market shares' | 'fixed';
}

export interface GradeCuts {
  readonly A: number;
  readonly B: number;
  readonly C: number;
}

export const FIXED_GRADE_CUTS: GradeCuts = { A: 70, B: 40, C: 15 };

/** Top shares of the engaged people (score ≥ 1) that grades A, A–B and A–C hold, at least. */
export const ENGAGEMENT_GRADE_SHARES = { A: 0.02, B: 0.1, C: 0.3 } as const;

/** Fewer engaged people than this on the training day: the fixed cuts. */
export const MIN_ENGAGED_PEOPLE = 50;

/**
 * Grade cuts at the market's shares of engaged people. Of the n people with score ≥ 1 on the
 * training day, sorted by score descending (s₁ ≥ s₂ ≥ … ≥ s_n), the cut of grade g with top
 * share σ_g (ENGAGEMENT_GRADE_SHARES) is
 *
 *   x_g = s_⌈σ_g · n⌉      (the highest score whose grade and above hold at least σ_g · n people)
 *
 * then b = min(x_B, a − 1) and c = min(x_C, b − 1), so that the grades stay distinct: ties hold
 * together, so a grade may hold more than its share. With n < MIN_ENGAGED_PEOPLE, or when c
 * would fall below 1 (people without engagement are always D), the fixed cuts 70 / 40 / 15.
 * On the demo markets the fixed cuts hold about 0.5 %, 5 % and 24 % of the engaged people: A is
 * wider here (lift over the base rate 4–6× against 5–11×, measured on seen seeds, and still
 * A > B > C > D); on a market where people engage little, the fixed cuts put
 * nearly everyone in D, and these keep A and B for the people who engage most in that market.
 */
export function fitGradeCuts(engagedScores: readonly number[]): {
  cuts: GradeCuts;
  from: 'market shares' | 'fixed';
} {
  const sorted = engagedScores.filter((score) => score >= 1).sort((x, y) => y - x);
  const n = sorted.length;
  const fixed = { cuts: FIXED_GRADE_CUTS, from: 'fixed' as const };
  if (n < MIN_ENGAGED_PEOPLE) return fixed;
  const at = (share: number) => sorted[Math.ceil(share * n - 1e-9) - 1] as number;
  const A = at(ENGAGEMENT_GRADE_SHARES.A);
  const B = Math.min(at(ENGAGEMENT_GRADE_SHARES.B), A - 1);
  const C = Math.min(at(ENGAGEMENT_GRADE_SHARES.C), B - 1);
  return C < 1 ? fixed : { cuts: { A, B, C }, from: 'market shares' };
}

export const DEFAULT_ENGAGEMENT_MODEL: EngagementModel = {
  points: ENGAGEMENT_POINTS,
  halfLifeDays: ENGAGEMENT_HALF_LIFE_DAYS,
  windowDays: ENGAGEMENT_WINDOW_DAYS,
  gradeCuts: FIXED_GRADE_CUTS,
};

/** Points of `count` acts of `type`, `ageDays` days before T (0 outside the window or unknown type). */
export function engagementPoints(
  type: string,
  ageDays: number,
  count = 1,
  model: EngagementModel = DEFAULT_ENGAGEMENT_MODEL,
): number {
  if (ageDays < 0 || ageDays >= model.windowDays) return 0;
  return count * (model.points[type] ?? 0) * Math.pow(2, -ageDays / model.halfLifeDays);
}

export function engagementScore(points: number): number {
  return Math.round(100 * (1 - Math.exp(-Math.max(0, points) / 10)));
}

export function engagementGrade(
  score: number,
  model: EngagementModel = DEFAULT_ENGAGEMENT_MODEL,
): EngagementGrade {
  if (score >= model.gradeCuts.A) return 'A';
  if (score >= model.gradeCuts.B) return 'B';
  if (score >= model.gradeCuts.C) return 'C';
  return 'D';
}
