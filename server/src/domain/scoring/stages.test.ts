import fc from 'fast-check';
import { BUYING_STAGES, DEFAULT_STAGE_LIFT_CUTS, intentScoreOfLift, stageOfLift, stageRank } from './stages';

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
