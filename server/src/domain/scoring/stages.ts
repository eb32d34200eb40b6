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
 * be nearly empty, and where many accounts are in market the lifts are compressed and may never
 * reach the top cut; and a probability that is calibrated on average can still put three stages
 * among the few top lifts where nearly every account converts. `fitStageCuts` therefore checks
 * the cuts on the out-of-fold training history: it keeps the configured cuts when each stage
 * converts clearly above the one below, and otherwise places the cuts where the stages'
 * conversions are furthest apart (see there); the cuts used, the rule that placed each, what
 * each stage held and any stage that is still too thin or does not convert above the one below
 * are reported with the model.
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
 * Which rule placed a cut (fitStageCuts): the configured lift; the lift that best separates the
 * stages' conversion; or, where there are too few distinct lifts to separate, a lift raised so
 * that the stage below holds enough conversions to measure, or the top-share anchor that keeps
 * the stages above populated.
 */
export const STAGE_CUT_RULES = ['configured', 'separation', 'conversions', 'top share'] as const;
export type StageCutRule = (typeof STAGE_CUT_RULES)[number];

/**
 * How far apart two adjacent stages' out-of-fold conversion must be for the configured cuts to
 * be kept: in standard errors of the difference (stageSeparation).
 */
export const MIN_CONFIGURED_SEPARATION = 3;
/** The candidate lower bounds the separation search tries: at most this many, by weight quantile. */
export const SEPARATION_GROUPS = 100;
/** The most of the training weight above Target that Purchase may hold under the separation rule. */
export const MAX_PURCHASE_SHARE = 0.5;

/**
 * The stage cuts to use, from the configured ones c⁰ and out-of-fold training examples
 * (calibrated lift L_i, weight w_i, label y_i). Target stays L < c₀ = c⁰₀; the rule places
 * c₁ < c₂ < c₃, the lower bounds of Consideration, Decision and Purchase.
 *
 * For a stage s holding weight W_s and weighted conversions C_s (rate r_s = C_s / W_s), the
 * separation of s from the stage below it is the difference in rate over its standard error,
 *
 *   z_s = (r_s − r_{s−1}) / √( r_s (1 − r_s) / W_s + r_{s−1} (1 − r_{s−1}) / W_{s−1} ),
 *
 * and the separation of a set of cuts is Z = min over s = 1…4 of z_s (−∞ when a stage is empty;
 * the search leaves out z₁ when no example is below c₀).
 *
 *   1. `configured`: the configured cuts, when Z ≥ MIN_CONFIGURED_SEPARATION (3): every stage
 *      converts clearly above the one below in training.
 *   2. `separation`: otherwise the cuts, among candidate lower bounds, with the largest Z, with
 *      Purchase holding at most MAX_PURCHASE_SHARE of the weight at L ≥ c₀ (ties: the lowest
 *      cuts). The candidates are the distinct lifts of E = {i : L_i ≥ c₀} that start a group:
 *      with W the weight of E and B(v) the weight of E below v, the distinct lifts v are grouped
 *      by ⌊SEPARATION_GROUPS · B(v) / W⌋ (equal lifts stay together), and each group's lowest lift
 *      is a candidate. Every stage then holds at least one group.
 *   3. When E has fewer than four groups (too few distinct lifts to separate five stages), the
 *      anchored rule (anchoredCuts).
 *
 * Why: a sales team reads the stages as a ladder, and a stage that converts no better than the
 * one below it says nothing. Cuts at fixed lifts, raised until each stage held enough
 * conversions, put Consideration, Decision and Purchase all in the few top lifts where nearly
 * every account converts: on the development markets (scripts/bench/RESULTS.md) conversion rose
 * strictly on 12 of 18 scoring days with them and on 17 of 18 with the separation rule, which
 * spreads the stages over the probabilities where conversion still climbs.
 *
 * Each stage's out-of-fold conversion is measured with the cuts used. A stage that holds fewer
 * than `minConversions` is `thin`: its conversion is barely measurable on this history. A stage
 * whose conversion is not above that of the nearest non-empty stage below it is `notRising`.
 * Neither is hidden: the caller reports both with the model.
 */
