import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors';
import { parseSalesforceEnv, type SalesforceConfig } from './integrations/salesforce/env';
import { parseOutreachEnv, type OutreachConfig } from './integrations/outreach/env';
import type { OutboundLimits } from './integrations/outbound';
import { parseEmbedEnv, type EmbedConfig } from './embedConfig';
import { decideDemoSignIn, type DemoSignIn } from './services/session/demoSignIn';

/**
 * Every setting the service reads, parsed once at start-up (DESIGN.md: only the composition
 * root reads configuration). README "Configuration" documents each variable and its default.
 */
/** A whole number written in decimal digits (no sign, exponent or hex), within [min, max]. */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().min(min).max(max));

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
  // /metrics (README "Metrics"): on with SIGNALFIT_METRICS=true, or with a token (then required).
  SIGNALFIT_METRICS: z.enum(['true', 'false']).default('false'),
  SIGNALFIT_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // Only "production" matters: it turns the standalone app's demo sign-in off.
  NODE_ENV: z.string().optional(),
  // The SIGNALFIT_EMBED_* variables, SIGNALFIT_SALESFORCE_ORG_ID and SIGNALFIT_ALLOWED_ORIGINS are
  // read by embedConfig.ts (keys need more than a schema).
});

export interface Config {
  port: number;
  host: string;
  store: { databaseUrl: string } | { dataDir: string };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  demo: { accounts: number; seed: number };
  shutdownGraceMs: number;
  /** Deadline and retry bound of every outbound call (SIGNALFIT_OUTBOUND_*). */
  outbound: OutboundLimits;
  embed: EmbedConfig;
  /** Outreach (README "Outreach"); absent when OUTREACH_CLIENT_ID is not set. */
  outreach?: OutreachConfig;
  salesforce: SalesforceConfig;
  /** The standalone app's demo sign-in: on only for a local trial (services/session/demoSignIn). */
  demoSignIn: DemoSignIn;
  /** Who may read /metrics; null: metrics are off (404). */
  metrics: { token?: string } | null;
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
  if (!parsed.success || 'problems' in embed || 'problems' in salesforce || 'problems' in outreach) {
    const problems = [
      ...(parsed.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      ...('problems' in embed ? embed.problems : []),
      ...('problems' in salesforce ? salesforce.problems : []),
      ...('problems' in outreach ? outreach.problems : []),
    ];
    throw new AppError('config_invalid', `invalid configuration: ${problems.join('; ')}`, { problems });
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    store: e.DATABASE_URL
      ? { databaseUrl: e.DATABASE_URL }
      : { dataDir: path.resolve(cwd, e.SIGNALFIT_DATA_DIR) },
    logLevel: e.LOG_LEVEL,
    demo: { accounts: e.SIGNALFIT_DEMO_ACCOUNTS, seed: e.SIGNALFIT_DEMO_SEED },
    shutdownGraceMs: e.SIGNALFIT_SHUTDOWN_GRACE_MS,
    outbound: { timeoutMs: e.SIGNALFIT_OUTBOUND_TIMEOUT_MS, retries: e.SIGNALFIT_OUTBOUND_RETRIES },
    embed: embed.config,
    ...(outreach.config ? { outreach: outreach.config } : {}),
    salesforce: salesforce.config,
    metrics:
      e.SIGNALFIT_METRICS_TOKEN !== undefined
        ? { token: e.SIGNALFIT_METRICS_TOKEN }
        : e.SIGNALFIT_METRICS === 'true'
          ? {}
          : null,
    demoSignIn: decideDemoSignIn({
      embeddedStore: !e.DATABASE_URL,
      embedKey: !!(embed.config.secret || embed.config.publicKey),
      nodeEnv: e.NODE_ENV,
      signInMethod: false,
    }),
  };
}
