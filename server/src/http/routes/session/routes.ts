import { Router, type Request } from 'express';
import { AppError } from '../../../errors';
import { accessHelp, DEMO_USER, type DemoSignIn } from '../../../services/session/demoSignIn';
import { liveSession, revokeSession, sessionIdOf } from '../../../services/session/userSessions';
import { recordAudit } from '../../../services/audit/recordAudit';
import type { Db } from '../../../store/db';
import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken, type Access } from '../../auth/accessToken';
import { bearerAuthenticator, bearerTokenOf, type AccessKeySource } from '../../auth/requireAccess';
import { clearSessionCookie, cookieOf, requireSameOrigin, SESSION_COOKIE } from '../../auth/sessionCookie';
import { ACTIONS, can, type Actor } from '../../../policies/policies';
import type { Role } from '../../../domain/vocabulary';
import type { User } from '../../../services/users/users';

export interface SessionDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
  /** Whether demo sign-in is allowed (decided once from the configuration). */
  demo: DemoSignIn;
  /** The "Sign in with …" methods configured (OIDC), shown to a visitor not signed in. */
  signInMethods: readonly SignInMethod[];
  /** This service's origins, for the CSRF check of the cookie's POST routes (see sessionOrigins). */
  origins: (req: Request) => readonly string[];
}

export interface SignInMethod {
  id: 'oidc' | 'demo';
  label: string;
  url: string;
}

const DEMO_ROLE: Role = 'Admin';
/** The organisation of standalone-app users in their access tokens. */
export const STANDALONE_ORG_ID = 'signalfit';

/**
 * The standalone app's session:
 * - `GET /api/session`: who is signed in (`user`, from the bearer sent or the sign-in cookie)
 *   and what they may do (`can`), or `user: null` with the sign-in methods; `demo` and `help` say
 *   whether demo sign-in is on and, if not, how to configure access;
 * - `POST /api/session/token`: the sign-in cookie traded for a short-lived bearer access token,
 *   kept in the app's memory and renewed the same way before it expires;
 * - `POST /api/session/signout`: ends the cookie's session (its bearers are refused at once);
 * - `POST /api/session/demo`: a demo Admin's access token, only in demo mode (403 otherwise).
 */
export function sessionRoutes(deps: SessionDeps): Router {
  const router = Router();
  const verify = bearerAuthenticator(deps.keys);
  const sameOrigin = requireSameOrigin(deps.origins);

  /** The live session of the request's cookie, or null. */
  const cookieSession = async (req: Request) => {
    const secret = cookieOf(req, SESSION_COOKIE);
    if (!secret) return null;
    const id = sessionIdOf(secret);
    const live = await liveSession(deps.db, id, deps.now());
    return live ? { id, ...live } : null;
  };

  router.get('/api/session', async (req, res) => {
    // A bearer is checked as on every route (a bad, expired or ended one is refused); without one,
    // the sign-in cookie tells who is signed in.
    const token = bearerTokenOf(req);
    let actor: (Actor & { email: string | null; name: string | null }) | null = null;
    if (token) actor = await verify(token, deps.now());
    else {
      const session = await cookieSession(req);
      if (session) actor = userActor(session.user);
    }
    const may = Object.fromEntries(ACTIONS.map((action) => [action, actor !== null && can(actor, action)]));
    res.set('Cache-Control', 'no-store');
    const methods = [
      ...deps.signInMethods,
      ...(deps.demo.allowed
        ? [{ id: 'demo', label: 'Try the demo', url: '/api/session/demo' } as const]
        : []),
    ];
    res.json({
      demo: deps.demo.allowed,
      ...(actor
        ? { user: { email: actor.email, name: actor.name, role: actor.role } }
        : { user: null, signInMethods: methods }),
      ...(deps.demo.allowed ? {} : { help: accessHelp(deps.demo) }),
      can: may,
    });
  });

  router.post('/api/session/token', sameOrigin, async (req, res) => {
    const session = await cookieSession(req);
    if (!session) {
      clearSessionCookie(res);
      throw new AppError('unauthorized', 'you are not signed in, or your session has ended: sign in again');
    }
    const now = deps.now();
    const { user } = session;
    const remaining = Math.floor((session.expiresAt.getTime() - now.getTime()) / 1000);
    const expiresIn = Math.max(1, Math.min(ACCESS_TOKEN_TTL_SECONDS, remaining));
    const accessToken = await issueAccessToken(
      { ...accessOf(user), sessionId: session.id },
      await deps.keys.signingKey(),
      now,
      expiresIn,
    );
    res.set('Cache-Control', 'no-store');
    res.json({
      accessToken,
      expiresIn,
      sessionExpiresAt: session.expiresAt.toISOString(),
      user: { email: user.email, name: user.name, role: user.role },
    });
  });

  router.post('/api/session/signout', sameOrigin, async (req, res) => {
    const secret = cookieOf(req, SESSION_COOKIE);
    if (secret) {
      const id = sessionIdOf(secret);
      const now = deps.now();
      const live = await liveSession(deps.db, id, now);
      if (await revokeSession(deps.db, id, now)) {
        if (live)
          await recordAudit(
            deps.db,
            userActor(live.user),
            {
              action: 'user.sign_out',
              targetType: 'user',
              targetId: live.user.id,
              summary: `${live.user.email} signed out`,
            },
            now,
          );
      }
    }
    clearSessionCookie(res);
    res.set('Cache-Control', 'no-store');
    res.status(204).end();
  });

  router.post('/api/session/demo', async (_req, res) => {
    if (!deps.demo.allowed) throw new AppError('forbidden', accessHelp(deps.demo));
    const accessToken = await issueAccessToken(
      {
        ...DEMO_USER,
        perms: [],
        record: null,
        accountId: null,
        role: DEMO_ROLE,
      },
      await deps.keys.signingKey(),
      deps.now(),
    );
    res.set('Cache-Control', 'no-store');
    res.json({
      accessToken,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      user: { name: DEMO_USER.name, role: DEMO_ROLE },
      demo: true,
    });
  });

  return router;
}

/** A signed-in user's access token claims (docs: BRIEF "standalone user's access token"). */
function accessOf(user: User): Access {
  return {
    orgId: STANDALONE_ORG_ID,
    userId: user.id,
    name: user.name,
    email: user.email,
    perms: [],
    record: null,
    accountId: null,
    role: user.role,
    kind: 'user',
  };
}

function userActor(user: User): Actor & { email: string; name: string | null } {
  return { userId: user.id, kind: 'user', email: user.email, name: user.name, role: user.role };
}
