import express from 'express';
import helmet from 'helmet';
import type { EmbedConfig } from '../embedConfig';
import type { Logger } from '../logger';
import type { Db } from '../store/db';
import { DEFAULT_ALLOWED_ORIGINS } from './auth/allowedOrigins';
import { authenticator } from './auth/authenticator';
import { errorHandler, notFound } from './errors';
import { jsonBodyAfterAccess } from './deferredBody';
import { DEFAULT_RATE_LIMITS, rateLimiters, type RateLimits } from './rateLimits';
import { requestLogging } from './requestLogging';
import { accountRoutes } from './routes/accounts/routes';
import { adminRoutes } from './routes/admin/routes';
import { accountListRoutes } from './routes/accounts/list';
import { appPageRoutes } from './routes/app/page';
import { exchangeRoutes } from './routes/embed/exchange';
import { embedPageRoutes } from './routes/embed/page';
import { healthRoutes } from './routes/health/routes';
import { peopleRoutes } from './routes/people/routes';
import { outreachRoutes } from './routes/outreach/routes';
import type { OutreachConnections } from '../services/outreach/connections';
import { scoringRoutes } from './routes/scoring/routes';
import { segmentPerformanceRoutes } from './routes/reports/segmentPerformanceRoutes';
import { providerRoutes } from './routes/providers/routes';
import { segmentRoutes } from './routes/segments/routes';
import { orchestrationRoutes } from './routes/orchestrations/routes';
import { modelInsightsRoutes } from './routes/reports/modelInsightsRoutes';
import { sessionRoutes, type SignInMethod } from './routes/session/routes';
import { oidcRoutes } from './routes/session/oidcRoutes';
import { scimRoutes } from './routes/scim/routes';
import type { OidcClient } from '../integrations/oidc/client';
import type { OidcConfig } from '../integrations/oidc/env';
import type { DemoSignIn } from '../services/session/demoSignIn';
import type { Recomputer } from '../services/recompute/recomputer';
import { createMetrics, type Metrics } from '../metrics/metrics';
import { scoringObserver } from '../metrics/observers';
import { OutcomeRecord } from '../services/health/outcomes';
import type { IntegrationSources } from '../services/health/integrationStates';
import { metricsRoutes, type MetricsAccess } from './routes/metrics/routes';
import { requestMetrics } from './routes/metrics/requestMetrics';
import { openApiRoutes } from './routes/openapi/routes';
import { alertRoutes } from './routes/alerts/routes';
import { creditRoutes } from './routes/credits/routes';
import { optOutRoutes } from './routes/optouts/routes';
import { retentionRoutes } from './routes/retention/routes';
import { offboardingRoutes } from './routes/offboarding/routes';
import { acquireRoutes } from './routes/acquire/routes';
import { userRoutes } from './routes/users/routes';
import { apiKeyRoutes } from './routes/apikeys/routes';
import { auditRoutes } from './routes/audit/routes';
import { modelRoutes } from './routes/models/routes';
import type { ModelServices } from '../services/models/modelServices';
import type { SalesforceClient } from '../integrations/salesforce/client';
import { DEFAULT_OUTBOUND_LIMITS, type OutboundLimits } from '../integrations/outbound';

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
  /** Embed token keys and the origins allowed to frame /embed; default: no key, Salesforce origins. */
  embed?: EmbedConfig;
  /** The persona map's personas in priority order; default: only the personas found on people. */
  personas?: () => Promise<readonly { name: string }[]>;
  /** The built dashboard served under /embed/assets (build/ui), and whether it is built yet. */
  uiDir?: string;
  isUiReady?: () => boolean;
  /** Each user's Outreach connection (config OUTREACH_*); default: Outreach not configured. */
  outreach?: OutreachConnections | null;
  /** The clock (tests pin it); default: the system clock. */
  now?: () => Date;
  /** Demo sign-in of the standalone app (config.ts decides); default: off. */
  demoSignIn?: DemoSignIn;
  /** "Recompute now" of the standalone app; default: one per app, running scoreStore. */
  recomputer?: Recomputer;
  /** Requests per minute per client (config SIGNALFIT_RATE_LIMIT_*); default: the documented defaults. */
  rateLimits?: RateLimits;
  /** Express `trust proxy` (config TRUST_PROXY): who may set X-Forwarded-For; default: nobody. */
  trustProxy?: boolean | number | string;
  /** SIGNALFIT_SECRET_KEY, which seals the access-token keys in the store; default: none (a local trial). */
  secretKey?: string | null;
  /** The Prometheus registry and instruments; default: a fresh one per app. */
  metrics?: Metrics;
  /** Who may read /metrics (config SIGNALFIT_METRICS*); default: off, /metrics is 404. */
  metricsAccess?: MetricsAccess | null;
  /** What /readyz reports of each integration; default: none configured, nothing recorded. */
  integrations?: IntegrationSources;
  /** SIGNALFIT_PUBLIC_URL: where alerts link account names; default: none (names are not linked). */
  publicUrl?: string | null;
  /** Deadline and retries of outbound calls (Slack alerts); default: the documented defaults. */
  outbound?: OutboundLimits;
  /** The orchestration run worker, woken when a run is queued; default: none (runs wait for one). */
  orchestrationRuns?: { wake(): void } | null;
  /** SIGNALFIT_PANEL_PROVIDER: the provider the panel buys from; default: the only provider, if one. */
  panelProvider?: string | null;
  /** Logs in to Salesforce (config SALESFORCE_*); default: not configured (the panel's buys are not pushed). */
  salesforce?: (() => Promise<SalesforceClient>) | null;
  /** Single sign-on of the standalone app (config OIDC_*); default: not configured. */
  oidc?: { client: OidcClient; config: OidcConfig } | null;
  /** SIGNALFIT_SCIM_TOKEN, the bearer of /scim/v2; default: SCIM is off (404). */
  scimToken?: string | null;
  /** Bulk API poll interval of the panel's pushes (tests shorten it); default: the push's own. */
  salesforcePollMs?: number;
  /** The model lifecycle's use cases (services/models); default: the real ones. */
  models?: ModelServices;
}

