import fc from 'fast-check';
import { CONTACT_AGAINST, PROFILE_AGAINST } from './fitLogits';
import { binaryScorer, MIN_FIT_POSITIVES, scoreBinary, trainFitModel } from './fitModel';
import { fitLogistic } from './logistic';
import { trainingSet } from './matrix';
import { chosenContributions, chosenLogit, type ChosenModel } from './modelSelection';
import { fitNaiveBayes } from './naiveBayes';
import { uniformOf } from './sampling';

/** Example i has feature j on when bit j of (i · 37 mod 64) is set; positives favour features 0 and 2. */
const COLUMNS = 6;
const featuresOf = (i: number) => [0, 1, 2, 3, 4, 5].filter((j) => ((i * 37) % 64) & (1 << j));
const labelOf = (i: number) => {
  const on = featuresOf(i);
  const score = (on.includes(0) ? 1.5 : 0) + (on.includes(2) ? 1 : 0) - (on.includes(5) ? 1 : 0);
  return uniformOf(i, 99) < 1 / (1 + Math.exp(-(score - 2)));
};

describe('trainFitModel', () => {
  it('falls back, and says why, with fewer than 20 positives', () => {
    const { chosen, summary } = trainFitModel(
      COLUMNS,
      500,
      (i) => i < 19,
      featuresOf,
      'accounts with a relevant opportunity',
    );
    expect(chosen).toBeNull();
    expect(summary).toMatchObject({ method: null, validationAuc: null, examples: 500, positives: 19 });
    // The reason names what is counted, the count and the minimum.
    expect(summary.fallback).toMatch(/^too little history: .*\b19\b.*, at least 20 needed$/);
    expect(summary.fallback).toContain('accounts with a relevant opportunity');
    expect(MIN_FIT_POSITIVES).toBe(20);
  });

  it('fits a model from 20 positives on', () => {
    const { chosen, summary } = trainFitModel(COLUMNS, 500, (i) => i % 25 === 0, featuresOf, 'people');
    expect(summary.positives).toBe(20);
    expect(summary.examples).toBe(500);
    expect(summary.fallback).toBeNull();
    expect(chosen).not.toBeNull();
    expect(summary.method).toBe(chosen?.kind);
    expect(summary.validationAuc).toBe(chosen?.validationAuc);
  });

  it('learns which features go with the label', () => {
    const { chosen } = trainFitModel(COLUMNS, 3000, labelOf, featuresOf, 'accounts');
    const scorer = binaryScorer(chosen as ChosenModel, COLUMNS);
    expect(scorer.delta[0]).toBeGreaterThan(0.5);
    expect(scorer.delta[2]).toBeGreaterThan(0.3);
    expect(scorer.delta[5]).toBeLessThan(-0.3);
  });

  it('is deterministic', () => {
    const a = trainFitModel(COLUMNS, 800, labelOf, featuresOf, 'accounts');
    const b = trainFitModel(COLUMNS, 800, labelOf, featuresOf, 'accounts');
    expect(a).toEqual(b);
  });
});

describe('binaryScorer and scoreBinary', () => {
  // One model of each kind, fitted on the same 0/1 data, with a calibration of our choosing.
  const set = trainingSet(600, COLUMNS);
  for (let i = 0; i < set.rows; i++) {
    for (const j of featuresOf(i)) set.x[i * COLUMNS + j] = 1;
    set.y[i] = labelOf(i) ? 1 : 0;
  }
  const validationAuc = { logistic: NaN, naive_bayes: NaN };
  const models: ChosenModel[] = [
    { kind: 'logistic', model: fitLogistic(set), slope: 0.8, offset: -0.3, validationAuc },
    { kind: 'naive_bayes', model: fitNaiveBayes(set), slope: 0.6, offset: 0.2, validationAuc },
  ];
  const texts = ['zero', 'one', 'two', 'three', 'four', 'five'];

  it.each(models.map((m) => [m.kind, m] as const))(
    '%s: base + Σ delta over the features on is the calibrated log-odds of the 0/1 vector',
    (_, chosen) => {
      const scorer = binaryScorer(chosen, COLUMNS);
      fc.assert(
        fc.property(fc.subarray([0, 1, 2, 3, 4, 5]), (active) => {
          const x = new Float64Array(COLUMNS);
          for (const j of active) x[j] = 1;
          const { logit, reasons } = scoreBinary(scorer, active, texts, 'less common');
          expect(logit).toBeCloseTo(chosenLogit(chosen, x), 10);
          // The reasons are the features that are on, by the size of their calibrated contribution.
          const on = chosenContributions(
            chosen,
            Float64Array.from({ length: COLUMNS }, () => 1),
          );
          const expected = active
            .filter((j) => Math.abs(on[j]!) >= 0.01)
            .sort((a, b) => Math.abs(on[b]!) - Math.abs(on[a]!) || active.indexOf(a) - active.indexOf(b))
            .slice(0, 5)
            .map((j) => ({
              text: on[j]! < 0 ? `${texts[j]} — less common` : texts[j],
              weight: Math.round(on[j]! * 100) / 100,
            }));
          expect(reasons).toEqual(expected);
        }),
        { numRuns: 64 },
      );
    },
  );

  it('gives nobody a reason for a feature that is off', () => {
    const scorer = binaryScorer(models[0]!, COLUMNS);
    const { logit, reasons } = scoreBinary(scorer, [], texts, 'less common');
    expect(reasons).toEqual([]);
    expect(logit).toBe(scorer.base);
  });

  it('words a reason by its arrow: the attribute when it raises the score, and why when it lowers it', () => {
    // A scorer of our choosing: feature 0 raises the log-odds by 0.7, feature 1 lowers it by 0.4.
    const scorer = { base: -1, delta: Float64Array.from([0.7, -0.4]), on: Float64Array.from([0.7, -0.4]) };
    const { reasons } = scoreBinary(
      scorer,
      [0, 1],
      ['Industry: Software', 'Industry: Retail'],
      PROFILE_AGAINST,
    );
    expect(reasons).toEqual([
      { text: 'Industry: Software', weight: 0.7 },
      { text: 'Industry: Retail — less common among accounts that bought', weight: -0.4 },
    ]);
    const person = scoreBinary(scorer, [0, 1], ['Job level: VP', 'Job function: Finance'], CONTACT_AGAINST);
    expect(person.reasons.map((r) => r.text)).toEqual([
      'Job level: VP',
      'Job function: Finance — less common among people engaged before their account bought',
    ]);
  });
});
