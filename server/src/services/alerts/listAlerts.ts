import type { AlertEvent } from '../../domain/segments/definition';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import {
  SUBSCRIPTION_COLUMNS,
  toSubscription,
  type AlertSubscription,
  type SubscriptionRow,
} from './subscriptionRecord';

/** How far back the in-app list goes, and how many alerts it shows at most. */
export const RECENT_DAYS = 30;
export const RECENT_LIMIT = 1000;

/**
 * An alert's state as the list shows it: `unconfirmed` is a send that was cut off after the
 * message was handed to Slack (a crash, no answer in time); it is never sent again.
 */
export type AlertState = 'pending' | 'unconfirmed' | 'sent' | 'failed' | 'in_app';

export interface RecentAlert {
  subscriptionId: number;
  segment: { id: number; name: string };
  event: AlertEvent;
  accountId: string;
  accountName: string | null;
  runDay: string;
  state: AlertState;
  /** Why it failed or is unconfirmed; null otherwise. */
  error: string | null;
  details: Record<string, unknown>;
  createdAt: string;
  sentAt: string | null;
}

export interface AlertList {
  subscriptions: AlertSubscription[];
  recent: RecentAlert[];
}

interface RecentRow {
  subscription_id: string;
  segment_id: string;
  segment_name: string;
  event: AlertEvent;
  account_id: string;
  run_day: string;
  state: string;
  error: string | null;
  details: Record<string, unknown> | string;
  created_at: Date | string;
  sent_at: Date | string | null;
  [column: string]: unknown;
}

/**
 * The subscriptions and the alerts of the last 30 days, newest first (segments.view): the in-app
 * alert list for users who do not use Slack, and where a failed or unconfirmed send shows.
 */
export async function listAlerts(db: Db, props: { actor: Actor; now: Date }): Promise<AlertList> {
  authorize(props.actor, 'segments.view', 'seeing alerts');
  const subscriptions = await db.query<SubscriptionRow>(
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM alert_subscriptions s JOIN segments g ON g.id = s.segment_id
      ORDER BY lower(g.name), s.id`,
  );
  const since = new Date(props.now.getTime() - RECENT_DAYS * 86_400_000);
  const recent = await db.query<RecentRow>(
    `SELECT d.subscription_id, d.segment_id, g.name AS segment_name, d.event, d.account_id,
            to_char(d.run_day, 'YYYY-MM-DD') AS run_day, d.state, d.error, d.details, d.created_at, d.sent_at
       FROM alert_deliveries d JOIN segments g ON g.id = d.segment_id
      WHERE d.created_at >= $1
      ORDER BY d.created_at DESC, d.run_day DESC, d.subscription_id, d.account_id
      LIMIT ${RECENT_LIMIT}`,
    [since],
  );
  return {
    subscriptions: subscriptions.map(toSubscription),
    recent: recent.map((row) => {
      const details =
        typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : row.details;
      return {
        subscriptionId: Number(row.subscription_id),
        segment: { id: Number(row.segment_id), name: row.segment_name },
        event: row.event,
        accountId: row.account_id,
        accountName: typeof details.name === 'string' ? details.name : null,
        runDay: row.run_day,
        state: row.state === 'sending' ? 'unconfirmed' : (row.state as AlertState),
        error: row.error,
        details,
        createdAt: new Date(row.created_at).toISOString(),
        sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
      };
    }),
  };
}
