import fc from 'fast-check';
import { BUYING_STAGES } from '../vocabulary';
import {
  anchoredCuts,
  checkStages,
  DEFAULT_STAGE_LIFT_CUTS,
  fitStageCuts,
  intentScoreOfLift,
  MAX_PURCHASE_SHARE,
  MIN_CONFIGURED_SEPARATION,
  separation,
  stageOfLift,
  stageRank,
  stageSeparation,
} from './stages';

describe('intentScoreOfLift: round(100 · L / (L + 4))', () => {
  it.each([
    [0, 0],
    [-2, 0],
    [0.5, 11], // 50 / 4.5 = 11.1
    [1, 20], // an average account
    [2, 33], // 200 / 6 = 33.3
    [3, 43], // 300 / 7 = 42.9
    [4, 50], // four times the base rate
    [8, 67], // 800 / 12 = 66.7
    [20, 83], // 2000 / 24 = 83.3
    [396, 99], // 39600 / 400 = 99
    [1e9, 100],
  ])('L = %d → %d', (lift, score) => {
    expect(intentScoreOfLift(lift)).toBe(score);
  });

  it('stays at 100 for unbounded lifts', () => {
    expect(intentScoreOfLift(Number.MAX_VALUE)).toBe(100);
    expect(intentScoreOfLift(Infinity)).toBe(100);
  });

  it('starts each stage at a fixed score with the default cuts', () => {
    expect(DEFAULT_STAGE_LIFT_CUTS.map(intentScoreOfLift)).toEqual([20, 33, 50, 67]);
  });
});

describe('stageOfLift', () => {
  it.each([
    [0, 'Target'],
    [0.999, 'Target'],
    [1, 'Awareness'],
    [1.999, 'Awareness'],
    [2, 'Consideration'],
    [3.999, 'Consideration'],
    [4, 'Decision'],
    [7.999, 'Decision'],
    [8, 'Purchase'],
    [1000, 'Purchase'],
    [Infinity, 'Purchase'],
  ])('default cuts 1/2/4/8: L = %d → %s', (lift, stage) => {
    expect(stageOfLift(lift)).toBe(stage);
  });

  it('uses configured cuts', () => {
    const cuts = [1.5, 3, 6, 12] as const;
    expect(stageOfLift(1.4, cuts)).toBe('Target');
    expect(stageOfLift(1.5, cuts)).toBe('Awareness');
    expect(stageOfLift(5.9, cuts)).toBe('Consideration');
    expect(stageOfLift(6, cuts)).toBe('Decision');
    expect(stageOfLift(12, cuts)).toBe('Purchase');
  });

  it('ranks the stages Target < Awareness < Consideration < Decision < Purchase', () => {
    expect(BUYING_STAGES.map(stageRank)).toEqual([0, 1, 2, 3, 4]);
    expect(stageRank('Decision')).toBe(3);
  });
});

describe('invariants', () => {
  const lift = fc.oneof(
    fc.double({ min: 0, max: 50, noNaN: true }),
    fc.double({ min: 0, noNaN: true }), // up to +∞
    fc.constantFrom(...DEFAULT_STAGE_LIFT_CUTS, 3.92, 3.9208),
  );

  it('the intent score is an integer in 0–100 for any lift', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (l) => {
        const score = intentScoreOfLift(l);
        return Number.isInteger(score) && score >= 0 && score <= 100;
      }),
    );
  });

  it('for lifts a ≤ b: stage and score of a are never above those of b', () => {
    fc.assert(
      fc.property(lift, lift, (x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        return (
          stageRank(stageOfLift(a)) <= stageRank(stageOfLift(b)) &&
          intentScoreOfLift(a) <= intentScoreOfLift(b)
        );
      }),
    );
  });

  it('stage is monotone in lift for any increasing cuts', () => {
    const cuts = fc
      .uniqueArray(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 4, maxLength: 4 })
      .map((xs) => [...xs].sort((a, b) => a - b) as unknown as readonly [number, number, number, number]);
    fc.assert(
      fc.property(cuts, lift, lift, (c, x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        return stageRank(stageOfLift(a, c)) <= stageRank(stageOfLift(b, c));
      }),
    );
  });

  it('a higher score never comes with a lower stage', () => {
    fc.assert(
      fc.property(lift, lift, (a, b) => {
        if (intentScoreOfLift(a) < intentScoreOfLift(b))
          return stageRank(stageOfLift(a)) <= stageRank(stageOfLift(b));
        return true;
      }),
    );
  });

  it('Decision and Purchase scores are at least 50, Target scores below 20', () => {
    fc.assert(
      fc.property(lift, (l) => {
        const stage = stageOfLift(l);
        const score = intentScoreOfLift(l);
        if (stage === 'Decision' || stage === 'Purchase') return score >= 50;
        if (stage === 'Target') return score < 20;
        return true;
      }),
    );
  });
});

