import { Router } from 'express';
import { AppError } from '../../../errors';
import { listRuns } from '../../../jobs/runs';
import type { Db } from '../../../store/db';
import { ADMIN_PERMISSION, accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { runsQuery } from './schema';

export interface AdminDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/**
 * `GET /api/admin/runs?limit=&before=&kind=`: the sync, write-back and daily runs, latest
 * first, with status, counts and errors. Bearer access token with the Signalfit_Admin permission.
 */
export function adminRoutes(deps: AdminDeps): Router {
  const router = Router();

  router.get('/api/admin/runs', requireAccess(deps.keys, deps.now), async (req, res) => {
    if (!accessOf(res).perms.includes(ADMIN_PERMISSION)) {
      throw new AppError('forbidden', `runs are shown to users with the ${ADMIN_PERMISSION} permission only`);
    }
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
