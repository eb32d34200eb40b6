/**
 * The composition root: the one place that reads the environment, opens the store and wires
 * what the commands need (Salesforce, Outreach, the model lifecycle's hooks). The running service
 * (`signalfit serve`) is wired in service.ts on top of it.
 */
import { readFileSync } from 'node:fs';
import { loadConfig, type Config } from './config';
import { AppError } from './errors';
import type { Db } from './store/db';
import { openStore } from './store/openStore';
import { connectSalesforce, type SalesforceClient } from './integrations/salesforce/client';
import type { CallGuard } from './integrations/salesforce/client';
import type { RunDeps } from './services/orchestrations/runContext';
import { loadFieldMapping } from './integrations/salesforce/fieldMapping';
import type { DailyStep } from './jobs/dailyJob';
import { SALESFORCE_STOPPED, salesforceStopped } from './services/offboarding/offboardingState';
import { runSalesforceWriteback, type SalesforceJobProps } from './services/salesforce/runSalesforceJobs';
import { OutreachConnections } from './services/outreach/connections';
import { rotateAccessKey } from './http/auth/accessKey';
import type { Metrics } from './metrics/metrics';
import { countingGuard } from './metrics/observers';
import { rescoreCurrentDay, type RescoreHook } from './services/models/lifecycle';
import { webhookNotify, type ModelNotify } from './services/models/notices';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION: string = require('../../package.json').version;

export function readConfig(): Config {
  return loadConfig(process.env, process.cwd());
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
  const connect = salesforceConnector(config, metrics)!;
  let mapping;
  try {
    mapping = loadFieldMapping(sf.fieldMappingFile);
  } catch (error) {
    throw new AppError('config_invalid', (error as Error).message);
  }
  return {
    db,
    connect,
    mapping,
    budgetPercent: sf.budgetPercent,
    trigger,
  };
}

/**
 * The JWT bearer login to Salesforce (the key read from SALESFORCE_PRIVATE_KEY or its file), or
 * null when Salesforce is not configured.
 */
export function salesforceConnector(
  config: Config,
  metrics?: Metrics,
): ((guard?: CallGuard) => Promise<SalesforceClient>) | null {
  const sf = config.salesforce;
  if (!sf.connection) return null;
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
  return (guard = () => undefined) =>
    connectSalesforce(
      { loginUrl, clientId, username, privateKeyPem },
      metrics ? countingGuard(metrics, guard) : guard,
      config.outbound,
    );
}

/**
 * What an orchestration run needs from the configuration (docs/orchestration-runs.md): the
 * Salesforce login and the Outreach connections, as `serve` and the CLI build them.
 */
export function orchestrationRunDeps(
  config: Config,
  db: Db,
  watch: { metrics?: Metrics; outreach?: OutreachConnections | null } = {},
): RunDeps {
  const salesforce = salesforceConnector(config, watch.metrics);
  return {
    db,
    now: () => new Date(),
    secretKey: config.secretKey,
    salesforce: salesforce && (() => salesforce()),
    outreach:
      watch.outreach !== undefined
        ? watch.outreach
        : config.outreach
          ? new OutreachConnections({
              db,
              config: config.outreach,
              now: () => new Date(),
              outbound: config.outbound,
            })
          : null,
    outbound: config.outbound,
  };
}

/**
 * How the model lifecycle tells Admins outside the app (docs/models.md "Notice"): the alert
 * subscriptions' Slack webhooks, opened with SIGNALFIT_SECRET_KEY. Pass it as `notify` to
 * `trainCandidate` (the daily job's models step sends what was not sent).
 */
export function modelNotify(config: Config, db: Db): ModelNotify {
  return webhookNotify(db, { secretKey: config.secretKey, outbound: config.outbound });
}

/**
 * The rescore after an approval or a rollback (services/models/lifecycle.ts): the current run's
 * day scored with the versions now active, then the Salesforce write-back (only the changed rows)
 * when Salesforce is configured and not stopped by offboarding. Pass it as `rescore` to
 * `approveCandidate` and `rollbackModels`.
 */
export function modelRescore(config: Config, db: Db, metrics?: Metrics): RescoreHook {
  const writeback = config.salesforce.connection
    ? unlessStopped(db, () => runSalesforceWriteback(salesforceJob(config, db, 'manual', metrics)))
    : null;
  return (store, asOf, versions) =>
    rescoreCurrentDay(store, asOf, versions, writeback && (() => writeback(new AbortController().signal)));
}

/** A Salesforce step, skipped once offboarding stopped the sync and write-back (docs/offboarding.md). */
export function unlessStopped(db: Db, step: () => Promise<object>): DailyStep {
  return async () =>
    (await salesforceStopped(db)) ? { status: 'skipped', reason: SALESFORCE_STOPPED } : step();
}

/** `signalfit keys rotate`: a new access-token signing key (docs/configuration.md "Access-token signing keys"). */
export function rotateAccessKeys(
  config: Config,
  options: { discardPrevious: boolean },
): Promise<{ id: string; retired: number; discarded: number }> {
  return withStore(config, (db) =>
    rotateAccessKey(db, {
      secretKey: config.secretKey,
      now: new Date(),
      discardPrevious: options.discardPrevious,
    }),
  );
}
