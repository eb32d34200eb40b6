import express from 'express';
import helmet from 'helmet';
import type { Logger } from '../logger';
import type { Db } from '../store/db';
import { errorHandler, notFound } from './errors';
import { requestLogging } from './requestLogging';
import { healthRoutes } from './routes/health/routes';

/**
 * Everything the HTTP layer needs, built by the composition root (`main.ts`) or by a test.
 * Later issues add fields (auth, services, clock…); routes take only the parts they use.
 */
export interface AppDeps {
  /** The open, migrated store (PGlite or PostgreSQL). The app uses it but never closes it. */
  db: Db;
  /** The root logger; request logs are its children and inherit its redaction. */
  logger: Logger;
  /** The build's version (package.json), bound to every request log line. */
  version: string;
}

/** Builds the Express app without listening (DESIGN.md), so tests run it in process. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  // Off until a deployment declares its proxies: otherwise any client could spoof its address
  // through X-Forwarded-For.
  app.set('trust proxy', false);

  app.use(requestLogging(deps.logger, deps.version));
  app.use(
    helmet({
      // The dashboard is framed inside Salesforce: CSP frame-ancestors decides who may frame it,
      // and X-Frame-Options (which cannot name an allowed origin) would block it.
      frameguard: false,
    }),
  );
  app.use(express.json({ limit: '1mb' }));

  app.use(healthRoutes(deps));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
