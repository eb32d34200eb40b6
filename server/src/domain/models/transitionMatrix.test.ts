import { qualifiedImpact, backtestDay, sampledDays } from './qualifiedImpact';
import { drillDown, pairAccounts, transitionMatrix, type AccountState } from './transitionMatrix';

const state = (stage: AccountState['stage'], fit: AccountState['fit'], qualified: boolean): AccountState => ({
  stage,
  fit,
  intent_score: 50,
  profile_score: 60,
  qualified,
});

/** a moves up and stays qualified, b becomes qualified, c is gone from the candidate's day, d is new. */
const ACTIVE = new Map([
  ['c', state('Purchase', 'Moderate', true)],
  ['a', state('Decision', 'Strong', true)],
  ['b', state('Target', 'Weak', false)],
]);
const CANDIDATE = new Map([
  ['d', state('Awareness', null, false)],
  ['b', state('Decision', 'Moderate', true)],
  ['a', state('Purchase', 'Strong', true)],
]);

describe('candidate against active, account by account', () => {
  const accounts = pairAccounts(ACTIVE, CANDIDATE);

  it('pairs every account of either side once, by id', () => {
    expect(accounts.map((a) => [a.account_id, a.active?.stage ?? null, a.candidate?.stage ?? null])).toEqual([
      ['a', 'Decision', 'Purchase'],
      ['b', 'Target', 'Decision'],
      ['c', 'Purchase', null],
      ['d', null, 'Awareness'],
    ]);
  });

  it('counts the moves of stage and fit, none for a missing value or side', () => {
    const stage = transitionMatrix(accounts, 'stage');
    expect(Object.keys(stage)).toEqual([
      'Target',
      'Awareness',
      'Consideration',
      'Decision',
      'Purchase',
      'none',
    ]);
    expect(stage.Decision).toEqual({
      Target: 0,
      Awareness: 0,
      Consideration: 0,
      Decision: 0,
      Purchase: 1,
      none: 0,
    });
    expect(stage.Target?.Decision).toBe(1);
    expect(stage.Purchase?.none).toBe(1);
    expect(stage.none?.Awareness).toBe(1);
    const total = Object.values(stage)
      .flatMap((row) => Object.values(row))
      .reduce((s, n) => s + n, 0);
    expect(total).toBe(4);
    expect(transitionMatrix(accounts, 'fit')).toEqual({
      Strong: { Strong: 1, Moderate: 0, Weak: 0, none: 0 },
      Moderate: { Strong: 0, Moderate: 0, Weak: 0, none: 1 },
      Weak: { Strong: 0, Moderate: 1, Weak: 0, none: 0 },
      none: { Strong: 0, Moderate: 0, Weak: 0, none: 1 },
    });
  });

  it('drills down to a cell, a row, a column, or a qualified change', () => {
    const ids = (filter: Parameters<typeof drillDown>[1]) =>
      drillDown(accounts, filter).map((a) => a.account_id);
    expect(ids({ kind: 'stage', from: 'Decision', to: 'Purchase' })).toEqual(['a']);
    expect(ids({ kind: 'stage', from: 'Decision', to: 'Decision' })).toEqual([]);
    expect(ids({ kind: 'stage', to: 'none' })).toEqual(['c']);
    expect(ids({ kind: 'fit', from: 'none' })).toEqual(['d']);
    expect(ids({ kind: 'fit' })).toEqual(['a', 'b', 'c', 'd']);
    expect(ids({ kind: 'becoming_qualified' })).toEqual(['b']);
    expect(ids({ kind: 'stopping_qualified' })).toEqual(['c']);
  });

  it('counts the qualified accounts of the day and averages the sampled days', () => {
    expect(
      qualifiedImpact('2024-03-31', accounts, [
        { day: '2024-01-01', active: 3, candidate: 4 },
        { day: '2024-01-16', active: 5, candidate: 5 },
      ]),
    ).toEqual({
      day: '2024-03-31',
      active_qualified: 2,
      candidate_qualified: 2,
      becoming_qualified: 1,
      stopping_qualified: 1,
      average_qualified_per_day: { active: 4, candidate: 4.5, days_sampled: ['2024-01-01', '2024-01-16'] },
    });
    expect(qualifiedImpact('2024-03-31', [], []).average_qualified_per_day).toEqual({
      active: null,
      candidate: null,
      days_sampled: [],
    });
  });

  it('samples every 15th day of the 90 before the day, the first being the backtest day', () => {
    expect(sampledDays('2024-03-31')).toEqual([
      '2024-01-01',
      '2024-01-16',
      '2024-01-31',
      '2024-02-15',
      '2024-03-01',
      '2024-03-16',
    ]);
    expect(backtestDay('2024-03-31')).toBe('2024-01-01');
  });
});
