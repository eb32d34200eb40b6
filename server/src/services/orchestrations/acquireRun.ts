import { selectCandidates } from '../../domain/orchestrations/selectCandidates';
import {
  DEFAULT_MAX_PER_ACCOUNT,
  type ProviderContact,
  type RowDecision,
} from '../../domain/orchestrations/types';
import { AppError } from '../../errors';
import type { ContactProvider } from '../../integrations/providers/provider';
import type { Db } from '../../store/db';
import { openProvider } from '../providers/providers';
import type { PushPerson } from './push';
import { purchaseContacts, type PurchaseReport } from './purchaseContacts';
import { accountFacts, pushToTarget } from './pushTarget';
import type { RunContext } from './runContext';
import { endRecords, insertRecords, rowRecord, type NewRecord, type RecordEnd } from './runRecords';
import { gatherSelectionInput } from './selectionInput';

/** A bought person on the way to the target. */
export interface BoughtPerson {
  purchaseId: number;
  row: ProviderContact;
  accountId: string | null;
}

interface PurchaseDbRow {
  id: string;
  state: 'requested' | 'purchased';
  contact: ProviderContact | string;
  account_id: string | null;
  [column: string]: unknown;
}

const contactOf = (value: ProviderContact | string): ProviderContact =>
  typeof value === 'string' ? (JSON.parse(value) as ProviderContact) : value;

/**
 * The orchestration's unfinished work, left by runs that died (crash safety): purchases still
 * `requested` (the provider was asked; asked again with the stored key, it charges nothing more),
 * and purchases bought whose person has no pushed, skipped or failed record yet.
 */
export async function unfinishedPurchases(
  db: Db,
  orchestrationId: number,
): Promise<{ requested: { row: ProviderContact; accountId: string }[]; bought: BoughtPerson[] }> {
  const rows = await db.query<PurchaseDbRow>(
    `SELECT p.id, p.state, p.contact, p.account_id FROM contact_purchases p
      WHERE p.orchestration_id = $1
        AND (p.state = 'requested' OR (p.state = 'purchased' AND NOT EXISTS (
              SELECT 1 FROM orchestration_records r
               WHERE r.purchase_id = p.id AND r.outcome IN ('pushed', 'skipped', 'failed'))))
      ORDER BY p.id`,
    [orchestrationId],
  );
  return {
    requested: rows
      .filter((r) => r.state === 'requested')
      .map((r) => ({ row: contactOf(r.contact), accountId: r.account_id ?? '' })),
    bought: rows
      .filter((r) => r.state === 'purchased')
      .map((r) => ({ purchaseId: Number(r.id), row: contactOf(r.contact), accountId: r.account_id })),
  };
}

/** The message of a pick the credits did not cover (issue 15 item 10). */
export function notBoughtError(stop: NonNullable<PurchaseReport['stoppedForCredits']>): string {
  return `not bought: ${stop.balance} credits left, ${stop.needed} needed; raise the allowance with signalfit credits set or allow overage`;
}

export async function providerOf(ctx: RunContext): Promise<ContactProvider> {
  const { orchestration, deps } = ctx;
  if (!orchestration.provider) {
    throw new AppError(
      'invalid_orchestration',
      `orchestration "${orchestration.name}" has no provider: give it one (signalfit orchestrations update)`,
    );
  }
  return deps.openProvider
    ? deps.openProvider(deps.db, orchestration.provider.id)
    : openProvider(deps.db, orchestration.provider.id, {
        secretKey: deps.secretKey ?? null,
        fetch: deps.fetch,
      });
}

/**
 * A pick purchaseContacts did not buy: an opt-out or a missing email found at the moment of
 * buying is `skipped` with that reason; anything else (the provider's refusal, a purchase of the
 * same person under way elsewhere) is `failed` with the error.
 */
function refusalRecord(row: ProviderContact, accountId: string, error: string): NewRecord {
  const reason = (['opted_out', 'no_email'] as const).find((r) => error.startsWith(`${r}:`));
  return reason
    ? rowRecord(row, accountId, { outcome: 'skipped', reason, error })
    : rowRecord(row, accountId, { outcome: 'failed', error });
}

/** Buys `picks` for the run and records every one: purchased, or failed with the reason. */
export async function buyAndRecord(
  ctx: RunContext,
  provider: ContactProvider,
  picks: { row: ProviderContact; accountId: string }[],
): Promise<BoughtPerson[]> {
  const { deps, orchestration, runId } = ctx;
  if (picks.length === 0) return [];
  const report = await purchaseContacts({
    db: deps.db,
    provider,
    providerRecordId: orchestration.provider!.id,
    picks,
    orchestrationId: orchestration.id,
    runId,
    sourceType: 'Orchestration',
    actor: ctx.actor,
    now: deps.now,
  });
  const records: NewRecord[] = [
    ...report.refused.map((r) => refusalRecord(r.row, r.accountId, r.error)),
    ...report.purchased.map((p) =>
      rowRecord(p.row, p.accountId, { outcome: 'purchased', purchaseId: p.purchaseId }),
    ),
  ];
  if (report.stoppedForCredits) {
    const error = notBoughtError(report.stoppedForCredits);
    records.push(...report.notBought.map((r) => rowRecord(r.row, r.accountId, { outcome: 'failed', error })));
    ctx.note(`stopped buying at the credit balance: ${error}`);
  }
  await insertRecords(deps.db, { id: runId, orchestrationId: orchestration.id }, records, deps.now());
  return report.purchased.map((p) => ({ purchaseId: p.purchaseId, row: p.row, accountId: p.accountId }));
}

