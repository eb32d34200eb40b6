import { stringify } from 'csv-stringify/sync';
import { LEAD_SOURCE, type SalesforceCreate } from '../../domain/orchestrations/vocabulary';
import type { IngestPoll } from '../../integrations/salesforce/bulkIngest';
import type { SalesforceClient } from '../../integrations/salesforce/client';
import { toCountryName } from '../../integrations/salesforce/countries';
import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { normalizedAddress, optedOutAddresses, optOutReason } from '../outbound/optOuts';
import type { PushOutcome, PushPerson } from './push';
import { finishInterruptedJob, runRecordedJob, type FinishedJob, type RecordJob } from './salesforcePushJobs';

/**
 * The Salesforce campaign target (docs/orchestrations-salesforce.md): a Lead or a Contact for
 * each person the org does not hold yet, then a CampaignMember each, with Bulk API 2.0 (one
 * ingest job per step, so 5,000 people cost a dozen or so API calls). Never twice: a person key
 * already created reuses its record, a membership already added is not added again, and a crash
 * at any point is finished by the next call (salesforcePushJobs.ts). Never an opted-out address:
 * the opt-out check runs right before each job's upload.
 */

/** The fields set on each object, in the CSV's column order (the integration permission set grants them). */
export const LEAD_FIELDS = [
  'FirstName',
  'LastName',
  'Email',
  'Title',
  'Company',
  'Country',
  'LeadSource',
  'Signalfit_Source_Type__c',
] as const;
export const CONTACT_FIELDS = [
  'AccountId',
  'FirstName',
  'LastName',
  'Email',
  'Title',
  'LeadSource',
  'Signalfit_Source_Type__c',
] as const;
export const MEMBER_FIELDS = ['CampaignId', 'LeadId', 'ContactId'] as const;

/** Waits between job checks: 2 s doubling to 30 s (a job done in 2 minutes costs 8 checks), 30 minutes at most. */
const DEFAULT_POLL_INTERVAL_MS = 2_000;
const MAX_POLL_INTERVAL_MS = 30_000;
const POLL_TIMEOUT_MS = 30 * 60_000;
const ALREADY_A_MEMBER = 'DUPLICATE_VALUE';

export interface PushToSalesforceProps {
  db: Db;
  client: SalesforceClient;
  /** Names the push (an orchestration, a panel buy): its interrupted jobs are finished under it. */
  scope: string;
  /** The campaign to add everyone to; null only creates the people (the panel's single buy). */
  campaignId: string | null;
  create: SalesforceCreate;
  people: PushPerson[];
  pollIntervalMs?: number;
  now: () => Date;
  /** Who pushes (audit log): the run's requester, the panel's user. */
  actor: Actor;
  /** What the push is for (audit log); default: the push's scope. */
  audit?: { targetType: string; targetId: string; label: string };
}

type SalesforcePerson = { sobject: 'Lead' | 'Contact'; id: string };

/** Pushes `people`; one outcome per person, in their order. */
export async function pushToSalesforce(props: PushToSalesforceProps): Promise<PushOutcome[]> {
  const { db, client, scope, now } = props;
  const poll = pushPoll(props.pollIntervalMs);
  const step = { db, client, scope, poll, now };
  await finishInterruptedJob({ ...step, step: 'people', record: recordCreated(now) });
  await finishInterruptedJob({ ...step, step: 'members', record: recordMembers(now) });

  const people = [...new Map(props.people.map((p) => [p.key, p])).values()];
  const outcomes = new Map<string, PushOutcome>();
  const records = await knownRecords(db, people);
  const known = records.size;
  try {
    await createPeople(props, poll, people, records, outcomes);
    const withRecord = people.filter((p) => !outcomes.has(p.key) && records.has(p.key));
    if (props.campaignId === null) {
      for (const person of withRecord)
        outcomes.set(person.key, {
          key: person.key,
          ok: true,
          targetId: records.get(person.key)!.id,
          memberId: null,
        });
    } else {
      await addMembers(props, poll, props.campaignId, withRecord, records, outcomes);
    }
  } finally {
    // Salesforce keeps what a job created even when a later step fails: recorded either way.
    await auditPush(props, records.size - known, outcomes);
  }
  return props.people.map(
    (p) =>
      outcomes.get(p.key) ?? {
        key: p.key,
        ok: false,
        reason: 'failed',
        error: 'Salesforce returned no result for this person',
      },
  );
}

