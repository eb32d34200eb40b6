import { Router } from 'express';
import { segmentPerformanceReport } from '../../../services/reports/segmentPerformance';
import { segmentPerformanceAccounts } from '../../../services/reports/segmentPerformanceAccounts';
import { segmentPerformanceParameters } from '../../../services/reports/segmentPerformanceParameters';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { segmentPerformanceAccountsQuery, segmentPerformanceQuery } from './segmentPerformanceSchema';

export interface SegmentPerformanceDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/** The segment performance report and its drill-down (docs/reports.md, docs/http-api.md). */
export function segmentPerformanceRoutes(deps: SegmentPerformanceDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const { db } = deps;
  const report = allow('reports.segments', 'reading segment performance reports');

  router.get('/api/reports/segment-performance', auth, report, async (req, res) => {
    const now = deps.now();
    const parameters = segmentPerformanceParameters(parse(segmentPerformanceQuery, req.query), now);
    const report = await segmentPerformanceReport({ db, actor: accessOf(res), now, ...parameters });
    res.set('Cache-Control', 'private, no-store');
    res.json(report);
  });

  router.get('/api/reports/segment-performance/accounts', auth, report, async (req, res) => {
    const now = deps.now();
    const query = parse(segmentPerformanceAccountsQuery, req.query);
    const parameters = segmentPerformanceParameters(query, now);
    const accounts = await segmentPerformanceAccounts({
      db,
      actor: accessOf(res),
      now,
      ...parameters,
      table: query.table,
      key: query.key,
    });
    res.set('Cache-Control', 'private, no-store');
    res.json(accounts);
  });

  return router;
}
