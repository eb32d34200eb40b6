import { AppError } from '../../errors';
import type { NewProspect, OutreachClient, Prospect } from '../../integrations/outreach/client';
import { OutreachApiError } from '../../integrations/outreach/errors';
import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { optedOutAddresses, optOutReason } from '../outbound/optOuts';

const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

/** An address Outreach can take (trimmed first): one `@`, a dot in the domain, no spaces or commas. */
export function isUsableEmail(email: string): boolean {
  return EMAIL.test(email);
}

/** One person to put into a sequence: the address (trimmed, lower case) and the prospect to create. */
export interface SequenceCandidate {
  email: string;
  prospect: NewProspect;
}

export type SequenceOutcome =
  | { result: 'enrolled'; prospectId: string; sequenceStateId: string }
  | { result: 'already_enrolled'; prospectId: string; sequenceStateId: string }
  | { result: 'opted_out'; detail: string }
  /** Outreach refused this person (422), in its own words. */
  | { result: 'rejected'; detail: string; prospectId?: string }
  /** A rate limit outlasted the client's retry bound: not tried, try again at `retryAt` (ISO 8601). */
  | { result: 'rate_limited'; retryAt: string };

export interface EnrollInSequenceProps<P extends SequenceCandidate> {
  db: Db;
  /** A client acting as the user who enrolls (OutreachConnections.client). */
  client: OutreachClient;
  sequenceId: string;
  mailboxId: string;
  /** People with a usable address; each gets one outcome. */
  people: readonly P[];
  now: () => Date;
  /** Called with each person's outcome as soon as it is known (callers record it at once). */
  onOutcome: (person: P, outcome: SequenceOutcome) => Promise<void>;
  /** Who enrols (audit log): the panel's user, or the orchestration run's requester. */
  actor: Actor;
  /** What the enrolment is for (audit log), e.g. an orchestration run; default: the panel. */
  audit?: { targetType: string; targetId: string; label: string };
}

/**
 * The Outreach steps of putting people into a sequence, never twice and never an opted-out
 * address (the store's people: enrollPeople; bought people: orchestrations' pushToOutreach):
 * 1. addresses any record opted out (optOuts.ts) are answered here and never sent;
 * 2. ONE prospect search for all the others' emails (`filter[emails]=a,b,…`, 50 a call);
 * 3. ONE sequence-state search for the prospects found: those are `already_enrolled`;
 * 4. per remaining person: the address is checked for an opt-out again (one stored since step 1
 *    still counts), then the prospect is created when none was found, then the sequence state.
 * A rerun after a crash between 4's two calls finds the prospect in step 2 and creates no second
 * one. A rate limit that outlasts the client's retry bound answers `rate_limited` (with the
 * retry time) for the people not done yet. What stops the whole request (a revoked connection,
 * a missing scope, Outreach down) is thrown as an AppError after the outcomes known so far.
 */
export async function enrollInSequence<P extends SequenceCandidate>(
  props: EnrollInSequenceProps<P>,
): Promise<void> {
  const tally: Partial<Record<SequenceOutcome['result'], number>> = {};
  try {
    await enroll({
      ...props,
      onOutcome: async (person, outcome) => {
        tally[outcome.result] = (tally[outcome.result] ?? 0) + 1;
        await props.onOutcome(person, outcome);
      },
    });
  } finally {
    await auditEnrollment(props, tally);
  }
}

/** The push's audit entry: people sent (enrolled), already there, refused (by Outreach or an opt-out). */
async function auditEnrollment<P extends SequenceCandidate>(
  props: EnrollInSequenceProps<P>,
  tally: Partial<Record<SequenceOutcome['result'], number>>,
): Promise<void> {
  const sent = tally.enrolled ?? 0;
  const refused = (tally.rejected ?? 0) + (tally.opted_out ?? 0);
  const counts = {
    people: props.people.length,
    sent,
    already_enrolled: tally.already_enrolled ?? 0,
    refused,
    opted_out: tally.opted_out ?? 0,
    rate_limited: tally.rate_limited ?? 0,
  };
  if (props.people.length === 0) return;
  const target = props.audit ?? {
    targetType: 'outreach_sequence',
    targetId: props.sequenceId,
    label: 'from the panel',
  };
  await recordAudit(props.db, props.actor, {
    action: 'outreach.enroll',
    targetType: target.targetType,
    targetId: target.targetId,
    summary: `sent ${sent} of ${props.people.length} people to Outreach sequence ${props.sequenceId} ${target.label}; ${refused} refused`,
    counts,
  });
}

