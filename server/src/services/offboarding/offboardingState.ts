import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db';

/**
 * The offboarding checklist's state (docs/offboarding.md), in `settings` under `offboarding`:
 * when each step was done and by whom, the last export's SHA-256, and whether the Salesforce
 * sync and write-back are stopped (set by `signalfit offboard disconnect`).
 */
export interface StepRecord {
  at: string;
  by: string;
  detail?: string;
}

export interface OffboardingState {
  export?: StepRecord & { sha256: string; file: string };
  disconnect?: StepRecord & { counts: Record<string, number> };
  salesforceCleanup?: StepRecord;
  optOutsReviewed?: StepRecord;
  creditsUsed?: StepRecord;
  /** The daily job and `signalfit sync|writeback salesforce` do nothing while this is true. */
  salesforceStopped?: boolean;
}

const KEY = 'offboarding';

export async function getOffboardingState(db: Db): Promise<OffboardingState> {
  const [row] = await db.query<{ value: OffboardingState }>('SELECT value FROM settings WHERE key = $1', [
    KEY,
  ]);
  return row?.value ?? {};
}

/** Merges `changes` into the stored state (in `db`'s transaction when it is one). */
export async function updateOffboardingState(
  db: Db,
  changes: Partial<OffboardingState>,
): Promise<OffboardingState> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    const next = { ...(await getOffboardingState(tx)), ...changes };
    await tx.run(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, now())
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [KEY, JSON.stringify(next)],
    );
    return next;
  });
}
const LOCK = 731_240_024;

/** Whether `signalfit offboard disconnect` stopped the Salesforce sync and write-back. */
export async function salesforceStopped(db: Db): Promise<boolean> {
  return (await getOffboardingState(db)).salesforceStopped === true;
}

export const SALESFORCE_STOPPED =
  'the Salesforce sync and write-back were stopped by `signalfit offboard disconnect`';

/**
 * This installation's id (settings key `instance`), made on first use: it names the export and
 * the deletion certificate, and its first characters make the word `offboard delete` asks for.
 */
export async function instanceId(db: Db): Promise<string> {
  await db.run(`INSERT INTO settings (key, value) VALUES ('instance', $1) ON CONFLICT (key) DO NOTHING`, [
    JSON.stringify({ id: randomUUID() }),
  ]);
  const [row] = await db.query<{ value: { id: string } }>(
    `SELECT value FROM settings WHERE key = 'instance'`,
  );
  return row!.value.id;
}
