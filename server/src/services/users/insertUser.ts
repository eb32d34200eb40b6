import type { Role } from '../../domain/vocabulary';
import type { Db } from '../../store/db';
import { newUserId, USER_COLUMNS, userOf, type User } from './users';

/** The columns a new user row may be given; the rest take their defaults. */
export interface NewUserFields {
  email: string;
  name?: string | null;
  role: Role;
  active?: boolean;
  externalId?: string | null;
  oidcSubject?: string | null;
  lastSignInAt?: Date | null;
}

/**
 * Inserts one user and answers it. No checks and no audit entry: the callers (an Admin adding a
 * user, SCIM provisioning, the first OIDC sign-in) check the email, authorize, and record the
 * entry in the same transaction. The email is stored trimmed and lowercased, as every route of
 * arrival compares it; a taken email (any case) fails with the store's unique violation (23505).
 */
export async function insertUser(db: Db, fields: NewUserFields, at: Date = new Date()): Promise<User> {
  const active = fields.active ?? true;
  const rows = await db.query<Parameters<typeof userOf>[0]>(
    `INSERT INTO users (id, email, name, role, active, external_id, oidc_subject, created_at, updated_at,
                        deactivated_at, last_sign_in_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)
     RETURNING ${USER_COLUMNS}`,
    [
      newUserId(),
      fields.email.trim().toLowerCase(),
      fields.name?.trim() || null,
      fields.role,
      active,
      fields.externalId ?? null,
      fields.oidcSubject ?? null,
      at,
      active ? null : at,
      fields.lastSignInAt ?? null,
    ],
  );
  return userOf(rows[0]!);
}

/** Revokes every live sign-in session of a user (deactivation, deletion): returns how many. */
export async function revokeUserSessions(db: Db, userId: string, at: Date = new Date()): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `UPDATE user_sessions SET revoked_at = $2
     WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
     RETURNING id`,
    [userId, at],
  );
  return rows.length;
}
