import { Router } from 'express';
import { creditEntries, creditView, getCredits, setCredits } from '../../../services/credits/credits';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { setCreditsBody } from './schema';

export interface CreditDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/** The ledger entries the app's credits meter shows. */
const ENTRIES_SHOWN = 50;

/**
 * Credits of contact purchases: `GET /api/credits` (orchestrations.view) and `PUT /api/credits`
 * (orchestrations.manage, asked by setCredits).
 */
export function creditRoutes(deps: CreditDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const { db } = deps;

  router.get(
    '/api/credits',
    auth,
    allow('orchestrations.view', 'reading the credit balance'),
    async (_req, res) => {
      const balance = await getCredits(db, deps.now());
      const entries = await creditEntries(db, { limit: ENTRIES_SHOWN });
      res.set('Cache-Control', 'private, no-store');
      res.json({ credits: balance && creditView(balance), entries });
    },
  );

  router.put(
    '/api/credits',
    auth,
    allow('orchestrations.manage', 'setting the credit allowance'),
    async (req, res) => {
      const body = parse(setCreditsBody, req.body ?? {});
      const balance = await setCredits({ db, ...body, actor: accessOf(res), now: deps.now() });
      res.json({ credits: creditView(balance) });
    },
  );

  return router;
}
