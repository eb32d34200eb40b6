/**
 * The composition root: the one place that reads the environment, opens the store and wires
 * the service together. Commands of the CLI call in here.
 */
import { readFileSync } from 'node:fs';
import { loadConfig, type Config } from './config';
import { AppError } from './errors';
import { createApp } from './http/app';
import { createLogger, type Logger } from './logger';
import { startServer, type RunningServer } from './serve';
import { seedDemoMarket } from './services/demo/seedDemoMarket';
import type { ImportReport } from './services/import/importDirectory';
import type { ImportProgress } from './services/import/importFile';
import type { Db } from './store/db';
import { openStore } from './store/openStore';
import { scoreStore, type ScoreStoreResult } from './services/scoring/scoreStore';
import { connectSalesforce } from './integrations/salesforce/client';
import { loadFieldMapping } from './integrations/salesforce/fieldMapping';
import { parseCron } from './jobs/cron';
import { runDailyJob, type DailyStep } from './jobs/dailyJob';
import { startScheduler, type Scheduler } from './jobs/scheduler';
import {
  runSalesforceSync,
  runSalesforceWriteback,
  type SalesforceJobProps,
} from './services/salesforce/runSalesforceJobs';
import { prepareUi, UI_BUILD_DIR } from '../ui/build';
import { personaOrder } from './services/intelligence/personaOrder';
import { OutreachConnections } from './services/outreach/connections';
import { createMetrics, recordImport, type Metrics } from './metrics/metrics';
import { countingGuard, outreachObserver, scoringObserver } from './metrics/observers';
import { OutcomeRecord } from './services/health/outcomes';
import type { ScoringObserver } from './services/scoring/scoreStore';

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
  /** Called when the demo is imported and scoring starts. */
  onScoring?: () => void;
}

export type DemoSeedReport = ImportReport & { scoring: ScoreStoreResult };

/** Generates the demo market of the configured size (or `accounts`) into an empty store, and scores it. */
export async function seedDemo(
  db: Db,
  config: Config,
  options: { accounts?: number; seed?: number; observer?: ScoringObserver } & DemoHooks,
): Promise<DemoSeedReport> {
  const today = startOfUtcDay(new Date());
  const report = await seedDemoMarket({
    db,
    seed: options.seed ?? config.demo.seed,
    accounts: options.accounts ?? config.demo.accounts,
    endDate: today,
    onGenerateProgress: options.onGenerateProgress,
    onImportProgress: options.onImportProgress,
  });
  options.onScoring?.();
  return { ...report, scoring: await scoreStore(db, { asOf: today, observer: options.observer }) };
}

export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export interface ServeOptions extends DemoHooks {
  /** Fill the store with the demo market first when it holds no account (what `npm start` does). */
  demoIfEmpty: boolean;
  onDemoSeeded?: (report: DemoSeedReport) => void;
}

/** Starts the HTTP service over the configured store; resolves once it listens. */
export async function serve(
  config: Config,
  options: ServeOptions,
): Promise<{ server: RunningServer; logger: Logger }> {
  const logger = createLogger(config.logLevel);
  const db = await openStore(config.store);
  try {
    // Started first: on a fresh clone the UI build (in the background) overlaps the demo seeding.
    const ui = prepareUi(logger);
    const metrics = createMetrics(db);
    const integrations = {
      salesforceConfigured: !!config.salesforce.connection,
      outreachConfigured: !!config.outreach,
      outreach: new OutcomeRecord(),
      scoring: new OutcomeRecord(),
    };
    const scoring = scoringObserver(metrics, integrations.scoring);
    if (options.demoIfEmpty) {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
      if (row?.n === 0) {
        const report = await seedDemo(db, config, { ...options, observer: scoring });
        recordImport(metrics, report);
        options.onDemoSeeded?.(report);
      }
    }
    const app = createApp({
      db,
      logger,
      version: VERSION,
      embed: config.embed,
      uiDir: UI_BUILD_DIR,
      isUiReady: ui.isReady,
      personas: personaOrder(db),
      outreach: config.outreach
        ? new OutreachConnections({
            db,
            config: config.outreach,
            now: () => new Date(),
            outbound: config.outbound,
            observer: outreachObserver(metrics, integrations.outreach),
          })
        : null,
      demoSignIn: config.demoSignIn,
      metrics,
      metricsAccess: config.metrics,
      integrations,
    });
    const schedule = startDailySchedule(config, db, logger, { metrics, scoring });
    const server = await startServer({
      app,
      port: config.port,
      host: config.host,
      logger,
      shutdownGraceMs: config.shutdownGraceMs,
      onClosed: async () => {
        await schedule.stop();
        await db.close();
      },
    });
    return { server, logger };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * What `signalfit sync|writeback salesforce` and the schedule need: the JWT bearer login (the key
 * read from SALESFORCE_PRIVATE_KEY or its file), the field mapping, the API budget.
 */
export function salesforceJob(
  config: Config,
  db: Db,
  trigger: string,
  metrics?: Metrics,
): SalesforceJobProps {
  const sf = config.salesforce;
  if (!sf.connection) {
    throw new AppError(
      'config_invalid',
      'Salesforce is not configured: set SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME and SALESFORCE_PRIVATE_KEY (or SALESFORCE_PRIVATE_KEY_FILE)',
    );
  }
  const { loginUrl, clientId, username, privateKey } = sf.connection;
  let privateKeyPem: string;
  try {
    privateKeyPem = 'pem' in privateKey ? privateKey.pem : readFileSync(privateKey.file, 'utf8');
  } catch (error) {
    throw new AppError(
      'config_invalid',
      `cannot read SALESFORCE_PRIVATE_KEY_FILE: ${(error as Error).message}`,
    );
  }
  let mapping;
  try {
    mapping = loadFieldMapping(sf.fieldMappingFile);
  } catch (error) {
    throw new AppError('config_invalid', (error as Error).message);
  }
  return {
    db,
    connect: (guard) =>
      connectSalesforce(
        { loginUrl, clientId, username, privateKeyPem },
        metrics ? countingGuard(metrics, guard) : guard,
        config.outbound,
      ),
    mapping,
    budgetPercent: sf.budgetPercent,
    trigger,
  };
}

/** The scoring step of the daily job: scores as of today (UTC), from the facts before it. */
function scheduledScoring(db: Db, observer?: ScoringObserver): DailyStep {
  return async () => {
    // The run's model summary stays with the score run; the daily run keeps the counts.
    const { summary: _summary, ...counts } = await scoreStore(db, {
      asOf: startOfUtcDay(new Date()),
      observer,
    });
    return counts;
  };
}

/** The daily sync → score → write-back (SIGNALFIT_SCHEDULE), once across instances. */
export function startDailySchedule(
  config: Config,
  db: Db,
  logger: Logger,
  watch: { metrics?: Metrics; scoring?: ScoringObserver } = {},
): Scheduler {
  const salesforce = config.salesforce.connection
    ? () => salesforceJob(config, db, 'schedule', watch.metrics)
    : null;
  return startScheduler({
    db,
    name: 'daily',
    schedule: parseCron(config.salesforce.schedule),
    run: async () => {
      const report = await runDailyJob({
        db,
        sync: salesforce && (() => runSalesforceSync(salesforce())),
        score: scheduledScoring(db, watch.scoring),
        writeback: salesforce && (() => runSalesforceWriteback(salesforce())),
      });
      logger.info({ daily: report }, 'daily job finished');
    },
    onError: (error) => logger.error({ err: error }, 'daily job failed'),
  });
}
