import { BUYING_STAGES, type BuyingStage } from '../vocabulary';

/**
 * Buying stages. The intent model gives each account a calibrated probability p of opening a
 * relevant opportunity in the next 90 days; the base rate b is the share of accounts that did
 * so in the training history. Its lift L = p / b places the account, with the configured cuts
 * (a setting; default 1 / 2 / 4 / 8):
 *
 *   Target          L < 1         nothing raises the odds above an average account (no in-market signal)
 *   Awareness       1 ≤ L < 2
 *   Consideration   2 ≤ L < 4
 *   Decision        4 ≤ L < 8
 *   Purchase        L ≥ 8
 *
 * Each stage at least doubles the odds of the one before, so conversion rises with the stage as
 * long as p is calibrated (isotonic.ts) — and as long as each stage holds enough accounts for
 * its conversion to be more than noise. In-market accounts are few and their lifts spread
 * unevenly (most accounts with a buying signal are far above 8), so a stage between two cuts can
 * be nearly empty. `fitStageCuts` therefore checks the cuts on the training history and raises
 * the upper cut of a stage that holds too few conversions to measure (see there); the cuts
 * used, what each stage held and any stage that is still too thin or does not convert above
 * the one below are reported with the model.
 */
/** Lower lift bounds of Awareness, Consideration, Decision and Purchase, increasing. */
export type StageLiftCuts = readonly [number, number, number, number];
export const DEFAULT_STAGE_LIFT_CUTS: StageLiftCuts = [1, 2, 4, 8];

/**
 * The intent score, 0–100, from the lift: round(100 · L / (L + 4)). Half-way (50) is four
 * times the base rate; an average account (L = 1) scores 20; L = 2 → 33, L = 8 → 67,
 * L = 20 → 83. With the default cuts a stage therefore starts at a fixed score (Awareness 20,
 * Consideration 33, Decision 50, Purchase 67) — or higher where `fitStageCuts` raised a cut —
 * and score and stage always rise together (both are non-decreasing in L).
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

export interface StageCheck {
  stage: BuyingStage;
  /** Lowest lift of the stage (0 for Target). */
  fromLift: number;
  /** Training examples (account-snapshots, weighted back to the full history) in the stage. */
  examples: number;
  /** … of which opened a relevant opportunity in the next 90 days. */
  conversions: number;
  conversionRate: number;
}

/**
 * The stage cuts to use, from the configured ones and out-of-fold training examples (calibrated
 * lift, weight, label). Target stays L < cuts[0]; each stage above it should hold at least
 * m = min(`minConversions`, C / 4) weighted conversions, C those of all the examples at
 * L ≥ cuts[0] (a short history shares what it has among the four stages rather than filling
 * the lowest ones and leaving Decision and Purchase empty). From Awareness up, a stage
 * [c_s, c_{s+1}) that holds fewer than m gets its upper cut c_{s+1} raised to the lowest lift at which it holds enough (so it
 * takes the least convincing accounts of the stage above, never accounts below the configured
 * cut); the next stage starts there. Purchase takes what is left.
 *
 * Each stage's out-of-fold conversion is measured with the cuts used. A stage that still holds
 * fewer than `minConversions` (a short history) is `thin`: its conversion is not measurable on
 * this history. A stage whose conversion is not above that of the nearest non-empty stage below
 * it is `notRising` (p is non-decreasing, so this takes a short history or a flat model). Neither is hidden:
 * the caller reports both with the model.
 */
export function fitStageCuts(
  lifts: ArrayLike<number>,
  weights: ArrayLike<number>,
  labels: ArrayLike<number>,
  configured: StageLiftCuts,
  minConversions: number,
): { cuts: StageLiftCuts; stages: StageCheck[]; thin: BuyingStage[]; notRising: BuyingStage[] } {
  const order = Array.from({ length: lifts.length }, (_, i) => i)
    .filter((i) => (lifts[i] as number) >= configured[0])
    .sort((a, b) => (lifts[a] as number) - (lifts[b] as number));
  let inMarket = 0;
  for (const i of order) inMarket += (weights[i] as number) * (labels[i] as number);
  const wanted = Math.min(minConversions, inMarket / 4);
  const cuts: number[] = [configured[0]];
  let k = 0;
  for (let stage = 1; stage < configured.length; stage++) {
    const from = cuts[stage - 1] as number;
    while (k < order.length && (lifts[order[k] as number] as number) < from) k++;
    // Collect the stage's conversions up to the configured cut, then on until there are enough.
    let conversions = 0;
    let cut = Math.max(configured[stage] as number, from);
    while (k < order.length) {
      const lift = lifts[order[k] as number] as number;
      if (lift >= cut && conversions >= wanted) break;
      // Equal lifts stay together: the cut goes above all of them.
      conversions += (weights[order[k] as number] as number) * (labels[order[k] as number] as number);
      if (lift >= cut) cut = nextAbove(lifts, order, k);
      k++;
    }
    cuts.push(cut);
  }
  const used = cuts as unknown as StageLiftCuts;
  const stages = BUYING_STAGES.map((stage, s) => ({
    stage,
    fromLift: s === 0 ? 0 : (used[s - 1] as number),
    examples: 0,
    conversions: 0,
    conversionRate: NaN,
  }));
  for (let i = 0; i < lifts.length; i++) {
    const check = stages[stageRank(stageOfLift(lifts[i] as number, used))] as StageCheck;
    check.examples += weights[i] as number;
    check.conversions += (weights[i] as number) * (labels[i] as number);
  }
  for (const check of stages)
    check.conversionRate = check.examples > 0 ? check.conversions / check.examples : NaN;
  const thin = stages
    .filter((c) => c.stage !== 'Target' && c.conversions < minConversions)
    .map((c) => c.stage);
  // Each non-empty stage against the nearest non-empty stage below it (an empty stage is thin).
  const notRising: BuyingStage[] = [];
  let below: StageCheck | null = null;
  for (const check of stages) {
    if (check.examples === 0) continue;
    if (below !== null && !(check.conversionRate > below.conversionRate)) notRising.push(check.stage);
    below = check;
  }
  return { cuts: used, stages, thin, notRising };
}

/** The cut just above the lift of order[k]: half-way to the next larger lift, or just above it. */
function nextAbove(lifts: ArrayLike<number>, order: readonly number[], k: number): number {
  const lift = lifts[order[k] as number] as number;
  for (let j = k + 1; j < order.length; j++) {
    const next = lifts[order[j] as number] as number;
    if (next > lift) return (lift + next) / 2;
  }
  return lift * (1 + 1e-9) + 1e-12;
}

export function stageRank(stage: BuyingStage): number {
  return BUYING_STAGES.indexOf(stage);
}
