import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors';
import { parseSalesforceEnv, type SalesforceConfig } from './integrations/salesforce/env';
import { parseOutreachEnv, type OutreachConfig } from './integrations/outreach/env';
import type { OutboundLimits } from './integrations/outbound';
import { parseEmbedEnv, type EmbedConfig } from './embedConfig';
import { decideDemoSignIn, type DemoSignIn } from './services/session/demoSignIn';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './http/rateLimits';
import { parseOidcEnv, type OidcConfig } from './integrations/oidc/env';

/**
 * Every setting the service reads, parsed once at start-up (only the composition root
 * reads configuration). docs/configuration.md documents each variable and its default.
 */
/** A whole number written in decimal digits (no sign, exponent or hex), within [min, max]. */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().min(min).max(max));

/** A rate limit: requests per minute per client (tests and load benchmarks raise them). */
const perMinute = wholeNumber(1, 100_000_000);

const envSchema = z.object({
  PORT: wholeNumber(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  SIGNALFIT_DATA_DIR: z.string().min(1).default('./.signalfit'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIGNALFIT_DEMO_ACCOUNTS: wholeNumber(1, 1_000_000).default(1000),
  SIGNALFIT_DEMO_SEED: wholeNumber(0, 2 ** 32 - 1).default(42),
  SIGNALFIT_SHUTDOWN_GRACE_MS: wholeNumber(0, 600_000).default(10_000),
  // Deadline of every call to Outreach and Salesforce, and retries of the safe ones (outbound.ts).
  SIGNALFIT_OUTBOUND_TIMEOUT_MS: wholeNumber(100, 600_000).default(15_000),
  SIGNALFIT_OUTBOUND_RETRIES: wholeNumber(0, 10).default(2),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx) => {
      const trust = parseTrustProxy(value);
      if (trust === null) {
        ctx.addIssue({ code: 'custom', message: TRUST_PROXY_HELP });
        return z.NEVER;
      }
      return trust;
    }),
  SIGNALFIT_RATE_LIMIT_SIGNIN_PER_MINUTE: perMinute.default(DEFAULT_RATE_LIMITS.signInPerMinute),
  SIGNALFIT_RATE_LIMIT_EMBED_PER_MINUTE: perMinute.default(DEFAULT_RATE_LIMITS.embedPerMinute),
  SIGNALFIT_RATE_LIMIT_API_PER_MINUTE: perMinute.default(DEFAULT_RATE_LIMITS.apiPerMinute),
  // /metrics (docs/configuration.md "Metrics"): on with SIGNALFIT_METRICS=true, or with a token (then required).
  SIGNALFIT_METRICS: z.enum(['true', 'false']).default('false'),
  SIGNALFIT_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // Only "production" matters: it turns the standalone app's demo sign-in off (as a non-loopback HOST does).
  NODE_ENV: z.string().optional(),
  // Encrypts secrets at rest (Outreach tokens, access-token keys); its length is checked with the
  // Outreach settings (integrations/outreach/env.ts).
  SIGNALFIT_SECRET_KEY: z.string().optional(),
  // The app's address as users reach it: alerts link account names to it (docs/alerts.md).
  SIGNALFIT_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be the http(s):// address users open the app at' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  // Slack incoming webhook of the weekly opt-out report (docs/opt-outs.md "Weekly report").
  SIGNALFIT_OPTOUT_REPORT_WEBHOOK: z
    .url({ protocol: /^https?$/, error: 'must be a Slack incoming webhook URL (https://hooks.slack.com/…)' })
    .optional(),
  // The contact-data provider the panel's "find more people like this" buys from (by name);
  // unset: the only provider when exactly one is configured (docs/orchestrations-panel.md).
  SIGNALFIT_PANEL_PROVIDER: z
    .string()
    .max(100, 'must be a provider name (100 characters at most)')
    .optional(),
  // SCIM provisioning (docs/sign-in.md "SCIM"): the bearer an identity provider sends to /scim/v2.
  SIGNALFIT_SCIM_TOKEN: z.string().min(32, 'must be at least 32 characters (a random secret)').optional(),
  // The OIDC_* variables are read by integrations/oidc/env.ts (the role map needs more than a schema).
  // The SIGNALFIT_EMBED_* variables, SIGNALFIT_SALESFORCE_ORG_ID and SIGNALFIT_ALLOWED_ORIGINS are
  // read by embedConfig.ts (keys need more than a schema).
});