/** The push's audit entry: Leads or Contacts created, campaign members, refusals (nothing sent: none). */
async function auditPush(
  props: PushToSalesforceProps,
  created: number,
  outcomes: Map<string, PushOutcome>,
): Promise<void> {
  const all = [...outcomes.values()];
  if (all.length === 0 && created === 0) return;
  const ok = all.filter((o) => o.ok).length;
  const members = props.campaignId === null ? 0 : ok;
  const failed = all.length - ok;
  const target = props.audit ?? {
    targetType: 'salesforce_push',
    targetId: props.scope,
    label: `(${props.scope})`,
  };
  const sobject = props.create === 'lead' ? 'Lead' : 'Contact';
  const where = props.campaignId === null ? 'to Salesforce' : `to Salesforce campaign ${props.campaignId}`;
  await recordAudit(props.db, props.actor, {
    action: 'salesforce.campaign_push',
    targetType: target.targetType,
    targetId: target.targetId,
    summary: `pushed ${ok} of ${all.length} people ${where} ${target.label}: ${created} ${sobject}${created === 1 ? '' : 's'} created, ${failed} refused`,
    counts: {
      people: all.length,
      [props.create === 'lead' ? 'leads_created' : 'contacts_created']: created,
      members,
      failed,
    },
  });
}

export interface RemoveFromCampaignProps {
  db: Db;
  client: SalesforceClient;
  scope: string;
  campaignId: string;
  /** The keys the people were pushed under (PushPerson.key, e.g. `person:<id>`). */
  personIds: string[];
  pollIntervalMs?: number;
  now: () => Date;
  /** Who removes (audit log): the run's requester. */
  actor: Actor;
}

/**
 * Deletes the CampaignMembers this service added for `personIds` (one Bulk API delete job) and
 * marks them removed. A membership the org had before Signalfit's push (recorded without a
 * member id) is left alone and reported as such.
 */
export async function removeFromCampaign(
  props: RemoveFromCampaignProps,
): Promise<{ personId: string; ok: boolean; error?: string }[]> {
  const { db, client, scope, campaignId, now } = props;
  const poll = pushPoll(props.pollIntervalMs);
  const record = recordRemoved(now);
  await finishInterruptedJob({ db, client, scope, poll, now, step: 'remove', record });
  const ids = [...new Set(props.personIds)];
  const members = await db.query<{ person_id: string; member_id: string | null; removed: boolean }>(
    `SELECT person_id, member_id, removed_at IS NOT NULL AS removed FROM salesforce_campaign_members
      WHERE campaign_id = $1 AND person_id = ANY($2::text[])`,
    [campaignId, ids],
  );
  const byPerson = new Map(members.map((m) => [m.person_id, m]));
  const results = new Map<string, { personId: string; ok: boolean; error?: string }>();
  const toDelete: { personId: string; memberId: string }[] = [];
  for (const personId of ids) {
    const member = byPerson.get(personId);
    if (!member)
      results.set(personId, {
        personId,
        ok: false,
        error: `${personId} was not added to campaign ${campaignId} by Signalfit`,
      });
    else if (member.removed) results.set(personId, { personId, ok: true });
    else if (member.member_id === null)
      results.set(personId, {
        personId,
        ok: false,
        error: `${personId} was a member of campaign ${campaignId} before Signalfit's push: left in the campaign`,
      });
    else toDelete.push({ personId, memberId: member.member_id });
  }
  if (toDelete.length > 0) {
    const job = await runRecordedJob({
      db,
      client,
      scope,
      step: 'remove',
      poll,
      now,
      record,
      sobject: 'CampaignMember',
      operation: 'delete',
      csv: toCsv(
        ['Id'],
        toDelete.map((d) => [d.memberId]),
      ),
      sent: toDelete.map((d) => [d.memberId, d.personId] as const),
    });
    const errors = new Map(job.failed.map((row) => [row.Id ?? '', row.sf__Error ?? 'failed']));
    for (const { personId, memberId } of toDelete) {
      const error = errors.get(memberId);
      results.set(
        personId,
        error && !isGone(error) ? { personId, ok: false, error } : { personId, ok: true },
      );
    }
  }
  const answers = props.personIds.map((id) => results.get(id)!);
  const removed = answers.filter((a) => a.ok).length;
  if (answers.length === 0) return answers;
  await recordAudit(db, props.actor, {
    action: 'salesforce.campaign_remove',
    targetType: 'salesforce_push',
    targetId: scope,
    summary: `removed ${removed} of ${answers.length} people from Salesforce campaign ${campaignId} (${scope})`,
    counts: { people: answers.length, removed, failed: answers.length - removed },
  });
  return answers;
}

