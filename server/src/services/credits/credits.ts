import { creditBalance, periodBounds } from '../../domain/orchestrations/credits';
import type { CreditBalance, CreditPeriod, CreditSettings } from '../../domain/orchestrations/types';
import { AppError } from '../../errors';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';

/**
 * The credit ledger (docs/orchestrations.md "Credits"): one allowance per period, and one
 * charge per purchase (credit_ledger.purchase_id is unique, so a purchase is charged exactly
 * once). The arithmetic is the domain's (domain/orchestrations/credits.ts); this reads and
 * writes the store.
 */

/** How the app, the routes and `credits --json` show a balance: dates as ISO instants. */
export interface CreditView {
  allowance: number;
  period: CreditPeriod;
  allowOverage: boolean;
  periodStart: string;
  periodEnd: string;
  used: number;
  balance: number;
  overage: number;
}

export interface CreditEntry {
  chargedAt: string;
  amount: number;
  purchaseId: number;
  orchestrationId: number | null;
  runId: number | null;
  email: string;
  note: string | null;
}

/** The most ledger entries one call returns. */
export const MAX_CREDIT_ENTRIES = 1000;

export function creditView(balance: CreditBalance): CreditView {
  return {
    ...balance,
    periodStart: balance.periodStart.toISOString(),
    periodEnd: balance.periodEnd.toISOString(),
  };
}

/** The allowance as set, or null when nobody set one yet (then nothing may be bought). */
export async function creditSettings(db: Db): Promise<CreditSettings | null> {
  const [row] = await db.query<{ allowance: number; period: CreditPeriod; allow_overage: boolean }>(
    'SELECT allowance::float8 AS allowance, period, allow_overage FROM credit_settings WHERE id = 1',
  );
  return row ? { allowance: row.allowance, period: row.period, allowOverage: row.allow_overage } : null;
}

/** The balance of the period `now` is in; null when no allowance is set. */
export async function getCredits(db: Db, now: Date): Promise<CreditBalance | null> {
  const settings = await creditSettings(db);
  if (!settings) return null;
  const { start, end } = periodBounds(settings.period, now);
  // Only the period's charges: the ledger grows with every purchase ever made.
  const charges = await db.query<{ at: Date; amount: number }>(
    `SELECT charged_at AS at, amount::float8 AS amount FROM credit_ledger
      WHERE charged_at >= $1 AND charged_at < $2`,
    [start, end],
  );
  return creditBalance(
    settings,
    charges.map((c) => ({ at: new Date(c.at), amount: c.amount })),
    now,
  );
}

export interface SetCreditsProps {
  db: Db;
  /** Credits per period, a non-negative number. */
  allowance: number;
  /** Default: the current period, or `month` when none was set. */
  period?: CreditPeriod;
  /** Default: as it was, or false when nothing was set. */
  allowOverage?: boolean;
  actor: Actor;
  /** The clock of the balance returned; default: now. */
  now?: Date;
}

/** Sets the allowance (Admin and Operations); returns the balance it gives now. */
export async function setCredits(props: SetCreditsProps): Promise<CreditBalance> {
  const { db, actor } = props;
  authorize(actor, 'orchestrations.manage', 'setting the credit allowance');
  if (typeof props.allowance !== 'number' || !Number.isFinite(props.allowance) || props.allowance < 0) {
    throw new AppError(
      'validation_failed',
      `the credit allowance must be a number of credits, 0 or more (got ${String(props.allowance)})`,
      { path: ['allowance'] },
    );
  }
  if (props.period !== undefined && props.period !== 'month') {
    throw new AppError('validation_failed', `the credit period must be month (got ${String(props.period)})`, {
      path: ['period'],
    });
  }
  await db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO credit_settings (id, allowance, period, allow_overage, updated_at, updated_by)
     VALUES (1, $1, coalesce($2, 'month'), coalesce($3, false), now(), $4)
     ON CONFLICT (id) DO UPDATE SET allowance = excluded.allowance,
       period = coalesce($2, credit_settings.period),
       allow_overage = coalesce($3, credit_settings.allow_overage),
       updated_at = now(), updated_by = excluded.updated_by`,
      [props.allowance, props.period ?? null, props.allowOverage ?? null, actorLabel(actor)],
    );
    await recordAudit(tx, actor, {
      action: 'credits.set',
      targetType: 'credits',
      summary: `set the credit allowance to ${props.allowance}${props.allowOverage === undefined ? '' : props.allowOverage ? ', overage allowed' : ', no overage'}`,
      counts: { allowance: props.allowance },
    });
  });
  return (await getCredits(db, props.now ?? new Date()))!;
}

/** The ledger, newest charge first (default: the last 50). */
export async function creditEntries(db: Db, options: { limit?: number } = {}): Promise<CreditEntry[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), MAX_CREDIT_ENTRIES);
  const rows = await db.query<{
    charged_at: Date;
    amount: number;
    purchase_id: string;
    orchestration_id: string | null;
    run_id: string | null;
    email: string;
    note: string | null;
  }>(
    `SELECT l.charged_at, l.amount::float8 AS amount, l.purchase_id, l.orchestration_id, l.run_id, p.email, l.note
       FROM credit_ledger l JOIN contact_purchases p ON p.id = l.purchase_id
      ORDER BY l.charged_at DESC, l.id DESC
      LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    chargedAt: new Date(r.charged_at).toISOString(),
    amount: r.amount,
    purchaseId: Number(r.purchase_id),
    orchestrationId: r.orchestration_id === null ? null : Number(r.orchestration_id),
    runId: r.run_id === null ? null : Number(r.run_id),
    email: r.email,
    note: r.note,
  }));
}