export function fitStageCuts(
  lifts: ArrayLike<number>,
  weights: ArrayLike<number>,
  labels: ArrayLike<number>,
  configured: StageLiftCuts,
  minConversions: number,
): {
  cuts: StageLiftCuts;
  rules: StageCutRule[];
  stages: StageCheck[];
  thin: BuyingStage[];
  notRising: BuyingStage[];
} {
  const withConfigured = checkStages(lifts, weights, labels, configured);
  const keepConfigured = stageSeparation(withConfigured) >= MIN_CONFIGURED_SEPARATION;
  const placed = keepConfigured
    ? { cuts: configured, rules: STAGE_RULES_CONFIGURED }
    : (separatedCuts(lifts, weights, labels, configured[0]) ??
      anchoredCuts(lifts, weights, labels, configured, minConversions));
  const stages = keepConfigured ? withConfigured : checkStages(lifts, weights, labels, placed.cuts);
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
  return { cuts: placed.cuts, rules: [...placed.rules], stages, thin, notRising };
}

const STAGE_RULES_CONFIGURED: readonly StageCutRule[] = [
  'configured',
  'configured',
  'configured',
  'configured',
];

/** What each stage holds with the given cuts (weights, weighted conversions, rate). */
export function checkStages(
  lifts: ArrayLike<number>,
  weights: ArrayLike<number>,
  labels: ArrayLike<number>,
  cuts: StageLiftCuts,
): StageCheck[] {
  const stages = BUYING_STAGES.map((stage, s) => ({
    stage,
    fromLift: s === 0 ? 0 : (cuts[s - 1] as number),
    examples: 0,
    conversions: 0,
    conversionRate: NaN,
  }));
  for (let i = 0; i < lifts.length; i++) {
    const check = stages[stageRank(stageOfLift(lifts[i] as number, cuts))] as StageCheck;
    check.examples += weights[i] as number;
    check.conversions += (weights[i] as number) * (labels[i] as number);
  }
  for (const check of stages)
    check.conversionRate = check.examples > 0 ? check.conversions / check.examples : NaN;
  return stages;
}

/**
 * z: how many standard errors the conversion of (conversions, weight) `upper` lies above that of
 * `lower` (−∞ when either is empty; a difference with no variance at all counts as 1e6 errors).
 */
export function separation(lower: { conversions: number; examples: number }, upper: typeof lower): number {
  if (!(lower.examples > 0 && upper.examples > 0)) return -Infinity;
  const low = lower.conversions / lower.examples;
  const high = upper.conversions / upper.examples;
  const variance = (low * (1 - low)) / lower.examples + (high * (1 - high)) / upper.examples;
  return variance > 0 ? (high - low) / Math.sqrt(variance) : Math.sign(high - low) * 1e6;
}

/** Z: the smallest separation of a stage from the one below it. */
export function stageSeparation(stages: readonly StageCheck[]): number {
  let smallest = Infinity;
  for (let s = 1; s < stages.length; s++)
    smallest = Math.min(smallest, separation(stages[s - 1] as StageCheck, stages[s] as StageCheck));
  return smallest;
}

/**
 * The separation rule (fitStageCuts, rule 2): the candidate cuts c₁ < c₂ < c₃ with the largest
 * smallest separation; null when E has fewer than four candidate groups.
 */
