import { webhookHint } from '../../domain/alerts/webhookHint';
import type { AlertDelivery, AlertEvent } from '../../domain/segments/definition';
import { AppError } from '../../errors';
import { checkWebhookUrl } from '../../integrations/slack/webhook';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { findRun } from '../scoring/currentRun';
import { findSegment } from './findSegment';
import {
  SUBSCRIPTION_COLUMNS,
  toSubscription,
  type AlertSubscription,
  type SubscriptionRow,
} from './subscriptionRecord';
import { sealWebhook } from './webhookCipher';

export interface CreateSubscriptionProps {
  actor: Actor;
  /** The segment's id or name. */
  segment: string | number;
  event: AlertEvent;
  /** Without one, the alerts go to the in-app list only. */
  slackWebhookUrl?: string | null;
  digest: AlertDelivery;
  /** SIGNALFIT_SECRET_KEY, which seals the webhook URL; required with a webhook. */
  secretKey: string | null;
  /** How the caller names the webhook field in errors (default `slackWebhookUrl`). */
  webhookField?: string;
}

/**
 * Subscribes to a segment's alerts (alerts.manage). The webhook URL is checked, then kept sealed
 * with SIGNALFIT_SECRET_KEY and shown by a masked hint. The complete run current now is the
 * subscription's baseline: its first run compares with it, so nothing that was true before the
 * subscription is announced as new.
 */
export async function createSubscription(db: Db, props: CreateSubscriptionProps): Promise<AlertSubscription> {
  authorize(props.actor, 'alerts.manage', 'managing alerts');
  const field = props.webhookField ?? 'slackWebhookUrl';
  const url = props.slackWebhookUrl ? checkWebhookUrl(props.slackWebhookUrl, field) : null;
  if (url && !props.secretKey) {
    throw new AppError(
      'config_invalid',
      'Slack webhook URLs are stored encrypted and SIGNALFIT_SECRET_KEY is not set: set it (32 characters or more) on the service, or subscribe without a webhook for the in-app alert list',
    );
  }
  const segment = await findSegment(db, props.segment);
  return db.transaction(async (tx) => {
    const baseline = await findRun(tx);
    const [created] = await tx.query<{ id: string }>(
      `INSERT INTO alert_subscriptions (segment_id, event, delivery, webhook_hint, baseline_run_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        segment.id,
        props.event,
        props.digest,
        url ? webhookHint(url) : null,
        baseline?.id ?? null,
        actorLabel(props.actor),
      ],
    );
    const id = Number(created!.id);
    if (url) {
      // Sealed for this row's id, which exists only now.
      await tx.run('UPDATE alert_subscriptions SET webhook_sealed = $2 WHERE id = $1', [
        id,
        sealWebhook(props.secretKey!, id, url),
      ]);
    }
    await recordAudit(tx, props.actor, {
      action: 'alert.create',
      targetType: 'alert_subscription',
      targetId: String(id),
      summary: `subscribed to ${props.event} alerts of segment "${segment.name}" (${props.digest}${url ? ', Slack' : ', in the app'})`,
    });
    const [row] = await tx.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM alert_subscriptions s JOIN segments g ON g.id = s.segment_id WHERE s.id = $1`,
      [id],
    );
    return toSubscription(row!);
  });
}
