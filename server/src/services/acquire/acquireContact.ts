import type { ProviderContact } from '../../domain/orchestrations/types';
import type { SkipReason } from '../../domain/orchestrations/vocabulary';
import { AppError } from '../../errors';
import type { ContactProvider } from '../../integrations/providers/provider';
import type { SalesforceClient } from '../../integrations/salesforce/client';
import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { purchaseContacts, type PurchaseReport } from '../orchestrations/purchaseContacts';
import { pushToSalesforce } from '../orchestrations/salesforcePush';
import type { ProviderRecord } from '../providers/providers';
import { accountCandidates, panelAccount, type PanelAccount } from './accountCandidates';

/** What buying one person from the panel did (docs/orchestrations-panel.md). */
export type AcquireAnswer =
  | { outcome: 'pushed'; target_id: string }
  | { outcome: 'purchased'; target_id: null }
  | { outcome: 'skipped'; reason: SkipReason; target_id: null }
  | { outcome: 'failed'; target_id: null; error: string };

/** The push scope of the panel's buys (salesforce_push_jobs: its interrupted jobs are finished under it). */
export const PANEL_PUSH_SCOPE = 'panel';

export interface AcquireContactProps {
  db: Db;
  provider: ProviderRecord;
  open: () => Promise<ContactProvider>;
  accountId: string;
  /** The provider's id of the person (a candidate's provider_id). */
  providerContactId: string;
  persona: string | null;
  /** Callers authorize (`contacts.acquire` and the panel's account). */
  actor: Actor;
  /** Logs in to Salesforce; null: not configured (the person is bought, not pushed). */
  salesforce: (() => Promise<SalesforceClient>) | null;
  pollIntervalMs?: number;
  now: () => Date;
}

/**
 * Buys one person the panel offered for an account, then creates them in Salesforce (a Contact
 * under the account when it is synced from Salesforce, else a Lead) with source type
 * `Sales Intelligence`. The person must still be a candidate: the selection runs again, and a
 * person opted out, known or in a restricted region since is skipped with that reason. Asked
 * again for a person the panel already bought at this account, it buys nothing and charges
 * nothing: it finishes what the first call left (the push, after a crash or a Salesforce
 * failure) and answers the same.
 */
export async function acquireContact(props: AcquireContactProps): Promise<AcquireAnswer> {
  const { db } = props;
  const account = await panelAccount(db, props.accountId);
  const provider = await props.open();
  const bought = await panelPurchase(db, props.provider.id, props.providerContactId, account.id);
  let row: ProviderContact;
  if (bought) {
    row = bought;
  } else {
    const { result } = await accountCandidates({
      db,
      provider,
      account,
      persona: props.persona,
      now: props.now(),
    });
    const decision = result.rows.find((d) => d.row.providerId === props.providerContactId);
    if (!decision) {
      throw new AppError(
        'not_found',
        `the provider ${props.provider.name} offers no person with id ${props.providerContactId} at ${account.domain ?? 'this account (it has no domain)'}`,
      );
    }
    // Past the cap is still a candidate: the panel shows the first ones only.
    if (decision.reason !== null && decision.reason !== 'cap_reached') {
      return { outcome: 'skipped', reason: decision.reason, target_id: null };
    }
    row = decision.row;
  }

  const report = await purchaseContacts({
    db,
    provider,
    providerRecordId: props.provider.id,
    picks: [{ row, accountId: account.id }],
    orchestrationId: null,
    runId: null,
    sourceType: 'Sales Intelligence',
    actor: props.actor,
    now: props.now,
  });
  const purchase = purchaseOf(report, row.providerId);
  if ('answer' in purchase) return purchase.answer;
  if (purchase.alreadyOwned && !bought) {
    // Bought by someone else between the selection and now.
    return { outcome: 'skipped', reason: 'already_in_crm', target_id: null };
  }
  if (!props.salesforce) return { outcome: 'purchased', target_id: null };
  return push(props, account, purchase.purchaseId, purchase.row);
}

type PurchaseOf =
  { purchaseId: number; row: ProviderContact; alreadyOwned: boolean } | { answer: AcquireAnswer };

/** The report's answer for the one pick (the report may also hold a dead call's batch it finished). */
function purchaseOf(report: PurchaseReport, providerId: string): PurchaseOf {
  const purchased = report.purchased.find((p) => p.row.providerId === providerId);
  if (purchased) return purchased;
  const refused = report.refused.find((r) => r.row.providerId === providerId);
  if (refused?.error.startsWith('opted_out:')) {
    return { answer: { outcome: 'skipped', reason: 'opted_out', target_id: null } };
  }
  if (refused) return { answer: { outcome: 'failed', target_id: null, error: refused.error } };
  const stop = report.stoppedForCredits;
  const error = stop
    ? `not bought: ${stop.balance} credits left, ${stop.needed} needed; raise the allowance with signalfit credits set or allow overage`
    : 'not bought: the purchase gave no answer for this person';
  return { answer: { outcome: 'failed', target_id: null, error } };
}

/**
 * A purchase the panel made of this provider's person at this account, not failed (requested
 * by a call that died, or bought): its row, to be finished rather than bought again.
 */
async function panelPurchase(
  db: Db,
  providerRecordId: number,
  providerContactId: string,
  accountId: string,
): Promise<ProviderContact | null> {
  const [row] = await db.query<{ contact: ProviderContact | string }>(
    `SELECT contact FROM contact_purchases
      WHERE provider_id = $1 AND provider_contact_id = $2 AND account_id = $3
        AND orchestration_id IS NULL AND source_type = 'Sales Intelligence' AND state <> 'failed'`,
    [providerRecordId, providerContactId, accountId],
  );
  if (!row) return null;
  return typeof row.contact === 'string' ? (JSON.parse(row.contact) as ProviderContact) : row.contact;
}

/** Creates the bought person in Salesforce (idempotent by the purchase's key). */
async function push(
  props: AcquireContactProps,
  account: PanelAccount,
  purchaseId: number,
  row: ProviderContact,
): Promise<AcquireAnswer> {
  const { db } = props;
  const [synced] = await db.query<{ id: string }>(
    `SELECT id FROM salesforce_records WHERE id = $1 AND sobject = 'Account'`,
    [account.id],
  );
  const notPushed = (why: string) =>
    `bought (purchase ${purchaseId}) but not created in Salesforce: ${why}; buy again to retry (nothing is bought or charged twice)`;
  try {
    const [outcome] = await pushToSalesforce({
      db,
      client: await props.salesforce!(),
      scope: PANEL_PUSH_SCOPE,
      campaignId: null,
      create: synced ? 'contact' : 'lead',
      people: [
        {
          key: `purchase:${purchaseId}`,
          email: row.email ?? '',
          firstName: row.firstName,
          lastName: row.lastName,
          title: row.title,
          accountId: account.id,
          accountName: account.name,
          accountSalesforceId: synced ? account.id : null,
          country: row.country,
          existing: null,
          sourceType: 'Sales Intelligence',
        },
      ],
      pollIntervalMs: props.pollIntervalMs,
      now: props.now,
      actor: props.actor,
      audit: { targetType: 'account', targetId: account.id, label: 'from the panel' },
    });
    if (outcome?.ok) return { outcome: 'pushed', target_id: outcome.targetId };
    if (outcome?.reason === 'opted_out') return { outcome: 'skipped', reason: 'opted_out', target_id: null };
    return { outcome: 'failed', target_id: null, error: notPushed(outcome?.error ?? 'no answer') };
  } catch (error) {
    return { outcome: 'failed', target_id: null, error: notPushed((error as Error).message) };
  }
}
