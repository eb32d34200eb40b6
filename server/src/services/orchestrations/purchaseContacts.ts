import { randomUUID } from 'node:crypto';
import { affordable } from '../../domain/orchestrations/credits';
import type { ProviderContact } from '../../domain/orchestrations/types';
import type { SourceType } from '../../domain/orchestrations/vocabulary';
import { AppError, isAppError } from '../../errors';
import type { ContactProvider, PurchaseAnswer } from '../../integrations/providers/provider';
import { actorLabel, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { creditSettings } from '../credits/credits';
import { normalizedAddress, optedOutAddresses, optOutReason } from '../outbound/optOuts';
import {
  balanceAfter,
  balanceWithPending,
  heldPurchases,
  insertRequested,
  lockPurchases,
  requestedBatch,
  settleBatch,
  unfinishedKeys,
  type NewRequest,
  type PurchaseRow,
  type Settled,
} from './purchaseRecords';

/** People asked of the provider in one call (and one idempotency key). */
export const DEFAULT_PURCHASE_BATCH = 100;

export interface PurchasePick {
  row: ProviderContact;
  accountId: string;
}

export interface PurchaseReport {
  /** Bought by this call, or bought before (`alreadyOwned`: not asked of the provider, not charged). */
  purchased: {
    purchaseId: number;
    row: ProviderContact;
    accountId: string;
    cost: number;
    alreadyOwned: boolean;
  }[];
  /**
   * Not bought, with why: the provider's refusal, `opted_out: …` (checked right before the
   * provider is asked; the engine records these skipped as opted_out), `no_email: …`, or held by
   * another purchase under way.
   */
  refused: { row: ProviderContact; accountId: string; error: string }[];
  /** Not asked for: the credits ran out before them (see stoppedForCredits). */
  notBought: PurchasePick[];
  /**
   * Why buying stopped early: the balance left, and the credits the picks not bought would
   * cost. With no allowance set, nothing is bought and the balance is 0.
   */
  stoppedForCredits: { balance: number; needed: number } | null;
}

export interface PurchaseContactsProps {
  db: Db;
  provider: ContactProvider;
  /** contact_providers.id of `provider`. */
  providerRecordId: number;
  /** In the order they are to be bought: when the credits run out, the later ones are not. */
  picks: PurchasePick[];
  orchestrationId: number | null;
  runId: number | null;
  sourceType: SourceType;
  /** Recorded as who requested the purchases; callers authorize (a run, the panel). */
  actor: Actor;
  now: () => Date;
  batchSize?: number;
}

/**
 * Buys provider contacts, each once across every orchestration and the panel, each charged once:
 * 1. batches a run that died left `requested` are asked again with their own idempotency key and
 *    ids (the provider charges nothing twice; an opt-out stored since is caught by the push);
 * 2. people bought before are returned as such (`alreadyOwned`) and not asked for again;
 * 3. the others, in order and in batches: under one lock, the opt-outs are checked, the credits
 *    too (buying stops before the first person the balance cannot pay for, unless overage is
 *    allowed) and the batch's `requested` rows are committed; then the provider is asked; then
 *    one transaction marks each purchased and writes its ledger row, or failed with the reason.
 * A provider that cannot be asked leaves the batch `requested` and fails the call
 * (`provider_unavailable`): the next run asks again with the same key.
 */
export async function purchaseContacts(props: PurchaseContactsProps): Promise<PurchaseReport> {
  const report: PurchaseReport = { purchased: [], refused: [], notBought: [], stoppedForCredits: null };
  try {
    return await buy(props, report);
  } finally {
    // What the provider sold is recorded even when a later batch fails.
    await auditPurchases(props, report);
  }
}

/** The purchase's audit entry: people bought and the credits charged, refusals (nothing asked: none). */
async function auditPurchases(props: PurchaseContactsProps, report: PurchaseReport): Promise<void> {
  const bought = report.purchased.filter((p) => !p.alreadyOwned);
  if (bought.length === 0 && report.refused.length === 0) return;
  const credits = bought.reduce((sum, p) => sum + p.cost, 0);
  const [targetType, targetId, label] =
    props.runId !== null
      ? ['orchestration_run', String(props.runId), `for run ${props.runId}`]
      : ['provider', String(props.providerRecordId), 'from the panel'];
  await recordAudit(props.db, props.actor, {
    action: 'provider.purchase',
    targetType,
    targetId,
    summary: `bought ${bought.length} people from ${props.provider.name} ${label} for ${credits} credits; ${report.refused.length} refused`,
    counts: {
      people: bought.length,
      credits,
      refused: report.refused.length,
      not_bought: report.notBought.length,
    },
  });
}

async function buy(props: PurchaseContactsProps, report: PurchaseReport): Promise<PurchaseReport> {
  const { db, provider, providerRecordId } = props;
  const batchSize = Math.max(1, Math.trunc(props.batchSize ?? DEFAULT_PURCHASE_BATCH));
  const settledIds = new Set<string>();
  const record = (settled: readonly Settled[]) => {
    for (const s of settled) {
      settledIds.add(s.purchase.providerContactId);
      const accountId = s.purchase.accountId;
      if (s.ok) {
        report.purchased.push({
          purchaseId: s.purchase.id,
          row: s.contact,
          accountId,
          cost: s.cost,
          alreadyOwned: false,
        });
      } else {
        report.refused.push({ row: s.purchase.contact, accountId, error: s.error });
      }
    }
  };
  const ask = async (batch: readonly PurchaseRow[], key: string): Promise<Settled[]> => {
    const ids = batch.map((p) => p.providerContactId);
    let answers: PurchaseAnswer[];
    try {
      answers = await provider.purchase(ids, key);
    } catch (error) {
      if (isAppError(error)) throw error;
      throw new AppError(
        'provider_unavailable',
        `the provider ${provider.name} could not be asked to buy ${ids.length} people (${(error as Error).message}); ` +
          'they stay requested and the next run asks again with the same key, so nothing is charged twice',
      );
    }
    return settleBatch(db, { batch, answers, providerName: provider.name, now: props.now() });
  };

  const picks = distinctPicks(props.picks, report);
  const pickIds = picks.map((p) => p.row.providerId);

  // 1. What a dead run left half done.
  for (const key of await unfinishedKeys(db, providerRecordId, pickIds, props.orchestrationId)) {
    const batch = await requestedBatch(db, key);
    if (batch.length > 0) record(await ask(batch, key));
  }

  // 2. Bought before.
  let toBuy = picks.filter((p) => !settledIds.has(p.row.providerId));
  const held = await holders(db, providerRecordId, toBuy);
  toBuy = toBuy.filter((pick) => !answerHeld(pick, held(pick), report));

  // 3. The rest, as far as the credits go.
  const settings = await creditSettings(db);
  if (!settings) {
    report.notBought.push(...toBuy);
    if (toBuy.length > 0) report.stoppedForCredits = { balance: 0, needed: costOf(toBuy) };
    return report;
  }
  for (let start = 0; start < toBuy.length; start += batchSize) {
    const slice = toBuy.slice(start, start + batchSize);
    const key = `purchase:${randomUUID()}`;
    const now = props.now();
    const { rows, stoppedAt } = await db.transaction(async (tx) => {
      await lockPurchases(tx);
      // The moment of sending: the provider is asked for exactly these rows right after.
      const optedOut = await optedOutAddresses(
        tx,
        slice.map((p) => p.row.email),
      );
      const heldNow = await holders(tx, providerRecordId, slice);
      let { used } = await balanceWithPending(tx, settings, now);
      const requests: NewRequest[] = [];
      let stop: number | null = null;
      for (const [i, pick] of slice.entries()) {
        const optOut = optedOut.get(normalizedAddress(pick.row.email));
        if (optOut) {
          report.refused.push({ ...pick, error: `opted_out: ${optOutReason(optOut)}` });
        } else if (answerHeld(pick, heldNow(pick), report)) {
          continue;
        } else if (!affordable(balanceAfter(settings, used, now), pick.row.cost)) {
          stop = i;
          break;
        } else {
          used += pick.row.cost;
          requests.push(pick);
        }
      }
      const inserted = await insertRequested(tx, {
        providerRecordId,
        requests,
        orchestrationId: props.orchestrationId,
        runId: props.runId,
        sourceType: props.sourceType,
        idempotencyKey: key,
        by: actorLabel(props.actor),
        now,
      });
      return { rows: inserted, stoppedAt: stop };
    });
    if (rows.length > 0) record(await ask(rows, key));
    if (stoppedAt !== null) {
      const rest = toBuy.slice(start + stoppedAt);
      const { balance } = await balanceWithPending(db, settings, props.now());
      report.notBought.push(...rest);
      report.stoppedForCredits = { balance: balance.balance, needed: costOf(rest) };
      break;
    }
  }
  return report;
}

type BuyablePick = PurchasePick & { row: ProviderContact & { email: string } };

/** Each provider id and each email once (the first pick wins); people without an email are refused. */
function distinctPicks(picks: readonly PurchasePick[], report: PurchaseReport): BuyablePick[] {
  const ids = new Set<string>();
  const emails = new Map<string, string>();
  const out: BuyablePick[] = [];
  for (const pick of picks) {
    if (ids.has(pick.row.providerId)) continue;
    ids.add(pick.row.providerId);
    const email = pick.row.email?.trim();
    if (!email) {
      report.refused.push({ ...pick, error: 'no_email: the provider has no email for this person' });
      continue;
    }
    const address = normalizedAddress(email);
    const first = emails.get(address);
    if (first !== undefined) {
      report.refused.push({
        ...pick,
        error: `the same email as provider contact ${first}, which this purchase buys instead`,
      });
      continue;
    }
    emails.set(address, pick.row.providerId);
    out.push({ ...pick, row: { ...pick.row, email } });
  }
  return out;
}

/** Who holds a pick already: its own purchase by this provider, else any purchase of its email. */
async function holders(db: Db, providerRecordId: number, picks: readonly BuyablePick[]) {
  const rows = await heldPurchases(
    db,
    providerRecordId,
    picks.map((p) => p.row.providerId),
    picks.map((p) => normalizedAddress(p.row.email)),
  );
  const byId = new Map<string, PurchaseRow>();
  const byEmail = new Map<string, PurchaseRow>();
  for (const row of rows) {
    if (row.providerRecordId === providerRecordId) byId.set(row.providerContactId, row);
    const address = normalizedAddress(row.email);
    if (!byEmail.has(address)) byEmail.set(address, row);
  }
  return (pick: BuyablePick): PurchaseRow | undefined =>
    byId.get(pick.row.providerId) ?? byEmail.get(normalizedAddress(pick.row.email));
}

/** Reports a pick someone holds; false when nobody does (it is to be bought). */
function answerHeld(pick: BuyablePick, holder: PurchaseRow | undefined, report: PurchaseReport): boolean {
  if (!holder) return false;
  if (holder.state === 'purchased') {
    report.purchased.push({
      purchaseId: holder.id,
      row: holder.contact,
      accountId: pick.accountId,
      cost: holder.cost,
      alreadyOwned: true,
    });
  } else {
    report.refused.push({
      ...pick,
      error: `purchase ${holder.id} of the same person is under way in another run; it is not bought twice`,
    });
  }
  return true;
}

function costOf(picks: readonly PurchasePick[]): number {
  return picks.reduce((sum, p) => sum + p.row.cost, 0);
}
