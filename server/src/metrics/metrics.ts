import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ApiUsage } from '../integrations/salesforce/client';
import type { ImportReport } from '../services/import/importDirectory';
import type { Db } from '../store/db';

/**
 * The service's Prometheus metrics (docs/configuration.md "Metrics"), one registry per app so that tests start
 * from zero. Built by the composition root and handed to whoever records: the HTTP layer, the
 * scoring, the Salesforce jobs, the Outreach client. Recording costs little, so the instruments
 * always exist; SIGNALFIT_METRICS only decides whether /metrics shows them.
 */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  scoringRuns: Counter<'outcome'>;
  scoringPhaseDuration: Histogram<'phase'>;
  salesforceCalls: Counter;
  /**
   * The usage of the Salesforce client last seen (a live object: jsforce's watcher updates it
   * after every answer), read at each scrape for the org's usage and limit.
   */
  salesforceUsage: { current: Readonly<Pick<ApiUsage, 'orgUsed' | 'orgLimit'>> | null };
  outreachCalls: Counter<'method' | 'status'>;
  outreachRateLimitWaits: Counter;
  outreachRateLimitWaitSeconds: Counter;
  importRows: Counter<'entity'>;
  importRejects: Counter<'entity'>;
}

/** Seconds: from a quick API answer to a long scoring phase. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const PHASE_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * `db` feeds the families read from the store at each scrape (job runs, Signalfit's own
 * Salesforce calls of the last 24 hours): they count the runs of every process sharing the store,
 * the `signalfit sync` and `writeback` commands included.
 */
export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  const salesforceUsage: Metrics['salesforceUsage'] = { current: null };
  collectDefaultMetrics({ register: registry, prefix: 'signalfit_' });
  const registers = [registry];

  new Gauge({
    name: 'signalfit_job_runs',
    help: 'Runs of the sync, write-back and daily jobs recorded in the store, by kind and status (running, complete, paused, failed).',
    labelNames: ['kind', 'status'],
    registers,
    async collect() {
      this.reset();
      const rows = await readOrNothing(db, () =>
        db.query<{ kind: string; status: string; n: number }>(
          'SELECT kind, status, count(*)::int AS n FROM job_runs GROUP BY kind, status',
        ),
      );
      for (const row of rows) this.set({ kind: row.kind, status: row.status }, row.n);
    },
  });
  new Gauge({
    name: 'signalfit_salesforce_org_api_used',
    help: "The org's API calls of the last 24 hours, all clients, from the latest Sforce-Limit-Info header.",
    registers,
    collect() {
      const used = salesforceUsage.current?.orgUsed;
      if (used != null) this.set(used);
    },
  });
  new Gauge({
    name: 'signalfit_salesforce_org_api_limit',
    help: "The org's daily API limit, from the latest Sforce-Limit-Info header.",
    registers,
    collect() {
      const limit = salesforceUsage.current?.orgLimit;
      if (limit != null) this.set(limit);
    },
  });
  new Gauge({
    name: 'signalfit_salesforce_api_calls_24h',
    help: "Signalfit's own Salesforce API calls in the last 24 hours (what its API budget counts).",
    registers,
    async collect() {
      const [row] = await readOrNothing(db, () =>
        db.query<{ calls: number }>(
          `SELECT coalesce(sum(calls), 0)::int AS calls FROM salesforce_api_usage WHERE hour > now() - interval '24 hours'`,
        ),
      );
      if (row) this.set(row.calls);
    },
  });

  return {
    registry,
    httpDuration: new Histogram({
      name: 'signalfit_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern (e.g. /api/people/:id; "unmatched" for unknown paths) and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    }),
    scoringRuns: new Counter({
      name: 'signalfit_scoring_runs_total',
      help: 'Scoring runs of this process, by outcome (complete, failed).',
      labelNames: ['outcome'],
      registers,
    }),
    scoringPhaseDuration: new Histogram({
      name: 'signalfit_scoring_phase_duration_seconds',
      help: 'Duration of each phase of a scoring run: read (facts), model (training and scoring), write (the run stored).',
      labelNames: ['phase'],
      buckets: PHASE_BUCKETS,
      registers,
    }),
    salesforceCalls: new Counter({
      name: 'signalfit_salesforce_api_calls_total',
      help: 'Salesforce REST and Bulk API calls made by this process (logins excluded, as Salesforce counts them).',
      registers,
    }),
    salesforceUsage,
    outreachCalls: new Counter({
      name: 'signalfit_outreach_api_calls_total',
      help: 'Outreach API calls by method and answer status (0: no answer, i.e. timeout or lost connection).',
      labelNames: ['method', 'status'],
      registers,
    }),
    outreachRateLimitWaits: new Counter({
      name: 'signalfit_outreach_rate_limit_waits_total',
      help: 'Times a call to Outreach waited for a rate limit (429) to reset before trying again.',
      registers,
    }),
    outreachRateLimitWaitSeconds: new Counter({
      name: 'signalfit_outreach_rate_limit_wait_seconds_total',
      help: 'Seconds spent waiting for Outreach rate limits to reset.',
      registers,
    }),
    importRows: new Counter({
      name: 'signalfit_import_rows_total',
      help: 'Rows that landed (inserted, updated or unchanged) in imports run by this process, by entity.',
      labelNames: ['entity'],
      registers,
    }),
    importRejects: new Counter({
      name: 'signalfit_import_rejects_total',
      help: 'Rows rejected by imports run by this process, by entity.',
      labelNames: ['entity'],
      registers,
    }),
  };
}

/** Counts an import's rows and rejects per entity. */
export function recordImport(metrics: Metrics, report: ImportReport): void {
  for (const file of report.files) {
    metrics.importRows.inc({ entity: file.entity }, file.inserted + file.updated + file.unchanged);
    metrics.importRejects.inc({ entity: file.entity }, file.rejected);
  }
}

/** A scrape must not fail because the store is down (/readyz says that): the family stays empty. */
async function readOrNothing<T>(db: Db, read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch {
    return [];
  }
}
