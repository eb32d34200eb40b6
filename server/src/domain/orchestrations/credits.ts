import type { CreditBalance, CreditPeriod, CreditSettings } from './types';

/**
 * The credit ledger's arithmetic. Credits are whole units a provider charges per person bought
 * (the row's `cost`); an allowance is granted per period, and a period is a UTC calendar month.
 *
 * For the period [start, end) holding `now`:
 * - used = Σ amount of the charges with start ≤ at < end (credits; charges of other periods do not count);
 * - balance = max(0, allowance − used);
 * - overage = max(0, used − allowance).
 * So balance − overage = allowance − used, and at most one of them is above 0.
 */

/** The period holding `now`: from midnight UTC on the 1st of its month to the 1st of the next (excluded). */
export function periodBounds(period: CreditPeriod, now: Date): { start: Date; end: Date } {
  switch (period) {
    case 'month':
      return {
        start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
        end: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
      };
  }
}

/** The ledger's state in the period holding `now`, from every charge (any period) and the settings. */
export function creditBalance(
  settings: CreditSettings,
  charges: readonly { at: Date; amount: number }[],
  now: Date,
): CreditBalance {
  const { start, end } = periodBounds(settings.period, now);
  const used = charges
    .filter((charge) => charge.at >= start && charge.at < end)
    .reduce((sum, charge) => sum + charge.amount, 0);
  return {
    allowance: settings.allowance,
    period: settings.period,
    allowOverage: settings.allowOverage,
    periodStart: start,
    periodEnd: end,
    used,
    balance: Math.max(0, settings.allowance - used),
    overage: Math.max(0, used - settings.allowance),
  };
}

/** Whether a purchase costing `cost` credits may go ahead: it leaves the balance at 0 or more, or overage is allowed. */
export function affordable(balance: CreditBalance, cost: number): boolean {
  return balance.allowOverage || balance.balance - cost >= 0;
}
