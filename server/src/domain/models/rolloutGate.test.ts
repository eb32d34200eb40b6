import { rolloutGate } from './rolloutGate';

describe('rolloutGate', () => {
  const active = { auc: 0.8, identificationRate: 0.6 };

  it('passes a candidate at most 0.01 AUC and 2 points of identification below the active', () => {
    expect(rolloutGate({ auc: 0.79, identificationRate: 0.58 }, active)).toEqual({
      notWorse: true,
      reason:
        'not worse: AUC 0.790 vs 0.800 (at least 0.790 needed); identification 58.0% vs 60.0% (at least 58.0% needed)',
    });
  });

  it('stops a candidate whose AUC or identification rate falls further', () => {
    expect(rolloutGate({ auc: 0.789, identificationRate: 0.7 }, active).notWorse).toBe(false);
    expect(rolloutGate({ auc: 0.9, identificationRate: 0.579 }, active)).toEqual({
      notWorse: false,
      reason:
        'worse: AUC 0.900 vs 0.800 (at least 0.790 needed); identification 57.9% vs 60.0% (at least 58.0% needed)',
    });
  });

  it('sets no bar where the active has no figure, and fails a candidate without one where it has', () => {
    expect(
      rolloutGate({ auc: 0.5, identificationRate: null }, { auc: null, identificationRate: null }).notWorse,
    ).toBe(true);
    expect(rolloutGate({ auc: null, identificationRate: 0.7 }, active).notWorse).toBe(false);
    expect(rolloutGate({ auc: null, identificationRate: null }, null)).toEqual({
      notWorse: true,
      reason: 'no active models to compare with',
    });
  });
});
