import { AppError } from '../../errors';
import { API_KEY_PREFIX } from '../../services/apikeys/apiKeys';
import { verifyApiKey } from '../../services/apikeys/verifyApiKey';
import { sessionHolder } from '../../services/users/sessionHolder';
import type { Db } from '../../store/db';
import type { Access } from './accessToken';
import { accessKeySource, accessVerifier, type AccessKeySource } from './requireAccess';

/** An AccessKeySource that also decides every bearer the API accepts. */
export type Authenticator = AccessKeySource & { authenticate(token: string, at: Date): Promise<Access> };

/**
 * The one authenticator of /api (app.ts builds it; every route reaches it through requireAccess):
 * - `Authorization: Bearer sfk_…` is an API key (services/apikeys/verifyApiKey.ts): one query on
 *   the key's hash, refused once revoked or once its owner is deactivated or deleted;
 * - any other bearer is an access token (signature checked once per token, expiry every time);
 *   when it was issued for a sign-in session (`sessionId`), one more query on two primary keys
 *   checks that the session is live and its user active, and the user's role, email and name
 *   are taken from the users row as they are now, so a sign-out, a deactivation or a role change
 *   takes effect at the next request. Panel tokens (no session) are as signed.
 * Each request costs at most one indexed query (and for a key, a write at most once a minute).
 */
export function authenticator(
  db: Db,
  options: { secretKey?: string | null; now?: () => Date } = {},
): Authenticator {
  const keys = accessKeySource(db, options);
  const verifyToken = accessVerifier(keys);
  return {
    ...keys,
    async authenticate(token, at) {
      if (token.startsWith(API_KEY_PREFIX)) return verifyApiKey(db, token, at);
      const access = await verifyToken(token, at);
      if (!access.sessionId) return access;
      const holder = await sessionHolder(db, access.sessionId, at);
      if (!holder || holder.userId !== access.userId) {
        throw new AppError(
          'unauthorized',
          'your sign-in session has ended (signed out, expired, or the user was deactivated): sign in again',
        );
      }
      return { ...access, role: holder.role, email: holder.email, name: holder.name };
    },
  };
}
