import type { MarketFacts } from './facts';
import type { ProfileScorer } from './fitLogits';
import { intentFeatureNames, intentModelInput, intentSignals } from './intentFeatures';
import { fitStandard, intentProbability, medians, snapshotMs, trainIntentModel } from './intentModel';
import { isotonicProbability } from './isotonic';
import { chosenLogit, rawLogit } from './modelSelection';
import { DAY_MS, type OpportunityFact } from './opportunities';
import { profileVocabulary, type AccountProfile } from './profileFeatures';
import { emptyWindow, RECORD, type WindowActivity } from './windowActivity';

const T = Date.UTC(2026, 10, 1); // 2026-11-01T00:00:00Z
const S = (k: number) => T - k * 91 * DAY_MS;
const profile: AccountProfile = {
  industry: null,
  employees: null,
  annual_revenue: null,
  country: null,
  naics: null,
  technologies: [],
};
const relevant = (createdMs: number): OpportunityFact => ({
  createdMs,
  closedMs: null,
  won: false,
  relevant: true,
});

function facts(
  accounts: Array<{
    createdMs?: number;
    opportunities?: OpportunityFact[];
    windows?: Array<WindowActivity | undefined>;
  }>,
): MarketFacts {
  return {
    asOfMs: T,
    accounts: accounts.map((a, i) => ({
      id: `a${String(i).padStart(3, '0')}`,
      createdMs: a.createdMs ?? null,
      profile,
    })),
    opportunities: accounts.map((a) => a.opportunities ?? []),
    windows: accounts.map((a) => a.windows ?? []),
    people: [],
  };
}

describe('snapshotMs', () => {
  it('steps back 91 days per window', () => {
    const f = facts([]);
    expect(snapshotMs(f, 0)).toBe(T);
    expect(new Date(snapshotMs(f, 1)).toISOString()).toBe('2026-08-02T00:00:00.000Z');
    expect(new Date(snapshotMs(f, 4)).toISOString()).toBe('2025-11-02T00:00:00.000Z');
  });
});

