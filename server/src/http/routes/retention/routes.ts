import { Router } from 'express';
import { authorize } from '../../../policies/policies';
import { getRetention, setRetention } from '../../../services/retention/retentionSettings';
import type { Db } from '../../../store/db';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { putRetentionBody } from './schema';

export interface RetentionDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/** `GET /api/retention` and `PUT /api/retention` (retention.manage: Admin). */
export function retentionRoutes(deps: RetentionDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);

  router.get('/api/retention', auth, async (_req, res) => {
    authorize(accessOf(res), 'retention.manage', 'reading retention');
    res.set('Cache-Control', 'private, no-store');
    res.json({ retention: await getRetention(deps.db) });
  });

  router.put('/api/retention', auth, async (req, res) => {
    // The role first: a refused role gets 403 whatever it sends.
    authorize(accessOf(res), 'retention.manage', 'changing retention');
    const changes = parse(putRetentionBody, req.body ?? {});
    const retention = await setRetention({ db: deps.db, actor: accessOf(res), changes, now: deps.now() });
    res.json({ retention });
  });

  return router;
}
