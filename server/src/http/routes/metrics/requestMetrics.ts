import type { RequestHandler } from 'express';
import type { Metrics } from '../../../metrics/metrics';

/**
 * Times every request into `signalfit_http_request_duration_seconds`, labelled by the route's
 * pattern (`/api/people/:id`), never the raw URL: ids in paths would make a series per record.
 */
export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      // req.route is the route that answered (Express leaves it set); none for unknown paths.
      const pattern = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      stop({ method: req.method, route: pattern, status: String(res.statusCode) });
    });
    next();
  };
}