/** Examples as (lift, weight, label) triples, split into the three arrays fitStageCuts reads. */
function columns(examples: ReadonlyArray<readonly [number, number, number]>) {
  return {
    lifts: examples.map((e) => e[0]),
    weights: examples.map((e) => e[1]),
    labels: examples.map((e) => e[2]),
  };
}

/** What each stage holds with cuts placed by the anchored rule. */
function anchored(examples: ReadonlyArray<readonly [number, number, number]>, minConversions: number) {
  const { lifts, weights, labels } = columns(examples);
  const placed = anchoredCuts(lifts, weights, labels, DEFAULT_STAGE_LIFT_CUTS, minConversions);
  return { ...placed, stages: checkStages(lifts, weights, labels, placed.cuts) };
}

describe('separation: z = (r_upper − r_lower) / √(r_u(1 − r_u)/W_u + r_l(1 − r_l)/W_l)', () => {
  it('1 of 100 against 10 of 100: 0.09 / √(0.0099/100 + 0.09/100) = 2.8475', () => {
    expect(separation({ conversions: 1, examples: 100 }, { conversions: 10, examples: 100 })).toBeCloseTo(
      2.847474,
      6,
    );
  });

  it('is negative when the upper stage converts less, −∞ when a stage is empty', () => {
    expect(separation({ conversions: 10, examples: 100 }, { conversions: 1, examples: 100 })).toBeCloseTo(
      -2.847474,
      6,
    );
    expect(separation({ conversions: 0, examples: 0 }, { conversions: 1, examples: 10 })).toBe(-Infinity);
    expect(separation({ conversions: 1, examples: 10 }, { conversions: 0, examples: 0 })).toBe(-Infinity);
  });

  it('counts a difference without variance (none against all) as 1e6 errors, no difference as 0', () => {
    expect(separation({ conversions: 0, examples: 10 }, { conversions: 10, examples: 10 })).toBe(1e6);
    expect(separation({ conversions: 10, examples: 10 }, { conversions: 10, examples: 10 })).toBe(0);
  });
});

describe('fitStageCuts', () => {
  it('keeps the configured cuts when every stage converts at least 3 standard errors above the one below', () => {
    // Target 10 of 1,000, Awareness 20 of 200, Consideration 20 of 50, Decision 35 of 50,
    // Purchase 38 of 40: z = 4.197, 4.140, 3.162, 3.406 — the smallest, 3.162, is at least 3.
    const { lifts, weights, labels } = columns([
      [0.5, 990, 0],
      [0.5, 10, 1],
      [1.5, 180, 0],
      [1.5, 20, 1],
      [3, 30, 0],
      [3, 20, 1],
      [5, 15, 0],
      [5, 35, 1],
      [9, 2, 0],
      [9, 38, 1],
    ]);
    const result = fitStageCuts(lifts, weights, labels, DEFAULT_STAGE_LIFT_CUTS, 10);
    expect(result.cuts).toEqual([1, 2, 4, 8]);
    expect(result.rules).toEqual(['configured', 'configured', 'configured', 'configured']);
    expect(stageSeparation(result.stages)).toBeCloseTo(3.162278, 6);
    expect(result.stages.map((s) => [s.stage, s.examples, s.conversions])).toEqual([
      ['Target', 1000, 10],
      ['Awareness', 200, 20],
      ['Consideration', 50, 20],
      ['Decision', 50, 35],
      ['Purchase', 40, 38],
    ]);
    expect(result.thin).toEqual([]);
    expect(result.notRising).toEqual([]);
  });

  it('otherwise places the cuts where the smallest separation is largest', () => {
    // Above Target (1 of 100): lift 1 converts 2 of 20, 3 and 5 each 5 of 10, 10 and 20 each 9 of
    // 10. The configured cuts put 3 and 5 in two stages that convert alike (z = 0). Of the cuts
    // among the lifts (W = 60; Purchase at most 30), [1, 3, 5, 20] — Awareness {1}, Consideration
    // {3}, Decision {5, 10} (14 of 20), Purchase {20} — has the largest smallest separation,
    // min(1.327, 2.329, 1.061, 1.432) = 1.061; every other choice puts two stages at 50 % or 90 %.
    const { lifts, weights, labels } = columns([
      [0.5, 99, 0],
      [0.5, 1, 1],
      [1, 18, 0],
      [1, 2, 1],
      [3, 5, 0],
      [3, 5, 1],
      [5, 5, 0],
      [5, 5, 1],
      [10, 1, 0],
      [10, 9, 1],
      [20, 1, 0],
      [20, 9, 1],
    ]);
    const result = fitStageCuts(lifts, weights, labels, DEFAULT_STAGE_LIFT_CUTS, 5);
    expect(result.cuts).toEqual([1, 3, 5, 20]);
    expect(result.rules).toEqual(['configured', 'separation', 'separation', 'separation']);
    expect(stageSeparation(result.stages)).toBeCloseTo(1.06149, 5);
    expect(result.stages.map((s) => [s.stage, s.fromLift, s.examples, s.conversions])).toEqual([
      ['Target', 0, 100, 1],
      ['Awareness', 1, 20, 2],
      ['Consideration', 3, 10, 5],
      ['Decision', 5, 20, 14],
      ['Purchase', 20, 10, 9],
    ]);
    expect(result.thin).toEqual(['Awareness']);
    expect(result.notRising).toEqual([]);
  });

  it('falls back to the anchored rule when the lifts above Target are too few to separate five stages', () => {
    // Three distinct lifts above Target: no four stages to place.
    const { lifts, weights, labels } = columns([
      [0.2, 5, 0],
      [1.2, 1, 1],
      [2.2, 1, 0],
      [5, 1, 1],
    ]);
    const result = fitStageCuts(lifts, weights, labels, DEFAULT_STAGE_LIFT_CUTS, 1);
    expect(result.rules).not.toContain('separation');
    expect(result.cuts).toEqual(anchoredCuts(lifts, weights, labels, DEFAULT_STAGE_LIFT_CUTS, 1).cuts);
  });
});

