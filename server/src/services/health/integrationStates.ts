import type { Db } from '../../store/db';
import { shortReason, type Outcome, type OutcomeRecord } from './outcomes';

/** One integration as /readyz shows it. */
export interface IntegrationState {
  /** Whether its settings are present (scoring needs none: always true). */
  configured: boolean;
  lastSuccess: Outcome | null;
  lastFailure: Outcome | null;
}

export interface IntegrationStates {
  salesforceSync: IntegrationState;
  salesforceWriteback: IntegrationState;
  outreach: IntegrationState;
  scoring: IntegrationState;
}

/** What the composition root knows: which integrations are set up, and this process's records. */
export interface IntegrationSources {
  salesforceConfigured: boolean;
  outreachConfigured: boolean;
  /** Outreach API calls of this process (the store keeps no record of them). */
  outreach: OutcomeRecord;
  /** Scoring runs of this process: a failed run rolls back, so only this record remembers it. */
  scoring: OutcomeRecord;
}

/**
 * Each integration's state. The sync and the write-back are read from their runs in the store
 * (whichever process ran them, the command line included); the scoring's last success from the
 * store's complete runs; Outreach and scoring failures from this process's records.
 */
export async function integrationStates(db: Db, sources: IntegrationSources): Promise<IntegrationStates> {
  const runs = await db.query<{ kind: string; status: string; finished_at: Date; reason: string | null }>(
    `SELECT DISTINCT ON (kind, status) kind, status, finished_at, errors->>0 AS reason
       FROM job_runs
      WHERE kind IN ('salesforce_sync', 'salesforce_writeback') AND status IN ('complete', 'failed')
        AND finished_at IS NOT NULL
      ORDER BY kind, status, finished_at DESC, id DESC`,
  );
  const [scored] = await db.query<{ finished_at: Date | null }>(
    `SELECT max(finished_at) AS finished_at FROM score_runs WHERE status = 'complete'`,
  );
  const fromRuns = (kind: string): IntegrationState => {
    const success = runs.find((r) => r.kind === kind && r.status === 'complete');
    const failure = runs.find((r) => r.kind === kind && r.status === 'failed');
    return {
      configured: sources.salesforceConfigured,
      lastSuccess: success ? { at: iso(success.finished_at) } : null,
      lastFailure: failure
        ? {
            at: iso(failure.finished_at),
            reason: shortReason(failure.reason ?? 'failed (no reason recorded)'),
          }
        : null,
    };
  };
  return {
    salesforceSync: fromRuns('salesforce_sync'),
    salesforceWriteback: fromRuns('salesforce_writeback'),
    outreach: { configured: sources.outreachConfigured, ...sources.outreach.snapshot() },
    scoring: {
      configured: true,
      lastSuccess: scored?.finished_at ? { at: iso(scored.finished_at) } : null,
      lastFailure: sources.scoring.snapshot().lastFailure,
    },
  };
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
