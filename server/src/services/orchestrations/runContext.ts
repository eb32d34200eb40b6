import type { OutboundLimits } from '../../integrations/outbound';
import type { ContactProvider } from '../../integrations/providers/provider';
import type { SalesforceClient } from '../../integrations/salesforce/client';
import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import type { OutreachConnections } from '../outreach/connections';
import type { OrchestrationRecord } from './orchestrationRecords';

/** The named points of a run where tests stop it (RunDeps.atStep). */
export const RUN_STEPS = ['selected', 'purchased', 'pushed'] as const;
export type RunStep = (typeof RUN_STEPS)[number];

/** What executing a run needs, built by the composition root (serve, the CLI) or a test. */
export interface RunDeps {
  db: Db;
  now: () => Date;
  /** SIGNALFIT_SECRET_KEY: opens an HTTP provider's token and the Slack webhooks of the alerts. */
  secretKey?: string | null;
  /** Opens the orchestration's provider; default: services/providers openProvider. */
  openProvider?: (db: Db, ref: number) => Promise<ContactProvider>;
  /** Logs in to Salesforce (config SALESFORCE_*); null: not configured. */
  salesforce?: (() => Promise<SalesforceClient>) | null;
  /** Outreach connections (config OUTREACH_*); null: not configured. */
  outreach?: OutreachConnections | null;
  /** Bulk API poll interval (tests shorten it). */
  pollIntervalMs?: number;
  /** Heartbeat interval (tests shorten it); default runLiveness.HEARTBEAT_MS. */
  heartbeatMs?: number;
  /** Deadlines of the failed-run alert's Slack posts. */
  outbound?: OutboundLimits;
  fetch?: typeof fetch;
  /**
   * Called at each named step of a run. Tests stop a run there: a throw is a crash of the run,
   * a promise that never settles a run that hangs until its process is killed.
   */
  atStep?: (step: RunStep) => Promise<void>;
}

/** One run being executed. */
export interface RunContext {
  deps: RunDeps;
  runId: number;
  orchestration: OrchestrationRecord;
  actor: Actor;
  /** The run reached `step`: the test hook runs, and a run taken over by another stops here. */
  step: (step: RunStep) => Promise<void>;
  /** A line the run's message gets (credits stop, leavers removed…). */
  note: (line: string) => void;
}
