import type { AccountProfile } from './account';
import type { Random } from './random';
import type { SellerKind } from './sellers';

/**
 * The hidden true fit of an account: how well it suits the product, 0–1. It drives how often
 * the account starts a buying cycle (buyingCycle.ts) and how often it wins; a profile-fit model
 * can only estimate it from the account's row.
 *
 * With the seller's ideal customer (sellers.ts; the numbers are those of developer security):
 *
 *   z = industry.fitWeight                       (−0.8 education … +1.0 software)
 *     + size(ln employees)                       (peak +0.9 at ~2,000 employees; −1.5 floor for tiny companies)
 *     + clamp(0.6 × Σ technology.fitWeight, −1, 1.6)  (cloud-native stack up, mainframe / competitor down)
 *     + country.fitWeight                        (−0.5 … +0.3)
 *     + N(0, 0.7²)                               (what no firmographic shows: budget, a recent breach, a champion)
 *     + seller.fitCalibration                    (−1.9)
 *   true_fit = 1 / (1 + e^(−z))
 *
 *   size(x) = 0.9 − 0.13 (x − p)²   for x < p,   0.9 − 0.045 (x − p)²   above; at least −1.5,
 *   p = ln(seller.peakEmployees) (7.6 = ln 2,000)
 *
 * The observable part has a standard deviation of ~1.25 across accounts against 0.7 of noise:
 * about three quarters of the variance of z is learnable from the account's row.
 * Tiers: strong ≥ 0.6, moderate ≥ 0.3, weak below; about 22% of accounts are strong, 31%
 * moderate and 47% weak.
 */

export type FitTier = 'strong' | 'moderate' | 'weak';

const FIT_NOISE_SD = 0.7;

export function sizeFitTerm(employees: number, peakEmployees: number): number {
  const distance = Math.log(employees) - Math.log(peakEmployees);
  const curvature = distance < 0 ? 0.13 : 0.045;
  return Math.max(-1.5, 0.9 - curvature * distance * distance);
}

/** The observable part of the fit logit (everything but the noise and the calibration). */
export function observableFitLogit(profile: AccountProfile, seller: SellerKind): number {
  const technologySum = profile.technologies.reduce(
    (sum, technology) => sum + (seller.technologyFit[technology.name] ?? 0),
    0,
  );
  return (
    (seller.industryFit[profile.industry.name] ?? 0) +
    sizeFitTerm(profile.employees, seller.peakEmployees) +
    Math.min(1.6, Math.max(-1, 0.6 * technologySum)) +
    profile.country.fitWeight
  );
}

export function fitTierOf(trueFit: number): FitTier {
  if (trueFit >= 0.6) return 'strong';
  if (trueFit >= 0.3) return 'moderate';
  return 'weak';
}

/** True fit rounded to 4 decimals (what the truth file shows), and its tier. */
export function drawTrueFit(
  random: Random,
  profile: AccountProfile,
  seller: SellerKind,
): { trueFit: number; tier: FitTier } {
  const z = observableFitLogit(profile, seller) + FIT_NOISE_SD * random.normal() + seller.fitCalibration;
  const trueFit = Math.round(10_000 / (1 + Math.exp(-z))) / 10_000;
  return { trueFit, tier: fitTierOf(trueFit) };
}
