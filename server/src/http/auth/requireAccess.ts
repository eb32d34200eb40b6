import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import { loadAccessKey } from './accessKey';
import { accessTokenExpired, verifyAccessTokenExpiry, type Access } from './accessToken';

/** Verified tokens kept per route; the oldest go first beyond this. */
const VERIFIED_TOKENS_KEPT = 10_000;

/** The custom permission that lets a user see any account, not only the one the panel is on. */
export const ADMIN_PERMISSION = 'Signalfit_Admin';

export interface AccessKeySource {
  /** The signing key of access tokens (loaded from the store once, then cached). */
  key(): Promise<Uint8Array>;
}

export function accessKeySource(db: Db): AccessKeySource {
  let loading: Promise<Uint8Array> | undefined;
  return {
    key() {
      loading ??= loadAccessKey(db).catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return loading;
    },
  };
}

/**
 * Checks bearer access tokens for one consumer. The dashboard sends the same token with every
 * call for 15 minutes: its signature is checked once (an HMAC costs more than the rest of a cached
 * account view), its expiry on every call.
 */
export function accessVerifier(keys: AccessKeySource): (token: string, at: Date) => Promise<Access> {
  const verified = new Map<string, { access: Access; expiresAtMs: number }>();
  return async (token, at) => {
    const known = verified.get(token);
    if (known) {
      if (at.getTime() >= known.expiresAtMs) throw accessTokenExpired();
      return known.access;
    }
    const fresh = await verifyAccessTokenExpiry(token, await keys.key(), at);
    verified.set(token, fresh);
    if (verified.size > VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value as string);
    return fresh.access;
  };
}

/** The token of `Authorization: Bearer <token>`, or null when the header is absent or not one. */
export function bearerTokenOf(req: Request): string | null {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim()) : null;
  return match?.[1] ?? null;
}

/**
 * Requires `Authorization: Bearer <access token>`; the verified access is in `res.locals.access`
 * for the handler (see accessOf). No cookies: the token lives in the dashboard's memory.
 */
export function requireAccess(keys: AccessKeySource, now: () => Date): RequestHandler {
  const verify = accessVerifier(keys);
  return async (req, res, next) => {
    const token = bearerTokenOf(req);
    if (!token) {
      throw new AppError(
        'unauthorized',
        'send the access token from POST /api/embed/exchange as a bearer token',
      );
    }
    res.locals.access = await verify(token, now());
    next();
  };
}

export function accessOf(res: Response): Access {
  return res.locals.access as Access;
}

/**
 * Salesforce checked the user's access to the panel's record only: without the admin permission,
 * the dashboard shows that record's account and its people, nothing else. A standalone-app user
 * (any role) reads every account.
 */
export function assertMayReadAccount(access: Access, accountId: string): void {
  if (access.role !== null) return;
  if (access.perms.includes(ADMIN_PERMISSION)) return;
  if (access.accountId !== accountId) {
    throw new AppError('forbidden', 'this panel was opened for another record');
  }
}
