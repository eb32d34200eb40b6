import { OPERATOR, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { backtestMonth, modelInsights } from './modelInsights';

const TODAY = new Date('2024-07-15T10:00:00Z');
const SALES: Actor = { userId: 'u-sales', name: 'Sam Sales', role: 'Sales' };

/**
 * Backtest month 2024-03: the run as of 2024-03-01, window [2024-03-01, 2024-06-01). The same
 * eight accounts as domain/reports/modelInsights.test.ts: converters a2 (by the configured rule),
 * a4, a6, a7, a8; winners a4 and a7. Opportunities that must not count: a3's irrelevant one and
 * its one on the window's end, a5's a second before the window, a6's Renewal (irrelevant by the
 * rule). Converted before the month (signals): a1 and a5.
 */
async function loadMarket(db: Db): Promise<void> {
  await db.run(
    `INSERT INTO score_runs (id, as_of, status, model_version, accounts, people) VALUES (7, '2024-03-01', 'complete', 'm1', 8, 6)`,
  );
  const accounts: [
    string,
    string | null,
    number | null,
    number | null,
    string | null,
    string | null,
    string[],
  ][] = [
    ['a1', 'Software', 30, 5_000_000, 'US', '5112', ['Salesforce', 'HubSpot']],
    ['a2', 'Software', 60, null, null, null, []],
    ['a3', 'Retail', null, null, null, null, []],
    ['a4', null, null, null, null, null, []],
    ['a5', null, null, null, null, null, ['Salesforce']],
    ['a6', null, null, null, null, null, []],
    ['a7', null, null, null, null, null, []],
    ['a8', null, null, null, null, null, []],
  ];
  for (const [id, industry, employees, revenue, country, naics, technologies] of accounts) {
    await db.run(
      `INSERT INTO accounts (id, name, industry, employees, annual_revenue, country, naics, technologies)
       VALUES ($1, $1, $2, $3, $4, $5, $6, $7::text[])`,
      [id, industry, employees, revenue, country, naics, technologies],
    );
  }
  const scores: [string, string | null, string | null, number | null][] = [
    ['a1', 'Target', 'Weak', 10],
    ['a2', 'Target', 'Weak', 20],
    ['a3', 'Consideration', 'Moderate', 40],
    ['a4', 'Consideration', 'Moderate', 60],
    ['a5', 'Decision', 'Strong', 60],
    ['a6', 'Decision', 'Strong', 80],
    ['a7', 'Purchase', 'Strong', 90],
    ['a8', null, null, null],
  ];
  for (const [id, stage, fit, intent] of scores) {
    await db.run(
      `INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, profile_fit, reach, qualified)
       VALUES (7, $1, $2, $3, $4, 'Low', false)`,
      [id, intent, stage, fit],
    );
  }
  const opportunities: [
    string,
    string,
    string | null,
    number | null,
    boolean | null,
    boolean,
    string,
    string | null,
  ][] = [
    ['o1', 'a1', null, null, true, false, '2024-01-10T00:00:00Z', null],
    ['o2', 'a2', 'New Business', 100, null, false, '2024-03-05T00:00:00Z', null],
    ['o3', 'a3', 'New Business', 100, false, false, '2024-03-06T00:00:00Z', null],
    ['o4', 'a3', null, null, true, false, '2024-06-01T00:00:00Z', null],
    ['o5', 'a4', null, null, true, true, '2024-03-10T00:00:00Z', '2024-05-20T00:00:00Z'],
    ['o6', 'a5', null, null, true, false, '2024-02-29T23:59:59Z', null],
    ['o7', 'a6', null, null, true, true, '2024-04-01T00:00:00Z', '2024-06-15T00:00:00Z'],
    ['o8', 'a6', 'Renewal', 500, null, true, '2024-04-02T00:00:00Z', '2024-04-03T00:00:00Z'],
    ['o9', 'a7', null, null, true, true, '2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z'],
    ['o10', 'a8', null, null, true, false, '2024-05-31T23:59:59Z', null],
  ];
  for (const [id, accountId, type, amount, relevant, won, created, closed] of opportunities) {
    await db.run(
      `INSERT INTO opportunities (id, account_id, type, amount, relevant, is_won, is_closed, created_at, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, accountId, type, amount, relevant, won, closed !== null, created, closed],
    );
  }
  const people: [
    string,
    string,
    string,
    number,
    string | null,
    string | null,
    string | null,
    string | null,
  ][] = [
    ['p1', 'a7', 'A', 50, 'Strong', 'VP', 'Marketing', 'Buyer'],
    ['p2', 'a3', 'A', 40, 'Moderate', 'VP', null, null],
    ['p3', 'a4', 'B', 30, 'Strong', 'Director', null, null],
    ['p4', 'a1', 'C', 10, 'Weak', 'Manager', null, null],
    ['p5', 'a2', 'D', 0, 'Weak', null, null, null],
    ['p6', 'a5', 'D', 0, null, null, null, null],
  ];
  for (const [id, accountId, grade, score, fit, level, jobFunction, persona] of people) {
    await db.run(`INSERT INTO contacts (id, account_id, job_level, job_function) VALUES ($1, $2, $3, $4)`, [
      id,
      accountId,
      level,
      jobFunction,
    ]);
    await db.run(
      `INSERT INTO contact_scores (run_id, contact_id, account_id, engagement_score, engagement_grade, profile_fit, persona)
       VALUES (7, $1, $2, $3, $4, $5, $6)`,
      [id, accountId, score, grade, fit, persona],
    );
  }
}

describe('backtestMonth', () => {
  test('default three months before today; a bad or future month is a bad request', () => {
    expect(backtestMonth(undefined, TODAY)).toBe('2024-04');
    expect(backtestMonth(undefined, new Date('2024-02-01T00:00:00Z'))).toBe('2023-11');
    expect(backtestMonth('2024-07', TODAY)).toBe('2024-07');
    expect(() => backtestMonth('2024-13', TODAY)).toThrow('month: "2024-13" is not a month (YYYY-MM)');
    expect(() => backtestMonth('2024-01..2024-02', TODAY)).toThrow('is not a month');
    expect(() => backtestMonth('2024-08', TODAY)).toThrow(
      'month: 2024-08 is after the current month 2024-07',
    );
  });
});

describe.each(testStoreTargets())('model insights on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(() => loadMarket(db));

  test('the tables of the fixed market, from its stored run', async () => {
    const report = await modelInsights({ db, actor: OPERATOR, month: '2024-03', today: TODAY });
    expect(report.parameters).toEqual({
      month: '2024-03',
      window: { start: '2024-03-01', end: '2024-06-01' },
    });
    expect(report.run).toEqual({ runId: 7, asOf: '2024-03-01' });
    expect(report.notes).toEqual([]);
    expect(report.account_behavior.Decision).toEqual({
      accounts: 2,
      share: 2 / 7,
      converters: 1,
      converter_share: 1 / 4,
      conversion: 1 / 2,
      baseline: 3 / 5,
      lift: 1 / 2 / (3 / 5),
    });
    expect(report.account_behavior.Awareness.accounts).toBe(0);
    expect(report.identification_rate).toBe(1 / 2);
    expect(report.auc).toBe(19 / 24);
    expect(report.auc_ci?.[0]).toBeCloseTo(0.43561856013392, 12);
    expect(report.account_fit.Strong).toEqual({
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
    });
    expect(report.contact_behavior.B).toEqual({
      people: 1,
      share: 1 / 6,
      converted: 1,
      conversion: 1,
      baseline: 1 / 2,
      lift: 2,
    });
    // p1 (a7) and p3 (a4) both won: W = 2 of 6.
    expect(report.contact_fit.Strong).toEqual({
      people: 2,
      share: 2 / 6,
      converted: 2,
      conversion: 1,
      baseline: 1 / 2,
      lift: 2,
      winners: 2,
      win_conversion: 1,
      win_baseline: 2 / 6,
      win_lift: 3,
    });
    const signals = report.signals.map((s) => [s.category, s.signal, s.count, s.conversions, s.baseline]);
    expect(signals).toEqual([
      ['industry', 'Software', 2, 1, 2 / 8],
      ['industry', 'Retail', 1, 0, 2 / 8],
      ['employee_range', '1–49', 1, 1, 2 / 8],
      ['employee_range', '50–199', 1, 0, 2 / 8],
      ['revenue_range', '<10M', 1, 1, 2 / 8],
      ['country', 'US', 1, 1, 2 / 8],
      ['naics', '5112', 1, 1, 2 / 8],
      ['technology', 'Salesforce', 2, 2, 1],
      ['technology', 'HubSpot', 1, 1, 1],
      ['job_level', 'VP', 2, 0, 2 / 6],
      ['job_level', 'Director', 1, 0, 2 / 6],
      ['job_level', 'Manager', 1, 1, 2 / 6],
      ['job_function', 'Marketing', 1, 0, 2 / 6],
      ['persona', 'Buyer', 1, 0, 2 / 6],
    ]);
    expect(report.signals[0]).toMatchObject({
      rate: 1 / 2,
      lift: 2,
      category_coverage: 2 / 8,
      conversion_coverage: 1 / 2,
    });
  });

  test('a month without a run: one is scored and the notes say so, and that the window is still open', async () => {
    const report = await modelInsights({ db, actor: OPERATOR, month: '2024-06', today: TODAY });
    expect(report.run.asOf).toBe('2024-06-01');
    expect(report.run.runId).not.toBe(7);
    expect(report.notes).toEqual([
      `scored a run as of 2024-06-01 for this report (run ${report.run.runId}); it is kept like any run`,
      'the window 2024-06-01 to 2024-09-01 has not ended on 2024-07-15: opportunities opened after today are not counted yet',
    ]);
    const again = await modelInsights({ db, actor: OPERATOR, month: '2024-06', today: TODAY });
    expect(again.run).toEqual(report.run);
    expect(again.notes).toHaveLength(1);
  }, 60_000);

  test('Sales may not read it', async () => {
    await expect(modelInsights({ db, actor: SALES, month: '2024-03', today: TODAY })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
