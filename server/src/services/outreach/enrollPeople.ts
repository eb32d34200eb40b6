import { authorize, mayReadAccount, type Actor } from '../../policies/policies';
import type { NewProspect, OutreachClient } from '../../integrations/outreach/client';
import type { Db } from '../../store/db';
import { personName } from '../intelligence/accountPeople';
import { candidateIds } from '../intelligence/recordIds';
import { enrollInSequence, isUsableEmail, type SequenceOutcome } from './sequenceEnrollment';

/** The most people one enrollment request may name. */
export const MAX_PEOPLE_PER_ENROLLMENT = 50;

export type EnrollmentResultCode =
  | 'enrolled'
  | 'already_enrolled'
  | 'person_opted_out'
  | 'person_has_no_email'
  | 'person_not_found'
  | 'outreach_validation_failed'
  | 'outreach_rate_limited';

export interface EnrollmentResult {
  /** The id as the request gave it. */
  personId: string;
  /** The stored (canonical) id, when the person was found. */
  canonicalId: string | null;
  name: string | null;
  result: EnrollmentResultCode;
  prospectId?: string;
  sequenceStateId?: string;
  /** Outreach's own words, for outreach_validation_failed; why, for person_opted_out. */
  detail?: string;
  /** When Outreach accepts calls again, for outreach_rate_limited (ISO 8601). */
  retryAt?: string;
}

export interface EnrollmentAnswer {
  sequenceId: string;
  mailboxId: string;
  results: EnrollmentResult[];
  counts: Partial<Record<EnrollmentResultCode, number>>;
}

export interface EnrollPeopleProps {
  db: Db;
  /** A client acting as the user (OutreachConnections.client). */
  client: OutreachClient;
  /** Who enrols (outreach.enroll), and the org their enrollments are recorded under. */
  access: Actor & { orgId: string };
  /** 1–50 canonical or Salesforce ids of contacts or leads. */
  people: readonly string[];
  sequenceId: string;
  mailboxId: string;
  /** Shown in the enrollment history; not sent to Outreach. */
  sequenceName?: string | null;
  now: () => Date;
}

type PersonRow = {
  id: string;
  account_id: string;
  account_name: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  title: string | null;
  kind: 'contact' | 'lead';
  opted_out: boolean;
};

/**
 * Puts people into an Outreach sequence, never twice and never an opted-out address:
 * 1. people not found (or on another record than the panel's), opted out, without a usable
 *    email, or whose address any other record opted out (optOuts.ts) are answered here and never
 *    sent to Outreach;
 * 2. ONE prospect search for all the others' emails (`filter[emails]=a,b,…`, 50 a call);
 * 3. ONE sequence-state search for the prospects found (`filter[prospect][id]=…&filter[sequence][id]=…`):
 *    those are `already_enrolled`, nothing is created for them;
 * 4. per remaining person: the address is checked for an opt-out again (one stored since step 1
 *    still counts), then the prospect is created when none was found, then the sequence state.
 * A rerun after a crash between 4's two calls finds the prospect in step 2 and creates no second
 * one. A rate limit that outlasts the client's retry bound answers `outreach_rate_limited` (with
 * the retry time) for the people not done yet. Every person's outcome is recorded as it is known.
 * The Outreach steps (the address opt-out of 1, then 2–4) are enrollInSequence's
 * (sequenceEnrollment.ts), which orchestrations share for the people they bought.
 */
