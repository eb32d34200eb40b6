import { testMessage } from '../../domain/alerts/messages';
import type { AlertEvent } from '../../domain/segments/definition';
import { AppError } from '../../errors';
import { postToSlack, type SlackWebhookOptions } from '../../integrations/slack/webhook';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { openWebhook } from './webhookCipher';

export interface SendTestMessageProps {
  actor: Actor;
  subscriptionId: number;
  secretKey: string | null;
  publicUrl: string | null;
  slack: SlackWebhookOptions;
}

/**
 * "Send test message" (alerts.manage): posts a short message to a subscription's webhook, so its
 * owner sees that alerts will arrive. A refusal is `slack_unavailable` with Slack's own reason;
 * a subscription without a webhook (in-app only) is `bad_request`.
 */
export async function sendTestMessage(db: Db, props: SendTestMessageProps): Promise<void> {
  authorize(props.actor, 'alerts.manage', 'managing alerts');
  const [row] = await db.query<{ webhook_sealed: string | null; event: AlertEvent; segment_name: string }>(
    `SELECT s.webhook_sealed, s.event, g.name AS segment_name
       FROM alert_subscriptions s JOIN segments g ON g.id = s.segment_id WHERE s.id = $1`,
    [props.subscriptionId],
  );
  if (!row) throw new AppError('not_found', `no alert subscription ${props.subscriptionId}`);
  if (!row.webhook_sealed) {
    throw new AppError(
      'bad_request',
      `alert subscription ${props.subscriptionId} has no Slack webhook: its alerts show in the app only`,
    );
  }
  const url = openWebhook(props.secretKey, props.subscriptionId, row.webhook_sealed);
  await postToSlack(url, testMessage(row.segment_name, row.event, props.publicUrl), props.slack);
  await recordAudit(db, props.actor, {
    action: 'alert.test_message',
    targetType: 'alert_subscription',
    targetId: String(props.subscriptionId),
    summary: `sent a test message to the Slack webhook of the ${row.event} alerts of segment "${row.segment_name}"`,
    counts: { messages: 1 },
  });
}
