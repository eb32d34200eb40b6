import type { ReachLevel } from '../vocabulary';

/**
 * Reach: how much our sales and marketing touched the account in the 28 days before T, in
 * points (REACH_POINTS in intentFeatures.ts: an ad impression 0.2 … a sales meeting 4).
 *   High    points ≥ 10   (e.g. a meeting, two calls and a couple of emails)
 *   Medium  points ≥ 2    (a few emails or a call)
 *   Low     below
 */
export function reachOf(points: number): ReachLevel {
  if (points >= 10) return 'High';
  if (points >= 2) return 'Medium';
  return 'Low';
}
