import { escapeMrkdwn, truncate, type SlackMessage } from '../../domain/alerts/messages';
import { DEFAULT_OUTBOUND_LIMITS } from '../../integrations/outbound';
import { postToSlack } from '../../integrations/slack/webhook';
import { SCHEDULER, type Actor } from '../../policies/policies';
import { openWebhook } from '../alerts/webhookCipher';
import { recordAudit } from '../audit/recordAudit';
import type { RunDeps } from './runContext';

/**
 * The alert of a failed orchestration run (docs/orchestration-runs.md "Alerts"). Alert
 * subscriptions watch a segment's events; a failed run is not one, so the alert goes to every
 * distinct Slack webhook of the subscriptions (each channel once). Never twice for one run: the
 * run is claimed (orchestration_runs.alerted_at) before anything is posted, so a crash mid-send
 * leaves it unsent rather than sending it again. A failed post is logged in the report, never
 * thrown: the run has failed already and says why.
 */
export interface FailedRunAlertReport {
  sent: number;
  errors: string[];
}

interface RunFacts {
  orchestration_name: string;
  message: string | null;
  counts: { purchased?: number; pushed?: number; skipped?: number; failed?: number } | null;
  [column: string]: unknown;
}

export function failedRunMessage(runId: number, facts: RunFacts): SlackMessage {
  const name = escapeMrkdwn(facts.orchestration_name);
  const reason = escapeMrkdwn(truncate(facts.message ?? 'no reason recorded', 2500));
  const c = facts.counts ?? {};
  return {
    text: truncate(
      `Orchestration "${facts.orchestration_name}" failed (run ${runId}): ${facts.message ?? ''}`,
      3000,
    ),
    blocks: [
      {
        type: 'header',
        text: {
          type: 'plain_text',
          text: truncate(`Orchestration failed: ${facts.orchestration_name}`, 150),
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: `*${name}*, run ${runId}: ${reason}` } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `purchased ${c.purchased ?? 0}, pushed ${c.pushed ?? 0}, skipped ${c.skipped ?? 0}, failed ${c.failed ?? 0}; re-push with signalfit orchestrations repush`,
          },
        ],
      },
    ],
  };
}

export async function sendFailedRunAlert(
  deps: RunDeps,
  runId: number,
  actor: Actor = SCHEDULER,
): Promise<FailedRunAlertReport> {
  const { db } = deps;
  const [claimed] = await db.query<RunFacts>(
    `UPDATE orchestration_runs r SET alerted_at = $2
       FROM orchestrations o
      WHERE r.id = $1 AND o.id = r.orchestration_id AND r.state = 'failed' AND r.alerted_at IS NULL
      RETURNING o.name AS orchestration_name, r.message, r.counts`,
    [runId, deps.now()],
  );
  const report: FailedRunAlertReport = { sent: 0, errors: [] };
  if (!claimed) return report;
  const subscriptions = await db.query<{ id: string; webhook_sealed: string }>(
    'SELECT id, webhook_sealed FROM alert_subscriptions WHERE webhook_sealed IS NOT NULL ORDER BY id',
  );
  const message = failedRunMessage(runId, claimed);
  const seen = new Set<string>();
  for (const sub of subscriptions) {
    try {
      const url = openWebhook(deps.secretKey ?? null, Number(sub.id), sub.webhook_sealed);
      if (seen.has(url)) continue;
      seen.add(url);
      await postToSlack(url, message, {
        outbound: deps.outbound ?? DEFAULT_OUTBOUND_LIMITS,
        fetch: deps.fetch,
      });
      report.sent += 1;
    } catch (error) {
      report.errors.push(`subscription ${sub.id}: ${(error as Error).message}`);
    }
  }
  if (report.sent + report.errors.length > 0) {
    await recordAudit(db, actor, {
      action: 'slack.message',
      targetType: 'orchestration_run',
      targetId: String(runId),
      summary: `sent the failed-run alert of run ${runId} of orchestration "${claimed.orchestration_name}" to ${report.sent} Slack ${report.sent === 1 ? 'channel' : 'channels'}`,
      counts: { messages: report.sent, failed: report.errors.length },
    });
  }
  return report;
}