async function enroll<P extends SequenceCandidate>(props: EnrollInSequenceProps<P>): Promise<void> {
  const { db, client, sequenceId, mailboxId, onOutcome } = props;
  // The search below already carries the addresses to Outreach: opted-out ones stay here.
  const optedOut = await optedOutAddresses(
    db,
    props.people.map((p) => p.email),
  );
  for (const p of props.people) {
    const optOut = optedOut.get(p.email);
    if (optOut) await onOutcome(p, { result: 'opted_out', detail: optOutReason(optOut) });
  }
  const pending = props.people.filter((p) => !optedOut.has(p.email));
  if (pending.length === 0) return;

  const stop = async (error: OutreachApiError, remaining: readonly P[]) => {
    const retryAt = (error.retryAt ?? new Date(props.now().getTime() + 60_000)).toISOString();
    for (const p of remaining) await onOutcome(p, { result: 'rate_limited', retryAt });
  };
  let prospects: Map<string, Prospect>;
  const enrolledProspects = new Map<string, string>();
  try {
    prospects = byEmail(await client.findProspectsByEmails(pending.map((p) => p.email)));
    const found = [...new Set([...prospects.values()].map((p) => p.id))];
    if (found.length > 0) {
      for (const state of await client.findSequenceStates({ prospectIds: found, sequenceId })) {
        if (state.prospectId) enrolledProspects.set(state.prospectId, state.id);
      }
    }
  } catch (error) {
    if (isRateLimit(error)) return stop(error, pending);
    throw outreachFailure(error);
  }

  for (let i = 0; i < pending.length; i++) {
    const person = pending[i]!;
    const { email } = person;
    let prospect = prospects.get(email);
    let outcome: SequenceOutcome;
    try {
      const existing = prospect && enrolledProspects.get(prospect.id);
      if (prospect && existing) {
        outcome = { result: 'already_enrolled', prospectId: prospect.id, sequenceStateId: existing };
      } else {
        // The moment of sending: an opt-out stored while this request ran still stops it.
        const optOut = (await optedOutAddresses(db, [email])).get(email);
        if (optOut) {
          await onOutcome(person, { result: 'opted_out', detail: optOutReason(optOut) });
          continue;
        }
        if (!prospect) {
          prospect = await client.createProspect(person.prospect);
          prospects.set(email, prospect);
        }
        const state = await client.createSequenceState({ prospectId: prospect.id, sequenceId, mailboxId });
        enrolledProspects.set(prospect.id, state.id);
        outcome = { result: 'enrolled', prospectId: prospect.id, sequenceStateId: state.id };
      }
    } catch (error) {
      if (isRateLimit(error)) return stop(error, pending.slice(i));
      if (!(error instanceof OutreachApiError) || error.status !== 422) {
        throw outreachFailure(error);
      }
      // A 422 on the sequence state may mean it exists after all (someone else enrolled them).
      const existing = prospect
        ? (await client.findSequenceStates({ prospectIds: [prospect.id], sequenceId }).catch(() => []))[0]
        : undefined;
      if (prospect && existing) {
        outcome = { result: 'already_enrolled', prospectId: prospect.id, sequenceStateId: existing.id };
        enrolledProspects.set(prospect.id, existing.id);
      } else {
        outcome = {
          result: 'rejected',
          detail: error.detail || 'Outreach refused the request',
          ...(prospect ? { prospectId: prospect.id } : {}),
        };
      }
    }
    await onOutcome(person, outcome);
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
