import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import { loadAccessKey, loadVerificationKeys, type AccessKey } from './accessKey';
import { accessTokenExpired, verifyAccessTokenExpiry, type Access } from './accessToken';

/** Verified tokens kept per route; the oldest go first beyond this. */
const VERIFIED_TOKENS_KEPT = 10_000;

/** The custom permission that lets a user see any account, not only the one the panel is on. */
export const ADMIN_PERMISSION = 'Signalfit_Admin';

export interface AccessKeySource {
  /** The key new access tokens are signed with: the store's current one (any instance may rotate it). */
  signingKey(): Promise<AccessKey>;
  /** The key of this id while tokens signed with it may be valid; undefined for any other id. */
  verificationKey(id: string): Promise<AccessKey | undefined>;
  /**
   * The access of any bearer the API accepts (authenticator.ts: API keys, and access tokens
   * whose sign-in session is checked on each request). Without it, only access tokens are
   * accepted, checked by their signature and expiry alone.
   */
  authenticate?(token: string, at: Date): Promise<Access>;
}

/** A token naming an unknown key makes the store be read again, at most this often. */
const UNKNOWN_KEY_RELOAD_MS = 1000;

/**
 * The access-token keys of the store (accessKey.ts), opened with SIGNALFIT_SECRET_KEY when set.
 * The current key is read from the store for each token signed (a rotation elsewhere takes effect
 * at once); verification keys are cached and read again when a token names one not seen yet.
 */
export function accessKeySource(
  db: Db,
  options: { secretKey?: string | null; now?: () => Date } = {},
): AccessKeySource {
  const secretKey = options.secretKey ?? null;
  const now = options.now ?? (() => new Date());
  let known = new Map<string, AccessKey>();
  let reloadedAt = -Infinity;
  return {
    async signingKey() {
      const key = await loadAccessKey(db, secretKey, now());
      known.set(key.id, key);
      return key;
    },
    async verificationKey(id) {
      const cached = known.get(id);
      if (cached) return cached;
      if (Date.now() - reloadedAt < UNKNOWN_KEY_RELOAD_MS) return undefined;
      reloadedAt = Date.now();
      const keys = await loadVerificationKeys(db, secretKey, now());
      known = new Map(keys.map((key) => [key.id, key]));
      return known.get(id);
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
    const fresh = await verifyAccessTokenExpiry(token, keys.verificationKey, at);
    verified.set(token, fresh);
    if (verified.size > VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value as string);
    return fresh.access;
  };
}

/**
 * How a consumer checks a bearer: the source's `authenticate` when it has one, the access-token
 * verifier otherwise. GET /api/session uses it too, so it sees a bearer as every route does.
 */
export function bearerAuthenticator(keys: AccessKeySource): (token: string, at: Date) => Promise<Access> {
  if (keys.authenticate) return keys.authenticate.bind(keys);
  return accessVerifier(keys);
}

/** The token of `Authorization: Bearer <token>`, or null when the header is absent or not one. */
export function bearerTokenOf(req: Request): string | null {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim()) : null;
  return match?.[1] ?? null;
}

/**
 * Requires `Authorization: Bearer <access token or API key>`; the verified access is in
 * `res.locals.access` for the handler (see accessOf). No cookies: the token lives in the
 * dashboard's memory.
 */
export function requireAccess(keys: AccessKeySource, now: () => Date): RequestHandler {
  const verify = bearerAuthenticator(keys);
  return async (req, res, next) => {
    const token = bearerTokenOf(req);
    if (!token) {
      throw new AppError(
        'unauthorized',
        'send an access token (from signing in or POST /api/embed/exchange) or an API key as Authorization: Bearer <token>',
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