describe('trainIntentModel', () => {
  it('labels account-snapshots, counts the base rate, and falls back below 20 positives', () => {
    const accounts = [
      // a0: opens at S₁ + 10 days and at S₂ + 5 days: positive at snapshots 1 and 2.
      { opportunities: [relevant(S(1) + 10 * DAY_MS), relevant(S(2) + 5 * DAY_MS)] },
      // a1: opens exactly 90 days after S₃ (outside its horizon, and before S₂): never positive.
      { opportunities: [relevant(S(3) + 90 * DAY_MS)] },
      // a2: an opportunity that is not relevant.
      { opportunities: [{ ...relevant(S(1) + DAY_MS), relevant: false }] },
      // a3: opens at S₄ itself: positive at snapshot 4.
      { opportunities: [relevant(S(4))] },
      {},
      {},
      {},
      {},
      // a8: created 200 days before T, so an example at S₁ and S₂ only; its opening at S₃ + 3 days does not count.
      { createdMs: T - 200 * DAY_MS, opportunities: [relevant(S(3) + 3 * DAY_MS)] },
      // a9: created 100 days before T (an example at S₁ only), opens at S₁ + 1 day.
      { createdMs: T - 100 * DAY_MS, opportunities: [relevant(S(1) + DAY_MS)] },
    ];
    const { model, summary } = trainIntentModel(facts(accounts));
    // 8 accounts × 4 snapshots + 2 + 1 = 35 examples; positives a0 (×2), a3, a9.
    expect(model).toBeNull();
    expect(summary).toMatchObject({
      method: null,
      validationAuc: null,
      examples: 35,
      positives: 4,
      baseRate: 4 / 35,
    });
    // The reason names what is counted, the count and the minimum.
    expect(summary.fallback).toMatch(/^too little history: .*\b4\b.*, at least 20 needed$/);
    expect(summary.fallback).toContain('relevant opportunities opened in the training windows');
  });

  it('has no examples and a base rate of 0 without accounts', () => {
    expect(trainIntentModel(facts([])).summary).toMatchObject({ examples: 0, positives: 0, baseRate: 0 });
  });

  /** 120 accounts; every third is in market at one snapshot (research, pricing visits) and opens 20 days later. */
  function market(): MarketFacts {
    const researching = (count: number): WindowActivity => ({
      ...emptyWindow(),
      research7: count,
      research28: 2 * count,
      research91: 2 * count + 1,
      lastResearchAge: 1,
      visits91: count,
      urlList: ['/pricing', '/docs/a'].join(RECORD),
    });
    return facts(
      Array.from({ length: 120 }, (_, i) => {
        const k = 1 + (i % 4);
        const windows: Array<WindowActivity | undefined> = [
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
        ];
        if (i % 3 === 0) {
          windows[k] = researching(3 + (i % 5));
          return { windows, opportunities: [relevant(S(k) + 20 * DAY_MS)] };
        }
        // Some noise: light research that leads nowhere.
        if (i % 7 === 0) windows[k] = researching(1);
        if (i % 11 === 0) windows[0] = researching(4); // scored, never trained on
        return { windows };
      }),
    );
  }

  it('trains on snapshots 1–4 once there are 20 positives', () => {
    const f = market();
    const { model, summary } = trainIntentModel(f);
    expect(summary.examples).toBe(480);
    expect(summary.positives).toBe(40);
    expect(summary.baseRate).toBe(40 / 480);
    expect(summary.fallback).toBeNull();
    expect(model).not.toBeNull();
    expect(summary.method).toBe(model?.chosen.kind);
    expect(model?.baseRate).toBe(summary.baseRate);
    expect(model?.vocabulary.sections).toEqual(['/docs', '/pricing']);
    expect(model?.featureNames).toEqual(intentFeatureNames({ sections: ['/docs', '/pricing'] }));
    // Research raises the odds, and the probability.
    const input = (w: WindowActivity | undefined) =>
      intentModelInput(intentSignals(w, [], T, model!.vocabulary));
    const logit = (w: WindowActivity | undefined) => chosenLogit(model!.chosen, input(w));
    expect(logit(f.windows[0]?.[1])).toBeGreaterThan(logit(undefined) + 1);
    expect(intentProbability(model!, input(f.windows[0]?.[1]))).toBeGreaterThan(
      intentProbability(model!, input(undefined)),
    );
    // The probability is the isotonic calibration of the chosen model's raw log-odds.
    expect(intentProbability(model!, input(f.windows[0]?.[1]))).toBe(
      isotonicProbability(model!.calibration, rawLogit(model!.chosen.model, input(f.windows[0]?.[1]))),
    );
  });

  /** A profile-fit model that gives every account the log-odds 0.25 (the test's profiles are all alike). */
  const scorer: ProfileScorer = {
    chosen: {
      kind: 'logistic',
      model: {
        kind: 'logistic',
        intercept: 0.25,
        coefficients: new Float64Array(0),
        means: new Float64Array(0),
        scales: new Float64Array(0),
      },
      slope: 1,
      offset: 0,
      validationAuc: { logistic: NaN, naive_bayes: NaN },
    },
    vocabulary: profileVocabulary([profile]),
  };

  it('reads the profile fit each training snapshot knew, and keeps the scorer it reads when scoring', () => {
    const f = market();
    const asked: number[] = [];
    // A fit that singles out the accounts that convert: the model must lean on it.
    const converts = f.accounts.map((_, i) => (f.opportunities[i] ?? []).length > 0);
    const { model } = trainIntentModel(f, undefined, {
      scorer,
      logitsAsOf: (atMs) => {
        asked.push(atMs);
        return Float64Array.from(converts, (c) => (c ? 1 : -1));
      },
    });
    expect(asked).toEqual([S(1), S(2), S(3), S(4)]);
    expect(model?.vocabulary.profileFit).toBe(true);
    expect(model?.featureNames.slice(-2)).toEqual(['profile_fit', 'profile_fit_quiet']);
    // Scoring reads the T model, standardised over the accounts of the training day (all alike here).
    expect(model?.profileFit).toEqual({ scorer, mean: 0.25, sd: 1 });
    const input = (z: number) =>
      intentModelInput(intentSignals(undefined, [], T, model!.vocabulary, z), model!.vocabulary);
    expect(intentProbability(model!, input(1))).toBeGreaterThan(intentProbability(model!, input(-1)));
  });

  it('goes without the profile fit when a training snapshot has no fit model', () => {
    const { model } = trainIntentModel(market(), undefined, {
      scorer,
      logitsAsOf: (atMs) => (atMs === S(4) ? null : new Float64Array(120)),
    });
    expect(model?.vocabulary.profileFit).toBeUndefined();
    expect(model?.profileFit).toBeUndefined();
    expect(model?.featureNames).toEqual(intentFeatureNames({ sections: ['/docs', '/pricing'] }));
  });

  it('reports the stage cuts it uses and what each stage held in training, out of fold', () => {
    const { model, summary } = trainIntentModel(market());
    // 40 conversions: fewer than 10 per snapshot for each of four stages.
    expect(summary.stageCuts).toEqual(model?.stageCuts);
    expect(summary.stageCuts?.[0]).toBe(1);
    expect(summary.stages?.map((s) => s.stage)).toEqual([
      'Target',
      'Awareness',
      'Consideration',
      'Decision',
      'Purchase',
    ]);
    // Every positive is kept (weight 1); negatives are sampled and weighted back (about 440).
    expect(summary.stages?.reduce((sum, s) => sum + s.conversions, 0)).toBe(40);
    expect(summary.stages?.reduce((sum, s) => sum + s.examples, 0)).toBeGreaterThan(400);
    expect(summary.stageWarning).toMatch(
      /^too few conversions to measure .*\(fewer than 40 in the training history, out of fold\)/,
    );
  });

  it('keeps the configured first cut as the top of Target and rises from it', () => {
    const { summary } = trainIntentModel(market(), [0.5, 0.6, 0.7, 0.8]);
    expect(summary.stageCuts?.[0]).toBe(0.5);
    expect(summary.stageCutRules?.[0]).toBe('configured');
    summary.stageCuts?.forEach(
      (cut, s) => s === 0 || expect(cut).toBeGreaterThan(summary.stageCuts![s - 1]!),
    );
  });

  it('does not train on the window being scored', () => {
    const f = market();
    // Activity counts of window 0 (the one scored) change; its URLs stay, as they feed the vocabulary.
    const changed: MarketFacts = {
      ...f,
      windows: f.windows.map((w) => [w[0] && { ...w[0], research28: 99, research7: 50 }, ...w.slice(1)]),
    };
    expect(trainIntentModel(changed)).toEqual(trainIntentModel(f));
  });
});

describe('medians: the typical figure of converting accounts, per signal', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    const rows = [
      [1, 0, 9],
      [3, 0, 1],
      [2, 4, 5],
    ].map((r) => Float64Array.from(r));
    expect(Array.from(medians(rows, 3))).toEqual([2, 0, 5]);
    expect(Array.from(medians(rows.slice(0, 2), 3))).toEqual([2, 0, 5]);
    expect(Array.from(medians([], 2))).toEqual([NaN, NaN]);
  });
});

describe('fitStandard', () => {
  it('is the mean and standard deviation of the members, 1 without spread', () => {
    const logits = Float64Array.from([1, 2, 3, 10]);
    const { mean, sd } = fitStandard(logits, [0, 1, 2]);
    expect(mean).toBe(2);
    expect(sd).toBeCloseTo(Math.sqrt(2 / 3), 15);
    expect(fitStandard(logits, [3])).toEqual({ mean: 10, sd: 1 });
    expect(fitStandard(logits, [])).toEqual({ mean: 0, sd: 1 });
  });
});
