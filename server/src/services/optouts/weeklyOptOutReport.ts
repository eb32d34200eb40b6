import type { SlackMessage } from '../../domain/alerts/messages';
import type { OutboundLimits } from '../../integrations/outbound';
import { postToSlack, SlackSendError, type SlackWebhookOptions } from '../../integrations/slack/webhook';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { optOutReport, PUSH_PLACES, type OptOutReport, type PushPlace } from './optOutReport';

const DAY_MS = 86_400_000;

/** The week before `now`'s: Monday 00:00 UTC to the next Monday (excluded). */
export function reportedWeek(now: Date): { since: Date; until: Date } {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const sinceMonday = (now.getUTCDay() + 6) % 7;
  const until = new Date(midnight - sinceMonday * DAY_MS);
  return { since: new Date(until.getTime() - 7 * DAY_MS), until };
}

export const PLACE_WORDS: Record<PushPlace, string> = {
  outreach_enrollment: 'Outreach enrolments (panel)',
  orchestration_record: 'orchestration pushes',
  orchestration_audience: 'orchestration audiences',
  salesforce_campaign_member: 'Salesforce campaign members',
  salesforce_lead: 'Salesforce Leads created',
  salesforce_contact: 'Salesforce Contacts created',
  purchase: 'provider purchases',
};

/** The report as one Slack message: counts, then up to 20 still-present records. */
export function reportMessage(report: OptOutReport): SlackMessage {
  const n = report.newOptOuts;
  const period = `${report.since.slice(0, 10)} to ${report.until.slice(0, 10)} (UTC, end excluded)`;
  const newLine = `New opt-outs: ${n.listEmails} addresses and ${n.listDomains} domains on the list, ${n.people} people flagged opted out.`;
  const s = report.stillPresent;
  const places = PUSH_PLACES.filter((p) => s.byPlace[p] > 0).map((p) => `${PLACE_WORDS[p]}: ${s.byPlace[p]}`);
  const presentLine =
    s.total === 0
      ? 'No opted-out address is still in a pushed audience.'
      : `Opted-out addresses still in pushed audiences: ${s.total} (${places.join(', ')}). Clean them up downstream.`;
  const shown = s.records
    .slice(0, 20)
    .map((r) => `• ${r.email}: ${PLACE_WORDS[r.place]} ${r.target ?? ''} (${r.why})`.replace(/ {2,}/g, ' '));
  const more =
    s.total > shown.length ? [`…and ${s.total - shown.length} more: signalfit optouts report`] : [];
  const text = `Signalfit weekly opt-out report, ${period}. ${newLine} ${presentLine}`;
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Signalfit weekly opt-out report' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: period }] },
      { type: 'section', text: { type: 'mrkdwn', text: `${newLine}\n${presentLine}` } },
      ...(shown.length > 0
        ? [
            {
              type: 'section' as const,
              text: { type: 'mrkdwn' as const, text: [...shown, ...more].join('\n').slice(0, 3000) },
            },
          ]
        : []),
    ],
  };
}

export type WeeklyReportResult =
  | { status: 'skipped'; reason: string }
  | { status: 'sent'; week: string; stillPresent: number }
  | { status: 'failed'; week: string; error: string };

/**
 * The daily job's step (docs/opt-outs.md "Weekly report"): on the first daily run of a week,
 * the previous week's report goes to the Slack webhook SIGNALFIT_OPTOUT_REPORT_WEBHOOK. The week's
 * row in opt_out_reports is the claim, taken before sending, so instances and reruns never send a
 * week twice. When Slack certainly did not post it (no connection, rate limit past the wait),
 * the claim is given back and the next daily run tries again; when Slack refused it or the answer
 * was lost, the week stays claimed (never sent twice) and the failure is recorded.
 */
export async function deliverWeeklyOptOutReport(props: {
  db: Db;
  webhookUrl: string | null;
  outbound: OutboundLimits;
  now: Date;
  slack?: Partial<SlackWebhookOptions>;
}): Promise<WeeklyReportResult> {
  const { db, now } = props;
  if (!props.webhookUrl) return { status: 'skipped', reason: 'SIGNALFIT_OPTOUT_REPORT_WEBHOOK is not set' };
  const { since, until } = reportedWeek(now);
  const week = since.toISOString().slice(0, 10);
  const claimed = await db.query(
    `INSERT INTO opt_out_reports (week_start, state, claimed_at) VALUES ($1, 'sending', $2)
     ON CONFLICT (week_start) DO NOTHING RETURNING week_start`,
    [week, now],
  );
  if (claimed.length === 0)
    return { status: 'skipped', reason: `the report of the week of ${week} was sent already` };
  let report: OptOutReport;
  try {
    report = await optOutReport({ db, actor: OPERATOR, since, until });
    await postToSlack(props.webhookUrl, reportMessage(report), { outbound: props.outbound, ...props.slack });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof SlackSendError && error.outcome !== 'not_delivered') {
      await db.run(`UPDATE opt_out_reports SET state = $2, error = $3 WHERE week_start = $1`, [
        week,
        error.outcome,
        message,
      ]);
    } else {
      await db.run(`DELETE FROM opt_out_reports WHERE week_start = $1 AND state = 'sending'`, [week]);
    }
    return { status: 'failed', week, error: message };
  }
  await db.run(`UPDATE opt_out_reports SET state = 'sent', sent_at = $2 WHERE week_start = $1`, [
    week,
    new Date(),
  ]);
  return { status: 'sent', week, stillPresent: report.stillPresent.total };
}
