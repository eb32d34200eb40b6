/**
 * `signalfit credits …` (docs/command-line.md "Credits"): the credit allowance and balance of
 * contact purchases, as the command line's operator (policies.OPERATOR).
 */
import type { CreditPeriod } from '../../domain/orchestrations/types';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import { creditView, getCredits, setCredits, type CreditView } from '../../services/credits/credits';
import { reportFailure } from '../failure';

const n = (value: number) => value.toLocaleString('en-US');

/** `credits set --allowance N [--period month] [--allow-overage | --no-allow-overage]`: prints the balance. */
export async function setCreditsCommand(options: {
  allowance: number;
  period?: CreditPeriod;
  allowOverage?: boolean;
}): Promise<void> {
  try {
    const balance = await withStore(readConfig(), (db) =>
      setCredits({
        db,
        allowance: options.allowance,
        period: options.period,
        allowOverage: options.allowOverage,
        actor: OPERATOR,
      }),
    );
    process.stdout.write(formatCredits(creditView(balance)));
  } catch (error) {
    reportFailure(error);
  }
}

/** `credits [--json]`: the balance of the current period. */
export async function creditsCommand(options: { json?: boolean }): Promise<void> {
  try {
    const balance = await withStore(readConfig(), (db) => getCredits(db, new Date()));
    const view = balance && creditView(balance);
    if (options.json) process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    else process.stdout.write(view ? formatCredits(view) : NO_ALLOWANCE);
  } catch (error) {
    reportFailure(error);
  }
}

const NO_ALLOWANCE =
  'no credit allowance is set: nothing is bought until one is (signalfit credits set --allowance N)\n';

/** The balance as a two-column table. */
export function formatCredits(view: CreditView): string {
  const rows: [string, string][] = [
    ['allowance', `${n(view.allowance)} a ${view.period}`],
    ['period', `${view.periodStart.slice(0, 10)} to ${view.periodEnd.slice(0, 10)} (UTC, end excluded)`],
    ['used', n(view.used)],
    ['balance', n(view.balance)],
    ['overage', `${n(view.overage)} (${view.allowOverage ? 'allowed' : 'not allowed: buying stops at 0'})`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join('');
}