export async function enrollPeople(props: EnrollPeopleProps): Promise<EnrollmentAnswer> {
  const { db, client, access, sequenceId, mailboxId } = props;
  authorize(access, 'outreach.enroll', 'adding people to Outreach sequences');
  const requested = [...new Set(props.people)];
  const rows = await loadPeople(db, requested);
  const results: EnrollmentResult[] = [];
  const pending: { result: EnrollmentResult; person: PersonRow; email: string }[] = [];

  const record = async (result: EnrollmentResult, person: PersonRow | null) => {
    await db.run(
      `INSERT INTO outreach_enrollment_attempts (org_id, user_id, user_name, person_id, account_id, sequence_id,
         sequence_name, mailbox_id, result, prospect_id, sequence_state_id, detail, attempted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        access.orgId,
        access.userId,
        access.name ?? access.email,
        person?.id ?? result.personId,
        person?.account_id ?? null,
        sequenceId,
        props.sequenceName ?? null,
        mailboxId,
        result.result,
        result.prospectId ?? null,
        result.sequenceStateId ?? null,
        result.detail ?? result.retryAt ?? null,
        props.now(),
      ],
    );
  };

  for (const personId of requested) {
    const person = rows.get(personId) ?? null;
    const readable = person && mayReadAccount(access, person.account_id);
    const result: EnrollmentResult = {
      personId,
      canonicalId: readable ? person.id : null,
      name: readable ? personName(person) : null,
      result: 'person_not_found',
    };
    results.push(result);
    if (!person || !readable) {
      await record(result, null);
    } else if (person.opted_out) {
      result.result = 'person_opted_out';
      result.detail = `this ${person.kind} is opted out`;
      await record(result, person);
    } else {
      const email = person.email?.trim() ?? '';
      if (!isUsableEmail(email)) {
        result.result = 'person_has_no_email';
        await record(result, person);
      } else {
        pending.push({ result, person, email: email.toLowerCase() });
      }
    }
  }

  await enrollInSequence({
    db,
    client,
    sequenceId,
    mailboxId,
    now: props.now,
    people: pending.map((p) => ({ ...p, prospect: newProspect(p.person) })),
    actor: access,
    onOutcome: async ({ result, person }, outcome) => {
      Object.assign(result, resultOf(outcome));
      await record(result, person);
    },
  });
  return answer(props, results);
}

function answer(props: EnrollPeopleProps, results: EnrollmentResult[]): EnrollmentAnswer {
  const counts: EnrollmentAnswer['counts'] = {};
  for (const r of results) counts[r.result] = (counts[r.result] ?? 0) + 1;
  return { sequenceId: props.sequenceId, mailboxId: props.mailboxId, results, counts };
}

/** The people by each requested id (canonical, or Salesforce 15/18 characters). */
async function loadPeople(db: Db, ids: readonly string[]): Promise<Map<string, PersonRow>> {
  const candidates = new Map(ids.map((id) => [id, candidateIds(id)]));
  const all = [...new Set([...candidates.values()].flat())];
  const rows = await db.query<PersonRow>(
    `SELECT c.id, c.account_id, a.name AS account_name, c.first_name, c.last_name, c.email, c.title, c.kind,
            c.opted_out
       FROM contacts c JOIN accounts a ON a.id = c.account_id
      WHERE c.id = ANY($1::text[])`,
    [all],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Map<string, PersonRow>();
  for (const [id, options] of candidates) {
    const row = options.map((o) => byId.get(o)).find(Boolean);
    if (row) out.set(id, row);
  }
  return out;
}

function newProspect(person: PersonRow): NewProspect {
  return {
    firstName: person.first_name,
    lastName: person.last_name,
    email: person.email!.trim(),
    title: person.title,
    company: person.account_name,
  };
}

/** The Outreach steps' outcome as this request's result code. */
function resultOf(outcome: SequenceOutcome): Partial<EnrollmentResult> {
  switch (outcome.result) {
    case 'enrolled':
    case 'already_enrolled':
      return {
        result: outcome.result,
        prospectId: outcome.prospectId,
        sequenceStateId: outcome.sequenceStateId,
      };
    case 'opted_out':
      return { result: 'person_opted_out', detail: outcome.detail };
    case 'rejected':
      return {
        result: 'outreach_validation_failed',
        detail: outcome.detail,
        ...(outcome.prospectId ? { prospectId: outcome.prospectId } : {}),
      };
    case 'rate_limited':
      return { result: 'outreach_rate_limited', retryAt: outcome.retryAt };
  }
}
