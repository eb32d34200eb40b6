import { normalizeDomain, normalizeEmail } from '../../domain/orchestrations/domains';
import type { ProviderContact } from '../../domain/orchestrations/types';
import { addressOptedOutSql, optedOutAddresses } from '../outbound/optOuts';
import { buyAndRecord, providerOf, pushBought, type BoughtPerson } from './acquireRun';
import { pushAudience, type AudiencePerson } from './audienceRun';
import type { RunContext } from './runContext';
import { insertRecords, rowRecord, type NewRecord } from './runRecords';
import { knownEmails } from './selectionInput';

interface OpenRecordRow {
  purchase_id: string | null;
  purchase_state: 'requested' | 'purchased' | 'failed' | null;
  contact: ProviderContact | string | null;
  person_id: string | null;
  provider_contact_id: string | null;
  account_id: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  [column: string]: unknown;
}

/**
 * The orchestration's open records: per person (their purchase, store person or provider row),
 * the latest record of any run, when it is `purchased` (bought, not pushed) or `failed`; with
 * `runId`, only the people that run recorded so.
 */
async function openRecords(ctx: RunContext, runId: number | null): Promise<OpenRecordRow[]> {
  return ctx.deps.db.query<OpenRecordRow>(
    `WITH latest AS (
       SELECT DISTINCT ON (k) k, r.run_id, r.purchase_id, r.person_id, r.provider_contact_id, r.account_id,
              r.email, r.first_name, r.last_name, r.title, r.outcome
         FROM orchestration_records r
         CROSS JOIN LATERAL (SELECT coalesce('purchase:' || r.purchase_id, 'person:' || r.person_id,
                                              'row:' || r.provider_contact_id) AS k) key
        WHERE r.orchestration_id = $1 AND r.run_id <> $3
        ORDER BY k, r.id DESC
     )
     SELECT l.purchase_id, p.state AS purchase_state, p.contact, l.person_id, l.provider_contact_id, l.account_id,
            l.email, l.first_name, l.last_name, l.title
       FROM latest l LEFT JOIN contact_purchases p ON p.id = l.purchase_id
      WHERE l.outcome IN ('purchased', 'failed')
        AND ($2::bigint IS NULL OR EXISTS (
              SELECT 1 FROM orchestration_records o
               WHERE o.run_id = $2 AND o.outcome IN ('purchased', 'failed')
                 AND coalesce('purchase:' || o.purchase_id, 'person:' || o.person_id, 'row:' || o.provider_contact_id) = l.k))
      ORDER BY l.k`,
    [ctx.orchestration.id, runId, ctx.runId],
  );
}

const contactOf = (value: ProviderContact | string): ProviderContact =>
  typeof value === 'string' ? (JSON.parse(value) as ProviderContact) : value;

/**
 * A re-push run (docs/orchestration-runs.md "Re-push"): the people whose latest record is
 * purchased-not-pushed or failed are tried again — bought ones pushed (the same purchase, so the
 * target's idempotent push creates nothing twice), failed purchases bought again from the
 * provider (unless they became known or opted out since), failed audience pushes pushed again.
 */
export async function repushWork(ctx: RunContext, runId: number | null): Promise<void> {
  const { deps, orchestration } = ctx;
  const open = await openRecords(ctx, runId);
  const toPush: BoughtPerson[] = [];
  const toBuy: OpenRecordRow[] = [];
  const personIds: string[] = [];
  for (const row of open) {
    if (row.purchase_id !== null && row.purchase_state === 'purchased' && row.contact !== null) {
      toPush.push({
        purchaseId: Number(row.purchase_id),
        row: contactOf(row.contact),
        accountId: row.account_id,
      });
    } else if (row.person_id !== null) {
      personIds.push(row.person_id);
    } else if (row.provider_contact_id !== null) {
      toBuy.push(row);
    }
  }
  const people = await audiencePersons(ctx, personIds);
  await ctx.step('selected');
  const run = { id: ctx.runId, orchestrationId: orchestration.id };
  await insertRecords(
    deps.db,
    run,
    toPush.map((b) =>
      rowRecord(b.row, b.accountId ?? '', { outcome: 'purchased', purchaseId: b.purchaseId }),
    ),
    deps.now(),
  );
  const bought = toBuy.length > 0 ? await buyAgain(ctx, toBuy) : [];
  await ctx.step('purchased');
  await pushBought(ctx, [...toPush, ...bought]);
  if (people.length > 0) await pushAudience(ctx, people);
  await ctx.step('pushed');
}

