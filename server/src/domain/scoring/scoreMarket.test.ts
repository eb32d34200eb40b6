import fc from 'fast-check';
import type { FitBand } from '../vocabulary';
import { fitBandOf } from './bands';
import { engagementGrade, engagementScore } from './engagement';
import { DAY_MS, openedBefore } from './opportunities';
import { auc } from './metrics';
import { DEFAULT_PERSONAS, personaOf } from './personas';
import { isQualified } from './qualified';
import { reachOf } from './reach';
import type { Reason } from './reasons';
import { scoreMarket, type AccountScore, type MarketScores } from './scoreMarket';
import { DEFAULT_SCORING_SETTINGS } from './settings';
import { intentScoreOfLift, stageOfLift, stageRank } from './stages';
import { emptyWindow, UNIT } from './windowActivity';

import { buildMarket, T, type Market } from './testing';
import { trainEngagement } from './trainModels';

/** Reasons: at most 5, strongest first. */
function orderedReasons(reasons: Reason[]): boolean {
  return (
    reasons.length <= 5 &&
    reasons.every((r, k) => k === 0 || Math.abs(reasons[k - 1]!.weight) >= Math.abs(r.weight))
  );
}

describe('scoreMarket on a market with enough history', () => {
  const market = buildMarket(160, 20261101, 0.25);
  // Account 0: reach of exactly 10 points now; person p-0-0 filled a form today and opened an
  // email 91 days ago (last window: outside the 90 days of engagement).
  const account0 = market.windows[0]!;
  account0[0] = {
    ...(account0[0] ?? emptyWindow()),
    reach28: 10,
    sales28: 3,
    engagementList: ['0', 'form_fill', 'p-0-0'].join(UNIT),
  };
  account0[1] = {
    ...(account0[1] ?? emptyWindow()),
    engagementList: ['0', 'email_open', 'p-0-0'].join(UNIT),
  };
  const scores = scoreMarket(market.facts, DEFAULT_SCORING_SETTINGS);
  const { summary } = scores;

  it('trains all three models', () => {
    expect(summary.intent.fallback).toBeNull();
    expect(summary.intent.positives).toBeGreaterThanOrEqual(20);
    expect(summary.profile.fallback).toBeNull();
    expect(summary.profile.positives).toBe(
      market.facts.opportunities.filter((o) => openedBefore(o, T)).length,
    );
    expect(summary.contact.fallback).toBeNull();
    expect(summary.modelVersion).toMatch(
      /^v1-intent:(logistic|naive_bayes)-fit:(logistic|naive_bayes)-contact:(logistic|naive_bayes)@2026-11-01$/,
    );
  });

  /** Ids of the accounts (or people) breaking a rule: expected to be none. */
  const breaking = <T extends { accountId: string }>(rows: T[], rule: (row: T, i: number) => boolean) =>
    rows.filter((row, i) => !rule(row, i)).map((row) => ('contactId' in row ? row.contactId : row.accountId));

  it('scores every account, in order, with intent and stage from the lift p / base rate', () => {
    expect(scores.accounts.map((a) => a.accountId)).toEqual(market.facts.accounts.map((a) => a.id));
    const baseRate = summary.intent.baseRate;
    expect(baseRate).toBeGreaterThan(0);
    expect(
      breaking(scores.accounts, (a) => {
        const p = a.intentProbability as number;
        const lift = p / baseRate;
        const score = a.intentScore as number;
        return (
          p >= 0 &&
          p <= 1 &&
          Number.isInteger(score) &&
          score >= 0 &&
          score <= 100 &&
          score === intentScoreOfLift(lift) &&
          a.buyingStage === stageOfLift(lift, summary.intent.stageCuts!)
        );
      }),
    ).toEqual([]);
  });

  it('cuts the stages from the configured lifts, as the training history showed them', () => {
    const cuts = summary.intent.stageCuts!;
    expect(cuts[0]).toBe(DEFAULT_SCORING_SETTINGS.stageLiftCuts[0]);
    cuts.forEach((cut, s) => expect(cut).toBeGreaterThanOrEqual(s === 0 ? 0 : cuts[s - 1]!));
    expect(summary.intent.stageCutRules?.[0]).toBe('configured');
    // Every stage holds training examples (fitStageCuts keeps the top ones by their share).
    expect(summary.intent.stages!.every((s) => s.examples > 0)).toBe(true);
    expect(summary.intent.stages!.map((s) => [s.stage, s.fromLift])).toEqual([
      ['Target', 0],
      ['Awareness', cuts[0]],
      ['Consideration', cuts[1]],
      ['Decision', cuts[2]],
      ['Purchase', cuts[3]],
    ]);
    // 160 accounts: too few conversions to fill four stages, and the warning says which; the
    // separation rule still makes each stage convert above the one below.
    const stages = summary.intent.stages!;
    expect(stages.reduce((sum, s) => sum + s.conversions, 0)).toBeCloseTo(summary.intent.positives, 6);
    stages.forEach(
      (s, i) => i === 0 || expect(s.conversionRate).toBeGreaterThan(stages[i - 1]!.conversionRate),
    );
    expect(summary.intent.stageWarning).toMatch(
      /^too few conversions to measure Awareness, Consideration, Decision \(fewer than 40 in the training history, out of fold\): a thin stage’s conversion may differ from one backtest to the next$/,
    );
  });

  it('never puts a higher intent score in a lower stage', () => {
    // Sorted by probability, neither score nor stage ever falls; and across scores, stages never fall.
    const sorted = [...scores.accounts].sort((a, b) => a.intentProbability! - b.intentProbability!);
    const falls = sorted.filter(
      (b, k) =>
        k > 0 &&
        (sorted[k - 1]!.intentScore! > b.intentScore! ||
          stageRank(sorted[k - 1]!.buyingStage!) > stageRank(b.buyingStage!)),
    );
    expect(falls).toEqual([]);
    const byScore = [...scores.accounts].sort((a, b) => a.intentScore! - b.intentScore!);
    const higherScoreLowerStage = byScore.filter(
      (b, k) =>
        k > 0 &&
        byScore[k - 1]!.intentScore! < b.intentScore! &&
        stageRank(byScore[k - 1]!.buyingStage!) > stageRank(b.buyingStage!),
    );
    expect(higherScoreLowerStage).toEqual([]);
  });

  it('finds the accounts in market now', () => {
    const value = auc(
      scores.accounts.map((a) => a.intentScore as number),
      market.inMarketNow.map(Number),
    );
    expect(value).toBeGreaterThan(0.8);
    expect(new Set(scores.accounts.map((a) => a.buyingStage)).size).toBeGreaterThanOrEqual(3);
  });

  it('bands profile scores with the default cuts 81/50', () => {
    expect(
      breaking(scores.accounts, (a) => {
        const s = a.profileScore as number;
        const band = s >= 81 ? 'Strong' : s >= 50 ? 'Moderate' : 'Weak';
        return Number.isInteger(s) && s >= 0 && s <= 100 && a.profileFit === band && band === fitBandOf(s);
      }),
    ).toEqual([]);
    const bands = new Set(scores.accounts.map((a) => a.profileFit));
    expect([...bands].sort()).toEqual(['Moderate', 'Strong', 'Weak']);
  });

  it('qualifies exactly the Moderate/Strong fits in Decision/Purchase, and some accounts are', () => {
    const qualified = scores.accounts.filter((a) => isQualified(a.profileFit, a.buyingStage));
    expect(
      breaking(
        scores.accounts,
        (a) =>
          isQualified(a.profileFit, a.buyingStage) ===
          ((a.profileScore as number) >= 50 &&
            (a.buyingStage === 'Decision' || a.buyingStage === 'Purchase')),
      ),
    ).toEqual([]);
    expect(breaking(qualified, (a) => (a.intentScore as number) >= 50)).toEqual([]);
    expect(qualified.length).toBeGreaterThan(0);
    expect(qualified.length).toBeLessThan(scores.accounts.length);
  });

  it('reads reach from the points of the last 28 days', () => {
    expect(
      breaking(scores.accounts, (a, i) => a.reach === reachOf(market.facts.windows[i]?.[0]?.reach28 ?? 0)),
    ).toEqual([]);
    expect(scores.accounts[0]?.reach).toBe('High');
    expect(scores.accounts[0]?.reasons.reach).toEqual([
      { text: '3 sales touches and marketing worth 10 reach points in the last 28 days', weight: 10 },
    ]);
    const untouched = scores.accounts.findIndex((_, i) => (market.facts.windows[i]?.[0]?.reach28 ?? 0) === 0);
    expect(scores.accounts[untouched]?.reasons.reach).toEqual([
      { text: 'No sales or marketing touch in the last 28 days', weight: 0 },
    ]);
  });

  it('explains intent and profile with at most five reasons, strongest first', () => {
    expect(
      breaking(scores.accounts, (a) => orderedReasons(a.reasons.intent) && orderedReasons(a.reasons.profile)),
    ).toEqual([]);
    expect(scores.accounts.some((a) => a.reasons.intent.some((r) => r.text.startsWith('Researched')))).toBe(
      true,
    );
    expect(scores.accounts.some((a) => a.reasons.profile.some((r) => r.text.startsWith('Industry: ')))).toBe(
      true,
    );
  });

  it('scores every person: engagement, grade, fit band and persona', () => {
    // Grades at the cuts fitted on the market's engaged people (engagement.ts fitGradeCuts).
    const engagementModel = trainEngagement(market.facts);
    expect(engagementModel.gradeCutsFrom).toBe('market shares');
    expect(scores.people.map((p) => p.contactId)).toEqual(market.facts.people.map((p) => p.id));
    expect(
      breaking(scores.people, (p, i) => {
        const person = market.facts.people[i]!;
        const s = p.profileScore as number;
        return (
          p.accountId === market.facts.accounts[person.account]?.id &&
          Number.isInteger(p.engagementScore) &&
          p.engagementScore >= 0 &&
          p.engagementScore <= 100 &&
          p.engagementGrade === engagementGrade(p.engagementScore, engagementModel) &&
          Number.isInteger(s) &&
          s >= 0 &&
          s <= 100 &&
          p.profileFit === fitBandOf(s) &&
          p.persona === personaOf(person.job, DEFAULT_PERSONAS) &&
          orderedReasons(p.reasons.profile)
        );
      }),
    ).toEqual([]);
    expect(new Set(scores.people.map((p) => p.persona)).size).toBeGreaterThanOrEqual(4);
  });

  it('counts a form filled today (8 points → 55) and not an open 91 days ago', () => {
    const p = scores.people.find((x) => x.contactId === 'p-0-0')!;
    expect(p.engagementScore).toBe(engagementScore(8));
    expect(p.engagementScore).toBe(55);
    expect(p.engagementGrade).toBe(engagementGrade(55, trainEngagement(market.facts)));
    expect(p.reasons.engagement).toEqual([{ text: '1 form filled in the last 90 days', weight: 1 }]);
  });

  it('is deterministic: the same facts give the same scores', () => {
    expect(scoreMarket(structuredClone(market.facts), DEFAULT_SCORING_SETTINGS)).toEqual(scores);
  });

  it('applies configured band and stage cuts', () => {
    const settings = {
      ...DEFAULT_SCORING_SETTINGS,
      fitBands: { strong: 90, moderate: 10 },
      stageLiftCuts: [2, 3, 5, 9] as const,
    };
    const custom = scoreMarket(market.facts, settings);
    expect(
      breaking(
        custom.accounts,
        (a, i) =>
          a.profileScore === scores.accounts[i]?.profileScore &&
          a.profileFit === fitBandOf(a.profileScore as number, settings.fitBands) &&
          a.buyingStage ===
            stageOfLift(
              (a.intentProbability as number) / summary.intent.baseRate,
              custom.summary.intent.stageCuts!,
            ),
      ),
    ).toEqual([]);
    const cuts = custom.summary.intent.stageCuts!;
    expect(cuts[0]).toBe(2);
    // A cut is the configured one, raised for conversions, or its top-share anchor below it.
    custom.summary.intent.stageCutRules!.forEach((rule, s) => {
      if (rule === 'configured') expect(cuts[s]).toBe(settings.stageLiftCuts[s]);
      if (rule === 'conversions') expect(cuts[s]).toBeGreaterThan(settings.stageLiftCuts[s]!);
    });
  });
});

