import fc from 'fast-check';
import { BUYING_STAGES } from '../vocabulary';
import { DEFAULT_STAGE_LIFT_CUTS, fitStageCuts, intentScoreOfLift, stageOfLift, stageRank } from './stages';

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

describe('fitStageCuts', () => {
  it('keeps the configured cuts when every stage holds enough conversions', () => {
    // Two conversions in each stage above Target.
    const lifts = [0.5, 0.5, 1.5, 1.6, 2.5, 2.6, 5, 6, 9, 20];
    const labels = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const result = fitStageCuts(
      lifts,
      lifts.map(() => 1),
      labels,
      DEFAULT_STAGE_LIFT_CUTS,
      2,
    );
    expect(result.cuts).toEqual([1, 2, 4, 8]);
    expect(result.rules).toEqual(['configured', 'configured', 'configured', 'configured']);
    expect(
      result.stages.map((s) => [s.stage, s.fromLift, s.examples, s.conversions, s.conversionRate]),
    ).toEqual([
      ['Target', 0, 2, 1, 0.5],
      ['Awareness', 1, 2, 2, 1],
      ['Consideration', 2, 2, 2, 1],
      ['Decision', 4, 2, 2, 1],
      ['Purchase', 8, 2, 2, 1],
    ]);
    expect(result.thin).toEqual([]);
    expect(result.notRising).toEqual(['Consideration', 'Decision', 'Purchase']);
  });

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
    const result = fitStageCuts(
      examples.map((e) => e[0]),
      examples.map((e) => e[1]),
      examples.map((e) => e[2]),
      DEFAULT_STAGE_LIFT_CUTS,
      2,
    );
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
    expect(result.thin).toEqual(['Purchase']);
    expect(result.notRising).toEqual(['Consideration', 'Purchase']);
  });

  it('keeps every stage populated when the lifts never reach the configured cuts', () => {
    // Nothing above lift 2.4 (in-market accounts compress the lifts): the configured cuts 4 and 8
    // would leave Decision and Purchase empty. E = {1.2, 1.4, 2.2, 2.4}, W = 4, C = 3,
    // m = min(1, 3 / 4) = 0.75; distinct lifts from the top D₁ = 2.4, D₂ = 2.2, D₃ = 1.4.
    const lifts = [0.2, 0.2, 1.2, 1.4, 2.2, 2.4];
    const result = fitStageCuts(
      lifts,
      lifts.map(() => 1),
      [0, 0, 1, 0, 1, 1],
      DEFAULT_STAGE_LIFT_CUTS,
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
    expect(result.thin).toEqual(['Consideration']);
    expect(result.notRising).toEqual(['Consideration', 'Purchase']);
  });

  it('keeps Purchase at least the top 5 % of the examples above Target', () => {
    // 100 examples at lifts 1.00, 1.01, …, 1.99 (every tenth converts): no lift reaches 2.
    // Awareness: cut 2 (configured) is above Q₁ = 1.70 (1.70 and up: 30 of 100) → 1.70;
    // Consideration [1.70, 1.85), Decision [1.85, 1.95), Purchase 1.95 and up (5 examples).
    const lifts = Array.from({ length: 100 }, (_, i) => 1 + i / 100);
    const result = fitStageCuts(
      lifts,
      lifts.map(() => 1),
      lifts.map((_, i) => (i % 10 === 9 ? 1 : 0)),
      DEFAULT_STAGE_LIFT_CUTS,
      2,
    );
    expect(result.cuts).toEqual([1, 1.7, 1.85, 1.95]);
    expect(result.rules).toEqual(['configured', 'top share', 'top share', 'top share']);
    expect(result.stages.map((s) => s.examples)).toEqual([0, 70, 15, 10, 5]);
    expect(result.stages.map((s) => s.conversions)).toEqual([0, 7, 1, 1, 1]);
  });

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

  it('property: cuts start at the configured first cut and rise, the stages hold every example, and four distinct lifts above Target fill all five', () => {
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
        const { cuts, stages } = fitStageCuts(lifts, weights, labels, DEFAULT_STAGE_LIFT_CUTS, min);
        const total = weights.reduce((a, b) => a + b, 0);
        const converted = weights.reduce((a, w, i) => a + w * (labels[i] as number), 0);
        return (
          cuts[0] === 1 &&
          cuts.every((cut, s) => s === 0 || cut >= (cuts[s - 1] as number)) &&
          (new Set(lifts.filter((l) => l >= 1)).size < 4 ||
            stages.every((s) => s.stage === 'Target' || s.examples > 0)) &&
          stages.reduce((a, s) => a + s.examples, 0) === total &&
          stages.reduce((a, s) => a + s.conversions, 0) === converted &&
          lifts.every((l) => stageOfLift(l, cuts) === 'Target' || l >= 1)
        );
      }),
      { numRuns: 300 },
    );
  });
});