describe('anchoredCuts (too few distinct lifts to separate)', () => {
  it('raises the upper cut of a stage with too few conversions, keeping equal lifts together', () => {
    // (lift, weight, label); 7 weighted conversions at L ≥ 1, so m = min(2, 7 / 4) = 1.75.
    const examples: Array<[number, number, number]> = [
      [0.5, 10, 0],
      [0.5, 1, 1],
      [1.5, 1, 1], // Awareness [1, 2) holds 1: it takes 2.5 and 3 → cut (3 + 3.5) / 2 = 3.25
      [2.5, 1, 0],
      [3, 1, 1],
      [3.5, 1, 0], // Consideration from 3.25: 3.5 and both 5s → cut (5 + 9) / 2 = 7
      [5, 1, 1],
      [5, 1, 1],
      [9, 2, 1], // Decision from 7: 9 (weight 2) → cut (9 + 10) / 2 = 9.5
      [10, 1, 0],
      [12, 1, 1], // Purchase keeps 10 and 12: 1 conversion, thin
    ];
    const result = anchored(examples, 2);
    // Anchors (W = 10): Q₁ = min(9, D₃ = 9) (9 and up weigh 4 ≥ 3), Q₂ = 10, Q₃ = 12: none binds.
    expect(result.cuts).toEqual([1, 3.25, 7, 9.5]);
    expect(result.rules).toEqual(['configured', 'conversions', 'conversions', 'conversions']);
    expect(
      result.stages.map((s) => [s.stage, s.fromLift, s.examples, s.conversions, s.conversionRate]),
    ).toEqual([
      ['Target', 0, 11, 1, 1 / 11],
      ['Awareness', 1, 3, 2, 2 / 3],
      ['Consideration', 3.25, 3, 2, 2 / 3],
      ['Decision', 7, 2, 2, 1],
      ['Purchase', 9.5, 2, 1, 0.5],
    ]);
  });

  it('keeps every stage populated when the lifts never reach the configured cuts', () => {
    // Nothing above lift 2.4 (in-market accounts compress the lifts): the configured cuts 4 and 8
    // would leave Decision and Purchase empty. E = {1.2, 1.4, 2.2, 2.4}, W = 4, C = 3,
    // m = min(1, 3 / 4) = 0.75; distinct lifts from the top D₁ = 2.4, D₂ = 2.2, D₃ = 1.4.
    const labels = [0, 0, 1, 0, 1, 1];
    const result = anchored(
      [0.2, 0.2, 1.2, 1.4, 2.2, 2.4].map((lift, i) => [lift, 1, labels[i] as number] as const),
      1,
    );
    // Q₁ = min(2.2 (2.2 and up weigh 2 ≥ 0.3 · 4), D₃) = 1.4; Q₂ = min(2.4, D₂) = 2.2; Q₃ = 2.4.
    expect(result.cuts).toEqual([1, 1.4, 2.2, 2.4]);
    expect(result.rules).toEqual(['configured', 'top share', 'top share', 'top share']);
    expect(result.stages.map((s) => [s.examples, s.conversions])).toEqual([
      [2, 0],
      [1, 1],
      [1, 0],
      [1, 1],
      [1, 1],
    ]);
  });

  it('keeps Purchase at least the top 5 % of the examples above Target', () => {
    // 100 examples at lifts 1.00, 1.01, …, 1.99 (every tenth converts): no lift reaches 2.
    // Awareness: cut 2 (configured) is above Q₁ = 1.70 (1.70 and up: 30 of 100) → 1.70;
    // Consideration [1.70, 1.85), Decision [1.85, 1.95), Purchase 1.95 and up (5 examples).
    const result = anchored(
      Array.from({ length: 100 }, (_, i) => [1 + i / 100, 1, i % 10 === 9 ? 1 : 0] as const),
      2,
    );
    expect(result.cuts).toEqual([1, 1.7, 1.85, 1.95]);
    expect(result.rules).toEqual(['configured', 'top share', 'top share', 'top share']);
    expect(result.stages.map((s) => s.examples)).toEqual([0, 70, 15, 10, 5]);
    expect(result.stages.map((s) => s.conversions)).toEqual([0, 7, 1, 1, 1]);
  });
});

