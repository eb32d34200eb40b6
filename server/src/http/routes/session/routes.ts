import { Router } from 'express';
import { AppError } from '../../../errors';
import { accessHelp, DEMO_USER, type DemoSignIn } from '../../../services/session/demoSignIn';
import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken } from '../../auth/accessToken';
import { accessVerifier, bearerTokenOf, type AccessKeySource } from '../../auth/requireAccess';
import { ACTIONS, can } from '../../../policies/policies';
import type { Role } from '../../../domain/vocabulary';

export interface SessionDeps {
  keys: AccessKeySource;
  now: () => Date;
  /** Whether demo sign-in is allowed (decided once from the configuration). */
  demo: DemoSignIn;
}

const DEMO_ROLE: Role = 'Admin';

/**
 * The standalone app's sign-in:
 * - `GET /api/session`: how a visitor can sign in (`demo` true or false, and if not, how to
 *   configure access), and `can`: each action of policies.ts, true when the bearer sent may do it;
 * - `POST /api/session/demo`: a demo Admin's access token, only in demo mode (403 otherwise).
 * The token is a bearer kept in the page's memory, as the panel's; no cookies.
 */
export function sessionRoutes(deps: SessionDeps): Router {
  const router = Router();

  const verify = accessVerifier(deps.keys);

  router.get('/api/session', async (req, res) => {
    // With the bearer of a signed-in user, what that user may do (the app hides what it may not);
    // without one, nothing. A bad or expired token is refused as on any other route.
    const token = bearerTokenOf(req);
    const actor = token ? await verify(token, deps.now()) : null;
    const may = Object.fromEntries(ACTIONS.map((action) => [action, actor !== null && can(actor, action)]));
    res.set('Cache-Control', 'no-store');
    res.json(
      deps.demo.allowed
        ? { demo: true, signInMethods: [], can: may }
        : { demo: false, signInMethods: [], help: accessHelp(deps.demo), can: may },
    );
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
