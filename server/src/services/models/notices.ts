import type { SlackMessage } from '../../domain/alerts/messages';
import { addDays } from '../../domain/dates';
import { noticeMessage, reminderDue, type NoticeKind } from '../../domain/models/notices';
import type { GateFigures } from '../../domain/models/rolloutGate';
import { isAppError } from '../../errors';
import { DEFAULT_OUTBOUND_LIMITS, type OutboundLimits } from '../../integrations/outbound';
import { postToSlack, SlackSendError, type SlackWebhookOptions } from '../../integrations/slack/webhook';
import { SCHEDULER, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { openWebhook } from '../alerts/webhookCipher';
import { recordAudit } from '../audit/recordAudit';
import { isoDay } from '../scoring/scoreRun';

/**
 * The model lifecycle's notices to Admins (docs/models.md "Notice"). In the app the notice is the
 * pending candidate itself (lifecycle.ts `pendingCandidate`, shown by the Models page); outside
 * it, the same news goes to the alert webhooks: announced once when a candidate is trained (or
 * that a worse one was not rolled out), reminded every `reminder_every_days` until its roll-out.
 *
 * Never twice: a notice is claimed first — model_trainings.announced_at or reminded_at set,
 * committed — and only then sent, so a crash or a second sender after the claim sends nothing
 * more (like alert deliveries). A send that fails is reported, not tried again.
 */
export interface ModelNotice {
  kind: NoticeKind;
  trainingId: number;
  message: SlackMessage;
}

export interface NoticeDelivery {
  /** Webhooks that took the message. */
  messages: number;
  /** Webhooks that refused it or could not be reached. */
  failed: number;
  errors: string[];
}

/** Sends one notice to wherever Admins are told; the caller has claimed it already. */
export type ModelNotify = (notice: ModelNotice) => Promise<NoticeDelivery>;

/** No webhook: the notice is only recorded (announced_at, reminded_at) and shown in the app. */
export const RECORD_ONLY: ModelNotify = async () => ({ messages: 0, failed: 0, errors: [] });

export interface WebhookNotifyProps {
  /** SIGNALFIT_SECRET_KEY, which opens the stored webhook URLs. */
  secretKey: string | null;
  outbound?: OutboundLimits;
  /** The Slack client's other settings (tests: a wrapped fetch). */
  slack?: Omit<SlackWebhookOptions, 'outbound'>;
  /** Who sends (audit log); default: the schedule. */
  actor?: Actor;
}

/**
 * Sends notices to the alert webhooks: every distinct Slack webhook of the alert subscriptions,
 * once each. What was sent is recorded as one `slack.message` entry (nothing sent: none).
 */
export function webhookNotify(db: Db, props: WebhookNotifyProps): ModelNotify {
  const slack = { ...props.slack, outbound: props.outbound ?? DEFAULT_OUTBOUND_LIMITS };
  return async (notice) => {
    const delivery: NoticeDelivery = { messages: 0, failed: 0, errors: [] };
    const rows = await db.query<{ id: string; webhook_sealed: string }>(
      'SELECT id, webhook_sealed FROM alert_subscriptions WHERE webhook_sealed IS NOT NULL ORDER BY id',
    );
    const urls = new Set<string>();
    for (const row of rows) {
      try {
        urls.add(openWebhook(props.secretKey, Number(row.id), row.webhook_sealed));
      } catch (error) {
        if (!isAppError(error)) throw error;
        delivery.failed += 1;
        delivery.errors.push(`subscription ${row.id}: ${error.message}`);
      }
    }
    for (const url of urls) {
      try {
        await postToSlack(url, notice.message, slack);
        delivery.messages += 1;
      } catch (error) {
        if (!(error instanceof SlackSendError)) throw error;
        delivery.failed += 1;
        delivery.errors.push(error.message);
      }
    }
    if (delivery.messages + delivery.failed > 0)
      await recordAudit(db, props.actor ?? SCHEDULER, {
        action: 'slack.message',
        targetType: 'model_training',
        targetId: String(notice.trainingId),
        summary: `sent the model ${notice.kind} notice of training ${notice.trainingId} to ${delivery.messages} Slack ${delivery.messages === 1 ? 'webhook' : 'webhooks'}`,
        counts: { messages: delivery.messages, failed: delivery.failed },
      });
    return delivery;
  };
}

export interface NoticesReport {
  announced: number;
  reminded: number;
  /** Worse candidates Admins were told of. */
  worse: number;
  messages: number;
  failed: number;
  errors: string[];
}

export function emptyNoticesReport(): NoticesReport {
  return { announced: 0, reminded: 0, worse: 0, messages: 0, failed: 0, errors: [] };
}

const figuresOfIntent = (
  row: { auc: number | null; identification_rate: number | null } | undefined,
): GateFigures | null =>
  row === undefined ? null : { auc: row.auc, identificationRate: row.identification_rate };

/** The message of a notice of `trainingId`: its intent figures against the active intent version's. */
async function noticeOf(db: Db, trainingId: number, kind: NoticeKind): Promise<ModelNotice> {
  const [training] = await db.query<{ trained_as_of: string; rollout_on: string | null }>(
    `SELECT to_char(trained_as_of, 'YYYY-MM-DD') AS trained_as_of, to_char(rollout_on, 'YYYY-MM-DD') AS rollout_on
       FROM model_trainings WHERE id = $1`,
    [trainingId],
  );
  const intents = await db.query<{
    training_id: number;
    auc: number | null;
    identification_rate: number | null;
  }>(
    `SELECT training_id::int AS training_id, auc, identification_rate FROM model_versions
      WHERE kind = 'intent' AND (training_id = $1 OR state = 'active')`,
    [trainingId],
  );
  const candidate = intents.find((row) => row.training_id === trainingId);
  const active = intents.find((row) => row.training_id !== trainingId);
  return {
    kind,
    trainingId,
    message: noticeMessage(kind, {
      trainedAsOf: training?.trained_as_of ?? '',
      rolloutOn: training?.rollout_on ?? null,
      candidate: figuresOfIntent(candidate) ?? { auc: null, identificationRate: null },
      active: figuresOfIntent(active),
    }),
  };
}

async function send(db: Db, notice: ModelNotice, notify: ModelNotify, report: NoticesReport): Promise<void> {
  const delivery = await notify(notice);
  report.messages += delivery.messages;
  report.failed += delivery.failed;
  report.errors.push(...delivery.errors);
}

/**
 * Announces training `trainingId` once: a pending candidate (its roll-out day and figures) or a
 * worse one (not rolled out). Claimed by announced_at before it is sent; a training already
 * announced, or neither pending nor worse (superseded, approved, rejected), is left alone.
 */
export async function announceTraining(
  db: Db,
  trainingId: number,
  props: { now: Date; notify: ModelNotify },
  report: NoticesReport = emptyNoticesReport(),
): Promise<NoticesReport> {
  const [claimed] = await db.query<{ kind: NoticeKind }>(
    `UPDATE model_trainings t SET announced_at = $2
      WHERE t.id = $1 AND t.announced_at IS NULL
        AND (EXISTS (SELECT 1 FROM model_versions v WHERE v.training_id = t.id AND v.state = 'candidate')
          OR EXISTS (SELECT 1 FROM model_versions v JOIN model_version_events e ON e.version_id = v.id
                      WHERE v.training_id = t.id AND v.state = 'rejected' AND e.action = 'worse'))
      RETURNING CASE WHEN EXISTS (SELECT 1 FROM model_versions v WHERE v.training_id = t.id AND v.state = 'candidate')
                     THEN 'announce' ELSE 'worse' END AS kind`,
    [trainingId, props.now],
  );
  if (claimed === undefined) return report;
  if (claimed.kind === 'worse') report.worse += 1;
  else report.announced += 1;
  await send(db, await noticeOf(db, trainingId, claimed.kind), props.notify, report);
  return report;
}

/**
 * The notices due now: any training not yet announced that should be (trained without a
 * notifier, e.g. from the command line), then the pending candidate's reminder when
 * `reminderEveryDays` have passed (UTC days) since its announcement or last reminder and its
 * roll-out day has not come.
 */
export async function sendDueNotices(
  db: Db,
  props: { now: Date; notify: ModelNotify; reminderEveryDays: number },
): Promise<NoticesReport> {
  const report = emptyNoticesReport();
  const unannounced = await db.query<{ id: number }>(
    `SELECT id::int AS id FROM model_trainings WHERE announced_at IS NULL AND requested_by <> 'first_run' ORDER BY id`,
  );
  for (const { id } of unannounced) await announceTraining(db, id, props, report);
  const today = isoDay(props.now);
  const [pending] = await db.query<{ id: number; last_day: string; rollout_on: string | null }>(
    `SELECT t.id::int AS id, to_char(COALESCE(t.reminded_at, t.announced_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS last_day,
            to_char(t.rollout_on, 'YYYY-MM-DD') AS rollout_on
       FROM model_trainings t
      WHERE t.announced_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM model_versions v WHERE v.training_id = t.id AND v.state = 'candidate')
      ORDER BY t.id DESC LIMIT 1`,
  );
  if (
    pending === undefined ||
    !reminderDue(pending.last_day, today, pending.rollout_on, props.reminderEveryDays)
  )
    return report;
  // The claim holds only if no one reminded since the day read.
  const latest = addDays(today, -props.reminderEveryDays);
  const claimed = await db.query(
    `UPDATE model_trainings SET reminded_at = $2
      WHERE id = $1 AND (COALESCE(reminded_at, announced_at) AT TIME ZONE 'UTC')::date <= $3::date RETURNING id`,
    [pending.id, props.now, latest],
  );
  if (claimed.length === 0) return report;
  report.reminded += 1;
  await send(db, await noticeOf(db, pending.id, 'reminder'), props.notify, report);
  return report;
}
