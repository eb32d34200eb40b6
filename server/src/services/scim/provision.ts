import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { disownUserKeys } from '../apikeys/apiKeys';
import { insertUser } from '../users/insertUser';
import { checkedEmail, updateUser } from '../users/manageUsers';
import { USER_COLUMNS, userOf } from '../users/users';
import { applyPatch, type PatchOperation } from './patchOps';
import {
  findScimUser,
  SCIM_ACTOR,
  wholeName,
  withNameParts,
  type ScimFields,
  type ScimUser,
} from './scimUser';

/**
 * SCIM provisioning of the standalone app's users (docs/sign-in.md "SCIM"): an identity
 * provider creates, updates, deactivates and deletes users. Each change is audited with the
 * actor kind `scim`, in the same transaction. A new user gets the View Only role; an existing
 * one keeps the role stored (an Admin's or the OIDC role map's decision).
 */
const UNIQUE_VIOLATION = '23505';

/** POST /scim/v2/Users. Conflict (SCIM `uniqueness`) when the email or externalId is taken. */
export async function createScimUser(db: Db, fields: ScimFields, now: Date): Promise<ScimUser> {
  const email = checkedEmail(fields.email);
  return db.transaction(async (tx) => {
    const taken = await tx.query<{ id: string }>(
      'SELECT id FROM users WHERE lower(email) = $1 OR (external_id IS NOT NULL AND external_id = $2)',
      [email, fields.externalId],
    );
    if (taken.length > 0) throw takenError(email);
    const user = await insertUser(
      tx,
      {
        email,
        name: wholeName(fields),
        role: 'View Only',
        active: fields.active,
        externalId: fields.externalId,
      },
      now,
    ).catch(uniqueAsConflict(email));
    await saveNameParts(tx, user.id, fields);
    await recordAudit(
      tx,
      SCIM_ACTOR,
      {
        action: 'user.create',
        targetType: 'user',
        targetId: user.id,
        summary: `provisioned ${email} as View Only${fields.active ? '' : ' (inactive)'}`,
      },
      now,
    );
    return withNameParts(tx, user);
  });
}

/** PUT /scim/v2/Users/:id: every field SCIM keeps becomes what was sent. */
export async function replaceScimUser(db: Db, id: string, fields: ScimFields, now: Date): Promise<ScimUser> {
  return db.transaction(async (tx) => saveScimUser(tx, await requireScimUser(tx, id), fields, now));
}

/** PATCH /scim/v2/Users/:id with the operations of any of the forms patchOps.ts accepts. */
export async function patchScimUser(
  db: Db,
  id: string,
  operations: readonly PatchOperation[],
  now: Date,
): Promise<ScimUser> {
  return db.transaction(async (tx) => {
    const user = await requireScimUser(tx, id);
    return saveScimUser(tx, user, applyPatch(user, operations), now);
  });
}

/**
 * DELETE /scim/v2/Users/:id: the user is deleted, with their sessions (the store cascades), and
 * the API keys they owned never work again (owner_deleted), even as the key rows stay for the record.
 */
export async function deleteScimUser(db: Db, id: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const user = await requireScimUser(tx, id);
    const keys = await disownUserKeys(tx, id);
    const sessions = await tx.run('DELETE FROM user_sessions WHERE user_id = $1', [id]);
    await tx.run('DELETE FROM users WHERE id = $1', [id]);
    await recordAudit(
      tx,
      SCIM_ACTOR,
      {
        action: 'user.delete',
        targetType: 'user',
        targetId: id,
        summary: `deleted ${user.email}: signed out, and the API keys they owned stop working`,
        counts: { sessions_deleted: sessions, api_keys_disabled: keys },
      },
      now,
    );
  });
}

export interface ScimPage {
  total: number;
  /** 1-based, as SCIM counts. */
  startIndex: number;
  users: ScimUser[];
}

/** GET /scim/v2/Users: every user, or those a filter names (userName / externalId / id eq), by email. */
export async function listScimUsers(
  db: Db,
  props: {
    filter: { attribute: 'userName' | 'externalId' | 'id'; value: string } | null;
    startIndex: number;
    count: number;
  },
): Promise<ScimPage> {
  const where = !props.filter
    ? { sql: '', params: [] as unknown[] }
    : props.filter.attribute === 'userName'
      ? { sql: 'WHERE lower(email) = lower($1)', params: [props.filter.value.trim()] }
      : props.filter.attribute === 'externalId'
        ? { sql: 'WHERE external_id = $1', params: [props.filter.value] }
        : { sql: 'WHERE id = $1', params: [props.filter.value] };
  const [counted] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM users ${where.sql}`,
    where.params,
  );
  const rows = await db.query<Parameters<typeof userOf>[0]>(
    `SELECT ${USER_COLUMNS} FROM users ${where.sql} ORDER BY lower(email), id
      LIMIT ${props.count} OFFSET ${props.startIndex - 1}`,
    where.params,
  );
  const users = await Promise.all(rows.map((row) => withNameParts(db, userOf(row))));
  return { total: counted?.n ?? 0, startIndex: props.startIndex, users };
}

async function requireScimUser(db: Db, id: string): Promise<ScimUser> {
  const user = await findScimUser(db, id);
  if (!user) throw new AppError('not_found', `no user ${id}`);
  return user;
}

/** Writes the changed fields; deactivation and names go through the users service (audited there). */
async function saveScimUser(db: Db, user: ScimUser, fields: ScimFields, now: Date): Promise<ScimUser> {
  const email = checkedEmail(fields.email);
  if (email !== user.email || fields.externalId !== user.externalId) {
    await db
      .run('UPDATE users SET email = $2, external_id = $3, updated_at = $4 WHERE id = $1', [
        user.id,
        email,
        fields.externalId,
        now,
      ])
      .catch(uniqueAsConflict(email));
    await recordAudit(
      db,
      SCIM_ACTOR,
      {
        action: 'user.update',
        targetType: 'user',
        targetId: user.id,
        summary: `updated ${email}'s ${[
          ...(email !== user.email ? [`email (was ${user.email})`] : []),
          ...(fields.externalId !== user.externalId ? ['externalId'] : []),
        ].join(' and ')}`,
      },
      now,
    );
  }
  await saveNameParts(db, user.id, fields);
  const name = wholeName(fields);
  // updateUser records user.rename, user.deactivate (sessions revoked) and user.reactivate.
  await updateUser(
    db,
    SCIM_ACTOR,
    user.id,
    { ...(name !== null && name !== user.name ? { name } : {}), active: fields.active },
    now,
  );
  return requireScimUser(db, user.id);
}

async function saveNameParts(db: Db, userId: string, fields: ScimFields): Promise<void> {
  await db.query(
    `INSERT INTO scim_user_names (user_id, given_name, family_name) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET given_name = excluded.given_name, family_name = excluded.family_name`,
    [userId, fields.givenName, fields.familyName],
  );
}

const takenError = (email: string) =>
  new AppError('conflict', `a user with the userName ${email} or this externalId already exists`);

function uniqueAsConflict(email: string) {
  return (error: unknown): never => {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw takenError(email);
    throw error;
  };
}