// ---- the people step ----

async function createPeople(
  props: PushToSalesforceProps,
  poll: IngestPoll,
  people: PushPerson[],
  records: Map<string, SalesforcePerson>,
  outcomes: Map<string, PushOutcome>,
): Promise<void> {
  const { db, create } = props;
  const toCreate: PushPerson[] = [];
  for (const person of people.filter((p) => !records.has(p.key))) {
    const refusal = cannotCreate(person, create);
    if (refusal) outcomes.set(person.key, { key: person.key, ok: false, reason: 'failed', error: refusal });
    else toCreate.push(person);
  }
  if (toCreate.length === 0) return;
  const companies = create === 'lead' ? await companyNames(db, toCreate) : new Map<string, string>();
  // The opt-out check at the moment of sending: right before this job's upload.
  const sendable = await withoutOptOuts(db, toCreate, outcomes);
  if (sendable.length === 0) return;
  // One Lead or Contact per address: two keys for one address share it.
  const byAddress = new Map<string, PushPerson>();
  for (const person of sendable) {
    const address = normalizedAddress(person.email);
    if (!byAddress.has(address)) byAddress.set(address, person);
  }
  const rows = [...byAddress.values()];
  const withCountry = create === 'lead' && rows.some((p) => p.country);
  const columns =
    create === 'lead' ? LEAD_FIELDS.filter((f) => f !== 'Country' || withCountry) : [...CONTACT_FIELDS];
  const values = rows.map((person) => {
    const row = personRow(person, companies.get(person.key) ?? '');
    return columns.map((column) => row[column] ?? '');
  });
  const job = await runRecordedJob({
    db,
    client: props.client,
    scope: props.scope,
    step: 'people',
    poll,
    now: props.now,
    record: recordCreated(props.now),
    sobject: create === 'lead' ? 'Lead' : 'Contact',
    operation: 'insert',
    csv: toCsv(columns, values),
    sent: sendable.map((p) => [normalizedAddress(p.email), p.key] as const),
  });
  const sobject = job.object as SalesforcePerson['sobject'];
  for (const row of job.successful)
    for (const key of job.keysOf(normalizedAddress(row.Email ?? '')))
      records.set(key, { sobject, id: row.sf__Id ?? '' });
  for (const row of job.failed)
    for (const key of job.keysOf(normalizedAddress(row.Email ?? '')))
      outcomes.set(key, {
        key,
        ok: false,
        reason: 'failed',
        error: row.sf__Error || 'refused without an error',
      });
}

/** Why a person cannot be created, or null. */
function cannotCreate(person: PushPerson, create: SalesforceCreate): string | null {
  if (normalizedAddress(person.email) === '') return `${person.key} has no email address`;
  if (create === 'contact' && !person.accountSalesforceId)
    return `account ${person.accountId ?? '(none)'} has no Salesforce id: sync accounts from Salesforce or import them with their Salesforce ids`;
  return null;
}

/**
 * The cells of a new Lead or Contact. LastName is required by Salesforce: a person without one
 * gets the email's local part. Company (Lead, required) is the account's name, else its domain.
 */
function personRow(person: PushPerson, company: string): Record<string, string> {
  const email = person.email.trim();
  return {
    AccountId: person.accountSalesforceId ?? '',
    FirstName: person.firstName ?? '',
    LastName: person.lastName?.trim() || email.split('@')[0] || email,
    Email: email,
    Title: person.title ?? '',
    Company: company,
    Country: person.country ? toCountryName(person.country) : '',
    LeadSource: LEAD_SOURCE,
    Signalfit_Source_Type__c: person.sourceType,
  };
}

