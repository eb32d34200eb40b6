import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { addressOptedOutSql, optedOutAddresses, optOutReason, type OptOutRule } from '../outbound/optOuts';
import { ENTRY_COLUMNS, entryOf, type OptOutEntry } from './optOutList';

/** Where Signalfit sent a person. */
export type PushPlace =
  | 'outreach_enrollment'
  | 'orchestration_record'
  | 'orchestration_audience'
  | 'salesforce_campaign_member'
  | 'salesforce_lead'
  | 'salesforce_contact'
  | 'purchase';

export const PUSH_PLACES: readonly PushPlace[] = [
  'outreach_enrollment',
  'orchestration_record',
  'orchestration_audience',
  'salesforce_campaign_member',
  'salesforce_lead',
  'salesforce_contact',
  'purchase',
];

/** A person flagged opted out in the period (the flag's arrival time: migration 0023). */
export interface FlaggedPerson {
  id: string;
  kind: 'contact' | 'lead';
  email: string | null;
  accountId: string;
  optedOutAt: string;
}

/** An opted-out address still present where Signalfit pushed it. */
export interface StillPresent {
  email: string;
  place: PushPlace;
  /** The place's id of it: sequence, orchestration, campaign, Salesforce record, provider. */
  target: string | null;
  /** The store's reference: contact id, purchase id or orchestration id. */
  ref: string | null;
  pushedAt: string;
  rule: OptOutRule;
  why: string;
}

export interface OptOutReport {
  since: string;
  until: string;
  newOptOuts: {
    listEmails: number;
    listDomains: number;
    people: number;
    list: OptOutEntry[];
    flagged: FlaggedPerson[];
  };
  stillPresent: { total: number; byPlace: Record<PushPlace, number>; records: StillPresent[] };
}

/**
 * The push records of every outbound path, as (email, place, target, ref, at): Outreach
 * enrolments of the panel, orchestrations' pushed records (Outreach, Salesforce, CSV), the
 * audiences' current members, Salesforce campaign members not removed, the Leads and Contacts
 * Signalfit created, and purchased people. A push key names a purchase (`purchase:N`) or a
 * person (`person:ID`).
 */
const PUSHED_SQL = `
  WITH keyed AS (
    SELECT 'salesforce_campaign_member' AS place, m.campaign_id AS target, m.person_id AS key, m.added_at AS at
      FROM salesforce_campaign_members m WHERE m.removed_at IS NULL
    UNION ALL
    SELECT CASE WHEN p.sobject = 'Lead' THEN 'salesforce_lead' ELSE 'salesforce_contact' END, p.record_id, p.key, p.created_at
      FROM salesforce_created_people p
  ), pushed AS (
    SELECT 'outreach_enrollment' AS place, a.sequence_id AS target, a.person_id AS ref, c.email, a.attempted_at AS at
      FROM outreach_enrollment_attempts a JOIN contacts c ON c.id = a.person_id
     WHERE a.result = 'enrolled'
    UNION ALL
    SELECT 'orchestration_record', r.target_id, r.orchestration_id::text, r.email, r.updated_at
      FROM orchestration_records r WHERE r.outcome = 'pushed' AND r.email IS NOT NULL
    UNION ALL
    SELECT 'orchestration_audience', o.target_id, o.orchestration_id::text, c.email, o.pushed_at
      FROM orchestration_audience o JOIN contacts c ON c.id = o.person_id WHERE o.removed_at IS NULL
    UNION ALL
    SELECT k.place, k.target, k.key, coalesce(cp.email, c.email), k.at
      FROM keyed k
      LEFT JOIN contact_purchases cp ON k.key = 'purchase:' || cp.id::text
      LEFT JOIN contacts c ON k.key = 'person:' || c.id
    UNION ALL
    SELECT 'purchase', cp.provider_id::text, cp.id::text, cp.email, cp.purchased_at
      FROM contact_purchases cp WHERE cp.state = 'purchased'
  )
  SELECT place, target, ref, lower(trim(email)) AS email, at FROM pushed
   WHERE email IS NOT NULL AND trim(email) <> '' AND ${addressOptedOutSql('email')}
   ORDER BY lower(trim(email)), place, target, ref`;

type PushedRow = {
  place: PushPlace;
  target: string | null;
  ref: string | null;
  email: string;
  at: Date | string;
};

/**
 * The opt-out report of [since, until) (docs/opt-outs.md "Weekly report"):
 * - new opt-outs: list entries created in the period, and people whose opted_out flag reached the
 *   store in it (contacts.opted_out_at: the import or sync that landed it, not the moment the
 *   person opted out, which neither source carries);
 * - still present: EVERY opted-out address (whenever it opted out) that is still where Signalfit
 *   pushed it, so Operations can clean it up downstream. Signalfit never pushes an opted-out
 *   address; these are people pushed before they opted out.
 */
export async function optOutReport(props: {
  db: Db;
  actor: Actor;
  since: Date;
  until: Date;
}): Promise<OptOutReport> {
  authorize(props.actor, 'optouts.manage', 'viewing the opt-out report');
  const { db, since, until } = props;
  const list = (
    await db.query<Parameters<typeof entryOf>[0]>(
      `SELECT ${ENTRY_COLUMNS} FROM opt_outs WHERE created_at >= $1 AND created_at < $2
        ORDER BY created_at, kind, value COLLATE "C"`,
      [since, until],
    )
  ).map(entryOf);
  const flagged = await db.query<{
    id: string;
    kind: 'contact' | 'lead';
    email: string | null;
    account_id: string;
    opted_out_at: Date | string;
  }>(
    `SELECT id, kind, email, account_id, opted_out_at FROM contacts
      WHERE opted_out AND opted_out_at >= $1 AND opted_out_at < $2 ORDER BY opted_out_at, id COLLATE "C"`,
    [since, until],
  );
  const pushed = await db.query<PushedRow>(PUSHED_SQL);
  const rules = await optedOutAddresses(
    db,
    pushed.map((r) => r.email),
  );
  const byPlace = Object.fromEntries(PUSH_PLACES.map((p) => [p, 0])) as Record<PushPlace, number>;
  const records: StillPresent[] = [];
  for (const row of pushed) {
    const optOut = rules.get(row.email);
    if (!optOut) continue; // opted back in between the two statements
    byPlace[row.place] += 1;
    records.push({
      email: row.email,
      place: row.place,
      target: row.target,
      ref: row.ref,
      pushedAt: new Date(row.at).toISOString(),
      rule: optOut.rule,
      why: optOutReason(optOut),
    });
  }
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    newOptOuts: {
      listEmails: list.filter((e) => e.kind === 'email').length,
      listDomains: list.filter((e) => e.kind === 'domain').length,
      people: flagged.length,
      list,
      flagged: flagged.map((p) => ({
        id: p.id,
        kind: p.kind,
        email: p.email,
        accountId: p.account_id,
        optedOutAt: new Date(p.opted_out_at).toISOString(),
      })),
    },
    stillPresent: { total: records.length, byPlace, records },
  };
}
