import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../../errors';

/**
 * The standalone app's sign-in cookie (docs/sign-in.md "Sessions"): `signalfit_session` holds
 * the session's secret, HttpOnly (no script reads it), Secure, SameSite=Lax (not sent with
 * cross-site subrequests or form posts) and Path=/api. The app never sends it to the API's
 * routes: it trades it for a short-lived bearer at POST /api/session/token.
 */
export const SESSION_COOKIE = 'signalfit_session';
/** The state of a sign-in under way, bound to the browser that started it (login CSRF). */
export const SIGN_IN_STATE_COOKIE = 'signalfit_oidc_state';
const SIGN_IN_STATE_PATH = '/api/auth/oidc';

/** One cookie of the request's Cookie header, or null. */
export function cookieOf(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function setSessionCookie(res: Response, secret: string, expiresAt: Date, now: Date): void {
  res.cookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    path: '/api',
    maxAge: Math.max(0, expiresAt.getTime() - now.getTime()),
  });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, secure: true, sameSite: 'lax', path: '/api' });
}

export function setSignInStateCookie(res: Response, state: string, maxAgeMs: number): void {
  res.cookie(SIGN_IN_STATE_COOKIE, state, {
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    path: SIGN_IN_STATE_PATH,
    maxAge: maxAgeMs,
  });
}

export function clearSignInStateCookie(res: Response): void {
  res.clearCookie(SIGN_IN_STATE_COOKIE, {
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    path: SIGN_IN_STATE_PATH,
  });
}

/**
 * CSRF guard of the cookie's POST routes: SameSite=Lax already keeps the cookie off cross-site
 * posts; on top, an `Origin` header (browsers send it with every POST) must be one of this
 * service's origins, and the request must be JSON or carry `X-Signalfit-Request` — neither can
 * a plain cross-site form send without a CORS preflight, which this service never grants.
 */
export function requireSameOrigin(origins: (req: Request) => readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !origins(req).includes(origin))
      throw new AppError('forbidden', `requests from ${origin} may not use the sign-in session`);
    const json = /^application\/json(;|$)/i.test((req.headers['content-type'] ?? '').trim());
    if (!json && req.headers['x-signalfit-request'] === undefined)
      throw new AppError(
        'forbidden',
        'send Content-Type: application/json or an X-Signalfit-Request header with the sign-in session',
      );
    next();
  };
}

/** A same-origin path to return to after sign-in, or null for anything else (no open redirect). */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2000) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  if (/[\u0000-\u001f\\]/.test(value)) return null;
  return value;
}
