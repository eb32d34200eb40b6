import type { OutreachClient } from '../../integrations/outreach/client';
import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { normalizedAddress } from '../outbound/optOuts';
import {
  enrollInSequence,
  isUsableEmail,
  type SequenceCandidate,
  type SequenceOutcome,
} from '../outreach/sequenceEnrollment';
import type { PushOutcome, PushPerson } from './push';

export interface PushToOutreachProps {
  db: Db;
  /** A client acting as the orchestration's owner (OutreachConnections.client). */
  client: OutreachClient;
  sequenceId: string;
  mailboxId: string;
  people: PushPerson[];
  /** Who the push is for (the engine records it with the run); the client decides who Outreach sees. */
  actor: Actor;
  /** What the push is for (audit log): the orchestration run. */
  audit?: { targetType: string; targetId: string; label: string };
  now: () => Date;
}

/**
 * Puts the people of an orchestration's run into an Outreach sequence, through the same steps
 * as the panel's enrollment (enrollInSequence: one prospect search, one sequence-state search,
 * a prospect created only when none has the address, the opt-out checked again right before
 * sending), so a rerun or a re-push creates no second prospect or sequence state. The people
 * need not be in the store (people bought a moment ago): the prospect gets their names, title and
 * the account's name as its company. One outcome per person, in the given order: `targetId` is
 * the prospect, `memberId` the sequence state. Outreach's refusals, a rate limit past the
 * client's bound, and a connection that stopped working are the failures of the people not done.
 */
export async function pushToOutreach(props: PushToOutreachProps): Promise<PushOutcome[]> {
  const outcomes = new Map<string, PushOutcome>();
  const people = uniqueByKey(props.people);
  const candidates: (SequenceCandidate & { key: string })[] = [];
  for (const person of people) {
    const email = person.email.trim();
    if (!isUsableEmail(email)) {
      outcomes.set(person.key, {
        key: person.key,
        ok: false,
        reason: 'failed',
        error: `"${person.email}" is not an address Outreach can take`,
      });
    } else {
      candidates.push({
        key: person.key,
        email: normalizedAddress(email),
        prospect: {
          firstName: person.firstName,
          lastName: person.lastName,
          email,
          title: person.title,
          company: person.accountName,
        },
      });
    }
  }
  try {
    await enrollInSequence({
      db: props.db,
      client: props.client,
      sequenceId: props.sequenceId,
      mailboxId: props.mailboxId,
      now: props.now,
      people: candidates,
      actor: props.actor,
      audit: props.audit,
      onOutcome: (person, outcome) => {
        outcomes.set(person.key, pushOutcome(person.key, outcome));
        return Promise.resolve();
      },
    });
  } catch (error) {
    // Outreach stopped taking calls (a revoked connection, a missing scope, down): the people
    // not done fail with why, and a re-push tries them again.
    const reason = error instanceof Error ? error.message : String(error);
    for (const c of candidates) {
      if (!outcomes.has(c.key))
        outcomes.set(c.key, { key: c.key, ok: false, reason: 'failed', error: reason });
    }
  }
  return people.map((p) => outcomes.get(p.key)!);
}

function pushOutcome(key: string, outcome: SequenceOutcome): PushOutcome {
  switch (outcome.result) {
    case 'enrolled':
      return { key, ok: true, targetId: outcome.prospectId, memberId: outcome.sequenceStateId };
    case 'already_enrolled':
      return {
        key,
        ok: true,
        targetId: outcome.prospectId,
        memberId: outcome.sequenceStateId,
        note: 'already in the sequence',
      };
    case 'opted_out':
      return { key, ok: false, reason: 'opted_out', error: outcome.detail };
    case 'rejected':
      return { key, ok: false, reason: 'failed', error: `Outreach refused the person: ${outcome.detail}` };
    case 'rate_limited':
      return {
        key,
        ok: false,
        reason: 'failed',
        error: `Outreach's rate limit was reached: not sent; try again after ${outcome.retryAt}`,
      };
  }
}

/** Each key once (the first wins): a key names one push. */
function uniqueByKey(people: readonly PushPerson[]): PushPerson[] {
  const seen = new Set<string>();
  return people.filter((p) => !seen.has(p.key) && seen.add(p.key));
}
