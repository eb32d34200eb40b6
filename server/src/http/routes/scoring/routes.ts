import { Router } from 'express';
import { AppError } from '../../../errors';
import {
  createRecomputer,
  type Recomputer,
  type RecomputeAlerts,
} from '../../../services/recompute/recomputer';
import type { ScoringObserver } from '../../../services/scoring/scoreStore';
import type { Db } from '../../../store/db';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import type { Role } from '../../../domain/vocabulary';

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

/** The roles that may recompute scores (running things is Admin and Operations). */
export const RECOMPUTE_ROLES: readonly Role[] = ['Admin', 'Operations'];

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
 *   recompute under way, with its progress;
 * - `POST /api/scoring/recompute`: scores the store now (Admin, Operations; 409 while one runs).
 */
export function scoringRoutes(deps: ScoringDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const recomputer =
    deps.recomputer ??
    createRecomputer({ db: deps.db, now: deps.now, observer: deps.observer, alerts: deps.alerts });

  router.get('/api/scoring/status', auth, async (_req, res) => {
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
      mayRecompute: access.role !== null && RECOMPUTE_ROLES.includes(access.role),
    });
  });

  router.post('/api/scoring/recompute', auth, async (_req, res) => {
    const access = accessOf(res);
    if (access.role === null || !RECOMPUTE_ROLES.includes(access.role)) {
      throw new AppError('forbidden', `recomputing scores is for the ${RECOMPUTE_ROLES.join(' and ')} roles`);
    }
    const status = await recomputer.start(access);
    res.status(202).json({ recompute: status });
  });

  return router;
}
