import { accountBehavior } from './modelInsightsAccountBehavior';
import { accountFit } from './modelInsightsAccountFit';
import type { AccountTally } from './modelInsightsAccounts';
import { aucOfTallies, hanleyMcNeilInterval } from './modelInsightsAuc';
import { contactBehavior, contactFit, type PersonTally } from './modelInsightsContacts';
import { EMPLOYEE_RANGES, rangeOf, REVENUE_RANGES, signalTable } from './modelInsightsSignals';

/**
 * A fixed market of eight accounts (one tally each) and six people. Awareness is empty, a4 and a5
 * tie at intent 60, a8 has no scores (a run without models) but converted.
 */
const account = (
  stage: AccountTally['stage'],
  fit: AccountTally['fit'],
  intentScore: number | null,
  converted: boolean,
  won = false,
): AccountTally => ({ stage, fit, intentScore, converted, won, accounts: 1 });

const MARKET: AccountTally[] = [
  account('Target', 'Weak', 10, false), // a1
  account('Target', 'Weak', 20, true), // a2
  account('Consideration', 'Moderate', 40, false), // a3
  account('Consideration', 'Moderate', 60, true, true), // a4
  account('Decision', 'Strong', 60, false), // a5
  account('Decision', 'Strong', 80, true), // a6
  account('Purchase', 'Strong', 90, true, true), // a7
  account(null, null, null, true), // a8
];

describe('account behaviour', () => {
  const report = accountBehavior(MARKET);

  test('per stage: accounts, shares, conversion, baseline over the stages above Target, lift', () => {
    // 7 accounts have a stage, 4 of them converted; above Target 5 accounts, 3 converters.
    expect(report.account_behavior).toEqual({
      Target: {
        accounts: 2,
        share: 2 / 7,
        converters: 1,
        converter_share: 1 / 4,
        conversion: 1 / 2,
        baseline: 3 / 5,
        lift: 1 / 2 / (3 / 5),
      },
      Awareness: {
        accounts: 0,
        share: 0,
        converters: 0,
        converter_share: 0,
        conversion: null,
        baseline: 3 / 5,
        lift: null,
      },
      Consideration: {
        accounts: 2,
        share: 2 / 7,
        converters: 1,
        converter_share: 1 / 4,
        conversion: 1 / 2,
        baseline: 3 / 5,
        lift: 1 / 2 / (3 / 5),
      },
      Decision: {
        accounts: 2,
        share: 2 / 7,
        converters: 1,
        converter_share: 1 / 4,
        conversion: 1 / 2,
        baseline: 3 / 5,
        lift: 1 / 2 / (3 / 5),
      },
      Purchase: {
        accounts: 1,
        share: 1 / 7,
        converters: 1,
        converter_share: 1 / 4,
        conversion: 1,
        baseline: 3 / 5,
        lift: 1 / (3 / 5),
      },
    });
    expect(report.account_behavior.Purchase.lift).toBeCloseTo(5 / 3, 12);
  });

  test('identification rate: converters in Decision or Purchase over all converters with a stage', () => {
    expect(report.identification_rate).toBe(2 / 4);
  });

  test('AUC counts the tie at 60 one half; the Hanley–McNeil interval is clipped at 1', () => {
    // Positives 20, 60, 80, 90 against negatives 10, 40, 60: 1 + 2.5 + 3 + 3 = 9.5 of 12 pairs.
    expect(report.auc).toBe(19 / 24);
    // Q1 = (19/24)/(29/24) = 19/29, Q2 = 2(361/576)/(43/24) = 361/516,
    // var = (95/576 + 3(19/29 − 361/576) + 2(361/516 − 361/576)) / 12 = 47405/1436544.
    const se = Math.sqrt(47405 / 1436544);
    expect(report.auc_ci?.[0]).toBeCloseTo(19 / 24 - 1.96 * se, 12);
    expect(report.auc_ci?.[0]).toBeCloseTo(0.43561856013392, 12);
    expect(report.auc_ci?.[1]).toBe(1);
  });

  test('no converter: baseline 0, every lift, the identification rate and the AUC null', () => {
    const none = accountBehavior(MARKET.map((t) => ({ ...t, converted: false })));
    expect(none.account_behavior.Decision).toEqual({
      accounts: 2,
      share: 2 / 7,
      converters: 0,
      converter_share: null,
      conversion: 0,
      baseline: 0,
      lift: null,
    });
    expect([none.identification_rate, none.auc, none.auc_ci]).toEqual([null, null, null]);
  });

  test('an empty market: every ratio null', () => {
    const empty = accountBehavior([]);
    expect(empty.account_behavior.Target).toEqual({
      accounts: 0,
      share: null,
      converters: 0,
      converter_share: null,
      conversion: null,
      baseline: null,
      lift: null,
    });
  });
});