describe('scoreMarket with too little history', () => {
  /** The stated reason names what is counted, the count and the minimum. */
  function expectFallback(reason: string | null, count: number, what: string) {
    expect(reason).toMatch(new RegExp(`^too little history: .*\\b${count}\\b.*, at least 20 needed$`));
    expect(reason).toContain(what);
  }

  function expectNoModelScores(scores: MarketScores, market: Market, intent: boolean, profile: boolean) {
    for (const a of scores.accounts) {
      if (!intent) {
        expect([a.intentScore, a.buyingStage, a.intentProbability]).toEqual([null, null, null]);
        expect(a.reasons.intent).toEqual([]);
      }
      if (!profile) {
        expect([a.profileScore, a.profileFit]).toEqual([null, null]);
        expect(a.reasons.profile).toEqual([]);
      }
      expect(isQualified(a.profileFit, a.buyingStage)).toBe(false);
    }
    scores.accounts.forEach((a, i) =>
      expect(a.reach).toBe(reachOf(market.facts.windows[i]?.[0]?.reach28 ?? 0)),
    );
  }

  it('gives no intent, fit or contact score and says why, below 20 positives', () => {
    const market = buildMarket(60, 7, 0.01);
    const scores = scoreMarket(market.facts, DEFAULT_SCORING_SETTINGS);
    const { intent, profile, contact } = scores.summary;
    expect(intent.positives).toBeLessThan(20);
    expectFallback(
      intent.fallback,
      intent.positives,
      'relevant opportunities opened in the training windows',
    );
    expect(profile.positives).toBeLessThan(20);
    expectFallback(profile.fallback, profile.positives, 'accounts with a relevant opportunity');
    expect(contact.positives).toBeLessThan(20);
    expectFallback(
      contact.fallback,
      contact.positives,
      'people engaged before their account opened a relevant opportunity',
    );
    expect(scores.summary.modelVersion).toBe('v1-intent:none-fit:none-contact:none@2026-11-01');
    expectNoModelScores(scores, market, false, false);
    for (const p of scores.people) {
      expect([p.profileScore, p.profileFit]).toEqual([null, null]);
      expect(p.engagementGrade).toBe(engagementGrade(p.engagementScore, trainEngagement(market.facts)));
    }
    expect(scoreMarket(structuredClone(market.facts), DEFAULT_SCORING_SETTINGS)).toEqual(scores);
  });

  it('scores fit without intent when all the openings are older than the training windows', () => {
    const market = buildMarket(80, 11, 0);
    // 40 accounts opened a relevant opportunity 500 days before T: history for fit, none for intent.
    market.opportunities.forEach((own, i) => {
      if (i % 2 === 0)
        own.push({
          createdMs: T - 500 * DAY_MS,
          closedMs: null,
          won: false,
          relevant: true,
        });
    });
    const scores = scoreMarket(market.facts, DEFAULT_SCORING_SETTINGS);
    expect(scores.summary.intent).toMatchObject({ positives: 0, method: null });
    expectFallback(
      scores.summary.intent.fallback,
      0,
      'relevant opportunities opened in the training windows',
    );
    expect(scores.summary.profile.positives).toBe(40);
    expect(scores.summary.profile.fallback).toBeNull();
    expectNoModelScores(scores, market, false, true);
    for (const a of scores.accounts) expect(a.profileFit).toBe(fitBandOf(a.profileScore as number));
  });
});

