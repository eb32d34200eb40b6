import type { EngagementGrade } from '../vocabulary';

/**
 * A person's engagement, recency-weighted, from their known engagement in the 90 days before T.
 *
 *   points  = Σ ENGAGEMENT_POINTS[type] × 2^(−age in days / 30)     (half-life 30 days)
 *   score   = round(100 × (1 − e^(−points / 10)))                    0–100
 *   grade   = A (score ≥ 70), B (≥ 40), C (≥ 15), D (below)
 *
 * A form fill or a reply today (8 points) scores 55 (B); a webinar and a form fill this week
 * reach A; one email open a month ago scores 5 (D). The points say what each act tells of the
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
 * of each act, the half-life and the lowest score of grades A, B and C. Nothing is fitted; a
 * version pins them so that a run can be reproduced after they change.
 */
export interface EngagementModel {
  readonly points: Readonly<Record<string, number>>;
  readonly halfLifeDays: number;
  readonly windowDays: number;
  readonly gradeCuts: { readonly A: number; readonly B: number; readonly C: number };
}

export const DEFAULT_ENGAGEMENT_MODEL: EngagementModel = {
  points: ENGAGEMENT_POINTS,
  halfLifeDays: ENGAGEMENT_HALF_LIFE_DAYS,
  windowDays: ENGAGEMENT_WINDOW_DAYS,
  gradeCuts: { A: 70, B: 40, C: 15 },
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
