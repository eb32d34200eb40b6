import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors';

/**
 * Every setting the service reads, parsed once at start-up (DESIGN.md: only the composition
 * root reads configuration). README "Configuration" documents each variable and its default.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  SIGNALFIT_DATA_DIR: z.string().min(1).default('./.signalfit'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIGNALFIT_DEMO_ACCOUNTS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  SIGNALFIT_DEMO_SEED: z.coerce.number().int().min(0).default(42),
  SIGNALFIT_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
});

export interface Config {
  port: number;
  host: string;
  store: { databaseUrl: string } | { dataDir: string };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  demo: { accounts: number; seed: number };
  shutdownGraceMs: number;
}

/** Parses the environment; reports every problem at once as `config_invalid`. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd: string): Config {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(blankless);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
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
  };
}
