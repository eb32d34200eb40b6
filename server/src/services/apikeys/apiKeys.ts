import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Role } from '../../domain/vocabulary';
import { AppError } from '../../errors';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { requireUser } from '../users/users';

/**
 * API keys for integrations (docs/users-and-keys.md): created by an Admin with a name and a role,
 * optionally owned by a user (the key stops working when the owner is deactivated or deleted; a
 * key without an owner is a service key). The key is shown once: the store keeps its SHA-256 and
 * its first characters only.
 */

/** Every key starts with this, so the authenticator tells a key from an access token at a glance. */
export const API_KEY_PREFIX = 'sfk_';
/** How many of the key's first characters are kept to tell keys apart in lists. */
const SHOWN_PREFIX_LENGTH = 12;

/** A key as the API, the CLI's --json and the app show it (never the key itself). */
export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  /** The owning user's email; null for a service key (or once the owner was deleted). */
  user: string | null;
  prefix: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type ApiKeyRow = {
  id: string;
  name: string;
  role: Role;
  owner_email: string | null;
  prefix: string;
  created_at: Date;
  created_by: string;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

const KEY_SELECT = `SELECT k.id, k.name, k.role, u.email AS owner_email, k.prefix, k.created_at, k.created_by,
         k.last_used_at, k.revoked_at
  FROM api_keys k LEFT JOIN users u ON u.id = k.user_id`;

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

function viewOf(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    user: row.owner_email,
    prefix: row.prefix,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

/** The SHA-256 (hex) the store keeps of a key. */
export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const keyName = z
  .string()
  .trim()
  .min(1, 'the name is blank: name the key after the integration that uses it')
  .max(100, 'the name is longer than 100 characters');

const UNIQUE_VIOLATION = '23505';
const nameTaken = (name: string) =>
  new AppError(
    'conflict',
    `a live API key named "${name}" already exists: pick another name, or revoke it first (signalfit apikeys revoke "${name}")`,
  );

/**
 * `signalfit apikeys create`, POST /api/apikeys: a new key, answered once in `key` (the store
 * cannot give it again). `user` names the owner by email: the owner must exist and be active.
 */
export async function createApiKey(
  db: Db,
  actor: Actor,
  input: { name: string; role: Role; user?: string | null },
  at: Date = new Date(),
): Promise<{ key: string; apiKey: ApiKeyView }> {
  authorize(actor, 'apikeys.manage', 'creating API keys');
  const parsedName = keyName.safeParse(input.name);
  if (!parsedName.success) throw new AppError('validation_failed', parsedName.error.issues[0]!.message);
  const name = parsedName.data;
  if (!(ROLES as readonly string[]).includes(input.role)) {
    throw new AppError('validation_failed', `"${input.role}" is not a role: use one of ${ROLES.join(', ')}`);
  }
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = `key_${randomUUID().replace(/-/g, '')}`;
  try {
    const apiKey = await db.transaction(async (tx) => {
      const owner = input.user ? await requireUser(tx, input.user) : null;
      if (owner && !owner.active) {
        throw new AppError(
          'conflict',
          `${owner.email} is deactivated: reactivate them first (signalfit users reactivate ${owner.email}), or create a service key without --user`,
        );
      }
      const taken = await tx.query(
        'SELECT 1 FROM api_keys WHERE lower(name) = lower($1) AND revoked_at IS NULL',
        [name],
      );
      if (taken.length > 0) throw nameTaken(name);
      await tx.query(
        `INSERT INTO api_keys (id, name, role, user_id, key_hash, prefix, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          id,
          name,
          input.role,
          owner?.id ?? null,
          apiKeyHash(key),
          key.slice(0, SHOWN_PREFIX_LENGTH),
          at,
          actorLabel(actor),
        ],
      );
      await recordAudit(
        tx,
        actor,
        {
          action: 'apikey.create',
          targetType: 'api_key',
          targetId: id,
          summary: `created the API key "${name}" (${input.role}${owner ? `, owned by ${owner.email}` : ', service key'})`,
        },
        at,
      );
      return requireApiKey(tx, id);
    });
    return { key, apiKey };
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw nameTaken(name);
    throw error;
  }
}

/** Every key, live ones first, newest first. */
export async function listApiKeys(db: Db, actor: Actor): Promise<ApiKeyView[]> {
  authorize(actor, 'apikeys.manage', 'listing API keys');
  const rows = await db.query<ApiKeyRow>(
    `${KEY_SELECT} ORDER BY (k.revoked_at IS NULL) DESC, k.created_at DESC, k.id`,
  );
  return rows.map(viewOf);
}

async function requireApiKey(db: Db, id: string): Promise<ApiKeyView> {
  const rows = await db.query<ApiKeyRow>(`${KEY_SELECT} WHERE k.id = $1`, [id]);
  if (!rows[0]) throw new AppError('not_found', `no API key ${id}: see \`signalfit apikeys list\``);
  return viewOf(rows[0]);
}

/**
 * `signalfit apikeys revoke N`, DELETE /api/apikeys/:id: the key named by id, or the live key of
 * that name, stops working at once. Revoking a revoked key is a conflict (nothing to do).
 */
export async function revokeApiKey(
  db: Db,
  actor: Actor,
  idOrName: string,
  at: Date = new Date(),
): Promise<ApiKeyView> {
  authorize(actor, 'apikeys.manage', 'revoking API keys');
  return db.transaction(async (tx) => {
    const found = await tx.query<{ id: string; name: string; revoked_at: Date | null }>(
      `SELECT id, name, revoked_at FROM api_keys
       WHERE id = $1 OR (lower(name) = lower($1) AND revoked_at IS NULL)
       ORDER BY (id = $1) DESC LIMIT 1`,
      [idOrName.trim()],
    );
    const key = found[0];
    if (!key) {
      throw new AppError(
        'not_found',
        `no live API key with the id or name "${idOrName}": see \`signalfit apikeys list\``,
      );
    }
    if (key.revoked_at) {
      throw new AppError(
        'conflict',
        `the API key "${key.name}" was already revoked on ${iso(key.revoked_at)}`,
      );
    }
    await tx.query('UPDATE api_keys SET revoked_at = $2, revoked_by = $3 WHERE id = $1', [
      key.id,
      at,
      actorLabel(actor),
    ]);
    await recordAudit(
      tx,
      actor,
      {
        action: 'apikey.revoke',
        targetType: 'api_key',
        targetId: key.id,
        summary: `revoked the API key "${key.name}"`,
      },
      at,
    );
    return requireApiKey(tx, key.id);
  });
}

/**
 * Marks the keys of a user about to be deleted (SCIM DELETE, offboarding) so that they never work
 * again: the foreign key clears user_id on deletion, which would otherwise turn them into service
 * keys. Call it in the deleting transaction, before the DELETE. Returns how many keys it marked.
 */
export async function disownUserKeys(db: Db, userId: string): Promise<number> {
  const rows = await db.query<{ id: string }>(
    'UPDATE api_keys SET owner_deleted = true WHERE user_id = $1 RETURNING id',
    [userId],
  );
  return rows.length;
}
