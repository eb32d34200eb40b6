/**
 * The composition root: the one place that reads the environment, opens the store and wires
 * the service together. Commands of the CLI call in here.
 */
import { loadConfig, type Config } from './config';
import { createApp } from './http/app';
import { createLogger, type Logger } from './logger';
import { startServer, type RunningServer } from './serve';
import { seedDemoMarket } from './services/demo/seedDemoMarket';
import type { ImportReport } from './services/import/importDirectory';
import type { ImportProgress } from './services/import/importFile';
import type { Db } from './store/db';
import { openStore } from './store/openStore';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION: string = require('../../package.json').version;

export function readConfig(): Config {
  return loadConfig(process.env, process.cwd());
}

export function describeStore(config: Config): string {
  return 'databaseUrl' in config.store
    ? 'PostgreSQL (DATABASE_URL)'
    : `embedded store in ${config.store.dataDir}`;
}

/** Opens the configured store, runs `work` with it, and always closes it. */
export async function withStore<T>(config: Config, work: (db: Db) => Promise<T>): Promise<T> {
  const db = await openStore(config.store);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

export interface DemoHooks {
  onGenerateProgress?: (done: number, total: number) => void;
  onImportProgress?: (progress: ImportProgress) => void;
}

/** Generates the demo market of the configured size (or `accounts`) into an empty store. */
export function seedDemo(db: Db, config: Config, options: { accounts?: number; seed?: number } & DemoHooks) {
  return seedDemoMarket({
    db,
    seed: options.seed ?? config.demo.seed,
    accounts: options.accounts ?? config.demo.accounts,
    endDate: startOfUtcDay(new Date()),
    onGenerateProgress: options.onGenerateProgress,
    onImportProgress: options.onImportProgress,
  });
}

export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export interface ServeOptions extends DemoHooks {
  /** Fill the store with the demo market first when it holds no account (what `npm start` does). */
  demoIfEmpty: boolean;
  onDemoSeeded?: (report: ImportReport) => void;
}

/** Starts the HTTP service over the configured store; resolves once it listens. */
export async function serve(
  config: Config,
  options: ServeOptions,
): Promise<{ server: RunningServer; logger: Logger }> {
  const logger = createLogger(config.logLevel);
  const db = await openStore(config.store);
  try {
    if (options.demoIfEmpty) {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
      if (row?.n === 0) options.onDemoSeeded?.(await seedDemo(db, config, options));
    }
    const app = createApp({ db, logger, version: VERSION });
    const server = await startServer({
      app,
      port: config.port,
      host: config.host,
      logger,
      shutdownGraceMs: config.shutdownGraceMs,
      onClosed: () => db.close(),
    });
    return { server, logger };
  } catch (error) {
    await db.close();
    throw error;
  }
}
