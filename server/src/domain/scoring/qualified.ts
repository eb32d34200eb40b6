import type { BuyingStage, FitBand } from '../vocabulary';

/** A qualified account: profile fit Moderate or Strong AND buying stage Decision or Purchase. */
export function isQualified(fit: FitBand | null, stage: BuyingStage | null): boolean {
  return (fit === 'Strong' || fit === 'Moderate') && (stage === 'Decision' || stage === 'Purchase');
}

/**
 * The day an account became qualified, kept across runs: while it stays qualified the date of
 * the previous run carries over; an account that (re)qualifies today starts again today; one
 * that is not qualified has none.
 */
export function qualifiedSince(
  qualifiedNow: boolean,
  previous: { qualified: boolean; qualifiedSince: string | null } | null,
  asOf: string,
): string | null {
  if (!qualifiedNow) return null;
  if (previous?.qualified && previous.qualifiedSince !== null && previous.qualifiedSince <= asOf)
    return previous.qualifiedSince;
  return asOf;
}
