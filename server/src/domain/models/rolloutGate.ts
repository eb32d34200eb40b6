/**
 * The roll-out gate (docs/models.md "Not worse"): a candidate may replace the active versions
 * only if, on the intent versions' own figures,
 *
 *   AUC_candidate ≥ AUC_active − 0.01   and   I_candidate ≥ I_active − 0.02
 *
 * (AUC and identification rate I both in [0, 1]). A figure the active version lacks (too little
 * history when it was trained) sets no bar; a figure the candidate lacks where the active one
 * has it fails the bar: nothing shows it is not worse.
 */
export const AUC_TOLERANCE = 0.01;
export const IDENTIFICATION_TOLERANCE = 0.02;

export interface GateFigures {
  auc: number | null;
  identificationRate: number | null;
}

export interface GateVerdict {
  notWorse: boolean;
  /** One line for people: each figure against its bar. */
  reason: string;
}

function check(
  name: string,
  candidate: number | null,
  active: number | null,
  tolerance: number,
  format: (value: number) => string,
): { passed: boolean; text: string } {
  if (active === null)
    return {
      passed: true,
      text: `${name} ${candidate === null ? '–' : format(candidate)} (no active figure)`,
    };
  const bar = active - tolerance;
  // The bar in the same rounding as the figures: 0.80 − 0.01 is 0.79000…01 in floating point.
  const passed = candidate !== null && candidate >= bar - 1e-12;
  return {
    passed,
    text: `${name} ${candidate === null ? '–' : format(candidate)} vs ${format(active)} (at least ${format(bar)} needed)`,
  };
}

export const formatAuc = (value: number): string => value.toFixed(3);
export const formatRate = (value: number): string => `${(100 * value).toFixed(1)}%`;

export function rolloutGate(candidate: GateFigures, active: GateFigures | null): GateVerdict {
  if (active === null) return { notWorse: true, reason: 'no active models to compare with' };
  const auc = check('AUC', candidate.auc, active.auc, AUC_TOLERANCE, formatAuc);
  const identification = check(
    'identification',
    candidate.identificationRate,
    active.identificationRate,
    IDENTIFICATION_TOLERANCE,
    formatRate,
  );
  const notWorse = auc.passed && identification.passed;
  return { notWorse, reason: `${notWorse ? 'not worse' : 'worse'}: ${auc.text}; ${identification.text}` };
}
