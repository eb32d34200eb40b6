/**
 * The running service: `signalfit serve` (and `npm start`) wires the HTTP app, the daily schedule,
 * the orchestration worker and scheduler over the configured store. Kept apart from main.ts so
 * that the other commands do not load the HTTP app.
 */
import type { Config } from './config';
import { createApp } from './http/app';
import { withModelHooks } from './services/models/modelServices';
import { createLogger, type Logger } from './logger';
import { startServer, type RunningServer } from './serve';
import { startOfUtcDay } from './domain/dates';
import { seedDemo, type DemoHooks, type DemoSeedReport } from './services/demo/seedDemo';
import type { Db } from './store/db';
import { openStore } from './store/openStore';
import { startRunWorker } from './services/orchestrations/runQueue';
import { startOrchestrationScheduler } from './services/orchestrations/orchestrationScheduler';
import { parseCron } from './jobs/cron';
import { runDailyJob, type DailyStep } from './jobs/dailyJob';
import { startScheduler, type Scheduler } from './jobs/scheduler';
import { markInterrupted } from './jobs/runs';
import { scoreScheduled } from './services/scoring/scoringLease';
import { findRun } from './services/scoring/currentRun';
import { purgeRetention } from './services/retention/purgeRetention';
import { describeRunAlerts, sendRunAlerts } from './services/alerts/sendRunAlerts';
import { runSalesforceSync, runSalesforceWriteback } from './services/salesforce/runSalesforceJobs';
import { prepareUi, UI_BUILD_DIR } from '../ui/build';
import { deliverWeeklyOptOutReport } from './services/optouts/weeklyOptOutReport';
import { personaOrder } from './services/intelligence/personaOrder';
import { OutreachConnections } from './services/outreach/connections';
import { loadAccessKey } from './http/auth/accessKey';
import { createMetrics, recordImport, type Metrics } from './metrics/metrics';
import { outreachObserver, scoringObserver } from './metrics/observers';
import { OutcomeRecord } from './services/health/outcomes';
import { createOidcClient } from './integrations/oidc/client';
import type { ScoringObserver } from './services/scoring/scoreStore';
import { rolloutStep } from './services/models/rollout';
import {
  modelNotify,
  modelRescore,
  orchestrationRunDeps,
  salesforceConnector,
  salesforceJob,
  unlessStopped,
  VERSION,
} from './main';

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
    // A wrong or missing SIGNALFIT_SECRET_KEY for the stored keys stops the start, not a request.
    await loadAccessKey(db, config.secretKey);
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
        const report = await seedDemo(db, { ...config.demo, ...options, observer: scoring });
        recordImport(metrics, report);
        options.onDemoSeeded?.(report);
      }
    }
    const outreach = config.outreach
      ? new OutreachConnections({
          db,
          config: config.outreach,
          now: () => new Date(),
          outbound: config.outbound,
          observer: outreachObserver(metrics, integrations.outreach),
        })
      : null;
    // Orchestration runs: the worker executes queued runs, the scheduler queues the slots' runs.
    const runWorker = startRunWorker({
      deps: orchestrationRunDeps(config, db, { metrics, outreach }),
      onRun: (run) => logger.info({ orchestrationRun: run }, 'orchestration run finished'),
      onError: (error) => logger.error({ err: error }, 'orchestration run worker failed'),
    });
    const orchestrationSchedule = startOrchestrationScheduler({
      db,
      onQueued: () => runWorker.wake(),
      onError: (error) => logger.error({ err: error }, 'orchestration scheduler failed'),
    });
    const panelSalesforce = salesforceConnector(config, metrics);
    const app = createApp({
      db,
      logger,
      version: VERSION,
      embed: config.embed,
      uiDir: UI_BUILD_DIR,
      isUiReady: ui.isReady,
      personas: personaOrder(db),
      outreach,
      orchestrationRuns: runWorker,
      demoSignIn: config.demoSignIn,
      rateLimits: config.rateLimits,
      trustProxy: config.trustProxy,
      secretKey: config.secretKey,
      metrics,
      metricsAccess: config.metrics,
      integrations,
      publicUrl: config.publicUrl,
      outbound: config.outbound,
      panelProvider: config.panelProvider,
      salesforce: panelSalesforce && (() => panelSalesforce()),
      // The model lifecycle's routes: an approval or rollback rescores and writes back, a training tells Admins.
      models: withModelHooks({ rescore: modelRescore(config, db, metrics), notify: modelNotify(config, db) }),
      oidc: config.oidc
        ? {
            client: createOidcClient(config.oidc, {
              timeoutSeconds: Math.ceil(config.outbound.timeoutMs / 1000),
            }),
            config: config.oidc,
          }
        : null,
      scimToken: config.scimToken,
    });
    const schedule = startDailySchedule(config, db, logger, { metrics, scoring });
    const server = await startServer({
      app,
      port: config.port,
      host: config.host,
      logger,
      shutdownGraceMs: config.shutdownGraceMs,
      onClosed: async () => {
        // A daily job under way gets the same grace, then is aborted (a rerun completes it).
        await schedule.stop(config.shutdownGraceMs);
        await orchestrationSchedule.stop();
        // A run cut off here is taken over by the next run of its orchestration.
        await runWorker.stop(config.shutdownGraceMs);
        await db.close();
      },
    });
    return { server, logger };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** The daily sync → models → score → alerts → write-back → opt-out report → retention (SIGNALFIT_SCHEDULE), once across instances. */
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
    run: async ({ lease, signal }) => {
      // Under the schedule's lease no other daily run is alive: one left running died with its process.
      await markInterrupted(db, 'daily');
      const report = await runDailyJob({
        db,
        signal,
        fence: lease.fence,
        sync: salesforce && unlessStopped(db, () => runSalesforceSync(salesforce())),
        models: () => rolloutStep(db, { now: new Date(), notify: modelNotify(config, db) }),
        score: scheduledScoring(db, logger, watch.scoring),
        alerts: scheduledAlerts(config, db),
        optOutReport: () =>
          deliverWeeklyOptOutReport({
            db,
            webhookUrl: config.optOutReportWebhook,
            outbound: config.outbound,
            now: new Date(),
          }),
        writeback: salesforce && unlessStopped(db, () => runSalesforceWriteback(salesforce())),
        retention: (signal) => purgeRetention({ db, now: new Date(), signal }),
      });
      logger.info({ daily: report }, 'daily job finished');
    },
    onRetry: (slot) => logger.warn({ slot }, 'daily job: running again the slot whose run died'),
    onError: (error) => logger.error({ err: error }, 'daily job failed'),
  });
}

