import type { Db } from '../../store/db';

/** Where the pull of one object stands (table salesforce_sync_checkpoints). */
export interface Checkpoint {
  sobject: string;
  syncedUntil: Date | null;
  jobId: string | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  nextLocator: string | null;
  /** The select list of the last finished window (null: not known). */
  fields: string | null;
}

export async function readCheckpoint(db: Db, sobject: string): Promise<Checkpoint> {
  const [row] = await db.query<{
    synced_until: Date | null;
    job_id: string | null;
    window_start: Date | null;
    window_end: Date | null;
    next_locator: string | null;
    fields: string | null;
  }>(
    'SELECT synced_until, job_id, window_start, window_end, next_locator, fields FROM salesforce_sync_checkpoints WHERE sobject = $1',
    [sobject],
  );
  return {
    sobject,
    syncedUntil: row?.synced_until ?? null,
    jobId: row?.job_id ?? null,
    windowStart: row?.window_start ?? null,
    windowEnd: row?.window_end ?? null,
    nextLocator: row?.next_locator ?? null,
    fields: row?.fields ?? null,
  };
}

/**
 * Records a query job started for the window (since, until] asking for `fields`: pages are read
 * from its first.
 */
export async function startPull(
  db: Db,
  sobject: string,
  jobId: string,
  since: Date | null,
  until: Date,
  fields: string,
) {
  await db.query(
    `INSERT INTO salesforce_sync_checkpoints (sobject, job_id, window_start, window_end, window_fields, next_locator, records_read, updated_at)
     VALUES ($1, $2, $3, $4, $5, NULL, 0, now())
     ON CONFLICT (sobject) DO UPDATE SET job_id = $2, window_start = $3, window_end = $4, window_fields = $5,
       next_locator = NULL, records_read = 0, updated_at = now()`,
    [sobject, jobId, since?.toISOString() ?? null, until.toISOString(), fields],
  );
}

/** After a page landed: the next page's locator, or, after the last one, the window is done. */
export async function advancePull(db: Db, sobject: string, read: number, nextLocator: string | null) {
  if (nextLocator) {
    await db.query(
      `UPDATE salesforce_sync_checkpoints SET next_locator = $2, records_read = records_read + $3, updated_at = now()
       WHERE sobject = $1`,
      [sobject, nextLocator, read],
    );
  } else {
    await db.query(
      `UPDATE salesforce_sync_checkpoints SET synced_until = window_end, fields = window_fields, job_id = NULL,
         window_start = NULL, window_end = NULL, window_fields = NULL, next_locator = NULL,
         records_read = records_read + $2, updated_at = now()
       WHERE sobject = $1`,
      [sobject, read],
    );
  }
}

/** Forgets a pull whose job Salesforce no longer has (results expire): the window starts again. */
export async function dropPull(db: Db, sobject: string) {
  await db.query(
    `UPDATE salesforce_sync_checkpoints SET job_id = NULL, window_start = NULL, window_end = NULL,
       window_fields = NULL, next_locator = NULL, updated_at = now() WHERE sobject = $1`,
    [sobject],
  );
}
