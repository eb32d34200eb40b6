import { creditBalance, periodBounds } from '../../domain/orchestrations/credits';
import type { CreditBalance, CreditSettings, ProviderContact } from '../../domain/orchestrations/types';
import type { PurchaseAnswer } from '../../integrations/providers/provider';
import type { Db } from '../../store/db';

/**
 * The rows of contact_purchases and credit_ledger as purchaseContacts reads and writes them.
 * A purchase is `requested` (committed before the provider is asked), then `purchased` (charged
 * once: credit_ledger.purchase_id is unique) or `failed` (the provider refused; may be tried again).
 */

export interface PurchaseRow {
  id: number;
  /** contact_providers.id */
  providerRecordId: number;
  providerContactId: string;
  email: string;
  /** purchaseContacts always writes it. */
  accountId: string;
  contact: ProviderContact;
  state: 'requested' | 'purchased' | 'failed';
  cost: number;
  idempotencyKey: string;
}

const COLUMNS = `id, provider_id, provider_contact_id, email, account_id, contact, state, cost::float8 AS cost, idempotency_key`;

type RawRow = {
  id: string;
  provider_id: string;
  provider_contact_id: string;
  email: string;
  account_id: string | null;
  contact: ProviderContact;
  state: PurchaseRow['state'];
  cost: number;
  idempotency_key: string;
};

const toRow = (r: RawRow): PurchaseRow => ({
  id: Number(r.id),
  providerRecordId: Number(r.provider_id),
  providerContactId: r.provider_contact_id,
  email: r.email,
  accountId: r.account_id ?? '',
  contact: typeof r.contact === 'string' ? (JSON.parse(r.contact) as ProviderContact) : r.contact,
  state: r.state,
  cost: r.cost,
  idempotencyKey: r.idempotency_key,
});

/** One transaction at a time decides who is bought (and what it costs), across instances. */
export async function lockPurchases(tx: Db): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['signalfit.purchases']);
}

/**
 * The purchases that hold these people already (not failed): by the provider's id, or by email
 * from any provider (a person is bought once, whoever sells them).
 */
export async function heldPurchases(
  db: Db,
  providerRecordId: number,
  providerContactIds: readonly string[],
  emails: readonly string[],
): Promise<PurchaseRow[]> {
  const rows = await db.query<RawRow>(
    `SELECT ${COLUMNS} FROM contact_purchases
      WHERE state <> 'failed'
        AND ((provider_id = $1 AND provider_contact_id = ANY($2::text[])) OR lower(email) = ANY($3::text[]))
      ORDER BY id`,
    [providerRecordId, providerContactIds, emails],
  );
  return rows.map(toRow);
}

/**
 * The idempotency keys of `requested` purchases left by a run that did not finish: those of
 * these people, and those this orchestration (or the panel, when null) requested.
 */
export async function unfinishedKeys(
  db: Db,
  providerRecordId: number,
  providerContactIds: readonly string[],
  orchestrationId: number | null,
): Promise<string[]> {
  const rows = await db.query<{ idempotency_key: string }>(
    `SELECT idempotency_key FROM contact_purchases
      WHERE provider_id = $1 AND state = 'requested'
        AND (provider_contact_id = ANY($2::text[]) OR orchestration_id IS NOT DISTINCT FROM $3)
      GROUP BY idempotency_key ORDER BY min(id)`,
    [providerRecordId, providerContactIds, orchestrationId],
  );
  return rows.map((r) => r.idempotency_key);
}

/** The requested purchases of one batch, in the order they were asked. */
export async function requestedBatch(db: Db, idempotencyKey: string): Promise<PurchaseRow[]> {
  const rows = await db.query<RawRow>(
    `SELECT ${COLUMNS} FROM contact_purchases WHERE idempotency_key = $1 AND state = 'requested' ORDER BY id`,
    [idempotencyKey],
  );
  return rows.map(toRow);
}

export interface NewRequest {
  row: ProviderContact & { email: string };
  accountId: string;
}

/**
 * Writes one batch's `requested` rows under one idempotency key. A person whose earlier
 * purchase failed is asked again on the same row (the provider's id is unique per provider).
 */