/**
 * The scoring step of the daily job: scores as of today (UTC), from the facts before it, under the
 * scoring lease it shares with "Recompute now".
 */
function scheduledScoring(db: Db, logger: Logger, observer?: ScoringObserver): DailyStep {
  return async (signal) => {
    // The run's model summary stays with the score run; the daily run keeps the counts.
    const { summary: _summary, ...counts } = await scoreScheduled(db, {
      asOf: startOfUtcDay(new Date()),
      signal,
      observer,
      onLeaseLost: (error) => logger.error({ err: error }, 'scheduled scoring lost its lease'),
    });
    return counts;
  };
}

/**
 * The alerts step of the daily job: the current run's alerts (already sent when its scoring sent
 * them: nothing twice) and the daily digests of the days before today. Failed sends are recorded
 * on the alerts and in the step's report; the step itself fails only when the store does.
 */
function scheduledAlerts(config: Config, db: Db): DailyStep {
  return async () => {
    const run = await findRun(db);
    if (!run) return { status: 'skipped', reason: 'no complete score run yet' };
    const report = await sendRunAlerts(db, {
      runId: run.id,
      secretKey: config.secretKey,
      publicUrl: config.publicUrl,
      now: new Date(),
      outbound: config.outbound,
    });
    return { ...report, summary: describeRunAlerts(report) };
  };
}
