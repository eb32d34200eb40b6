import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import type { OutreachUserKey } from './connections';

/** A keyed request still "running" after this long is taken to have died with its process. */
export const STALE_REQUEST_MS = 5 * 60_000;

/** This process, as the owner of the keyed requests it runs. */
const INSTANCE = randomBytes(8).toString('hex');
/** The keys this process is running now. */
const running = new Set<string>();

/**
 * Runs `work` once per (user, Idempotency-Key): a retry with the same key and the same request
 * gets the stored answer back (`replayed`); the same key with another request is a conflict; a
 * retry while the first is still running is a conflict too, unless the first is known dead: on
 * the embedded store (one process) any owner but this process is dead; on PostgreSQL, another
 * instance's request is taken over after STALE_REQUEST_MS. Running it again is safe: the work
 * searches Outreach before it creates.
 */
export async function runOnce<T>(props: {
  db: Db;
  user: OutreachUserKey;
  key: string;
  request: unknown;
  now: () => Date;
  work: () => Promise<T>;
}): Promise<{ answer: T; replayed: boolean }> {
  const { db, user, key } = props;
  const requestHash = createHash('sha256').update(JSON.stringify(props.request)).digest('hex');
  const started = props.now();
  const runKey = `${user.orgId}/${user.userId}/${key}`;
  const claimed = await db.run(
    `INSERT INTO outreach_enrollment_requests (org_id, user_id, idempotency_key, request_hash, owner, started_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [user.orgId, user.userId, key, requestHash, INSTANCE, started],
  );
  if (claimed === 0) {
    const [row] = await db.query<{
      request_hash: string;
      response: T | null;
      owner: string;
      started_at: Date;
    }>(
      `SELECT request_hash, response, owner, started_at FROM outreach_enrollment_requests
        WHERE org_id = $1 AND user_id = $2 AND idempotency_key = $3`,
      [user.orgId, user.userId, key],
    );
    if (!row) throw new AppError('conflict', 'the Idempotency-Key changed hands; send the request again');
    if (row.request_hash !== requestHash) {
      throw new AppError('conflict', 'this Idempotency-Key was already used for a different request');
    }
    if (row.response !== null) return { answer: row.response, replayed: true };
    const dead =
      row.owner === INSTANCE
        ? !running.has(runKey)
        : db.kind === 'pglite' || started.getTime() - new Date(row.started_at).getTime() > STALE_REQUEST_MS;
    const takenOver =
      dead &&
      (await db.run(
        `UPDATE outreach_enrollment_requests SET started_at = $4, owner = $5
          WHERE org_id = $1 AND user_id = $2 AND idempotency_key = $3 AND response IS NULL AND started_at = $6`,
        [user.orgId, user.userId, key, started, INSTANCE, row.started_at],
      )) === 1;
    if (!takenOver) {
      throw new AppError(
        'conflict',
        'a request with this Idempotency-Key is still running; try again shortly',
      );
    }
  }
  let answer: T;
  running.add(runKey);
  try {
    answer = await props.work();
  } catch (error) {
    // Nothing to replay: a retry runs again (and finds in Outreach whatever was done).
    await db.run(
      'DELETE FROM outreach_enrollment_requests WHERE org_id = $1 AND user_id = $2 AND idempotency_key = $3',
      [user.orgId, user.userId, key],
    );
    throw error;
  } finally {
    running.delete(runKey);
  }
  await db.run(
    `UPDATE outreach_enrollment_requests SET response = $4, finished_at = $5
      WHERE org_id = $1 AND user_id = $2 AND idempotency_key = $3`,
    [user.orgId, user.userId, key, JSON.stringify(answer), props.now()],
  );
  return { answer, replayed: false };
}
