import { Router } from 'express';
import { AppError } from '../../../errors';
import { personDetail } from '../../../services/intelligence/personDetail';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import {
  accessOf,
  assertMayReadAccount,
  requireAccess,
  type AccessKeySource,
} from '../../auth/requireAccess';
import { parse } from '../../validate';
import { recordIdParams } from '../accounts/schema';

export interface PeopleDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/** `GET /api/people/:id`: a contact or lead for the person view (bearer access token). */
export function peopleRoutes(deps: PeopleDeps): Router {
  const router = Router();

  const auth = [requireAccess(deps.keys, deps.now), allow('accounts.view', 'reading people')];
  router.get('/api/people/:id', ...auth, async (req, res) => {
    const { id } = parse(recordIdParams, req.params);
    const detail = await personDetail({ db: deps.db, id, now: deps.now() });
    assertMayReadAccount(accessOf(res), detail?.account.id ?? '');
    if (!detail) throw new AppError('not_found', `no contact or lead with id ${id}`);
    res.set('Cache-Control', 'private, no-store');
    res.json(detail);
  });

  return router;
}