/** Builds the Express app without listening, so tests run it in process. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  // Off until a deployment declares its proxies: otherwise any client could spoof its address
  // through X-Forwarded-For (and so escape the rate limits keyed by it).
  app.set('trust proxy', deps.trustProxy ?? false);
  // No ETag on API answers: they are sent `no-store` (the panel and app fetch with cache
  // 'no-store'), so a hash of every body would be work for nothing — measured at 15 % of the
  // account view's throughput. Static assets keep theirs (express.static makes its own).
  app.set('etag', false);

  const embed = deps.embed ?? { allowedOrigins: DEFAULT_ALLOWED_ORIGINS };
  const now = deps.now ?? (() => new Date());
  // Access tokens, sign-in sessions and API keys: every route's requireAccess asks this one.
  const keys = authenticator(deps.db, { secretKey: deps.secretKey, now });
  const metrics = deps.metrics ?? createMetrics(deps.db);
  const integrations = deps.integrations ?? {
    salesforceConfigured: false,
    outreachConfigured: false,
    outreach: new OutcomeRecord(),
    scoring: new OutcomeRecord(),
  };

  app.use(requestLogging(deps.logger, deps.version));
  app.use(requestMetrics(metrics));
  app.use(
    helmet({
      // The dashboard is framed inside Salesforce: CSP frame-ancestors decides who may frame it,
      // and X-Frame-Options (which cannot name an allowed origin) would block it.
      frameguard: false,
      contentSecurityPolicy: { directives: { frameAncestors: [...embed.allowedOrigins] } },
    }),
  );
  // Before the body parser: a refused request costs no parsing.
  const limits = rateLimiters({
    limits: deps.rateLimits ?? DEFAULT_RATE_LIMITS,
    keys,
    now,
    logger: deps.logger,
  });
  app.use('/api/embed/exchange', limits.embedExchange);
  app.use('/api/session', limits.signIn);
  app.use('/api/auth', limits.signIn);
  app.use('/api', limits.api);
  app.use(jsonBodyAfterAccess({ limit: '1mb' }));

  app.use(healthRoutes({ db: deps.db, integrations }));
  if (deps.metricsAccess) app.use(metricsRoutes(metrics, deps.metricsAccess));
  app.use(
    embedPageRoutes({ allowedOrigins: embed.allowedOrigins, uiDir: deps.uiDir, isUiReady: deps.isUiReady }),
  );
  app.use(exchangeRoutes({ db: deps.db, embed, keys, now }));
  app.use(accountRoutes({ db: deps.db, keys, now, personas: deps.personas ?? (async () => []) }));
  app.use(peopleRoutes({ db: deps.db, keys, now }));
  app.use(outreachRoutes({ db: deps.db, keys, now, outreach: deps.outreach ?? null }));
  app.use(adminRoutes({ db: deps.db, keys, now }));
  app.use(
    sessionRoutes({
      db: deps.db,
      keys,
      now,
      demo: deps.demoSignIn ?? { allowed: false, reasons: ['no sign-in method is configured'] },
      signInMethods: signInMethodsOf(deps.oidc ?? null),
      origins: sessionOrigins(deps.oidc?.config.redirectUri ?? null, deps.publicUrl ?? null),
    }),
  );
  app.use(oidcRoutes({ db: deps.db, now, logger: deps.logger, oidc: deps.oidc ?? null }));
  app.use(scimRoutes({ db: deps.db, now, token: deps.scimToken ?? null }));
  app.use(accountListRoutes({ db: deps.db, keys, now }));
  app.use(segmentRoutes({ db: deps.db, keys, now }));
  app.use(providerRoutes({ db: deps.db, keys, now }));
  app.use(segmentPerformanceRoutes({ db: deps.db, keys, now }));
  app.use(
    orchestrationRoutes({
      db: deps.db,
      keys,
      now,
      secretKey: deps.secretKey ?? null,
      runs: deps.orchestrationRuns ?? null,
    }),
  );
  app.use(modelInsightsRoutes({ db: deps.db, keys, now }));
  // Model versions (issue 17).
  app.use(modelRoutes({ db: deps.db, keys, now, services: deps.models }));
  const alerts = {
    secretKey: deps.secretKey ?? null,
    publicUrl: deps.publicUrl ?? null,
    outbound: deps.outbound ?? DEFAULT_OUTBOUND_LIMITS,
  };
  app.use(
    scoringRoutes({
      db: deps.db,
      keys,
      now,
      recomputer: deps.recomputer,
      observer: scoringObserver(metrics, integrations.scoring),
      alerts: {
        ...alerts,
        onReport: (report) =>
          report instanceof Error
            ? deps.logger.error({ err: report }, 'the alerts of a recompute were not sent')
            : deps.logger.info(
                { alerts: { ...report, skipped: report.skipped.length } },
                'alerts of a recompute',
              ),
      },
    }),
  );
  app.use(alertRoutes({ db: deps.db, keys, now, ...alerts }));
  app.use(creditRoutes({ db: deps.db, keys, now }));
  app.use(optOutRoutes({ db: deps.db, keys, now }));
  // Retention and offboarding (issue 18).
  app.use(retentionRoutes({ db: deps.db, keys, now }));
  app.use(offboardingRoutes({ db: deps.db, keys, now }));
  app.use(
    acquireRoutes({
      db: deps.db,
      keys,
      now,
      panelProvider: deps.panelProvider ?? null,
      secretKey: deps.secretKey ?? null,
      salesforce: deps.salesforce ?? null,
      salesforcePollMs: deps.salesforcePollMs,
    }),
  );
  app.use(userRoutes({ db: deps.db, keys, now }));
  app.use(apiKeyRoutes({ db: deps.db, keys, now }));
  app.use(auditRoutes({ db: deps.db, keys, now }));
  app.use(openApiRoutes(deps.version));
  app.use(appPageRoutes({ uiDir: deps.uiDir, isUiReady: deps.isUiReady }));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}

/** The "Sign in with …" buttons of the app's sign-in page. */
function signInMethodsOf(oidc: { client: OidcClient } | null): SignInMethod[] {
  return oidc
    ? [{ id: 'oidc', label: `Sign in with ${oidc.client.issuerHost}`, url: '/api/auth/oidc/login' }]
    : [];
}

/**
 * This service's origins as browsers reach it, for the CSRF check of the sign-in cookie's POST
 * routes: the OIDC redirect URI's and SIGNALFIT_PUBLIC_URL's; with neither, the request's own host.
 */
function sessionOrigins(redirectUri: string | null, publicUrl: string | null) {
  const known = [redirectUri, publicUrl]
    .filter((url): url is string => !!url)
    .map((url) => new URL(url).origin);
  return (req: express.Request): readonly string[] =>
    known.length > 0 ? known : [`${req.protocol}://${req.get('host') ?? ''}`];
}
