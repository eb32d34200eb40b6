import { Router } from 'express';
import { AppError } from '../../../errors';
import type { Logger } from '../../../logger';
import type { OidcClient } from '../../../integrations/oidc/client';
import type { OidcConfig } from '../../../integrations/oidc/env';
import {
  completeOidcSignIn,
  SIGN_IN_REQUEST_MINUTES,
  startOidcSignIn,
} from '../../../services/session/oidcSignIn';
import type { Db } from '../../../store/db';
import {
  clearSignInStateCookie,
  cookieOf,
  safeReturnTo,
  setSessionCookie,
  setSignInStateCookie,
  SIGN_IN_STATE_COOKIE,
} from '../../auth/sessionCookie';

export interface OidcRouteDeps {
  db: Db;
  now: () => Date;
  logger: Logger;
  /** The provider and its settings; null: single sign-on is not configured (the routes answer 404). */
  oidc: { client: OidcClient; config: OidcConfig } | null;
}

/** Where the app lands after a sign-in without `returnTo`, and where a refusal is told. */
const APP_HOME = '/accounts';

/**
 * Single sign-on of the standalone app (docs/sign-in.md):
 * - `GET /api/auth/oidc/login?returnTo=/path`: redirects to the identity provider with a fresh
 *   state, nonce and PKCE challenge (stored, so any instance takes the callback; the state is also
 *   bound to this browser by a short-lived cookie);
 * - `GET /api/auth/oidc/callback`: the provider's redirect back. On success the session cookie is
 *   set and the browser goes to `returnTo` (or /accounts); on any refusal it goes to
 *   `/accounts?sign_in_error=<why>`, which the app shows on its sign-in page, with no session.
 */
export function oidcRoutes(deps: OidcRouteDeps): Router {
  const router = Router();

  const configured = () => {
    if (!deps.oidc)
      throw new AppError(
        'not_found',
        'single sign-on is not configured (OIDC_ISSUER_URL: see docs/sign-in.md)',
      );
    return deps.oidc;
  };

  router.get('/api/auth/oidc/login', async (req, res) => {
    const { client } = configured();
    res.set('Cache-Control', 'no-store');
    let started: Awaited<ReturnType<typeof startOidcSignIn>>;
    try {
      started = await startOidcSignIn(deps.db, client, {
        returnTo: safeReturnTo(req.query.returnTo),
        now: deps.now(),
      });
    } catch (error) {
      // A provider that cannot be reached: the browser is on a page, not a script; it says why there.
      if (!(error instanceof AppError)) throw error;
      deps.logger.warn({ reason: error.message }, 'a single sign-on could not start');
      res.redirect(302, refusalPath(error.message));
      return;
    }
    setSignInStateCookie(res, started.state, SIGN_IN_REQUEST_MINUTES * 60_000);
    res.redirect(302, started.url.href);
  });

  router.get('/api/auth/oidc/callback', async (req, res) => {
    const { client, config } = configured();
    // The callback URL as the provider was told it (never the Host header), with the answer's query.
    const callbackUrl = new URL(config.redirectUri);
    const query = req.originalUrl.indexOf('?');
    callbackUrl.search = query >= 0 ? req.originalUrl.slice(query) : '';
    const now = deps.now();
    clearSignInStateCookie(res);
    res.set('Cache-Control', 'no-store');
    try {
      const signedIn = await completeOidcSignIn(deps.db, client, {
        callbackUrl,
        browserState: cookieOf(req, SIGN_IN_STATE_COOKIE),
        config,
        now,
      });
      setSessionCookie(res, signedIn.sessionSecret, signedIn.sessionExpiresAt, now);
      res.redirect(302, safeReturnTo(signedIn.returnTo) ?? APP_HOME);
    } catch (error) {
      const message =
        error instanceof AppError ? error.message : 'the sign-in could not be completed: try again later';
      if (error instanceof AppError)
        deps.logger.warn({ reason: error.message }, 'a single sign-on was refused');
      else deps.logger.error({ err: error }, 'a single sign-on failed');
      res.redirect(302, refusalPath(message));
    }
  });

  return router;
}

/** The app's sign-in page telling why a sign-in did not happen. */
function refusalPath(message: string): string {
  return `${APP_HOME}?sign_in_error=${encodeURIComponent(message)}`;
}
