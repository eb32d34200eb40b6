import type { Role } from '../../domain/vocabulary';
import type { Db } from '../../store/db';

/** The user a live sign-in session belongs to, as they are now. */
export interface SessionHolder {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
}

/**
 * The holder of sign-in session `sessionId` when the session is live (not revoked, not expired
 * at `at`) and its user active; null otherwise. Asked on every request of a signed-in user, so it
 * is one query on two primary keys (user_sessions.id, users.id): a sign-out, a deactivation or a
 * role change takes effect at the user's next request, with no cache to wait for.
 */
export async function sessionHolder(db: Db, sessionId: string, at: Date): Promise<SessionHolder | null> {
  const rows = await db.query<{ id: string; email: string; name: string | null; role: Role }>(
    `SELECT u.id, u.email, u.name, u.role
     FROM user_sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.active`,
    [sessionId, at],
    { name: 'session_holder' },
  );
  const row = rows[0];
  return row ? { userId: row.id, email: row.email, name: row.name, role: row.role } : null;
}
