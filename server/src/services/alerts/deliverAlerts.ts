import { ACCOUNTS_PER_MESSAGE, alertMessage, chunk, type AlertAccount } from '../../domain/alerts/messages';
import type { AlertEvent } from '../../domain/segments/definition';
import { isAppError } from '../../errors';
import { postToSlack, SlackSendError, type SlackWebhookOptions } from '../../integrations/slack/webhook';
import { SCHEDULER, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { isoDay } from '../scoring/scoreRun';
import { openWebhook } from './webhookCipher';

export interface DeliveryReport {
  /** Messages Slack answered `ok` to, and the alerts in them. */
  messages: number;
  sent: number;
  /** Alerts Slack refused (kept `failed` with its reason; not sent again). */
  failed: number;
  /** Alerts left pending for the next send (rate limited past the wait bound, Slack unreachable, no key). */
  deferred: number;
  /** Alerts whose send was cut off after they were handed to Slack (now or by an earlier crash). */
  unconfirmed: number;
  /** One line per problem, for the caller's report and log. */
  errors: string[];
}

export interface DeliverAlertsProps {
  /** SIGNALFIT_SECRET_KEY, which opens the webhook URLs. */
  secretKey: string | null;
  /** SIGNALFIT_PUBLIC_URL: the app's address for the account links; null: names are not linked. */
  publicUrl: string | null;
  /** Decides which daily digests are due: those of the days before this one (UTC). */
  now: Date;
  slack: SlackWebhookOptions;
  /** Called after a message's alerts are claimed and before it is posted (tests cut a send off here). */
  beforePost?: () => Promise<void>;
  /** Who sends (audit log): whoever scored (the command line, a recompute); default: the schedule. */
  actor?: Actor;
}

interface DueRow {
  subscription_id: string;
  event: AlertEvent;
  delivery: 'immediate' | 'daily';
  webhook_sealed: string;
  segment_name: string;
  run_day: string;
  [column: string]: unknown;
}

interface AlertRow {
  account_id: string;
  details: AlertDetails | string;
  [column: string]: unknown;
}

interface AlertDetails {
  name?: string | null;
  profileFit?: string | null;
  buyingStage?: string | null;
  intentScore?: number | null;
  topReason?: string | null;
}

/** Refusals that say the webhook itself is gone or barred: every other message would be refused too. */
const WEBHOOK_REFUSED = [403, 404, 410];

function toAccount(row: AlertRow): AlertAccount {
  const d = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as AlertDetails;
  return {
    accountId: row.account_id,
    name: d.name ?? null,
    profileFit: d.profileFit ?? null,
    buyingStage: d.buyingStage ?? null,
    intentScore: d.intentScore ?? null,
    topReason: d.topReason ?? null,
  };
}

/**
 * Sends every alert that is due to Slack: the pending alerts of immediate subscriptions, and the
 * daily digests of the days before today (one digest per subscription and day, split into
 * several messages when large). Never twice: a message's alerts are claimed (`sending`, committed)
 * before it is posted and marked `sent` after Slack's `ok`; an alert found `sending` was cut off
 * mid-send and is never sent again (shown as unconfirmed). A refusal marks the message's alerts
 * `failed` with Slack's reason; only what Slack certainly did not receive (429 past the wait
 * bound, no connection) goes back to `pending` for the next send.
 */
export async function deliverAlerts(db: Db, props: DeliverAlertsProps): Promise<DeliveryReport> {
  const report: DeliveryReport = { messages: 0, sent: 0, failed: 0, deferred: 0, unconfirmed: 0, errors: [] };
  try {
    return await deliver(db, props, report);
  } finally {
    await auditDelivery(db, props, report);
  }
}

/** The push's audit entry: messages Slack took, the alerts in them, and the refused (none tried: none). */
async function auditDelivery(db: Db, props: DeliverAlertsProps, report: DeliveryReport): Promise<void> {
  if (report.messages + report.failed === 0) return;
  await recordAudit(db, props.actor ?? SCHEDULER, {
    action: 'slack.message',
    targetType: 'slack',
    summary: `sent ${report.messages} alert ${report.messages === 1 ? 'message' : 'messages'} to Slack (${report.sent} alerts); ${report.failed} alerts refused`,
    counts: {
      messages: report.messages,
      alerts: report.sent,
      failed: report.failed,
      deferred: report.deferred,
    },
  });
}

async function deliver(db: Db, props: DeliverAlertsProps, report: DeliveryReport): Promise<DeliveryReport> {
  const [cutOff] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM alert_deliveries WHERE state = 'sending'`,
  );
  report.unconfirmed = cutOff?.n ?? 0;
  const today = isoDay(props.now);
  const due = await db.query<DueRow>(
    `SELECT DISTINCT s.id AS subscription_id, s.event, s.delivery, s.webhook_sealed, g.name AS segment_name,
            to_char(d.run_day, 'YYYY-MM-DD') AS run_day
       FROM alert_deliveries d
       JOIN alert_subscriptions s ON s.id = d.subscription_id
       JOIN segments g ON g.id = s.segment_id
      WHERE d.state = 'pending' AND s.webhook_sealed IS NOT NULL
        AND (s.delivery = 'immediate' OR d.run_day < $1::date)
      ORDER BY s.id, run_day`,
    [today],
  );
  const stopped = new Set<string>();
  for (const group of due) {
    const subscriptionId = Number(group.subscription_id);
    if (stopped.has(group.subscription_id)) continue;
    const keys = [subscriptionId, group.run_day] as const;
    let url: string;
    try {
      url = openWebhook(props.secretKey, subscriptionId, group.webhook_sealed);
    } catch (error) {
      if (!isAppError(error)) throw error;
      stopped.add(group.subscription_id);
      report.deferred += await countPending(db, subscriptionId, group.delivery, today);
      report.errors.push(`subscription ${subscriptionId}: ${error.message}`);
      continue;
    }
    // The day's accounts, most intent first; each message's alerts are claimed just before it goes.
    const rows = await db.query<AlertRow>(
      `SELECT account_id, details FROM alert_deliveries
        WHERE subscription_id = $1 AND run_day = $2::date AND state = 'pending'
        ORDER BY (details ->> 'intentScore')::int DESC NULLS LAST, account_id`,
      keys,
    );
    const order = new Map(rows.map((row, index) => [row.account_id, index]));
    const parts = chunk(rows, ACCOUNTS_PER_MESSAGE);
    const batch = {
      segmentName: group.segment_name,
      event: group.event,
      runDay: group.run_day,
      digest: group.delivery === 'daily',
      publicUrl: props.publicUrl,
    };
    for (const [index, part] of parts.entries()) {
      if (stopped.has(group.subscription_id)) break;
      const claimed = await db.transaction((tx) =>
        tx.query<AlertRow>(
          `UPDATE alert_deliveries SET state = 'sending', error = NULL
            WHERE subscription_id = $1 AND run_day = $2::date AND account_id = ANY ($3::text[]) AND state = 'pending'
            RETURNING account_id, details`,
          [...keys, part.map((row) => row.account_id)],
        ),
      );
      // Another sender may have taken some of them in between: this message holds what we claimed.
      if (claimed.length === 0) continue;
      claimed.sort((a, b) => order.get(a.account_id)! - order.get(b.account_id)!);
      const ids = claimed.map((row) => row.account_id);
      const settle = (state: string, error: string | null) =>
        db.run(
          `UPDATE alert_deliveries SET state = $4, error = $5, sent_at = CASE WHEN $4 = 'sent' THEN now() ELSE sent_at END
            WHERE subscription_id = $1 AND run_day = $2::date AND account_id = ANY ($3::text[]) AND state = 'sending'`,
          [...keys, ids, state, error],
        );
      const message = alertMessage(batch, claimed.map(toAccount), {
        index,
        count: parts.length,
        total: rows.length,
      });
      await props.beforePost?.();
      try {
        await postToSlack(url, message, props.slack);
        await settle('sent', null);
        report.messages += 1;
        report.sent += ids.length;
      } catch (error) {
        if (!(error instanceof SlackSendError)) throw error;
        report.errors.push(`subscription ${subscriptionId}: ${error.message}`);
        if (error.outcome === 'unknown') {
          // Left `sending` (unconfirmed) with the reason: it may be in the channel already.
          await settle('sending', error.message);
          report.unconfirmed += ids.length;
        } else if (error.outcome === 'not_delivered') {
          await settle('pending', error.message);
          report.deferred += await countPending(db, subscriptionId, group.delivery, today);
          stopped.add(group.subscription_id);
        } else {
          await settle('failed', error.message);
          report.failed += ids.length;
          if (error.status !== null && WEBHOOK_REFUSED.includes(error.status)) {
            report.failed += await db.run(
              `UPDATE alert_deliveries SET state = 'failed', error = $2
                WHERE subscription_id = $1 AND state = 'pending' AND ($3 = 'immediate' OR run_day < $4::date)`,
              [subscriptionId, error.message, group.delivery, today],
            );
            stopped.add(group.subscription_id);
          }
        }
      }
    }
  }
  return report;
}

/** A subscription's alerts that are due and still pending. */
async function countPending(
  db: Db,
  subscriptionId: number,
  delivery: string,
  today: string,
): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM alert_deliveries
      WHERE subscription_id = $1 AND state = 'pending' AND ($2 = 'immediate' OR run_day < $3::date)`,
    [subscriptionId, delivery, today],
  );
  return row?.n ?? 0;
}
