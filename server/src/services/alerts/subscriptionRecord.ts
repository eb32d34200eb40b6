import type { AlertDelivery, AlertEvent } from '../../domain/segments/definition';

/** A subscription as the API, the CLI and the app show it (the webhook by its masked hint only). */
export interface AlertSubscription {
  id: number;
  segment: { id: number; name: string };
  event: AlertEvent;
  digest: AlertDelivery;
  slackWebhook: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface SubscriptionRow {
  id: string;
  segment_id: string;
  segment_name: string;
  event: AlertEvent;
  delivery: AlertDelivery;
  webhook_hint: string | null;
  created_by: string | null;
  created_at: Date | string;
  [column: string]: unknown;
}

/** The columns of SubscriptionRow, for `FROM alert_subscriptions s JOIN segments g ON g.id = s.segment_id`. */
export const SUBSCRIPTION_COLUMNS = `s.id, s.segment_id, g.name AS segment_name, s.event, s.delivery, s.webhook_hint,
  s.created_by, s.created_at`;

export function toSubscription(row: SubscriptionRow): AlertSubscription {
  return {
    id: Number(row.id),
    segment: { id: Number(row.segment_id), name: row.segment_name },
    event: row.event,
    digest: row.delivery,
    slackWebhook: row.webhook_hint,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
