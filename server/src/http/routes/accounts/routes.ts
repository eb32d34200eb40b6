import { Router } from 'express';
import { AppError } from '../../../errors';
import { accountIntelligence } from '../../../services/intelligence/accountIntelligence';
import { viewCache } from '../../../services/intelligence/viewCache';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import {
  accessOf,
  assertMayReadAccount,
  requireAccess,
  type AccessKeySource,
} from '../../auth/requireAccess';
import { parse } from '../../validate';
import { recordIdParams } from './schema';

export interface AccountDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
  /** The persona map's personas in priority order (the scoring settings). */
  personas: () => Promise<readonly { name: string }[]>;
  /** How long an account view is reused (dropped within a second of a new score run); 0: never. */
  viewCacheMs?: number;
}

/**
 * The panel opens the account view on every record page a rep visits; its data changes with a
 * scoring run (daily) or a sync, so a view half a minute old is still the truth for the rep, and
 * reusing it keeps the panel fast when a team works the same accounts (RESULTS.md).
 */
export const DEFAULT_VIEW_CACHE_MS = 30_000;

/** `GET /api/accounts/:id/intelligence`: what the account view shows (bearer access token). */
export function accountRoutes(deps: AccountDeps): Router {
  const router = Router();
  // The view is kept serialised: sending it again then costs no JSON.stringify.
  const cached = viewCache<{ accountId: string; json: string } | null>(deps.db, {
    ttlMs: deps.viewCacheMs ?? DEFAULT_VIEW_CACHE_MS,
  });

  const auth = [requireAccess(deps.keys, deps.now), allow('accounts.view', 'reading accounts')];
  router.get('/api/accounts/:id/intelligence', ...auth, async (req, res) => {
    const { id } = parse(recordIdParams, req.params);
    const access = accessOf(res);
    const view = await cached(id, async () => {
      const intelligence = await accountIntelligence({
        db: deps.db,
        id,
        personas: await deps.personas(),
        now: deps.now(),
      });
      return intelligence && { accountId: intelligence.account.id, json: JSON.stringify(intelligence) };
    });
    // Checked before "not found" is told, so a user cannot probe which other ids exist.
    assertMayReadAccount(access, view?.accountId ?? '');
    if (!view) throw new AppError('not_found', `no account with id ${id}`);
    res.set('Cache-Control', 'private, no-store');
    res.type('application/json').send(view.json);
  });

  return router;
}