describe('scoreMarket on other generated markets', () => {
  it('property: every output obeys the rules', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 60, max: 120 }),
        fc.constantFrom(0.1, 0.25, 0.5),
        (seed, n, rate) => {
          const { facts } = buildMarket(n, seed, rate);
          const { accounts, people, summary } = scoreMarket(facts, DEFAULT_SCORING_SETTINGS);
          const engagementModel = trainEngagement(facts);
          const intentOk = (a: AccountScore) =>
            a.intentProbability === null
              ? a.intentScore === null && a.buyingStage === null && summary.intent.fallback !== null
              : a.intentProbability >= 0 &&
                a.intentProbability <= 1 &&
                a.intentScore === intentScoreOfLift(a.intentProbability / summary.intent.baseRate) &&
                a.intentScore >= 0 &&
                a.intentScore <= 100 &&
                a.buyingStage ===
                  stageOfLift(a.intentProbability / summary.intent.baseRate, summary.intent.stageCuts!);
          const fitOk = (score: number | null, fit: FitBand | null, fallback: string | null) =>
            score === null
              ? fit === null && fallback !== null
              : score >= 0 && score <= 100 && fit === fitBandOf(score);
          const qualifiedOk = (a: AccountScore) =>
            isQualified(a.profileFit, a.buyingStage) ===
            (a.profileScore !== null &&
              a.profileScore >= 50 &&
              (a.buyingStage === 'Decision' || a.buyingStage === 'Purchase'));
          return (
            accounts.length === n &&
            accounts.every(
              (a) =>
                intentOk(a) &&
                fitOk(a.profileScore, a.profileFit, summary.profile.fallback) &&
                qualifiedOk(a),
            ) &&
            people.every(
              (p) =>
                p.engagementScore >= 0 &&
                p.engagementScore <= 100 &&
                p.engagementGrade === engagementGrade(p.engagementScore, engagementModel) &&
                fitOk(p.profileScore, p.profileFit, summary.contact.fallback),
            )
          );
        },
      ),
      { numRuns: 5 },
    );
  });
});
