import { Router } from 'express';
import { authorize } from '../../../policies/policies';
import { createApiKey, listApiKeys, revokeApiKey } from '../../../services/apikeys/apiKeys';
import type { Db } from '../../../store/db';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { apiKeyIdParams, createApiKeyBody } from './schema';

export interface ApiKeyDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/**
 * API keys (docs/http-api.md "Users and API keys"): `GET /api/apikeys`, `POST /api/apikeys`
 * (the key in the answer, once), `DELETE /api/apikeys/:id`. Admin only (apikeys.manage), checked
 * before the body is read.
 */
export function apiKeyRoutes(deps: ApiKeyDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const { db } = deps;

  router.get('/api/apikeys', auth, async (_req, res) => {
    const apiKeys = await listApiKeys(db, accessOf(res));
    res.set('Cache-Control', 'private, no-store');
    res.json({ apiKeys });
  });

  router.post('/api/apikeys', auth, async (req, res) => {
    authorize(accessOf(res), 'apikeys.manage', 'creating API keys');
    const body = parse(createApiKeyBody, req.body ?? {});
    const created = await createApiKey(db, accessOf(res), body, deps.now());
    // The only answer that ever holds the key: no cache may keep it.
    res.set('Cache-Control', 'no-store');
    res.status(201).json(created);
  });

  router.delete('/api/apikeys/:id', auth, async (req, res) => {
    authorize(accessOf(res), 'apikeys.manage', 'revoking API keys');
    const { id } = parse(apiKeyIdParams, req.params);
    res.json({ apiKey: await revokeApiKey(db, accessOf(res), id, deps.now()) });
  });

  return router;
}
