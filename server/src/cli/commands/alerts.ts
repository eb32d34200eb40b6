import type { AlertDelivery, AlertEvent } from '../../domain/segments/definition';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import { createSubscription } from '../../services/alerts/createSubscription';
import { listAlerts, type AlertList } from '../../services/alerts/listAlerts';
import { reportFailure } from '../failure';

export interface AlertsAddOptions {
  segment: string;
  event: AlertEvent;
  slackWebhook?: string;
  digest?: AlertDelivery;
}

/**
 * `signalfit alerts add`: subscribes to a segment's alerts as the operator; prints the new
 * subscription's id. Without `--slack-webhook` the alerts go to the in-app list only.
 */
export async function alertsAddCommand(options: AlertsAddOptions): Promise<void> {
  try {
    const config = readConfig();
    const subscription = await withStore(config, (db) =>
      createSubscription(db, {
        actor: OPERATOR,
        segment: options.segment,
        event: options.event,
        slackWebhookUrl: options.slackWebhook ?? null,
        digest: options.digest ?? 'immediate',
        secretKey: config.secretKey,
        webhookField: '--slack-webhook',
      }),
    );
    process.stdout.write(`${subscription.id}\n`);
  } catch (error) {
    reportFailure(error);
  }
}

/** The subscriptions as lines, then how the last 30 days' alerts went. */
export function formatAlertList(list: AlertList): string {
  if (list.subscriptions.length === 0) return 'no alert subscriptions (signalfit alerts add)\n';
  const rows = list.subscriptions.map((s) => [
    String(s.id),
    s.segment.name,
    s.event,
    s.digest,
    s.slackWebhook ?? 'in app only',
    s.createdAt.slice(0, 10),
  ]);
  const header = ['id', 'segment', 'event', 'delivery', 'slack webhook', 'created'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const states = new Map<string, number>();
  for (const alert of list.recent) states.set(alert.state, (states.get(alert.state) ?? 0) + 1);
  const summary = [...states].map(([state, n]) => `${n} ${state.replace('_', '-')}`).join(', ');
  return `${[line(header), ...rows.map(line)].join('\n')}\nalerts of the last 30 days: ${list.recent.length}${summary ? ` (${summary})` : ''}\n`;
}

/** `signalfit alerts list [--json]`: the subscriptions (webhooks masked) and the recent alerts. */
export async function alertsListCommand(options: { json?: boolean }): Promise<void> {
  try {
    const config = readConfig();
    const list = await withStore(config, (db) => listAlerts(db, { actor: OPERATOR, now: new Date() }));
    process.stdout.write(options.json ? `${JSON.stringify(list, null, 2)}\n` : formatAlertList(list));
  } catch (error) {
    reportFailure(error);
  }
}
