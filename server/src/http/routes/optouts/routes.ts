import express, { Router } from 'express';
import { AppError } from '../../../errors';
import { authorize } from '../../../policies/policies';
import { exportOptOuts } from '../../../services/optouts/exportOptOuts';
import { importOptOuts } from '../../../services/optouts/importOptOuts';
import { addOptOut, listOptOuts, removeOptOut } from '../../../services/optouts/optOutList';
import { optOutReport } from '../../../services/optouts/optOutReport';
import type { Db } from '../../../store/db';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { deleteOptOutBody, listOptOutsQuery, optOutTargetBody, reportQuery } from './schema';

export interface OptOutDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/** The largest opt-out file POST /api/optouts takes (about 100,000 addresses). */
export const OPT_OUT_FILE_LIMIT = '5mb';
const CSV_TYPES = ['text/csv', 'application/csv'];
const DAY_MS = 86_400_000;

/**
 * The central opt-out list (docs/opt-outs.md): list, add or import, remove, export, and the
 * report. Every route is `optouts.manage`, checked before the input is read.
 */
export function optOutRoutes(deps: OptOutDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const { db } = deps;

  router.get('/api/optouts', auth, async (req, res) => {
    authorize(accessOf(res), 'optouts.manage', 'viewing the opt-out list');
    const query = parse(listOptOutsQuery, req.query);
    res.set('Cache-Control', 'private, no-store');
    res.json(await listOptOuts({ db, actor: accessOf(res), ...query }));
  });

  // The role is checked before the file is read: a refused role gets 403 whatever it sends.
  const mayChange: express.RequestHandler = (_req, res, next) => {
    authorize(accessOf(res), 'optouts.manage', 'changing the opt-out list');
    next();
  };

  router.post(
    '/api/optouts',
    auth,
    mayChange,
    express.text({ type: CSV_TYPES, limit: OPT_OUT_FILE_LIMIT }),
    async (req, res) => {
      if (req.is(CSV_TYPES)) {
        if (typeof req.body !== 'string')
          throw new AppError('bad_request', 'send the file as the body with Content-Type: text/csv');
        res.json(await importOptOuts({ db, actor: accessOf(res), csv: req.body, now: deps.now() }));
        return;
      }
      const body = parse(optOutTargetBody, req.body ?? {});
      const target = 'email' in body ? { email: body.email } : { domain: body.domain };
      const result = await addOptOut({
        db,
        actor: accessOf(res),
        target,
        reason: body.reason,
        now: deps.now(),
      });
      res.status(result.added ? 201 : 200).json(result);
    },
  );

  router.delete('/api/optouts', auth, async (req, res) => {
    authorize(accessOf(res), 'optouts.manage', 'changing the opt-out list');
    const body = parse(deleteOptOutBody, req.body ?? {});
    res.json({ entry: await removeOptOut({ db, actor: accessOf(res), target: body, now: deps.now() }) });
  });

  router.get('/api/optouts.csv', auth, async (_req, res) => {
    authorize(accessOf(res), 'optouts.manage', 'viewing the opt-out list');
    const { csv } = await exportOptOuts({ db, actor: accessOf(res) });
    res.set('Cache-Control', 'private, no-store');
    res.set('Content-Disposition', 'attachment; filename="opt-outs.csv"');
    res.type('text/csv; charset=utf-8').send(csv);
  });

  router.get('/api/optouts/report', auth, async (req, res) => {
    authorize(accessOf(res), 'optouts.manage', 'viewing the opt-out report');
    const query = parse(reportQuery, req.query);
    const until = query.until ? new Date(`${query.until}T00:00:00Z`) : deps.now();
    const since = query.since ? new Date(`${query.since}T00:00:00Z`) : new Date(until.getTime() - 7 * DAY_MS);
    if (since > until) throw new AppError('validation_failed', `since (${query.since}) is after until`);
    res.set('Cache-Control', 'private, no-store');
    res.json(await optOutReport({ db, actor: accessOf(res), since, until }));
  });

  return router;
}
