import { Router } from 'express';
import { authorize } from '../../../policies/policies';
import { getChecklist, markStepDone } from '../../../services/offboarding/checklist';
import type { Db } from '../../../store/db';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { stepParams } from './schema';

export interface OffboardingDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/** `GET /api/offboarding` and `POST /api/offboarding/:step` (offboarding.manage: Admin). */
export function offboardingRoutes(deps: OffboardingDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);

  router.get('/api/offboarding', auth, async (_req, res) => {
    res.set('Cache-Control', 'private, no-store');
    res.json({ steps: await getChecklist(deps.db, accessOf(res)) });
  });

  router.post('/api/offboarding/:step', auth, async (req, res) => {
    authorize(accessOf(res), 'offboarding.manage', 'marking an offboarding step done');
    const { step } = parse(stepParams, req.params);
    res.json({ steps: await markStepDone({ db: deps.db, actor: accessOf(res), step, now: deps.now() }) });
  });

  return router;
}
