import type { AlertEvent } from '../segments/definition';

/**
 * Slack messages of alerts (Block Kit), built from plain data: a header, a context line, then
 * one section per account naming it (linked to the app when its public URL is known), its fit,
 * stage, intent score and top reason. Slack's limits decide the splitting: at most 50 blocks a
 * message, 3000 characters a section's text, 150 a header's.
 */
export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, headerText: 150, fallbackText: 3000 } as const;

/** Header and context take two blocks; the rest are accounts. */
export const ACCOUNTS_PER_MESSAGE = SLACK_LIMITS.blocks - 2;

/** An alert's account as it was when the alert was raised (alert_deliveries.details). */
export interface AlertAccount {
  accountId: string;
  name: string | null;
  profileFit: string | null;
  buyingStage: string | null;
  intentScore: number | null;
  topReason: string | null;
}

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] };

export interface SlackMessage {
  /** The notification's text (and what clients without blocks show). */
  text: string;
  blocks: SlackBlock[];
}

/** What happened to the accounts, in words. */
export const EVENT_WORDS: Record<AlertEvent, string> = {
  became_qualified: 'became qualified',
  stage_advanced: 'reached Decision or Purchase',
  entered_segment: 'entered the segment',
};

export interface AlertBatch {
  segmentName: string;
  event: AlertEvent;
  /** The run day the alerts belong to (YYYY-MM-DD). */
  runDay: string;
  /** A daily digest says so in its header. */
  digest: boolean;
  /** SIGNALFIT_PUBLIC_URL; without it, names are not linked. */
  publicUrl: string | null;
}

/** Slack's three control characters in text that came from data. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `text` cut to `max` characters with a final `…`, never inside an `&…;` entity. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).replace(/&[a-z]*$/, '')}…`;
}

/** The app's page of an account, or null without a public URL. */
export function accountLink(publicUrl: string | null, accountId: string): string | null {
  if (!publicUrl) return null;
  // `|` and `>` end a Slack link: neither may be left in the address.
  return `${publicUrl.replace(/\/+$/, '')}/accounts/${encodeURIComponent(accountId)}`.replace(/\|/g, '%7C');
}

/** One account's section text (mrkdwn, at most 3000 characters). */
export function accountSection(account: AlertAccount, publicUrl: string | null): string {
  const name = escapeMrkdwn(truncate(account.name ?? account.accountId, 200));
  const link = accountLink(publicUrl, account.accountId);
  const title = link ? `*<${link}|${name}>*` : `*${name}*`;
  const facts = [
    `Fit: ${account.profileFit ?? '–'}`,
    `Stage: ${account.buyingStage ?? '–'}`,
    `Intent: ${account.intentScore ?? '–'}`,
  ].join(' · ');
  const head = `${title}\n${escapeMrkdwn(facts)}`;
  if (!account.topReason) return truncate(head, SLACK_LIMITS.sectionText);
  const reason = `\nTop reason: ${escapeMrkdwn(account.topReason)}`;
  return truncate(`${head}${reason}`, SLACK_LIMITS.sectionText);
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `items` in pieces of `size` (the last may be shorter). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const pieces: T[][] = [];
  for (let at = 0; at < items.length; at += size) pieces.push(items.slice(at, at + size));
  return pieces;
}

/**
 * One message of a batch: `total` accounts in all, `accounts` of them here (at most 48: the header
 * and the context line take two of the 50 blocks). The header names the segment, the count and
 * what happened; the context line the run day and, when the batch is split, which part this is.
 */
export function alertMessage(
  batch: AlertBatch,
  accounts: readonly AlertAccount[],
  part: { index: number; count: number; total: number },
): SlackMessage {
  const words = EVENT_WORDS[batch.event];
  const total = plural(part.total, 'account');
  const header = truncate(
    batch.digest
      ? `Daily digest · ${batch.segmentName}: ${total} ${words}`
      : `${batch.segmentName}: ${total} ${words}`,
    SLACK_LIMITS.headerText,
  );
  const partWords = part.count > 1 ? ` · part ${part.index + 1} of ${part.count}` : '';
  const context = `Segment *${escapeMrkdwn(truncate(batch.segmentName, 500))}* · ${words} · scores of ${batch.runDay}${partWords}`;
  const names = accounts.map((a) => a.name ?? a.accountId).join(', ');
  return {
    text: truncate(`${header}${partWords}: ${escapeMrkdwn(names)}`, SLACK_LIMITS.fallbackText),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: header } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
      ...accounts.map((account): SlackBlock => ({
        type: 'section',
        text: { type: 'mrkdwn', text: accountSection(account, batch.publicUrl) },
      })),
    ],
  };
}

/** The messages of a whole batch, accounts in the given order, 48 to a message. */
export function alertMessages(batch: AlertBatch, accounts: readonly AlertAccount[]): SlackMessage[] {
  const parts = chunk(accounts, ACCOUNTS_PER_MESSAGE);
  return parts.map((piece, index) =>
    alertMessage(batch, piece, { index, count: parts.length, total: accounts.length }),
  );
}

/** The "send test message" action's message. */
export function testMessage(segmentName: string, event: AlertEvent, publicUrl: string | null): SlackMessage {
  const header = truncate(`Signalfit test message · ${segmentName}`, SLACK_LIMITS.headerText);
  const where = publicUrl ? ` (<${publicUrl.replace(/\|/g, '%7C')}|open Signalfit>)` : '';
  const body = `Alerts of the segment *${escapeMrkdwn(truncate(segmentName, 500))}* (accounts that ${EVENT_WORDS[event]}) will be posted here${where}.`;
  return {
    text: header,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: header } },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(body, SLACK_LIMITS.sectionText) } },
    ],
  };
}