export async function insertRequested(
  tx: Db,
  props: {
    providerRecordId: number;
    requests: readonly NewRequest[];
    orchestrationId: number | null;
    runId: number | null;
    sourceType: string;
    idempotencyKey: string;
    by: string;
    now: Date;
  },
): Promise<PurchaseRow[]> {
  const rows: PurchaseRow[] = [];
  for (const { row, accountId } of props.requests) {
    const [inserted] = await tx.query<RawRow>(
      `INSERT INTO contact_purchases (provider_id, provider_contact_id, email, account_id, contact, orchestration_id,
         run_id, source_type, state, cost, idempotency_key, requested_at, requested_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, 'requested', $9, $10, $11, $12)
       ON CONFLICT (provider_id, provider_contact_id) DO UPDATE SET
         email = excluded.email, account_id = excluded.account_id, contact = excluded.contact,
         orchestration_id = excluded.orchestration_id, run_id = excluded.run_id,
         source_type = excluded.source_type, state = 'requested', cost = excluded.cost,
         idempotency_key = excluded.idempotency_key, error = NULL, requested_at = excluded.requested_at,
         requested_by = excluded.requested_by
       WHERE contact_purchases.state = 'failed'
       RETURNING ${COLUMNS}`,
      [
        props.providerRecordId,
        row.providerId,
        row.email,
        accountId,
        JSON.stringify(row),
        props.orchestrationId,
        props.runId,
        props.sourceType,
        row.cost,
        props.idempotencyKey,
        props.now,
        props.by,
      ],
    );
    // Under lockPurchases the caller saw no other holder; a row another holds is not taken.
    if (inserted) rows.push(toRow(inserted));
  }
  return rows;
}

export type Settled =
  | { purchase: PurchaseRow; ok: true; contact: ProviderContact; cost: number }
  | { purchase: PurchaseRow; ok: false; error: string };

/**
 * The provider's answer for one batch, in one transaction: each person purchased (with the row
 * and cost the provider reports) and charged once, or failed with the provider's reason. A row
 * another run settled meanwhile is left as it is (and not charged again).
 */
export async function settleBatch(
  db: Db,
  props: {
    batch: readonly PurchaseRow[];
    answers: readonly PurchaseAnswer[];
    providerName: string;
    now: Date;
  },
): Promise<Settled[]> {
  const answers = new Map(props.answers.map((a) => [a.providerId, a]));
  return db.transaction(async (tx) => {
    const settled: Settled[] = [];
    for (const purchase of props.batch) {
      const answer = answers.get(purchase.providerContactId);
      if (answer?.ok) {
        const changed = await tx.run(
          `UPDATE contact_purchases SET state = 'purchased', contact = $2::jsonb, cost = $3, purchased_at = $4, error = NULL
            WHERE id = $1 AND state = 'requested'`,
          [purchase.id, JSON.stringify(answer.contact), answer.cost, props.now],
        );
        if (changed === 1) {
          await tx.run(
            `INSERT INTO credit_ledger (charged_at, amount, purchase_id, orchestration_id, run_id, note)
             SELECT $2, $3, id, orchestration_id, run_id, $4 FROM contact_purchases WHERE id = $1
             ON CONFLICT (purchase_id) DO NOTHING`,
            [purchase.id, props.now, answer.cost, `bought from ${props.providerName}`],
          );
        }
        settled.push({ purchase, ok: true, contact: answer.contact, cost: answer.cost });
      } else {
        const error = answer
          ? answer.error
          : `the provider ${props.providerName} did not answer for this person; it may be bought again`;
        await tx.run(
          `UPDATE contact_purchases SET state = 'failed', error = $2 WHERE id = $1 AND state = 'requested'`,
          [purchase.id, error],
        );
        settled.push({ purchase, ok: false, error });
      }
    }
    return settled;
  });
}

/**
 * The balance as it will be once every requested purchase is charged: the period's charges
 * plus the cost of the purchases asked for and not settled yet (another run's, or a dead one's).
 */
export async function balanceWithPending(
  db: Db,
  settings: CreditSettings,
  now: Date,
): Promise<{ balance: CreditBalance; used: number }> {
  const { start, end } = periodBounds(settings.period, now);
  const [row] = await db.query<{ charged: number; pending: number }>(
    `SELECT (SELECT coalesce(sum(amount), 0)::float8 FROM credit_ledger WHERE charged_at >= $1 AND charged_at < $2) AS charged,
            (SELECT coalesce(sum(cost), 0)::float8 FROM contact_purchases WHERE state = 'requested') AS pending`,
    [start, end],
  );
  const used = row!.charged + row!.pending;
  return { balance: balanceAfter(settings, used, now), used };
}

/** The balance once `used` credits are charged in the period of `now`. */
export function balanceAfter(settings: CreditSettings, used: number, now: Date): CreditBalance {
  return creditBalance(settings, [{ at: now, amount: used }], now);
}
