/**
 * Buying stages. The intent model gives each account a probability p of opening a relevant
 * opportunity in the next 90 days; the base rate b is the share of accounts that did so in the
 * training history. Its lift L = p / b places the account:
 *
 *   Target          L < 1         nothing raises the odds above an average account (no in-market signal)
 *   Awareness       1 ≤ L < 2
 *   Consideration   2 ≤ L < 4
 *   Decision        4 ≤ L < 8
 *   Purchase        L ≥ 8
 *
 * Each stage at least doubles the odds of the one before, so conversion rises with the stage as
 * long as the model is calibrated; the backtest measures that it does. The cuts are settings.
 */
export const BUYING_STAGES = ['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase'] as const;
export type BuyingStage = (typeof BUYING_STAGES)[number];

/** Lower lift bounds of Awareness, Consideration, Decision and Purchase, increasing. */
export type StageLiftCuts = readonly [number, number, number, number];
export const DEFAULT_STAGE_LIFT_CUTS: StageLiftCuts = [1, 2, 4, 8];

/**
 * The intent score, 0–100, from the lift: round(100 · L / (L + 4)). Half-way (50) is four
 * times the base rate; an average account (L = 1) scores 20; L = 2 → 33, L = 8 → 67,
 * L = 20 → 83. With the default cuts a stage therefore starts at a fixed score (Awareness 20,
 * Consideration 33, Decision 50, Purchase 67), and score and stage always rise together.
 * Computed as 100 / (1 + 4 / L), the same value, so that no lift overflows (L → ∞ scores 100)
 * and each step is monotone in L even in floating point.
 */
export function intentScoreOfLift(lift: number): number {
  return lift <= 0 ? 0 : Math.round(100 / (1 + 4 / lift));
}

export function stageOfLift(lift: number, cuts: StageLiftCuts = DEFAULT_STAGE_LIFT_CUTS): BuyingStage {
  let stage = 0;
  while (stage < cuts.length && lift >= (cuts[stage] as number)) stage++;
  return BUYING_STAGES[stage] as BuyingStage;
}

export function stageRank(stage: BuyingStage): number {
  return BUYING_STAGES.indexOf(stage);
}
