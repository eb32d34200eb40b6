import type { Db } from '../../store/db';
import { candidateIds } from '../intelligence/recordIds';

/** How many attempts the history lists, newest first. */
export const HISTORY_LIMIT = 50;

export interface EnrollmentAttempt {
  attemptedAt: string;
  by: string | null;
  byUserId: string;
  sequenceId: string;
  sequenceName: string | null;
  mailboxId: string;
  result: string;
  prospectId: string | null;
  sequenceStateId: string | null;
  detail: string | null;
}

/** The person's enrollment attempts (newest first), and the account they belong to. */
export async function enrollmentHistory(props: {
  db: Db;
  personId: string;
}): Promise<{ personId: string; accountId: string | null; attempts: EnrollmentAttempt[] } | null> {
  const { db } = props;
  const [person] = await db.query<{ id: string; account_id: string }>(
    'SELECT id, account_id FROM contacts WHERE id = ANY($1::text[]) LIMIT 1',
    [candidateIds(props.personId)],
  );
  if (!person) return null;
  const rows = await db.query<{
    attempted_at: Date;
    user_name: string | null;
    user_id: string;
    sequence_id: string;
    sequence_name: string | null;
    mailbox_id: string;
    result: string;
    prospect_id: string | null;
    sequence_state_id: string | null;
    detail: string | null;
  }>(
    `SELECT attempted_at, user_name, user_id, sequence_id, sequence_name, mailbox_id, result, prospect_id,
            sequence_state_id, detail
       FROM outreach_enrollment_attempts WHERE person_id = $1 ORDER BY attempted_at DESC, id DESC LIMIT $2`,
    [person.id, HISTORY_LIMIT],
  );
  return {
    personId: person.id,
    accountId: person.account_id,
    attempts: rows.map((r) => ({
      attemptedAt: new Date(r.attempted_at).toISOString(),
      by: r.user_name,
      byUserId: r.user_id,
      sequenceId: r.sequence_id,
      sequenceName: r.sequence_name,
      mailboxId: r.mailbox_id,
      result: r.result,
      prospectId: r.prospect_id,
      sequenceStateId: r.sequence_state_id,
      detail: r.detail,
    })),
  };
}
