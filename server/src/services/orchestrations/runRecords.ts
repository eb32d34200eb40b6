import type { ProviderContact } from '../../domain/orchestrations/types';
import type { RecordOutcome } from '../../domain/orchestrations/vocabulary';
import type { Db } from '../../store/db';
import type { RunView } from './orchestrationRecords';

/**
 * The records of a run (orchestration_records): one per selection row or pushed person, written
 * and updated in batches of RECORD_BATCH rows per statement, so a run with 200,000 skipped rows
 * makes a few dozen statements, not 200,000.
 */
export const RECORD_BATCH = 5000;

export interface NewRecord {
  accountId: string | null;
  purchaseId: number | null;
  personId: string | null;
  providerContactId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  outcome: RecordOutcome;
  reason: string | null;
  error: string | null;
  targetId: string | null;
  memberId: string | null;
}

/** A record of a provider row (skipped, failed, or purchased before its push). */
export function rowRecord(
  row: ProviderContact,
  accountId: string,
  fields: Partial<Pick<NewRecord, 'outcome' | 'reason' | 'error' | 'purchaseId'>>,
): NewRecord {
  return {
    accountId,
    purchaseId: fields.purchaseId ?? null,
    personId: null,
    providerContactId: row.providerId,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    title: row.title,
    outcome: fields.outcome ?? 'skipped',
    reason: fields.reason ?? null,
    error: fields.error ?? null,
    targetId: null,
    memberId: null,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const RECORD_COLUMNS = `account_id text, purchase_id bigint, person_id text, provider_contact_id text,
  email text, first_name text, last_name text, title text, outcome text, reason text, error text,
  target_id text, member_id text`;

/** Inserts the records of `runId`, RECORD_BATCH per statement. */
export async function insertRecords(
  db: Db,
  run: { id: number; orchestrationId: number },
  records: readonly NewRecord[],
  now: Date,
): Promise<void> {
  for (const batch of chunks(records, RECORD_BATCH)) {
    const json = JSON.stringify(
      batch.map((r) => ({
        account_id: r.accountId,
        purchase_id: r.purchaseId,
        person_id: r.personId,
        provider_contact_id: r.providerContactId,
        email: r.email,
        first_name: r.firstName,
        last_name: r.lastName,
        title: r.title,
        outcome: r.outcome,
        reason: r.reason,
        error: r.error,
        target_id: r.targetId,
        member_id: r.memberId,
      })),
    );
    await db.run(
      `INSERT INTO orchestration_records (run_id, orchestration_id, account_id, purchase_id, person_id,
              provider_contact_id, email, first_name, last_name, title, outcome, reason, error, target_id,
              member_id, updated_at)
       SELECT $1, $2, x.account_id, x.purchase_id, x.person_id, x.provider_contact_id, x.email, x.first_name,
              x.last_name, x.title, x.outcome, x.reason, x.error, x.target_id, x.member_id, $4
         FROM jsonb_to_recordset($3::jsonb) AS x (${RECORD_COLUMNS})`,
      [run.id, run.orchestrationId, json, now],
    );
  }
}

/** How one pushed person's record ends, found by its purchase (acquire) or person (audience). */
export interface RecordEnd {
  purchaseId?: number;
  personId?: string;
  outcome: RecordOutcome;
  reason: string | null;
  error: string | null;
  targetId: string | null;
  memberId: string | null;
}

/** Sets the outcome of the run's records of these purchases or people, RECORD_BATCH per statement. */
export async function endRecords(
  db: Db,
  runId: number,
  ends: readonly RecordEnd[],
  now: Date,
): Promise<void> {
  for (const batch of chunks(ends, RECORD_BATCH)) {
    const json = JSON.stringify(
      batch.map((e) => ({
        purchase_id: e.purchaseId ?? null,
        person_id: e.personId ?? null,
        outcome: e.outcome,
        reason: e.reason,
        error: e.error,
        target_id: e.targetId,
        member_id: e.memberId,
      })),
    );
    await db.run(
      `UPDATE orchestration_records r
          SET outcome = x.outcome, reason = x.reason, error = x.error, target_id = x.target_id,
              member_id = x.member_id, updated_at = $3
         FROM jsonb_to_recordset($2::jsonb) AS x (purchase_id bigint, person_id text, outcome text,
              reason text, error text, target_id text, member_id text)
        WHERE r.run_id = $1
          AND (r.purchase_id = x.purchase_id OR (x.purchase_id IS NULL AND r.person_id = x.person_id))`,
      [runId, json, now],
    );
  }
}

/**
 * The run's counts, from its records: `pushed`, `skipped` and `failed` by outcome; `purchased`
 * every person of the run who holds a bought purchase, pushed or not (so a run that bought and
 * pushed 3 people says purchased 3, pushed 3).
 */
export async function recordCounts(db: Db, runId: number): Promise<RunView['counts']> {
  const [row] = await db.query<RunView['counts']>(
    `SELECT count(*) FILTER (WHERE p.state = 'purchased')::int AS purchased,
            count(*) FILTER (WHERE r.outcome = 'pushed')::int AS pushed,
            count(*) FILTER (WHERE r.outcome = 'skipped')::int AS skipped,
            count(*) FILTER (WHERE r.outcome = 'failed')::int AS failed
       FROM orchestration_records r LEFT JOIN contact_purchases p ON p.id = r.purchase_id
      WHERE r.run_id = $1`,
    [runId],
  );
  return row ?? { purchased: 0, pushed: 0, skipped: 0, failed: 0 };
}
