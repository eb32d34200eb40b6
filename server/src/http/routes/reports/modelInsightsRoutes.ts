import { Router } from 'express';
import { modelInsights } from '../../../services/reports/modelInsights';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { modelInsightsQuery } from './modelInsightsSchema';

export interface ModelInsightsDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/**
 * GET /api/reports/model-insights?month=YYYY-MM (docs/reports.md "Model insights"): the backtest of one
 * month; policies.ts decides who may read it (`reports.model`).
 */
export function modelInsightsRoutes(deps: ModelInsightsDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  router.get(
    '/api/reports/model-insights',
    auth,
    allow('reports.model', 'reading the model insights report'),
    async (req, res) => {
      const query = parse(modelInsightsQuery, req.query);
      const report = await modelInsights({
        db: deps.db,
        actor: accessOf(res),
        month: query.month,
        today: deps.now(),
      });
      res.set('Cache-Control', 'private, no-store');
      res.json(report);
    },
  );
  return router;
}
