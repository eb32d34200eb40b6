import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../store/db';
import { USER_COLUMNS, userOf, type User } from '../users/users';

/**
 * Sign-in sessions of the standalone app (user_sessions, migration 0019). The browser holds a
 * random 32-byte secret in the `signalfit_session` cookie; the row's id is its SHA-256 (hex), so
 * a copy of the store cannot sign anyone in. A session lives SESSION_LIFETIME_HOURS from sign-in,
 * ends at sign-out, and counts for nothing once its user is deactivated or deleted.
 */
export const SESSION_LIFETIME_HOURS = 12;
/** Ended sessions are kept this long after they expired (a recent sign-out can still be looked at), then deleted. */
export const ENDED_SESSIONS_KEPT_DAYS = 7;

export function sessionIdOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Opens a session for `userId`; the secret goes to the browser, only its hash is stored. */
export async function openSession(
  db: Db,
  userId: string,
  now: Date,
): Promise<{ secret: string; id: string; expiresAt: Date }> {
  const secret = randomBytes(32).toString('base64url');
  const id = sessionIdOf(secret);
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_HOURS * 3600_000);
  // Each sign-in sweeps the sessions long over, so the table holds about a week of sign-ins.
  await db.run('DELETE FROM user_sessions WHERE expires_at < $1', [
    new Date(now.getTime() - ENDED_SESSIONS_KEPT_DAYS * 86_400_000),
  ]);
  await db.query('INSERT INTO user_sessions (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    id,
    userId,
    now,
    expiresAt,
  ]);
  return { secret, id, expiresAt };
}

/** A live session (not revoked, not expired) of an active user, with that user as stored now. */
export async function liveSession(
  db: Db,
  sessionId: string,
  now: Date,
): Promise<{ user: User; expiresAt: Date } | null> {
  const rows = await db.query<Parameters<typeof userOf>[0] & { session_expires_at: Date }>(
    `SELECT ${USER_COLUMNS.split(', ')
      .map((column) => `u.${column}`)
      .join(', ')}, s.expires_at AS session_expires_at
       FROM user_sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.active`,
    [sessionId, now],
  );
  const row = rows[0];
  return row ? { user: userOf(row), expiresAt: new Date(row.session_expires_at) } : null;
}

/** Ends one session (sign-out); true when it was live. */
export async function revokeSession(db: Db, sessionId: string, now: Date): Promise<boolean> {
  return (
    (await db.run('UPDATE user_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [
      sessionId,
      now,
    ])) > 0
  );
}
