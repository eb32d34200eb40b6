/**
 * The ratios every model-insights table shares, with their 0/0 cases (docs/reports.md "Model
 * insights"): a rate whose denominator is 0 is null (nothing to measure), and a lift is null when
 * either side is null or the baseline is 0 (no conversion to compare against). Rates are unrounded
 * fractions in [0, 1]; lifts are unbounded ratios ≥ 0.
 */

/** numerator / denominator, or null when the denominator is 0. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** conversion / baseline, or null when either is null or the baseline is 0. */
export function lift(conversion: number | null, baseline: number | null): number | null {
  return conversion === null || baseline === null || baseline === 0 ? null : conversion / baseline;
}