/**
 * TRUST_PROXY as Express's `trust proxy`: `false` (default) or `true`, a number of proxy hops, or
 * addresses and subnets (and the names loopback, linklocal, uniquelocal) separated by commas.
 * Null when it is none of these.
 */
function parseTrustProxy(value: string): boolean | number | string | null {
  if (/^(false|off|no)$/i.test(value)) return false;
  if (/^(true|on|yes)$/i.test(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const valid = entries.every((entry) => {
    if (/^(loopback|linklocal|uniquelocal)$/.test(entry)) return true;
    const [address = '', prefix, ...rest] = entry.split('/');
    const version = isIP(address);
    if (version === 0 || rest.length > 0) return false;
    return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
  });
  return valid ? entries.join(',') : null;
}
const TRUST_PROXY_HELP =
  'must be false, true, a number of proxy hops, or addresses/subnets (or loopback, linklocal, uniquelocal) separated by commas';

export interface Config {
  port: number;
  host: string;
  /** Express `trust proxy`: whose X-Forwarded-For gives the client address (rate limits, logs). */
  trustProxy: boolean | number | string;
  rateLimits: RateLimits;
  store: { databaseUrl: string } | { dataDir: string };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  demo: { accounts: number; seed: number };
  shutdownGraceMs: number;
  /** Deadline and retry bound of every outbound call (SIGNALFIT_OUTBOUND_*). */
  outbound: OutboundLimits;
  /**
   * SIGNALFIT_SECRET_KEY: seals secrets at rest (docs/configuration.md "Access-token signing keys"). Required with
   * an embed key or Outreach; without it (a local trial) the access-token keys are stored as they are.
   */
  secretKey: string | null;
  /** SIGNALFIT_PUBLIC_URL without a final `/`: where links in alerts point; null: names are not linked. */
  publicUrl: string | null;
  /** SIGNALFIT_OPTOUT_REPORT_WEBHOOK: where the daily job sends the weekly opt-out report; null: not sent. */
  optOutReportWebhook: string | null;
  /** SIGNALFIT_PANEL_PROVIDER: the provider name the panel buys from; null: the only provider, if one. */
  panelProvider: string | null;
  embed: EmbedConfig;
  /** Outreach (docs/outreach.md); absent when OUTREACH_CLIENT_ID is not set. */
  outreach?: OutreachConfig;
  salesforce: SalesforceConfig;
  /** The standalone app's demo sign-in: on only for a local trial (services/session/demoSignIn). */
  demoSignIn: DemoSignIn;
  /** Who may read /metrics; null: metrics are off (404). */
  metrics: { token?: string } | null;
  /** Single sign-on of the standalone app (OIDC_*); null: not configured. */
  oidc: OidcConfig | null;
  /** SIGNALFIT_SCIM_TOKEN: the bearer of /scim/v2; null: SCIM is off (its routes answer 404). */
  scimToken: string | null;
}

/** Parses the environment; reports every problem at once as `config_invalid`. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd: string): Config {
  // A variable set to nothing (or only spaces) counts as unset; the others are trimmed.
  const blankless = Object.fromEntries(
    Object.entries(env)
      .map(([name, value]) => [name, value?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(blankless);
  const embed = parseEmbedEnv(blankless);
  const salesforce = parseSalesforceEnv(blankless, cwd);
  const outreach = parseOutreachEnv(blankless);
  const oidc = parseOidcEnv(blankless);
  // With an embed key, real users get access tokens: their signing keys must be sealed at rest.
  const unsealedKeys =
    (blankless.SIGNALFIT_EMBED_SECRET || blankless.SIGNALFIT_EMBED_PUBLIC_KEY) &&
    !blankless.SIGNALFIT_SECRET_KEY
      ? [
          'SIGNALFIT_SECRET_KEY: is required with SIGNALFIT_EMBED_PUBLIC_KEY or SIGNALFIT_EMBED_SECRET (it encrypts the access-token signing keys at rest)',
        ]
      : [];
  if (
    !parsed.success ||
    'problems' in embed ||
    'problems' in salesforce ||
    'problems' in outreach ||
    'problems' in oidc ||
    unsealedKeys.length > 0
  ) {
    const problems = [
      ...(parsed.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      ...unsealedKeys,
      ...('problems' in embed ? embed.problems : []),
      ...('problems' in salesforce ? salesforce.problems : []),
      ...('problems' in outreach ? outreach.problems : []),
      ...('problems' in oidc ? oidc.problems : []),
    ];
    throw new AppError('config_invalid', `invalid configuration: ${problems.join('; ')}`, { problems });
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.TRUST_PROXY,
    rateLimits: {
      signInPerMinute: e.SIGNALFIT_RATE_LIMIT_SIGNIN_PER_MINUTE,
      embedPerMinute: e.SIGNALFIT_RATE_LIMIT_EMBED_PER_MINUTE,
      apiPerMinute: e.SIGNALFIT_RATE_LIMIT_API_PER_MINUTE,
    },
    store: e.DATABASE_URL
      ? { databaseUrl: e.DATABASE_URL }
      : { dataDir: path.resolve(cwd, e.SIGNALFIT_DATA_DIR) },
    logLevel: e.LOG_LEVEL,
    demo: { accounts: e.SIGNALFIT_DEMO_ACCOUNTS, seed: e.SIGNALFIT_DEMO_SEED },
    shutdownGraceMs: e.SIGNALFIT_SHUTDOWN_GRACE_MS,
    outbound: { timeoutMs: e.SIGNALFIT_OUTBOUND_TIMEOUT_MS, retries: e.SIGNALFIT_OUTBOUND_RETRIES },
    secretKey: e.SIGNALFIT_SECRET_KEY ?? null,
    publicUrl: e.SIGNALFIT_PUBLIC_URL ?? null,
    panelProvider: e.SIGNALFIT_PANEL_PROVIDER ?? null,
    optOutReportWebhook: e.SIGNALFIT_OPTOUT_REPORT_WEBHOOK ?? null,
    embed: embed.config,
    ...(outreach.config ? { outreach: outreach.config } : {}),
    salesforce: salesforce.config,
    metrics:
      e.SIGNALFIT_METRICS_TOKEN !== undefined
        ? { token: e.SIGNALFIT_METRICS_TOKEN }
        : e.SIGNALFIT_METRICS === 'true'
          ? {}
          : null,
    oidc: oidc.config,
    scimToken: e.SIGNALFIT_SCIM_TOKEN ?? null,
    demoSignIn: decideDemoSignIn({
      embeddedStore: !e.DATABASE_URL,
      embedKey: !!(embed.config.secret || embed.config.publicKey),
      nodeEnv: e.NODE_ENV,
      signInMethod: oidc.config !== null,
      // Each integration added later joins this list: a connected real system ends the demo.
      integrations: [
        ...(salesforce.config.connection ? ['Salesforce (SALESFORCE_CLIENT_ID)'] : []),
        ...(outreach.config ? ['Outreach (OUTREACH_CLIENT_ID)'] : []),
        ...(e.SIGNALFIT_SCIM_TOKEN ? ['SCIM provisioning (SIGNALFIT_SCIM_TOKEN)'] : []),
      ],
      host: e.HOST,
    }),
  };
}