/** The failed purchases, found again at the provider and bought, unless known or opted out now. */
async function buyAgain(ctx: RunContext, rows: OpenRecordRow[]): Promise<BoughtPerson[]> {
  const { deps } = ctx;
  const provider = await providerOf(ctx);
  const stored = rows.filter((r) => r.contact !== null).map((r) => contactOf(r.contact!));
  const accounts = await deps.db.query<{ id: string; domain: string | null }>(
    'SELECT id, domain FROM accounts WHERE id = ANY($1::text[])',
    [[...new Set(rows.map((r) => r.account_id).filter((id): id is string => id !== null))]],
  );
  const domains = [
    ...new Set(
      accounts
        .map((a) => (a.domain === null ? null : normalizeDomain(a.domain)))
        .filter((d): d is string => d !== null),
    ),
  ];
  const offered = new Map(
    (domains.length ? await provider.search(domains) : []).map((r) => [r.providerId, r]),
  );
  for (const row of stored) if (!offered.has(row.providerId)) offered.set(row.providerId, row);
  const emails = rows.map((r) => r.email).filter((e): e is string => !!e);
  const [known, optedOut] = await Promise.all([
    knownEmails(deps.db, emails),
    optedOutAddresses(deps.db, emails),
  ]);
  const records: NewRecord[] = [];
  const picks: { row: ProviderContact; accountId: string }[] = [];
  for (const row of rows) {
    const contact = offered.get(row.provider_contact_id!);
    const accountId = row.account_id ?? '';
    if (!contact || !contact.email) {
      records.push({
        ...rowRecord(
          {
            providerId: row.provider_contact_id!,
            email: row.email,
            firstName: row.first_name,
            lastName: row.last_name,
            title: row.title,
          } as ProviderContact,
          accountId,
          { outcome: 'failed', error: `the provider no longer offers ${row.provider_contact_id}` },
        ),
      });
      continue;
    }
    const address = normalizeEmail(contact.email);
    if (optedOut.has(address))
      records.push(rowRecord(contact, accountId, { outcome: 'skipped', reason: 'opted_out' }));
    else if (known.has(address))
      records.push(rowRecord(contact, accountId, { outcome: 'skipped', reason: 'already_in_crm' }));
    else picks.push({ row: contact, accountId });
  }
  await insertRecords(deps.db, { id: ctx.runId, orchestrationId: ctx.orchestration.id }, records, deps.now());
  return buyAndRecord(ctx, provider, picks);
}

/** The store people of failed audience records, as pushAudience takes them (one query). */
async function audiencePersons(ctx: RunContext, personIds: string[]): Promise<AudiencePerson[]> {
  if (personIds.length === 0) return [];
  const rows = await ctx.deps.db.query<{
    id: string;
    email: string | null;
    first_name: string | null;
    last_name: string | null;
    title: string | null;
    account_id: string | null;
    account_name: string | null;
    sobject: string | null;
    opted_out: boolean | null;
  }>(
    `SELECT p.id, c.email, c.first_name, c.last_name, c.title, c.account_id, a.name AS account_name, r.sobject,
            c.opted_out OR (c.email IS NOT NULL AND ${addressOptedOutSql('c.email')}) AS opted_out
       FROM unnest($1::text[]) AS p (id)
       LEFT JOIN contacts c ON c.id = p.id
       LEFT JOIN accounts a ON a.id = c.account_id
       LEFT JOIN salesforce_records r ON r.id = c.id AND r.sobject IN ('Lead', 'Contact')`,
    [personIds],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return personIds.map((personId): AudiencePerson => {
    const row = byId.get(personId);
    return {
      personId,
      email: row?.email ?? null,
      firstName: row?.first_name ?? null,
      lastName: row?.last_name ?? null,
      title: row?.title ?? null,
      accountId: row?.account_id ?? '',
      accountName: row?.account_name ?? null,
      persona: null,
      grade: null,
      fit: null,
      sobject: row?.sobject === 'Lead' || row?.sobject === 'Contact' ? row.sobject : null,
      optedOut: row?.opted_out ?? false,
    };
  });
}
