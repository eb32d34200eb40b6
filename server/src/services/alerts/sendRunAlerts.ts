import { DEFAULT_OUTBOUND_LIMITS, type OutboundLimits } from '../../integrations/outbound';
import type { SlackWebhookOptions } from '../../integrations/slack/webhook';
import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { deliverAlerts, type DeliveryReport } from './deliverAlerts';
import { raiseRunAlerts } from './raiseRunAlerts';

export interface SendRunAlertsProps {
  /** The complete run whose alerts these are (the one just scored). */
  runId: number;
  /** SIGNALFIT_SECRET_KEY, which opens the webhook URLs. */
  secretKey: string | null;
  /** SIGNALFIT_PUBLIC_URL, for the account links; null: names are not linked. */
  publicUrl: string | null;
  /** Today for the daily digests (those of earlier days are due). */
  now: Date;
  /** SIGNALFIT_OUTBOUND_*: the deadline of each POST, the retries of a connection never opened. */
  outbound?: OutboundLimits;
  /** The Slack client's other settings (tests: a wrapped fetch, shorter waits). */
  slack?: Omit<SlackWebhookOptions, 'outbound'>;
  /** See DeliverAlertsProps.beforePost. */
  beforePost?: () => Promise<void>;
  /** Who sends (audit log); default: the schedule. */
  actor?: Actor;
}

export interface RunAlertsReport extends DeliveryReport {
  runId: number;
  /** Alert subscriptions in the store (none: there is nothing to report). */
  subscriptions: number;
  /** Alerts stored for this run now (none again on a rerun of the same day). */
  raised: number;
  /** Subscriptions left out of this run, and why. */
  skipped: string[];
}

/**
 * The alerts of a run, end to end: stores the run's events (raiseRunAlerts), then sends what is
 * due (deliverAlerts), the earlier runs' leftovers and today's digests included. `signalfit
 * score`, the daily job and the app's recompute call this once the run is complete. A send that
 * fails is recorded on its alerts and in the report; it never throws for Slack's sake.
 */
export async function sendRunAlerts(db: Db, props: SendRunAlertsProps): Promise<RunAlertsReport> {
  const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_subscriptions');
  const { raised, skipped } = await raiseRunAlerts(db, props.runId);
  const delivery = await deliverAlerts(db, {
    secretKey: props.secretKey,
    publicUrl: props.publicUrl,
    now: props.now,
    slack: { ...props.slack, outbound: props.outbound ?? DEFAULT_OUTBOUND_LIMITS },
    beforePost: props.beforePost,
    actor: props.actor,
  });
  return { runId: props.runId, subscriptions: count?.n ?? 0, raised, skipped, ...delivery };
}

/** One line for the command line and the logs: `alerts: 5 new, 5 sent in 1 message, 0 failed`. */
export function describeRunAlerts(report: RunAlertsReport): string {
  const parts = [
    `${report.raised} new`,
    `${report.sent} sent in ${report.messages} ${report.messages === 1 ? 'message' : 'messages'}`,
    `${report.failed} failed`,
  ];
  if (report.deferred) parts.push(`${report.deferred} waiting for the next send`);
  if (report.unconfirmed) parts.push(`${report.unconfirmed} unconfirmed`);
  const problems = [...new Set(report.errors)];
  return `alerts: ${parts.join(', ')}${problems.length ? ` (${problems.join('; ')})` : ''}`;
}
