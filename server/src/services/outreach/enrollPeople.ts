import { AppError } from '../../errors';
import type { Access } from '../../http/auth/accessToken';
import { assertMayReadAccount } from '../../http/auth/requireAccess';
import type { OutreachClient, Prospect } from '../../integrations/outreach/client';
import { OutreachApiError } from '../../integrations/outreach/errors';
import type { Db } from '../../store/db';
import { personName } from '../intelligence/accountPeople';
import { optedOutAddresses, optOutReason } from '../outbound/optOuts';
import { candidateIds } from '../intelligence/recordIds';

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
  access: Access;
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

const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

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
 */
export async function enrollPeople(props: EnrollPeopleProps): Promise<EnrollmentAnswer> {
  const { db, client, access, sequenceId, mailboxId } = props;
  const requested = [...new Set(props.people)];
  const rows = await loadPeople(db, requested);
  const results: EnrollmentResult[] = [];
  let pending: { result: EnrollmentResult; person: PersonRow; email: string }[] = [];

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
    const readable = person && mayRead(access, person.account_id);
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
      if (!EMAIL.test(email)) {
        result.result = 'person_has_no_email';
        await record(result, person);
      } else {
        pending.push({ result, person, email: email.toLowerCase() });
      }
    }
  }

  // The search below already carries the addresses to Outreach: opted-out ones stay here.
  const optedOut = await optedOutAddresses(
    db,
    pending.map((p) => p.email),
  );
  for (const p of pending.filter((p) => optedOut.has(p.email))) {
    p.result.result = 'person_opted_out';
    p.result.detail = optOutReason(optedOut.get(p.email)!);
    await record(p.result, p.person);
  }
  pending = pending.filter((p) => !optedOut.has(p.email));

  if (pending.length > 0) {
    let stoppedAt: Date | null = null;
    const stop = async (error: OutreachApiError, remaining: typeof pending) => {
      stoppedAt = error.retryAt ?? new Date(props.now().getTime() + 60_000);
      for (const p of remaining) {
        p.result.result = 'outreach_rate_limited';
        p.result.retryAt = stoppedAt.toISOString();
        await record(p.result, p.person);
      }
    };
    let prospects: Map<string, Prospect>;
    let enrolledProspects: Map<string, string>;
    try {
      prospects = byEmail(await client.findProspectsByEmails(pending.map((p) => p.email)));
      const found = [...new Set([...prospects.values()].map((p) => p.id))];
      enrolledProspects = new Map();
      if (found.length > 0) {
        for (const state of await client.findSequenceStates({ prospectIds: found, sequenceId })) {
          if (state.prospectId) enrolledProspects.set(state.prospectId, state.id);
        }
      }
    } catch (error) {
      if (isRateLimit(error)) {
        await stop(error, pending);
        return answer(props, results);
      }
      throw outreachFailure(error);
    }

    for (let i = 0; i < pending.length; i++) {
      const { result, person, email } = pending[i]!;
      let prospect = prospects.get(email);
      try {
        const existing = prospect && enrolledProspects.get(prospect.id);
        if (prospect && existing) {
          Object.assign(result, {
            result: 'already_enrolled',
            prospectId: prospect.id,
            sequenceStateId: existing,
          });
        } else {
          // The moment of sending: an opt-out stored while this request ran still stops it.
          const optOut = (await optedOutAddresses(db, [email])).get(email);
          if (optOut) {
            Object.assign(result, { result: 'person_opted_out', detail: optOutReason(optOut) });
            await record(result, person);
            continue;
          }
          if (!prospect) {
            prospect = await client.createProspect({
              firstName: person.first_name,
              lastName: person.last_name,
              email: person.email!.trim(),
              title: person.title,
              company: person.account_name,
            });
            prospects.set(email, prospect);
          }
          const state = await client.createSequenceState({ prospectId: prospect.id, sequenceId, mailboxId });
          enrolledProspects.set(prospect.id, state.id);
          Object.assign(result, { result: 'enrolled', prospectId: prospect.id, sequenceStateId: state.id });
        }
      } catch (error) {
        if (isRateLimit(error)) {
          await stop(error, pending.slice(i));
          break;
        }
        if (!(error instanceof OutreachApiError) || error.status !== 422) {
          throw outreachFailure(error);
        }
        // A 422 on the sequence state may mean it exists after all (someone else enrolled them).
        const existing = prospect
          ? (await client.findSequenceStates({ prospectIds: [prospect.id], sequenceId }).catch(() => []))[0]
          : undefined;
        if (prospect && existing) {
          Object.assign(result, {
            result: 'already_enrolled',
            prospectId: prospect.id,
            sequenceStateId: existing.id,
          });
          enrolledProspects.set(prospect.id, existing.id);
        } else {
          Object.assign(result, {
            result: 'outreach_validation_failed',
            detail: error.detail || 'Outreach refused the request',
            ...(prospect ? { prospectId: prospect.id } : {}),
          });
        }
      }
      await record(result, person);
    }
  }
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

function mayRead(access: Access, accountId: string): boolean {
  try {
    assertMayReadAccount(access, accountId);
    return true;
  } catch {
    return false;
  }
}

/** The oldest prospect of each email (lowercased): a rerun always picks the same one. */
function byEmail(prospects: readonly Prospect[]): Map<string, Prospect> {
  const map = new Map<string, Prospect>();
  for (const p of [...prospects].sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id))) {
    for (const email of p.emails) {
      const key = email.trim().toLowerCase();
      if (!map.has(key)) map.set(key, p);
    }
  }
  return map;
}

function isRateLimit(error: unknown): error is OutreachApiError {
  return error instanceof OutreachApiError && error.status === 429;
}

/** What stops the whole request: a missing scope, a revoked token, Outreach down. */
function outreachFailure(error: unknown): unknown {
  if (!(error instanceof OutreachApiError)) return error;
  if (error.status === 0) {
    return new AppError('outreach_unavailable', `Outreach could not be reached: ${error.detail}`);
  }
  if (error.status === 401) {
    return new AppError(
      'outreach_not_connected',
      'Outreach no longer accepts this connection: connect Outreach again',
    );
  }
  if (error.status === 403) {
    return new AppError(
      'outreach_unavailable',
      `Outreach refused the call (${error.errorId ?? 'forbidden'}): ${error.detail}. Connect Outreach again to grant the scopes.`,
      { outreach: error.errors },
    );
  }
  return new AppError('outreach_unavailable', `Outreach refused the call: ${error.message}`, {
    outreach: error.errors,
  });
}