describe('AUC', () => {
  test('tallies of one score merge before counting: all tied is 0.5', () => {
    const result = aucOfTallies([
      { score: 50, positives: 1, negatives: 0 },
      { score: 50, positives: 1, negatives: 2 },
    ]);
    expect(result.auc).toBe(0.5);
    // Q1 = Q2 = 1/3, var = (1/4 + (1/3 − 1/4) + (1/3 − 1/4)) / 4 = 5/48, SE ≈ 0.323: 0.5 ± 0.633
    // is clipped to [0, 1] on both sides.
    expect(result.ci).toEqual([0, 1]);
    expect(hanleyMcNeilInterval(0.5, 2, 2)).toEqual([0, 1]);
  });

  test('a perfect score: A = 1 with a zero-width interval', () => {
    expect(hanleyMcNeilInterval(1, 3, 2)).toEqual([1, 1]);
  });
});

describe('account profile fit', () => {
  test('per band with winners; baselines over every account of the run, a8 without a band included', () => {
    // 8 accounts, 5 converters, 2 winners: baseline 5/8, win baseline 1/4.
    expect(accountFit(MARKET)).toEqual({
      Strong: {
        accounts: 3,
        share: 3 / 8,
        converters: 2,
        conversion: 2 / 3,
        baseline: 5 / 8,
        lift: 2 / 3 / (5 / 8),
        winners: 1,
        win_conversion: 1 / 3,
        win_baseline: 1 / 4,
        win_lift: 1 / 3 / (1 / 4),
      },
      Moderate: {
        accounts: 2,
        share: 2 / 8,
        converters: 1,
        conversion: 1 / 2,
        baseline: 5 / 8,
        lift: 1 / 2 / (5 / 8),
        winners: 1,
        win_conversion: 1 / 2,
        win_baseline: 1 / 4,
        win_lift: 2,
      },
      Weak: {
        accounts: 2,
        share: 2 / 8,
        converters: 1,
        conversion: 1 / 2,
        baseline: 5 / 8,
        lift: 1 / 2 / (5 / 8),
        winners: 0,
        win_conversion: 0,
        win_baseline: 1 / 4,
        win_lift: 0,
      },
    });
  });

  test('no winner: win baseline 0 and win lifts null', () => {
    const fit = accountFit(MARKET.map((t) => ({ ...t, won: false })));
    expect([fit.Strong.win_baseline, fit.Strong.win_lift, fit.Strong.lift]).toEqual([
      0,
      null,
      2 / 3 / (5 / 8),
    ]);
  });
});

const person = (
  grade: PersonTally['grade'],
  engaged: boolean,
  fit: PersonTally['fit'],
  converted: boolean,
  won = false,
): PersonTally => ({ grade, engaged, fit, converted, won, people: 1 });

const PEOPLE: PersonTally[] = [
  person('A', true, 'Strong', true, true), // p1
  person('A', true, 'Moderate', false), // p2
  person('B', true, 'Strong', true), // p3
  person('C', true, 'Weak', false), // p4
  person('D', false, 'Weak', true), // p5: engagement score 0
  person('D', false, null, false), // p6: no fit
];

describe('contact behaviour and fit', () => {
  test('per grade, baseline over the people with an engagement score above 0', () => {
    // Engaged p1–p4, 2 converted: baseline 1/2.
    expect(contactBehavior(PEOPLE)).toEqual({
      A: { people: 2, share: 2 / 6, converted: 1, conversion: 1 / 2, baseline: 1 / 2, lift: 1 },
      B: { people: 1, share: 1 / 6, converted: 1, conversion: 1, baseline: 1 / 2, lift: 2 },
      C: { people: 1, share: 1 / 6, converted: 0, conversion: 0, baseline: 1 / 2, lift: 0 },
      D: { people: 2, share: 2 / 6, converted: 1, conversion: 1 / 2, baseline: 1 / 2, lift: 1 },
    });
  });

  test('nobody engaged: the baseline and every lift are null', () => {
    const grades = contactBehavior(PEOPLE.map((p) => ({ ...p, engaged: false })));
    expect([grades.A.conversion, grades.A.baseline, grades.A.lift]).toEqual([1 / 2, null, null]);
  });

  test('per band, baselines over every scored person', () => {
    // 6 people, 3 converted (p1, p3, p5), 1 winner (p1).
    expect(contactFit(PEOPLE)).toEqual({
      Strong: {
        people: 2,
        share: 2 / 6,
        converted: 2,
        conversion: 1,
        baseline: 1 / 2,
        lift: 2,
        winners: 1,
        win_conversion: 1 / 2,
        win_baseline: 1 / 6,
        win_lift: 3,
      },
      Moderate: {
        people: 1,
        share: 1 / 6,
        converted: 0,
        conversion: 0,
        baseline: 1 / 2,
        lift: 0,
        winners: 0,
        win_conversion: 0,
        win_baseline: 1 / 6,
        win_lift: 0,
      },
      Weak: {
        people: 2,
        share: 2 / 6,
        converted: 1,
        conversion: 1 / 2,
        baseline: 1 / 2,
        lift: 1,
        winners: 0,
        win_conversion: 0,
        win_baseline: 1 / 6,
        win_lift: 0,
      },
    });
  });
});

