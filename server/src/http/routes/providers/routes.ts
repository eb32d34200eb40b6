import { Router } from 'express';
import { addProvider, listProviders } from '../../../services/providers/providers';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { addProviderBody } from './schema';

export interface ProviderDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/** Contact-data providers (docs/http-api.md "Providers"): list them, add a csv one. */
export function providerRoutes(deps: ProviderDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const { db } = deps;

  router.get(
    '/api/providers',
    auth,
    allow('orchestrations.view', 'reading contact-data providers'),
    async (_req, res) => {
      res.set('Cache-Control', 'private, no-store');
      res.json({ providers: await listProviders(db) });
    },
  );

  router.post(
    '/api/providers',
    auth,
    allow('orchestrations.manage', 'adding a contact-data provider'),
    async (req, res) => {
      const body = parse(addProviderBody, req.body);
      res.status(201).json(await addProvider({ db, actor: accessOf(res), ...body }));
    },
  );

  return router;
}
