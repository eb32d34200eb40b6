import { affordable, creditBalance, periodBounds } from './credits';
import type { CreditSettings } from './types';

const at = (iso: string) => new Date(iso);

describe('periodBounds', () => {
  it.each([
    ['2026-03-15T12:00:00Z', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ['2026-03-01T00:00:00Z', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ['2026-03-31T23:59:59.999Z', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ['2026-12-31T23:00:00Z', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2028-02-29T10:00:00Z', '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
    // 23:30 on 31 March in New York is already April in UTC: the month is UTC's.
    ['2026-04-01T03:30:00Z', '2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'],
  ])('puts %s in [%s, %s)', (now, start, end) => {
    const bounds = periodBounds('month', at(now));
    expect([bounds.start.toISOString(), bounds.end.toISOString()]).toEqual([start, end]);
  });
});

describe('creditBalance', () => {
  const settings: CreditSettings = { allowance: 100, period: 'month', allowOverage: false };
  const charges = [
    { at: at('2026-02-28T23:59:59.999Z'), amount: 40 }, // February: not counted in March
    { at: at('2026-03-01T00:00:00Z'), amount: 3 }, // the first instant of March counts
    { at: at('2026-03-10T09:00:00Z'), amount: 1 },
    { at: at('2026-03-31T23:59:59.999Z'), amount: 2 },
    { at: at('2026-04-01T00:00:00Z'), amount: 50 }, // April: not counted in March
  ];

  it('counts the charges of the current month only', () => {
    expect(creditBalance(settings, charges, at('2026-03-20T12:00:00Z'))).toEqual({
      allowance: 100,
      period: 'month',
      allowOverage: false,
      periodStart: at('2026-03-01T00:00:00Z'),
      periodEnd: at('2026-04-01T00:00:00Z'),
      used: 6,
      balance: 94,
      overage: 0,
    });
  });

  it('starts again at the month boundary', () => {
    const april = creditBalance(settings, charges, at('2026-04-01T00:00:00Z'));
    expect([april.used, april.balance, april.overage]).toEqual([50, 50, 0]);
    const february = creditBalance(settings, charges, at('2026-02-28T23:59:59.999Z'));
    expect([february.used, february.balance, february.overage]).toEqual([40, 60, 0]);
  });

  it('reports overage past the allowance, with a balance of 0', () => {
    const small = { ...settings, allowance: 4, allowOverage: true };
    const march = creditBalance(small, charges, at('2026-03-20T12:00:00Z'));
    expect([march.used, march.balance, march.overage]).toEqual([6, 0, 2]);
    const exact = creditBalance({ ...settings, allowance: 6 }, charges, at('2026-03-20T12:00:00Z'));
    expect([exact.used, exact.balance, exact.overage]).toEqual([6, 0, 0]);
  });

  it('is the whole allowance without charges', () => {
    const empty = creditBalance(settings, [], at('2026-03-20T12:00:00Z'));
    expect([empty.used, empty.balance, empty.overage]).toEqual([0, 100, 0]);
  });
});

describe('affordable', () => {
  const now = at('2026-03-20T12:00:00Z');
  const balanceOf = (allowance: number, used: number, allowOverage: boolean) =>
    creditBalance({ allowance, period: 'month', allowOverage }, [{ at: now, amount: used }], now);

  it('allows a cost down to a balance of exactly 0', () => {
    expect(affordable(balanceOf(10, 7, false), 3)).toBe(true);
    expect(affordable(balanceOf(10, 7, false), 4)).toBe(false);
    expect(affordable(balanceOf(10, 10, false), 1)).toBe(false);
    expect(affordable(balanceOf(10, 10, false), 0)).toBe(true);
  });

  it('allows anything when overage is allowed', () => {
    expect(affordable(balanceOf(10, 12, true), 5)).toBe(true);
  });
});
