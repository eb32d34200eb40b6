import type { Role } from '../../domain/vocabulary';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import { apiKeyHash } from './apiKeys';

/** What a key may do: the shape of an access token's Access (http/auth/accessToken.ts). */
export interface ApiKeyAccess {
  orgId: 'signalfit';
  /** The owner's users.id, or `apikey:<key id>` for a service key. */
  userId: string;
  /** The key's name (how the audit log names a service key). */
  name: string;
  /** The owner's email; null for a service key. */
  email: string | null;
  perms: string[];
  record: null;
  accountId: null;
  /** The key's own role, whatever its owner's. */
  role: Role;
  kind: 'api_key';
}

/** last_used_at is written at most this often per key: a busy integration costs no write per request. */
export const LAST_USED_PRECISION_MS = 60_000;

/**
 * The access of `Authorization: Bearer sfk_…`, checked on every request with one query on the
 * key's hash (a unique index) joined with its owner: a revocation or an owner's deactivation
 * takes effect at the next request. Refusals are `unauthorized` and say why.
 */
export async function verifyApiKey(db: Db, token: string, now: Date): Promise<ApiKeyAccess> {
  const rows = await db.query<{
    id: string;
    name: string;
    role: Role;
    user_id: string | null;
    owner_deleted: boolean;
    revoked_at: Date | null;
    last_used_at: Date | null;
    email: string | null;
    active: boolean | null;
  }>(
    `SELECT k.id, k.name, k.role, k.user_id, k.owner_deleted, k.revoked_at, k.last_used_at, u.email, u.active
     FROM api_keys k LEFT JOIN users u ON u.id = k.user_id
     WHERE k.key_hash = $1`,
    [apiKeyHash(token)],
    { name: 'verify_api_key' },
  );
  const key = rows[0];
  if (!key)
    throw new AppError(
      'unauthorized',
      'unknown API key: check that it was copied whole, or ask an Admin for a new one',
    );
  if (key.revoked_at) {
    throw new AppError('unauthorized', `the API key "${key.name}" was revoked: ask an Admin for a new one`);
  }
  if (key.owner_deleted) {
    throw new AppError(
      'unauthorized',
      `the owner of the API key "${key.name}" was deleted: the key no longer works`,
    );
  }
  if (key.user_id && !key.active) {
    throw new AppError(
      'unauthorized',
      `the owner of the API key "${key.name}" (${key.email}) is deactivated: the key works again only if they are reactivated`,
    );
  }
  const lastUsed = key.last_used_at ? new Date(key.last_used_at).getTime() : null;
  if (lastUsed === null || now.getTime() - lastUsed >= LAST_USED_PRECISION_MS) {
    // The condition repeats the check so that instances racing on one key write once.
    await db.query(
      `UPDATE api_keys SET last_used_at = $2
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)`,
      [key.id, now, new Date(now.getTime() - LAST_USED_PRECISION_MS)],
      { name: 'touch_api_key' },
    );
  }
  return {
    orgId: 'signalfit',
    userId: key.user_id ?? `apikey:${key.id}`,
    name: key.name,
    email: key.email,
    perms: [],
    record: null,
    accountId: null,
    role: key.role,
    kind: 'api_key',
  };
}