function separatedCuts(
  lifts: ArrayLike<number>,
  weights: ArrayLike<number>,
  labels: ArrayLike<number>,
  first: number,
): { cuts: StageLiftCuts; rules: readonly StageCutRule[] } | null {
  const order = Array.from({ length: lifts.length }, (_, i) => i)
    .filter((i) => (lifts[i] as number) >= first)
    .sort((a, b) => (lifts[a] as number) - (lifts[b] as number));
  const target = { examples: 0, conversions: 0 };
  let total = 0;
  for (let i = 0; i < lifts.length; i++) {
    const w = weights[i] as number;
    if ((lifts[i] as number) >= first) total += w;
    else {
      target.examples += w;
      target.conversions += w * (labels[i] as number);
    }
  }
  // Candidate groups: the lowest lift of each, and cumulative weight and conversions before it.
  const starts: number[] = [];
  const weightBefore: number[] = [];
  const conversionsBefore: number[] = [];
  let weight = 0;
  let conversions = 0;
  let group = -1;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    const lift = lifts[i] as number;
    const distinct = k === 0 || lift !== lifts[order[k - 1] as number];
    const index = Math.floor((SEPARATION_GROUPS * weight) / total);
    if (distinct && index !== group) {
      group = index;
      starts.push(lift);
      weightBefore.push(weight);
      conversionsBefore.push(conversions);
    }
    weight += weights[i] as number;
    conversions += (weights[i] as number) * (labels[i] as number);
  }
  const n = starts.length;
  if (n < 4) return null;
  weightBefore.push(weight);
  conversionsBefore.push(conversions);
  const span = (from: number, to: number) => ({
    examples: (weightBefore[to] as number) - (weightBefore[from] as number),
    conversions: (conversionsBefore[to] as number) - (conversionsBefore[from] as number),
  });
  let best = -Infinity;
  let cuts: StageLiftCuts | null = null;
  for (let a = 1; a < n - 2; a++) {
    const awareness = span(0, a);
    // Without examples below c₀ there is no Target to rise above.
    const toAwareness = target.examples > 0 ? separation(target, awareness) : Infinity;
    if (toAwareness <= best) continue;
    for (let b = a + 1; b < n - 1; b++) {
      const consideration = span(a, b);
      const lower = Math.min(toAwareness, separation(awareness, consideration));
      if (lower <= best) continue;
      for (let c = b + 1; c < n; c++) {
        const purchase = span(c, n);
        if (purchase.examples > MAX_PURCHASE_SHARE * total) continue;
        const decision = span(b, c);
        const z = Math.min(lower, separation(consideration, decision), separation(decision, purchase));
        if (z > best) {
          best = z;
          cuts = [first, starts[a] as number, starts[b] as number, starts[c] as number];
        }
      }
    }
  }
  return cuts === null ? null : { cuts, rules: ['configured', 'separation', 'separation', 'separation'] };
}

/**
 * The least share of the training weight above Target (L ≥ c₀) that Consideration and up,
 * Decision and up, and Purchase hold under the anchored rule: ρ₁ = 30 %, ρ₂ = 15 %, ρ₃ = 5 %. A
 * cut is never placed above its anchor, so Purchase is always at least the top 5 % of the
 * accounts above Target (and at most what the rules below leave it).
 */
export const STAGE_TOP_SHARES = [0.3, 0.15, 0.05] as const;

/**
 * The anchored rule, for training histories with too few distinct lifts to separate five stages
 * (fitStageCuts, rule 3). Let E be the examples at L ≥ c₀, W their weight and C their weighted
 * conversions, and
 *
 *   m   = min(`minConversions`, C / 4)
 *   Q_s = min( max { v = L_i, i ∈ E : Σ_{j ∈ E, L_j ≥ v} w_j ≥ ρ_s · W },  D_{4−s} )
 *
 * m is the conversions a stage needs to be measured (a short history shares what it has among
 * the four stages rather than filling the lowest ones); Q_s is the top-share anchor, D_r the
 * r-th largest distinct lift in E (the 4 − s stages from s up need as many). For s = 1, 2, 3, from the bottom, the lower cut c_s of the stage above
 * [c_{s−1}, c_s) is
 *
 *   1. `configured`: max(c⁰_s, c_{s−1});
 *   2. `conversions`: raised, while [c_{s−1}, c_s) holds fewer than m conversions, to the
 *      lowest lift at which it holds m (equal lifts stay together: the cut goes half-way to the
 *      next larger lift); it takes the least convincing accounts of the stage above;
 *   3. `top share`: lowered to max(Q_s, c_{s−1}) when above Q_s, so that the stages from s up keep at least the
 *      share ρ_s of E — the top stages are never emptied by a configured cut above every lift
 *      (a market where many accounts are in market compresses the lifts) nor by the raising of
 *      the stages below; and raised, if it would leave [c_{s−1}, c_s) empty, to the second
 *      distinct lift at or above c_{s−1} (the stage below keeps its lowest lift).
 *
 * Purchase takes what is left above c₃. Every stage holds examples whenever E holds at least
 * four distinct lifts: by induction c_{s−1} ≤ D_{5−s}, so the second distinct lift from c_{s−1}
 * is at most D_{4−s}, and each stage [c_{s−1}, c_s) keeps the lowest lift at or above c_{s−1},
 * Purchase D₁.
 */