describe('fitStageCuts on any history', () => {
  it('reports empty stages as thin, not as falling', () => {
    // Two distinct lifts above Target: Awareness and Consideration take one each, the rest is empty.
    const lifts = [0.2, 0.2, 1.2, 1.2, 2.2, 2.2];
    const result = fitStageCuts(
      lifts,
      lifts.map(() => 1),
      [0, 0, 1, 0, 1, 1],
      DEFAULT_STAGE_LIFT_CUTS,
      1,
    );
    expect(result.stages.map((s) => s.examples)).toEqual([2, 2, 2, 0, 0]);
    expect(result.thin).toEqual(['Decision', 'Purchase']);
    expect(result.notRising).toEqual([]);
  });

  it('property: cuts start at the configured first cut and rise, the stages hold every example, four distinct lifts above Target fill all five; configured cuts kept whenever separated, separated cuts fill every stage and keep Purchase to half the weight above Target', () => {
    const example = fc.tuple(
      fc.oneof(fc.double({ min: 0, max: 30, noNaN: true }), fc.constantFrom(1, 2, 4, 8)),
      fc.integer({ min: 1, max: 5 }),
      fc.boolean(),
    );
    fc.assert(
      fc.property(fc.array(example, { maxLength: 80 }), fc.integer({ min: 0, max: 6 }), (examples, min) => {
        const lifts = examples.map((e) => e[0]);
        const weights = examples.map((e) => e[1]);
        const labels = examples.map((e) => (e[2] ? 1 : 0));
        const { cuts, rules, stages } = fitStageCuts(lifts, weights, labels, DEFAULT_STAGE_LIFT_CUTS, min);
        const total = weights.reduce((a, b) => a + b, 0);
        const aboveTarget = weights.reduce((a, w, i) => a + ((lifts[i] as number) >= 1 ? w : 0), 0);
        const converted = weights.reduce((a, w, i) => a + w * (labels[i] as number), 0);
        return (
          cuts[0] === 1 &&
          cuts.every((cut, s) => s === 0 || cut >= (cuts[s - 1] as number)) &&
          (new Set(lifts.filter((l) => l >= 1)).size < 4 ||
            stages.every((s) => s.stage === 'Target' || s.examples > 0)) &&
          stages.reduce((a, s) => a + s.examples, 0) === total &&
          stages.reduce((a, s) => a + s.conversions, 0) === converted &&
          lifts.every((l) => stageOfLift(l, cuts) === 'Target' || l >= 1) &&
          (stageSeparation(checkStages(lifts, weights, labels, DEFAULT_STAGE_LIFT_CUTS)) <
            MIN_CONFIGURED_SEPARATION ||
            cuts.every((cut, s) => cut === DEFAULT_STAGE_LIFT_CUTS[s])) &&
          (rules[1] !== 'separation' ||
            (stages.every((s) => s.examples > 0 || (s.stage === 'Target' && aboveTarget === total)) &&
              (stages[4]?.examples as number) <= MAX_PURCHASE_SHARE * aboveTarget))
        );
      }),
      { numRuns: 300 },
    );
  });
});
