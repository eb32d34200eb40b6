import { Router } from 'express';
import { MODEL_SERVICES, type ModelServices } from '../../../services/models/modelServices';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { compareAccountsQuery, modelIdParams, postponeBody, trainBody } from './schema';

export interface ModelDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
  /** The lifecycle's use cases; default: the real ones (tests hand in fakes). */
  services?: ModelServices;
}

/**
 * The model versions (docs/models.md): reading them and the comparison is `models.view`; training,
 * approving, postponing, rejecting and rolling back is `models.manage`. The role is checked before
 * params, query or body are read, so a refused role gets 403 whatever it sends.
 */
export function modelRoutes(deps: ModelDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const models = deps.services ?? MODEL_SERVICES;
  const { db } = deps;
  const view = allow('models.view', 'seeing the models');
  const manage = allow('models.manage', 'managing the models');

  router.get('/api/models', auth, view, async (_req, res) => {
    res.set('Cache-Control', 'private, no-store');
    res.json(await models.listModels(db));
  });

  router.get('/api/models/pending', auth, view, async (_req, res) => {
    res.set('Cache-Control', 'private, no-store');
    res.json(await models.pendingCandidate(db));
  });

  router.get('/api/models/compare', auth, view, async (_req, res) => {
    res.set('Cache-Control', 'private, no-store');
    res.json(await models.compareModels(db, { now: deps.now() }));
  });

  router.get('/api/models/compare/accounts', auth, view, async (req, res) => {
    const query = parse(compareAccountsQuery, req.query);
    res.set('Cache-Control', 'private, no-store');
    res.json(await models.compareAccounts(db, { ...query, now: deps.now() }));
  });

  router.post('/api/models/train', auth, manage, async (req, res) => {
    const body = parse(trainBody, req.body ?? {});
    const asOf = body.asOf === undefined ? undefined : new Date(`${body.asOf}T00:00:00Z`);
    res.json(await models.trainCandidate(db, { asOf, actor: accessOf(res), now: deps.now() }));
  });

  router.post('/api/models/rollback', auth, manage, async (_req, res) => {
    res.json(await models.rollbackModels(db, { actor: accessOf(res), now: deps.now() }));
  });

  router.post('/api/models/:id/approve', auth, manage, async (req, res) => {
    const { id } = parse(modelIdParams, req.params);
    res.json(await models.approveCandidate(db, { id, actor: accessOf(res), now: deps.now() }));
  });

  router.post('/api/models/:id/postpone', auth, manage, async (req, res) => {
    const { id } = parse(modelIdParams, req.params);
    const { days } = parse(postponeBody, req.body ?? {});
    res.json(await models.postponeCandidate(db, { id, days, actor: accessOf(res) }));
  });

  router.post('/api/models/:id/reject', auth, manage, async (req, res) => {
    const { id } = parse(modelIdParams, req.params);
    res.json(await models.rejectCandidate(db, { id, actor: accessOf(res) }));
  });

  return router;
}
