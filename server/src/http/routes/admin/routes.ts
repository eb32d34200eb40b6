import { Router } from 'express';
import { listRuns } from '../../../jobs/runs';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import { requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { runsQuery } from './schema';

export interface AdminDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/**
 * `GET /api/admin/runs?limit=&before=&kind=`: the sync, write-back and daily runs, latest
 * first, with status, counts and errors: integration settings (`settings.manage`, policies.ts).
 */
export function adminRoutes(deps: AdminDeps): Router {
  const router = Router();

  const auth = [requireAccess(deps.keys, deps.now), allow('settings.manage', 'the sync and job runs')];
  router.get('/api/admin/runs', ...auth, async (req, res) => {
    const query = parse(runsQuery, req.query);
    const runs = await listRuns(deps.db, query);
    res.set('Cache-Control', 'private, no-store');
    res.json({
      runs,
      // The next page, when this one is full.
      nextBefore: runs.length === query.limit ? runs[runs.length - 1]!.id : null,
    });
  });

  return router;
}
