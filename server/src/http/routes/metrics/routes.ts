import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { AppError } from '../../../errors';
import type { Metrics } from '../../../metrics/metrics';

/** Who may read /metrics: anyone who can reach it, or the holders of a token. */
export interface MetricsAccess {
  /** SIGNALFIT_METRICS_TOKEN: when set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
}

/**
 * `GET /metrics`: the Prometheus text format. Mounted only when metrics are on
 * (SIGNALFIT_METRICS=true or a token): otherwise the path is unknown (404).
 */
export function metricsRoutes(metrics: Metrics, access: MetricsAccess): Router {
  const router = Router();
  const expected = access.token === undefined ? null : digest(access.token);

  router.get('/metrics', async (req, res) => {
    if (expected) {
      const presented = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
      // Compared as digests: equal lengths, and a constant-time comparison says nothing of the token.
      if (!timingSafeEqual(digest(presented), expected)) {
        res.set('WWW-Authenticate', 'Bearer realm="signalfit-metrics"');
        throw new AppError('unauthorized', 'metrics need Authorization: Bearer <SIGNALFIT_METRICS_TOKEN>');
      }
    }
    res.set('Cache-Control', 'no-store');
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
