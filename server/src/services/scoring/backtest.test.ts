import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedDemoMarket } from '../demo/seedDemoMarket';
import { backtest } from './backtest';

const END = new Date('2026-11-01T00:00:00Z');

describe.each(testStoreTargets())('backtest on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    await seedDemoMarket({ db, seed: 23, accounts: 160, endDate: END });
  }, 120_000);

  it('judges every account and person scored 90 days before, the same whether read in one part or in parts of 7', async () => {
    const whole = await backtest(db, { asOf: END });
    const [counts] = await db.query<{ accounts: number }>(
      `SELECT count(*)::int AS accounts FROM accounts WHERE created_at IS NULL OR created_at < '2026-08-03'`,
    );
    expect(whole).toMatchObject({ asOf: '2026-11-01', scoredAsOf: '2026-08-03', accounts: counts?.accounts });
    expect(whole.byStage.reduce((sum, g) => sum + g.accounts, 0)).toBe(counts?.accounts);
    expect(whole.byGrade.reduce((sum, g) => sum + g.accounts, 0)).toBeGreaterThan(counts!.accounts);
    expect(whole.converted).toBeGreaterThan(0);
    expect(await backtest(db, { asOf: END, accountsPerPart: 7 })).toEqual(whole);
  }, 300_000);
});
