import { hanleyMcNeilInterval } from '../reports/modelInsightsAuc';
import {
  backtestNote,
  backtestPopulation,
  comparisonTallies,
  versionMetrics,
  windowOutcomes,
  type ScoredAccount,
  type WindowOpportunity,
} from './comparisonTallies';

const END = Date.parse('2024-04-01T00:00:00Z');
const RULE = { types: ['New Business'], minimumAmount: 0 };

/**
 * Seven accounts scored at B. Outcomes in the window: a2 one opportunity; a3 two, one of them won
 * before the end; a5 one won exactly at the end (not won in the window); a6 one; a1's two are not
 * relevant; zz was not scored.
 */
const ACCOUNTS: ScoredAccount[] = [
  { accountId: 'a1', stage: 'Target', fit: 'Weak', intentScore: 10 },
  { accountId: 'a2', stage: 'Awareness', fit: 'Moderate', intentScore: 30 },
  { accountId: 'a3', stage: 'Decision', fit: 'Strong', intentScore: 80 },
  { accountId: 'a4', stage: 'Decision', fit: 'Strong', intentScore: 80 },
  { accountId: 'a5', stage: 'Purchase', fit: 'Strong', intentScore: 90 },
  { accountId: 'a6', stage: null, fit: null, intentScore: null },
  { accountId: 'a7', stage: 'Target', fit: 'Weak', intentScore: 10 },
];

const opportunity = (accountId: string, more: Partial<WindowOpportunity>): WindowOpportunity => ({
  accountId,
  relevant: true,
  type: null,
  amount: null,
  isWon: false,
  closedMs: null,
  ...more,
});

const OPPORTUNITIES: WindowOpportunity[] = [
  opportunity('a2', {}),
  opportunity('a3', { relevant: null, type: 'new business', amount: 100, isWon: true, closedMs: END - 1 }),
  opportunity('a3', {}),
  opportunity('a5', { isWon: true, closedMs: END }),
  opportunity('a6', {}),
  opportunity('a1', { relevant: null, type: 'Renewal', amount: 500 }),
  opportunity('a1', { relevant: false }),
  opportunity('zz', {}),
];