describe('signals', () => {
  test('employee and revenue ranges at their edges', () => {
    expect(
      [0, 1, 49, 50, 199, 200, 999, 1000, 4999, 5000, null].map((v) => rangeOf(EMPLOYEE_RANGES, v)),
    ).toEqual([
      null,
      '1–49',
      '1–49',
      '50–199',
      '50–199',
      '200–999',
      '200–999',
      '1000–4999',
      '1000–4999',
      '5000+',
      null,
    ]);
    expect(
      [-1, 0, 9_999_999, 10_000_000, 99_999_999, 100_000_000, 1e9, null].map((v) =>
        rangeOf(REVENUE_RANGES, v),
      ),
    ).toEqual([null, '<10M', '<10M', '10M–100M', '10M–100M', '100M–1B', '1B+', null]);
  });

  test('rates against the population of their kind, coverages, a kind without converters', () => {
    const rows = signalTable(
      [
        { category: 'job_level', signal: 'VP', count: 3, conversions: 0 },
        { category: 'technology', signal: 'HubSpot', count: 1, conversions: 0 },
        { category: 'employee_range', signal: '1–49', count: 3, conversions: 1 },
        { category: 'industry', signal: 'Retail', count: 2, conversions: 0 },
        { category: 'technology', signal: 'Salesforce', count: 2, conversions: 2 },
        { category: 'industry', signal: 'Software', count: 4, conversions: 2 },
      ],
      {
        firmographic: { population: 8, conversions: 3 },
        technographic: { population: 3, conversions: 2 },
        demographic: { population: 6, conversions: 0 },
      },
    );
    expect(rows).toEqual([
      {
        category: 'industry',
        kind: 'firmographic',
        signal: 'Software',
        count: 4,
        conversions: 2,
        rate: 1 / 2,
        baseline: 3 / 8,
        lift: 1 / 2 / (3 / 8),
        category_coverage: 4 / 8,
        conversion_coverage: 2 / 3,
      },
      {
        category: 'industry',
        kind: 'firmographic',
        signal: 'Retail',
        count: 2,
        conversions: 0,
        rate: 0,
        baseline: 3 / 8,
        lift: 0,
        category_coverage: 2 / 8,
        conversion_coverage: 0,
      },
      {
        category: 'employee_range',
        kind: 'firmographic',
        signal: '1–49',
        count: 3,
        conversions: 1,
        rate: 1 / 3,
        baseline: 3 / 8,
        lift: 1 / 3 / (3 / 8),
        category_coverage: 3 / 8,
        conversion_coverage: 1 / 3,
      },
      {
        category: 'technology',
        kind: 'technographic',
        signal: 'Salesforce',
        count: 2,
        conversions: 2,
        rate: 1,
        baseline: 2 / 3,
        lift: 1 / (2 / 3),
        category_coverage: 2 / 3,
        conversion_coverage: 1,
      },
      {
        category: 'technology',
        kind: 'technographic',
        signal: 'HubSpot',
        count: 1,
        conversions: 0,
        rate: 0,
        baseline: 2 / 3,
        lift: 0,
        category_coverage: 1 / 3,
        conversion_coverage: 0,
      },
      {
        category: 'job_level',
        kind: 'demographic',
        signal: 'VP',
        count: 3,
        conversions: 0,
        rate: 0,
        baseline: 0,
        lift: null,
        category_coverage: 3 / 6,
        conversion_coverage: null,
      },
    ]);
    expect(rows[0]?.lift).toBeCloseTo(4 / 3, 12);
  });
});