export function anchoredCuts(
  lifts: ArrayLike<number>,
  weights: ArrayLike<number>,
  labels: ArrayLike<number>,
  configured: StageLiftCuts,
  minConversions: number,
): { cuts: StageLiftCuts; rules: readonly StageCutRule[] } {
  const order = Array.from({ length: lifts.length }, (_, i) => i)
    .filter((i) => (lifts[i] as number) >= configured[0])
    .sort((a, b) => (lifts[a] as number) - (lifts[b] as number));
  const liftAt = (k: number) => lifts[order[k] as number] as number;
  const conversionAt = (k: number) =>
    (weights[order[k] as number] as number) * (labels[order[k] as number] as number);
  let inMarket = 0;
  let aboveTarget = 0;
  for (const i of order) {
    inMarket += (weights[i] as number) * (labels[i] as number);
    aboveTarget += weights[i] as number;
  }
  const wanted = Math.min(minConversions, inMarket / 4);
  const cuts: number[] = [configured[0]];
  const rules: StageCutRule[] = ['configured'];
  for (let stage = 1; stage < configured.length; stage++) {
    const from = cuts[stage - 1] as number;
    let k = 0;
    while (k < order.length && liftAt(k) < from) k++;
    const lowest = k;
    // Collect the stage's conversions up to the configured cut, then on until there are enough.
    let conversions = 0;
    let cut = Math.max(configured[stage] as number, from);
    let rule: StageCutRule = 'configured';
    while (k < order.length) {
      const lift = liftAt(k);
      if (lift >= cut && conversions >= wanted) break;
      // Equal lifts stay together: the cut goes above all of them.
      conversions += conversionAt(k);
      if (lift >= cut) {
        cut = nextAbove(lifts, order, k);
        rule = 'conversions';
      }
      k++;
    }
    const anchor = Math.min(
      topShareLift(lifts, weights, order, STAGE_TOP_SHARES[stage - 1] as number, aboveTarget),
      distinctLiftFromTop(lifts, order, configured.length - stage),
    );
    if (cut > anchor) {
      cut = Math.max(anchor, from);
      rule = 'top share';
    }
    if (lowest < order.length && cut <= liftAt(lowest)) {
      cut = secondLiftFrom(lifts, order, lowest);
      rule = 'top share';
    }
    cuts.push(cut);
    rules.push(rule);
  }
  return { cuts: cuts as unknown as StageLiftCuts, rules };
}

/**
 * Q: the largest lift v of the ascending `order` whose examples at or above v weigh at least
 * `share` of `total` (+∞ when there are none: no anchor).
 */
function topShareLift(
  lifts: ArrayLike<number>,
  weights: ArrayLike<number>,
  order: readonly number[],
  share: number,
  total: number,
): number {
  // A relative tolerance, so that 0.15 · 100 (15.000000000000002) is met by a weight of 15.
  const needed = share * total * (1 - 1e-12);
  let above = 0;
  for (let k = order.length - 1; k >= 0; k--) {
    above += weights[order[k] as number] as number;
    if (above >= needed) return lifts[order[k] as number] as number;
  }
  return Infinity;
}

/** D_r: the r-th largest distinct lift of the ascending `order` (+∞ when it holds fewer). */
function distinctLiftFromTop(lifts: ArrayLike<number>, order: readonly number[], r: number): number {
  let seen = 0;
  let previous = NaN;
  for (let k = order.length - 1; k >= 0; k--) {
    const lift = lifts[order[k] as number] as number;
    if (lift !== previous) seen++;
    if (seen === r) return lift;
    previous = lift;
  }
  return Infinity;
}

/** The second distinct lift of `order` from position k on (just above the first when there is none). */
function secondLiftFrom(lifts: ArrayLike<number>, order: readonly number[], k: number): number {
  const first = lifts[order[k] as number] as number;
  for (let j = k + 1; j < order.length; j++) {
    const lift = lifts[order[j] as number] as number;
    if (lift > first) return lift;
  }
  return first * (1 + 1e-9) + 1e-12;
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