describe('the comparison backtest', () => {
  const outcomes = windowOutcomes(OPPORTUNITIES, RULE, END);

  it('counts relevant opportunities by account, won ones only when closed before the end', () => {
    expect(Object.fromEntries(outcomes)).toEqual({
      a2: { opportunities: 1, wonOpportunities: 0 },
      a3: { opportunities: 2, wonOpportunities: 1 },
      a5: { opportunities: 1, wonOpportunities: 0 },
      a6: { opportunities: 1, wonOpportunities: 0 },
      zz: { opportunities: 1, wonOpportunities: 0 },
    });
  });

  it('tallies alike accounts together and leaves unscored accounts out', () => {
    const tallies = comparisonTallies(ACCOUNTS, outcomes);
    expect(tallies).toEqual([
      {
        stage: 'Target',
        fit: 'Weak',
        intentScore: 10,
        converted: false,
        won: false,
        accounts: 2,
        opportunities: 0,
        wonOpportunities: 0,
      },
      {
        stage: 'Awareness',
        fit: 'Moderate',
        intentScore: 30,
        converted: true,
        won: false,
        accounts: 1,
        opportunities: 1,
        wonOpportunities: 0,
      },
      {
        stage: 'Decision',
        fit: 'Strong',
        intentScore: 80,
        converted: true,
        won: true,
        accounts: 1,
        opportunities: 2,
        wonOpportunities: 1,
      },
      {
        stage: 'Decision',
        fit: 'Strong',
        intentScore: 80,
        converted: false,
        won: false,
        accounts: 1,
        opportunities: 0,
        wonOpportunities: 0,
      },
      {
        stage: 'Purchase',
        fit: 'Strong',
        intentScore: 90,
        converted: true,
        won: false,
        accounts: 1,
        opportunities: 1,
        wonOpportunities: 0,
      },
      {
        stage: null,
        fit: null,
        intentScore: null,
        converted: true,
        won: false,
        accounts: 1,
        opportunities: 1,
        wonOpportunities: 0,
      },
    ]);
    expect(backtestPopulation(ACCOUNTS, outcomes)).toEqual({ accounts: 7, converters: 4, opportunities: 5 });
  });

  it("measures each stage and band with the model insights' definitions", () => {
    const metrics = versionMetrics(comparisonTallies(ACCOUNTS, outcomes));
    // Six accounts with a stage, three of them converters; above Target: 3 of 4 converted.
    const baseline = 3 / 4;
    expect(metrics.account_behavior).toEqual({
      Target: {
        accounts: 2,
        share: 2 / 6,
        converters: 0,
        converter_share: 0,
        conversion: 0,
        baseline,
        lift: 0,
        opportunities: 0,
        opportunity_share: 0,
      },
      Awareness: {
        accounts: 1,
        share: 1 / 6,
        converters: 1,
        converter_share: 1 / 3,
        conversion: 1,
        baseline,
        lift: 1 / baseline,
        opportunities: 1,
        opportunity_share: 1 / 4,
      },
      Consideration: {
        accounts: 0,
        share: 0,
        converters: 0,
        converter_share: 0,
        conversion: null,
        baseline,
        lift: null,
        opportunities: 0,
        opportunity_share: 0,
      },
      Decision: {
        accounts: 2,
        share: 2 / 6,
        converters: 1,
        converter_share: 1 / 3,
        conversion: 1 / 2,
        baseline,
        lift: 1 / 2 / baseline,
        opportunities: 2,
        opportunity_share: 2 / 4,
      },
      Purchase: {
        accounts: 1,
        share: 1 / 6,
        converters: 1,
        converter_share: 1 / 3,
        conversion: 1,
        baseline,
        lift: 1 / baseline,
        opportunities: 1,
        opportunity_share: 1 / 4,
      },
    });
    expect(metrics.identification_rate).toBe(2 / 3);
    // Converters score 30, 80, 90; the others 10, 10, 80: 7.5 of 9 pairs (the 80s tie).
    expect(metrics.auc).toBe(7.5 / 9);
    expect(metrics.auc_ci).toEqual(hanleyMcNeilInterval(7.5 / 9, 3, 3));
    // Every account counts for the fit baselines: 4 of 7 converted, 1 of 7 won; 5 opportunities, 1 won.
    expect(metrics.account_fit.Strong).toEqual({
      accounts: 3,
      share: 3 / 7,
      converters: 2,
      conversion: 2 / 3,
      baseline: 4 / 7,
      lift: 2 / 3 / (4 / 7),
      winners: 1,
      win_conversion: 1 / 3,
      win_baseline: 1 / 7,
      win_lift: 1 / 3 / (1 / 7),
      opportunities: 3,
      opportunity_share: 3 / 5,
      won_opportunities: 1,
      won_opportunity_share: 1,
    });
    expect(metrics.account_fit.Moderate).toMatchObject({ accounts: 1, converters: 1, lift: 1 / (4 / 7) });
    expect(metrics.account_fit.Weak).toMatchObject({ accounts: 2, share: 2 / 7, converters: 0, lift: 0 });
  });

  it('says which side learnt from the window', () => {
    expect(backtestNote('2024-01-01', '2024-03-31', { active: '2023-12-01', candidate: '2023-12-31' })).toBe(
      "both sides were trained on facts before 2024-01-01: neither saw this window's outcomes",
    );
    expect(backtestNote('2024-01-01', '2024-03-31', { active: '2023-12-01', candidate: '2024-03-01' })).toBe(
      'the candidate was trained on facts before 2024-03-01, which include the outcomes of 2024-01-01 to ' +
        '2024-03-01 (not included) of this window: its figures here lean in its favour; the roll-out gate ' +
        "uses each version's own out-of-fold figures instead",
    );
    expect(backtestNote('2024-01-01', '2024-03-31', { active: '2024-02-01', candidate: '2024-04-15' })).toBe(
      'the candidate was trained on facts before 2024-04-15, which include the outcomes of 2024-01-01 to ' +
        '2024-03-31 (not included) of this window; the active was trained on facts before 2024-02-01, which ' +
        "include the outcomes of 2024-01-01 to 2024-02-01 (not included) of this window: each side's " +
        'figures here lean in its favour, the more so the later it was trained; the roll-out gate uses ' +
        "each version's own out-of-fold figures instead",
    );
  });
});
