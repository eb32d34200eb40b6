import { Router } from 'express';
import {
  createRecomputer,
  type Recomputer,
  type RecomputeAlerts,
} from '../../../services/recompute/recomputer';
import type { ScoringObserver } from '../../../services/scoring/scoreStore';
import type { Db } from '../../../store/db';
import { can } from '../../../policies/policies';
import { allow } from '../../auth/allow';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';

export interface ScoringDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
  /** Default: one recomputer per app, running scoreStore. */
  recomputer?: Recomputer;
  /** Watches the default recomputer's runs (metrics, /readyz). */
  observer?: ScoringObserver;
  /** The default recomputer sends each run's alerts with these. */
  alerts?: RecomputeAlerts;
}

interface LastRunRow {
  id: string;
  as_of: string;
  model_version: string | null;
  finished_at: Date | null;
  accounts: number | null;
  [column: string]: unknown;
}

/**
 * - `GET /api/scoring/status`: the current run (as of, model version, when it finished) and the
 *   recompute under way, with its progress (accounts.view);
 * - `POST /api/scoring/recompute`: scores the store now (scores.recompute; 409 while one runs).
 */
export function scoringRoutes(deps: ScoringDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const recomputer =
    deps.recomputer ??
    createRecomputer({ db: deps.db, now: deps.now, observer: deps.observer, alerts: deps.alerts });

  router.get('/api/scoring/status', auth, allow('accounts.view', 'the scoring status'), async (_req, res) => {
    const access = accessOf(res);
    const [row] = await deps.db.query<LastRunRow>(
      `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of, model_version, finished_at, accounts
         FROM score_runs WHERE status = 'complete' ORDER BY as_of DESC, id DESC LIMIT 1`,
    );
    res.set('Cache-Control', 'private, no-store');
    res.json({
      lastRun: row
        ? {
            id: Number(row.id),
            asOf: row.as_of,
            modelVersion: row.model_version,
            finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
            accounts: row.accounts,
          }
        : null,
      recompute: recomputer.status(),
      mayRecompute: can(access, 'scores.recompute'),
    });
  });

  router.post(
    '/api/scoring/recompute',
    auth,
    allow('scores.recompute', 'recomputing scores'),
    async (_req, res) => {
      const access = accessOf(res);
      const status = await recomputer.start(access);
      res.status(202).json({ recompute: status });
    },
  );

  return router;
}
