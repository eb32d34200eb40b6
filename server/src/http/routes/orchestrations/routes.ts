import { Router } from 'express';
import { createOrchestration } from '../../../services/orchestrations/createOrchestration';
import { deleteOrchestration } from '../../../services/orchestrations/deleteOrchestration';
import { getOrchestration } from '../../../services/orchestrations/getOrchestration';
import { listOrchestrations } from '../../../services/orchestrations/listOrchestrations';
import {
  parseOrchestrationInput,
  parseOrchestrationPatch,
} from '../../../services/orchestrations/orchestrationInput';
import { updateOrchestration } from '../../../services/orchestrations/updateOrchestration';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { orchestrationRunRoutes } from './runRoutes';
import { orchestrationParams } from './schema';

export interface OrchestrationRouteDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
  /** SIGNALFIT_SECRET_KEY (an HTTP provider's token, for the previews). */
  secretKey?: string | null;
  /** The run worker, woken when a run is queued (runRoutes.ts). */
  runs?: { wake(): void } | null;
}

/**
 * Orchestrations (docs/orchestrations.md): their definitions and history here, their previews,
 * runs and re-pushes in runRoutes.ts. `:id` is the numeric id or the name. Who may do what is
 * policies.ts's; a change is refused by role before its body is read, so a role that may not
 * gets 403 whatever it sends.
 */
export function orchestrationRoutes(deps: OrchestrationRouteDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const { db } = deps;
  const view = allow('orchestrations.view', 'reading orchestrations');

  router.get('/api/orchestrations', auth, view, async (_req, res) => {
    const orchestrations = await listOrchestrations({ db, actor: accessOf(res), now: deps.now() });
    res.set('Cache-Control', 'private, no-store');
    res.json({ orchestrations });
  });

  router.post(
    '/api/orchestrations',
    auth,
    allow('orchestrations.manage', 'creating orchestrations'),
    async (req, res) => {
      const actor = accessOf(res);
      const input = parseOrchestrationInput(req.body, 'body');
      res
        .status(201)
        .json({ orchestration: await createOrchestration({ db, actor, input, now: deps.now() }) });
    },
  );

  router.get('/api/orchestrations/:id', auth, view, async (req, res) => {
    const { id } = parse(orchestrationParams, req.params);
    res.set('Cache-Control', 'private, no-store');
    res.json(await getOrchestration({ db, actor: accessOf(res), ref: id, now: deps.now() }));
  });

  router.patch(
    '/api/orchestrations/:id',
    auth,
    allow('orchestrations.manage', 'changing orchestrations'),
    async (req, res) => {
      const actor = accessOf(res);
      const { id } = parse(orchestrationParams, req.params);
      const changes = parseOrchestrationPatch(req.body, 'body');
      res.json({
        orchestration: await updateOrchestration({ db, actor, ref: id, changes, now: deps.now() }),
      });
    },
  );

  router.delete(
    '/api/orchestrations/:id',
    auth,
    allow('orchestrations.manage', 'deleting orchestrations'),
    async (req, res) => {
      const { id } = parse(orchestrationParams, req.params);
      await deleteOrchestration({ db, actor: accessOf(res), ref: id, now: deps.now() });
      res.status(204).end();
    },
  );

  router.use(orchestrationRunRoutes(deps));
  return router;
}