/** Pushes bought people to the target and ends their records of this run. */
export async function pushBought(ctx: RunContext, people: BoughtPerson[]): Promise<void> {
  if (people.length === 0) return;
  const { deps, runId } = ctx;
  const facts = await accountFacts(
    deps.db,
    people.map((p) => p.accountId),
  );
  const persons: PushPerson[] = people
    .filter((p) => p.row.email !== null)
    .map((p) => {
      const account = p.accountId === null ? undefined : facts.get(p.accountId);
      return {
        key: `purchase:${p.purchaseId}`,
        email: p.row.email!,
        firstName: p.row.firstName,
        lastName: p.row.lastName,
        title: p.row.title,
        accountId: p.accountId,
        accountName: account?.name ?? p.row.companyDomain,
        accountSalesforceId: account?.salesforceId ?? null,
        country: p.row.country,
        existing: null,
        sourceType: 'Orchestration',
      };
    });
  const outcomes = await pushToTarget(ctx, persons);
  const ends: RecordEnd[] = people.map((p) => {
    const outcome = outcomes.get(`purchase:${p.purchaseId}`);
    if (!outcome) {
      return {
        purchaseId: p.purchaseId,
        outcome: 'failed',
        reason: null,
        error: 'the target gave no answer for this person',
        targetId: null,
        memberId: null,
      };
    }
    if (outcome.ok) {
      return {
        purchaseId: p.purchaseId,
        outcome: 'pushed',
        reason: null,
        error: null,
        targetId: outcome.targetId || null,
        memberId: outcome.memberId,
      };
    }
    return outcome.reason === 'opted_out'
      ? {
          purchaseId: p.purchaseId,
          outcome: 'skipped',
          reason: 'opted_out',
          error: outcome.error,
          targetId: null,
          memberId: null,
        }
      : {
          purchaseId: p.purchaseId,
          outcome: 'failed',
          reason: null,
          error: outcome.error,
          targetId: null,
          memberId: null,
        };
  });
  await endRecords(deps.db, runId, ends, deps.now());
}

/**
 * The selection's picks within what the cap leaves once a dead run's purchases are counted: those
 * purchases were that run's picks at their accounts, and its takeover finishes that run, so the
 * two together buy no more at an account than one run would (the cut picks are `cap_reached`).
 */
export function picksAfterTakeover(
  picks: readonly RowDecision[],
  takenOver: readonly { accountId: string | null }[],
  cap: number,
): { keep: RowDecision[]; cut: RowDecision[] } {
  const used = new Map<string, number>();
  for (const t of takenOver) if (t.accountId) used.set(t.accountId, (used.get(t.accountId) ?? 0) + 1);
  const keep: RowDecision[] = [];
  const cut: RowDecision[] = [];
  for (const pick of picks) {
    const count = used.get(pick.accountId) ?? 0;
    (count < cap ? keep : cut).push(pick);
    used.set(pick.accountId, count + 1);
  }
  return { keep, cut };
}

/**
 * An acquire_contacts run: takes over a dead run's unfinished purchases, selects the candidates,
 * records every selection row, buys (stopping at the credit balance), pushes, and ends each
 * record. A row another run already bought is known, so a rerun with nothing new buys nothing.
 */
export async function acquireWork(ctx: RunContext): Promise<void> {
  const { deps, orchestration, runId } = ctx;
  const provider = await providerOf(ctx);
  const unfinished = await unfinishedPurchases(deps.db, orchestration.id);
  const { input } = await gatherSelectionInput({ db: deps.db, orchestration, provider, now: deps.now() });
  const selection = selectCandidates(input);
  await ctx.step('selected');
  // The taken-over people are known (bought or being bought): they are recorded by their takeover.
  const takenOver = new Set([
    ...unfinished.requested.map((r) => r.row.providerId),
    ...unfinished.bought.map((b) => b.row.providerId),
  ]);
  const { keep, cut } = picksAfterTakeover(
    selection.purchases,
    [...unfinished.requested, ...unfinished.bought],
    orchestration.filters.maxPerAccount ?? DEFAULT_MAX_PER_ACCOUNT,
  );
  const skipped = [
    ...selection.rows
      .filter((d) => d.reason !== null && !takenOver.has(d.row.providerId))
      .map((d) => rowRecord(d.row, d.accountId, { outcome: 'skipped', reason: d.reason })),
    ...cut.map((d) => rowRecord(d.row, d.accountId, { outcome: 'skipped', reason: 'cap_reached' })),
  ];
  const run = { id: runId, orchestrationId: orchestration.id };
  await insertRecords(deps.db, run, skipped, deps.now());
  await insertRecords(
    deps.db,
    run,
    unfinished.bought.map((b) =>
      rowRecord(b.row, b.accountId ?? '', { outcome: 'purchased', purchaseId: b.purchaseId }),
    ),
    deps.now(),
  );
  const bought = await buyAndRecord(ctx, provider, [
    ...unfinished.requested,
    ...keep.map((d) => ({ row: d.row, accountId: d.accountId })),
  ]);
  await ctx.step('purchased');
  await pushBought(ctx, [...unfinished.bought, ...bought]);
  await ctx.step('pushed');
}
