import { Router } from 'express';
import type { OrchestrationRouteDeps } from './routes';

/** The run side's routes (preview, run, re-push, runs): helper engine-run's branch replaces this file. */
export function orchestrationRunRoutes(_deps: OrchestrationRouteDeps): Router {
  return Router();
}
