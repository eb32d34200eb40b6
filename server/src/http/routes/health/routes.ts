import { Router } from 'express';
import { AppError } from '../../../errors';
import type { Logger } from '../../../logger';
import type { Db } from '../../../store/db';
import { bundledMigrations, pendingMigrations } from '../../../store/migrate';
import { integrationStates, type IntegrationSources } from '../../../services/health/integrationStates';

export interface HealthDeps {
  db: Db;
  /** Which integrations are set up, and this process's records of them. */
  integrations: IntegrationSources;
}

export interface HealthOptions {
  /** How long /readyz waits for the store before answering 503 (probes have short timeouts too). */
  readyTimeoutMs?: number;
}

/**
 * Probes for orchestrators and load balancers.
 * - `GET /healthz`: the process is up and serving. Never touches the store, so a slow database
 *   does not get a healthy process restarted.
 * - `GET /readyz`: the store answers and every bundled migration is applied, so requests can be
 *   served; otherwise 503 `store_unavailable` saying what is wrong. When ready, `integrations`
 *   names each integration's state (configured, last success, last failure with a short reason):
 *   an integration that fails does not make the service unready, it shows here.
 */
export function healthRoutes(deps: HealthDeps, options: HealthOptions = {}): Router {
  const readyTimeoutMs = options.readyTimeoutMs ?? 2000;
  // Read once: the migrations shipped with this build do not change while it runs.
  const migrations = bundledMigrations();
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (req, res) => {
    await assertStoreReady(deps.db, migrations, readyTimeoutMs, req.log);
    res.set('Cache-Control', 'no-store');
    // The store answered just now: should this read still fail, the service is ready all the same.
    const integrations = await integrationStates(deps.db, deps.integrations).catch((error: unknown) => {
      req.log.warn({ err: error }, 'readiness check: integration states could not be read');
      return null;
    });
    res.json({ status: 'ready', store: deps.db.kind, integrations });
  });

  return router;
}

async function assertStoreReady(
  db: Db,
  migrations: ReturnType<typeof bundledMigrations>,
  timeoutMs: number,
  log: Logger,
): Promise<void> {
  let pending: string[];
  try {
    pending = await withTimeout(
      (async () => {
        await db.query('SELECT 1');
        return pendingMigrations(db, migrations);
      })(),
      timeoutMs,
    );
  } catch (error) {
    if (error instanceof TimedOut) {
      throw new AppError('store_unavailable', `store is unreachable: no answer within ${timeoutMs} ms`);
    }
    // The driver's message names hosts and ports: it goes to the log, not to the caller.
    log.warn({ err: error }, 'readiness check: store query failed');
    throw new AppError(
      'store_unavailable',
      'store is unreachable: its query failed (details in the service log)',
    );
  }
  if (pending.length > 0) {
    throw new AppError('store_unavailable', `store has pending migrations: ${pending.join(', ')}`, {
      pendingMigrations: pending,
    });
  }
}

class TimedOut extends Error {}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimedOut()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
