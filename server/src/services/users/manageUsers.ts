import { z } from 'zod';
import { AppError } from '../../errors';
import { ROLES, type Role } from '../../domain/vocabulary';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { insertUser, revokeUserSessions } from './insertUser';
import { requireUser, USER_COLUMNS, userOf, type User } from './users';

/**
 * An Admin's management of the standalone app's users (docs/users-and-keys.md): add, list, change
 * the role, rename, deactivate and reactivate. Each use case authorizes `users.manage` and records
 * its audit entry in the same transaction as the change.
 */

/** A user as the API, the CLI's --json and the app show it. */
export interface UserView {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  active: boolean;
  externalId: string | null;
  lastSignInAt: string | null;
  createdAt: string;
  deactivatedAt: string | null;
}

export function userView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    externalId: user.externalId,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    deactivatedAt: user.deactivatedAt?.toISOString() ?? null,
  };
}

const UNIQUE_VIOLATION = '23505';
const emailSchema = z.email();

/** The email trimmed and lowercased, or validation_failed saying what is wrong with it. */
export function checkedEmail(text: string): string {
  const email = text.trim().toLowerCase();
  if (!emailSchema.safeParse(email).success) {
    throw new AppError(
      'validation_failed',
      `"${text}" is not an email address: give the address the person signs in with, e.g. ana@example.com`,
    );
  }
  return email;
}

function checkedRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new AppError('validation_failed', `"${role}" is not a role: use one of ${ROLES.join(', ')}`);
  }
  return role as Role;
}

const emailTaken = (email: string) =>
  new AppError('conflict', `a user with the email ${email} already exists: see \`signalfit users list\``);

/** `signalfit users add`, POST /api/users: a new active user. Conflict when the email is taken. */
export async function createUser(
  db: Db,
  actor: Actor,
  input: { email: string; name?: string | null; role: Role },
  at: Date = new Date(),
): Promise<User> {
  authorize(actor, 'users.manage', 'adding users');
  const email = checkedEmail(input.email);
  const role = checkedRole(input.role);
  try {
    return await db.transaction(async (tx) => {
      const taken = await tx.query('SELECT 1 FROM users WHERE lower(email) = $1', [email]);
      if (taken.length > 0) throw emailTaken(email);
      const user = await insertUser(tx, { email, name: input.name ?? null, role }, at);
      await recordAudit(
        tx,
        actor,
        {
          action: 'user.create',
          targetType: 'user',
          targetId: user.id,
          summary: `added the user ${user.email} as ${user.role}`,
        },
        at,
      );
      return user;
    });
  } catch (error) {
    // Two adds of one email at once: the second meets the unique index.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw emailTaken(email);
    throw error;
  }
}

/** Every user, by email. */
export async function listUsers(db: Db, actor: Actor): Promise<User[]> {
  authorize(actor, 'users.manage', 'listing users');
  const rows = await db.query<Parameters<typeof userOf>[0]>(
    `SELECT ${USER_COLUMNS} FROM users ORDER BY lower(email)`,
  );
  return rows.map(userOf);
}

/** What PATCH /api/users/:id may change; each given field is one audited change. */
export interface UserChanges {
  role?: Role;
  active?: boolean;
  name?: string | null;
}

/**
 * Applies `changes` to the user named by id or email, in one transaction: a new role (takes effect
 * at the user's next request), a new name, deactivation (their sessions are revoked; their owned
 * API keys stop working) or reactivation. A field equal to the stored value changes nothing and
 * records nothing.
 */
export async function updateUser(
  db: Db,
  actor: Actor,
  idOrEmail: string,
  changes: UserChanges,
  at: Date = new Date(),
): Promise<User> {
  authorize(actor, 'users.manage', 'changing users');
  const role = changes.role === undefined ? undefined : checkedRole(changes.role);
  return db.transaction(async (tx) => {
    const user = await requireUser(tx, idOrEmail);
    const target = { targetType: 'user', targetId: user.id };
    const selfChange = actor.kind !== 'operator' && actor.userId === user.id;
    if (role !== undefined && role !== user.role) {
      if (selfChange) throw notOnYourself('change your own role');
      await tx.query('UPDATE users SET role = $2, updated_at = $3 WHERE id = $1', [user.id, role, at]);
      await recordAudit(
        tx,
        actor,
        {
          action: 'user.set_role',
          ...target,
          summary: `changed the role of ${user.email} from ${user.role} to ${role}`,
        },
        at,
      );
    }
    const name = changes.name === undefined ? undefined : changes.name?.trim() || null;
    if (name !== undefined && name !== user.name) {
      await tx.query('UPDATE users SET name = $2, updated_at = $3 WHERE id = $1', [user.id, name, at]);
      await recordAudit(
        tx,
        actor,
        { action: 'user.rename', ...target, summary: `renamed ${user.email} to ${name ?? '(no name)'}` },
        at,
      );
    }
    if (changes.active === false && user.active) {
      if (selfChange) throw notOnYourself('deactivate yourself');
      await tx.query('UPDATE users SET active = false, deactivated_at = $2, updated_at = $2 WHERE id = $1', [
        user.id,
        at,
      ]);
      const sessions = await revokeUserSessions(tx, user.id, at);
      await recordAudit(
        tx,
        actor,
        {
          action: 'user.deactivate',
          ...target,
          summary: `deactivated ${user.email}: signed out, and their API keys stop working`,
          counts: { sessions_revoked: sessions },
        },
        at,
      );
    }
    if (changes.active === true && !user.active) {
      await tx.query('UPDATE users SET active = true, deactivated_at = NULL, updated_at = $2 WHERE id = $1', [
        user.id,
        at,
      ]);
      await recordAudit(
        tx,
        actor,
        { action: 'user.reactivate', ...target, summary: `reactivated ${user.email}` },
        at,
      );
    }
    return requireUser(tx, user.id);
  });
}

const notOnYourself = (what: string) =>
  new AppError('conflict', `you cannot ${what}: ask another Admin, or use the command line on the server`);

/** `signalfit users set-role E R`. */
export function setUserRole(db: Db, actor: Actor, idOrEmail: string, role: Role, at?: Date): Promise<User> {
  return updateUser(db, actor, idOrEmail, { role }, at);
}

/** `signalfit users deactivate E`: the user is signed out at once and cannot sign in again. */
export function deactivateUser(db: Db, actor: Actor, idOrEmail: string, at?: Date): Promise<User> {
  return updateUser(db, actor, idOrEmail, { active: false }, at);
}

/** `signalfit users reactivate E`. */
export function reactivateUser(db: Db, actor: Actor, idOrEmail: string, at?: Date): Promise<User> {
  return updateUser(db, actor, idOrEmail, { active: true }, at);
}
