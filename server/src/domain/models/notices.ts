import { SLACK_LIMITS, truncate, type SlackMessage } from '../alerts/messages';
import { daysBetween } from '../dates';
import { formatAuc, formatRate, type GateFigures } from './rolloutGate';

/**
 * What Admins are told of a candidate (docs/models.md "Notice"): it is announced once when trained
 * (or, if it is worse, that it was not rolled out), then reminded every `reminder_every_days`
 * while it waits for its roll-out day. The in-app notice is the pending candidate itself; these
 * are the texts sent to the alert webhooks.
 */
export type NoticeKind = 'announce' | 'reminder' | 'worse';

export interface NoticeFacts {
  trainedAsOf: string;
  rolloutOn: string | null;
  candidate: GateFigures;
  /** The active intent version's figures when the notice goes out; null before any is active. */
  active: GateFigures | null;
}

function versus(candidate: number | null, active: number | null, format: (value: number) => string): string {
  const text = (value: number | null) => (value === null ? '–' : format(value));
  return `${text(candidate)} vs ${text(active)}`;
}

export function noticeText(kind: NoticeKind, facts: NoticeFacts): string {
  const figures =
    `AUC ${versus(facts.candidate.auc, facts.active?.auc ?? null, formatAuc)}, ` +
    `identification ${versus(facts.candidate.identificationRate, facts.active?.identificationRate ?? null, formatRate)}`;
  if (kind === 'worse')
    return (
      `Model update: candidate trained on ${facts.trainedAsOf} not rolled out: worse than the active models ` +
      `(${figures}); it is kept as rejected on the Models page`
    );
  const prefix = kind === 'reminder' ? 'Model update (reminder)' : 'Model update';
  return (
    `${prefix}: candidate trained on ${facts.trainedAsOf} rolls out on ${facts.rolloutOn ?? '–'} (${figures}) ` +
    `— approve, postpone or reject on the Models page`
  );
}

/** The notice as a Slack message: the text, also as its one section. */
export function noticeMessage(kind: NoticeKind, facts: NoticeFacts): SlackMessage {
  const text = noticeText(kind, facts);
  return {
    text: truncate(text, SLACK_LIMITS.fallbackText),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } }],
  };
}

/**
 * Whether a reminder is due today: `everyDays` whole days (UTC) or more have passed since the last
 * notice (the announcement or the last reminder), and the roll-out day has not come.
 */
export function reminderDue(
  lastNoticeDay: string,
  today: string,
  rolloutOn: string | null,
  everyDays: number,
): boolean {
  if (rolloutOn !== null && today >= rolloutOn) return false;
  return daysBetween(lastNoticeDay, today) >= everyDays;
}