/** Lead.Company by person key: the account's name, else the account's domain, else the email's. */
async function companyNames(db: Db, people: PushPerson[]): Promise<Map<string, string>> {
  const missing = people.filter((p) => !p.accountName?.trim() && p.accountId).map((p) => p.accountId!);
  const domains = new Map(
    missing.length === 0
      ? []
      : (
          await db.query<{ id: string; domain: string | null }>(
            'SELECT id, domain FROM accounts WHERE id = ANY($1::text[])',
            [missing],
          )
        ).map((a) => [a.id, a.domain]),
  );
  return new Map(
    people.map((p) => [
      p.key,
      p.accountName?.trim() ||
        (p.accountId ? domains.get(p.accountId) : null) ||
        normalizedAddress(p.email).split('@')[1] ||
        '',
    ]),
  );
}

const recordCreated =
  (now: () => Date): RecordJob =>
  async (tx, job) => {
    const keys: string[] = [];
    const ids: string[] = [];
    for (const row of job.successful)
      for (const key of job.keysOf(normalizedAddress(row.Email ?? ''))) {
        keys.push(key);
        ids.push(row.sf__Id ?? '');
      }
    if (keys.length === 0) return;
    await tx.run(
      `INSERT INTO salesforce_created_people (key, sobject, record_id, created_at)
       SELECT key, $1, record_id, $2 FROM unnest($3::text[], $4::text[]) AS c (key, record_id)
       ON CONFLICT (key) DO NOTHING`,
      [job.object, now(), keys, ids],
    );
  };

// ---- the members step ----

async function addMembers(
  props: PushToSalesforceProps,
  poll: IngestPoll,
  campaignId: string,
  people: PushPerson[],
  records: Map<string, SalesforcePerson>,
  outcomes: Map<string, PushOutcome>,
): Promise<void> {
  const { db } = props;
  const members = new Map(
    (
      await db.query<{ person_id: string; member_id: string | null }>(
        `SELECT person_id, member_id FROM salesforce_campaign_members
          WHERE campaign_id = $1 AND person_id = ANY($2::text[]) AND removed_at IS NULL`,
        [campaignId, people.map((p) => p.key)],
      )
    ).map((m) => [m.person_id, m.member_id]),
  );
  const toAdd: PushPerson[] = [];
  for (const person of people) {
    const targetId = records.get(person.key)!.id;
    if (members.has(person.key))
      outcomes.set(person.key, { key: person.key, ok: true, targetId, memberId: members.get(person.key)! });
    else toAdd.push(person);
  }
  if (toAdd.length === 0) return;
  const sendable = await withoutOptOuts(db, toAdd, outcomes);
  if (sendable.length === 0) return;
  const rows = new Map<string, string[]>();
  for (const person of sendable) {
    const { sobject, id } = records.get(person.key)!;
    rows.set(id, [campaignId, sobject === 'Lead' ? id : '', sobject === 'Contact' ? id : '']);
  }
  const job = await runRecordedJob({
    db,
    client: props.client,
    scope: props.scope,
    step: 'members',
    poll,
    now: props.now,
    record: recordMembers(props.now),
    sobject: 'CampaignMember',
    operation: 'insert',
    csv: toCsv([...MEMBER_FIELDS], [...rows.values()]),
    sent: sendable.map((p) => [records.get(p.key)!.id, p.key] as const),
  });
  const memberOutcome = (row: Record<string, string>, memberId: string | null, note?: string) => {
    const targetId = memberPerson(row);
    for (const key of job.keysOf(targetId))
      outcomes.set(key, { key, ok: true, targetId, memberId, ...(note ? { note } : {}) });
  };
  for (const row of job.successful) memberOutcome(row, row.sf__Id ?? null);
  for (const row of job.failed) {
    const error = row.sf__Error || 'refused without an error';
    if (error.startsWith(`${ALREADY_A_MEMBER}:`)) memberOutcome(row, null, 'already a member');
    else
      for (const key of job.keysOf(memberPerson(row)))
        outcomes.set(key, { key, ok: false, reason: 'failed', error });
  }
}

