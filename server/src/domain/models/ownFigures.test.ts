import type { FitTrainingSummary } from '../scoring/fitModel';
import type { IntentTrainingSummary } from '../scoring/intentModel';
import type { StageCheck } from '../scoring/stages';
import {
  aucWithInterval,
  fitOwnFigures,
  identificationRate,
  intentOwnFigures,
  stageFigures,
} from './ownFigures';

const stages: StageCheck[] = [
  { stage: 'Target', fromLift: 0, examples: 600, conversions: 6, conversionRate: 0.01 },
  { stage: 'Awareness', fromLift: 1, examples: 200, conversions: 4, conversionRate: 0.02 },
  { stage: 'Consideration', fromLift: 2, examples: 100, conversions: 5, conversionRate: 0.05 },
  { stage: 'Decision', fromLift: 4, examples: 60, conversions: 9, conversionRate: 0.15 },
  { stage: 'Purchase', fromLift: 8.5, examples: 40, conversions: 16, conversionRate: 0.4 },
];

const intentSummary: IntentTrainingSummary = {
  method: 'naive_bayes',
  validationAuc: { logistic: 0.78, naive_bayes: 0.8 },
  examples: 1000,
  positives: 40,
  baseRate: 0.04,
  fallback: null,
  stageCuts: [1, 2, 4, 8.5],
  stages,
  stageWarning: null,
};

describe('identificationRate', () => {
  it('is the share of the conversions that sat in Decision or Purchase', () => {
    // (9 + 16) / (6 + 4 + 5 + 9 + 16) = 25 / 40
    expect(identificationRate(stages)).toBe(0.625);
  });

  it('is null when nothing converted', () => {
    expect(identificationRate(stages.map((s) => ({ ...s, conversions: 0 })))).toBeNull();
  });
});

describe('stageFigures', () => {
  it('gives each stage its conversion and lift over the base rate; an empty stage has neither', () => {
    const figures = stageFigures(
      [...stages.slice(0, 4), { ...stages[4]!, examples: 0, conversions: 0 }],
      0.04,
    );
    expect(figures[3]).toEqual({
      stage: 'Decision',
      from_lift: 4,
      examples: 60,
      conversions: 9,
      conversion_rate: 0.15,
      lift: 3.75,
    });
    expect(figures[0]?.lift).toBe(0.25);
    expect(figures[4]).toMatchObject({ conversion_rate: null, lift: null });
  });
});

describe('intentOwnFigures', () => {
  it('takes the chosen method’s out-of-fold AUC with its Hanley–McNeil interval over the sample measured', () => {
    // 40 positives all kept; 960 negatives kept at 6 per positive: 240.
    expect(intentOwnFigures(intentSummary)).toEqual({
      method: 'naive_bayes',
      auc: 0.8,
      auc_ci: [0.7146697309577966, 0.8853302690422035],
      identification_rate: 0.625,
      positives: 40,
      negatives: 240,
      by_stage: stageFigures(stages, 0.04),
    });
  });

  it('has no figures without a model', () => {
    const none = intentOwnFigures({
      ...intentSummary,
      method: null,
      validationAuc: null,
      stages: null,
      stageCuts: null,
      positives: 3,
      fallback: 'too little history',
    });
    expect(none).toMatchObject({
      method: null,
      auc: null,
      auc_ci: null,
      identification_rate: null,
      by_stage: [],
    });
  });
});

describe('fitOwnFigures', () => {
  it('takes the held-out AUC of the chosen method, its interval over the held-out quarter', () => {
    const summary: FitTrainingSummary = {
      method: 'logistic',
      validationAuc: { logistic: 0.7, naive_bayes: 0.65 },
      examples: 1100,
      positives: 100,
      fallback: null,
    };
    // 100 positives kept, 1000 negatives kept at 3 per positive (300); a quarter of each held out.
    expect(fitOwnFigures(summary)).toEqual({
      method: 'logistic',
      auc: 0.7,
      auc_ci: [0.5738117115243403, 0.8261882884756596],
      positives: 25,
      negatives: 75,
    });
  });
});

describe('aucWithInterval', () => {
  it('keeps no NaN and no interval without both classes', () => {
    expect(aucWithInterval(NaN, 10, 10)).toEqual({ auc: null, auc_ci: null });
    expect(aucWithInterval(0.6, 0, 10)).toEqual({ auc: 0.6, auc_ci: null });
  });
});
