import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors';
import type { Role } from '../../domain/vocabulary';
import type { Db } from '../../store/db';

/**
 * The standalone app's users (migration 0019). One row per person, whichever way they arrived:
 * added by an Admin (`signalfit users add`, POST /api/users), provisioned by SCIM, or created at
 * their first OIDC sign-in. Emails compare lowercased.
 */
export interface User {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  active: boolean;
  externalId: string | null;
  oidcSubject: string | null;
  createdAt: Date;
  updatedAt: Date;
  deactivatedAt: Date | null;
  lastSignInAt: Date | null;
}

type UserRow = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  active: boolean;
  external_id: string | null;
  oidc_subject: string | null;
  created_at: Date;
  updated_at: Date;
  deactivated_at: Date | null;
  last_sign_in_at: Date | null;
};

export const USER_COLUMNS =
  'id, email, name, role, active, external_id, oidc_subject, created_at, updated_at, deactivated_at, last_sign_in_at';

export function userOf(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    active: row.active,
    externalId: row.external_id,
    oidcSubject: row.oidc_subject,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    deactivatedAt: row.deactivated_at ? new Date(row.deactivated_at) : null,
    lastSignInAt: row.last_sign_in_at ? new Date(row.last_sign_in_at) : null,
  };
}

export function newUserId(): string {
  return `usr_${randomUUID().replace(/-/g, '')}`;
}

export async function findUserById(db: Db, id: string): Promise<User | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] ? userOf(rows[0]) : null;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`, [
    email.trim(),
  ]);
  return rows[0] ? userOf(rows[0]) : null;
}

/** The user named by id or email (the CLI takes either), or not_found saying which. */
export async function requireUser(db: Db, idOrEmail: string): Promise<User> {
  const user = idOrEmail.includes('@')
    ? await findUserByEmail(db, idOrEmail)
    : await findUserById(db, idOrEmail);
  if (!user) throw new AppError('not_found', `no user ${idOrEmail}: see \`signalfit users list\``);
  return user;
}

/**
 * Whether a user may act now, and with which role: asked on every request of a signed-in
 * session or an owned API key, so a deactivation or a role change takes effect at once.
 */
export async function userStatus(db: Db, id: string): Promise<{ active: boolean; role: Role } | null> {
  const rows = await db.query<{ active: boolean; role: Role }>(
    'SELECT active, role FROM users WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}