const memberPerson = (row: Record<string, string>) => row.LeadId || row.ContactId || '';

/** Records each membership added, and each refused as already there (member id unknown: not ours to remove). */
const recordMembers =
  (now: () => Date): RecordJob =>
  async (tx, job) => {
    const campaigns: string[] = [];
    const keys: string[] = [];
    const memberIds: (string | null)[] = [];
    const add = (row: Record<string, string>, memberId: string | null) => {
      for (const key of job.keysOf(memberPerson(row))) {
        campaigns.push(row.CampaignId ?? '');
        keys.push(key);
        memberIds.push(memberId);
      }
    };
    for (const row of job.successful) add(row, row.sf__Id ?? null);
    for (const row of job.failed)
      if ((row.sf__Error ?? '').startsWith(`${ALREADY_A_MEMBER}:`)) add(row, null);
    if (keys.length === 0) return;
    await tx.run(
      `INSERT INTO salesforce_campaign_members (campaign_id, person_id, member_id, added_at)
       SELECT campaign_id, person_id, member_id, $1
         FROM unnest($2::text[], $3::text[], $4::text[]) AS m (campaign_id, person_id, member_id)
       ON CONFLICT (campaign_id, person_id) DO UPDATE
         SET member_id = EXCLUDED.member_id, added_at = EXCLUDED.added_at, removed_at = NULL`,
      [now(), campaigns, keys, memberIds],
    );
  };

// ---- removal ----

/** A member Salesforce no longer has (deleted there by someone) counts as removed. */
const isGone = (error: string) =>
  error.startsWith('ENTITY_IS_DELETED:') || error.startsWith('INVALID_CROSS_REFERENCE_KEY:');

const recordRemoved =
  (now: () => Date): RecordJob =>
  async (tx, job: FinishedJob) => {
    const removed = [
      ...job.successful.map((row) => row.Id ?? ''),
      ...job.failed.filter((row) => isGone(row.sf__Error ?? '')).map((row) => row.Id ?? ''),
    ];
    if (removed.length === 0) return;
    await tx.run(
      'UPDATE salesforce_campaign_members SET removed_at = $1 WHERE member_id = ANY($2::text[]) AND removed_at IS NULL',
      [now(), removed],
    );
  };

// ---- shared ----

/** The Salesforce record each person already has: one the org holds, or one Signalfit created for the key. */
async function knownRecords(db: Db, people: PushPerson[]): Promise<Map<string, SalesforcePerson>> {
  const records = new Map<string, SalesforcePerson>();
  for (const person of people) if (person.existing) records.set(person.key, person.existing);
  const created = await db.query<{ key: string; sobject: 'Lead' | 'Contact'; record_id: string }>(
    'SELECT key, sobject, record_id FROM salesforce_created_people WHERE key = ANY($1::text[])',
    [people.filter((p) => !p.existing).map((p) => p.key)],
  );
  for (const row of created) records.set(row.key, { sobject: row.sobject, id: row.record_id });
  return records;
}

/** The people whose address is not opted out now; the others get their outcome. */
async function withoutOptOuts(
  db: Db,
  people: PushPerson[],
  outcomes: Map<string, PushOutcome>,
): Promise<PushPerson[]> {
  const optedOut = await optedOutAddresses(
    db,
    people.map((p) => p.email),
  );
  return people.filter((person) => {
    const optOut = optedOut.get(normalizedAddress(person.email));
    if (optOut)
      outcomes.set(person.key, {
        key: person.key,
        ok: false,
        reason: 'opted_out',
        error: optOutReason(optOut),
      });
    return !optOut;
  });
}

function pushPoll(pollIntervalMs: number | undefined): IngestPoll {
  const interval = pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  return {
    pollIntervalMs: interval,
    maxPollIntervalMs: Math.max(interval, MAX_POLL_INTERVAL_MS),
    pollTimeoutMs: POLL_TIMEOUT_MS,
  };
}

/** Bulk API CSV: LF line ends, an empty cell sets nothing. */
function toCsv(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify([columns, ...rows], { record_delimiter: '\n' });
}
