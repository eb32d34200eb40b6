import { isIP } from 'node:net';
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } from '@slack/webhook';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { SlackMessage } from '../../domain/alerts/messages';
import { backoffMs, fetchTextWithin, OutboundTimeoutError, type OutboundLimits } from '../outbound';

/**
 * Slack incoming webhooks (docs/alerts.md "Delivery"), through @slack/webhook's IncomingWebhook
 * with our own fetch: every POST has the outbound deadline (SIGNALFIT_OUTBOUND_TIMEOUT_MS), goes
 * at most once a second to one webhook, and waits out Slack's 429. Slack answers 200 `ok`, or an
 * error as plain text (`invalid_payload`, `channel_not_found`, …).
 *
 * What a failure means for "never twice" decides how it is reported (`SlackSendError.outcome`):
 * - `not_delivered`: Slack certainly did not post it (429 past the wait bound, or no connection
 *   could be opened): sending again later is safe.
 * - `refused`: Slack answered with an error: the message was not posted; sending the same again
 *   would be refused again, so it is not retried.
 * - `unknown`: the request may have reached Slack (no answer in time, connection lost after the
 *   request was written): it is never sent again, and shown as unconfirmed.
 */
export type SlackSendOutcome = 'not_delivered' | 'refused' | 'unknown';

export class SlackSendError extends AppError {
  constructor(
    readonly outcome: SlackSendOutcome,
    message: string,
    /** Slack's HTTP status, when it answered. */
    readonly status: number | null = null,
  ) {
    super('slack_unavailable', message, status === null ? undefined : { status });
    this.name = 'SlackSendError';
  }
}

export interface SlackWebhookOptions {
  outbound: OutboundLimits;
  /** The HTTP client (tests may wrap it); default: global fetch. */
  fetch?: typeof fetch;
  /** Longest single `Retry-After` waited; a longer one gives up (not delivered). Default 30 s. */
  maxRetryAfterMs?: number;
  /** How many 429s one message waits out before giving up. Default 5. */
  maxRateLimitWaits?: number;
  /** Shortest gap between two messages to one webhook. Default 1000 ms (Slack: about one a second). */
  minIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULTS = { maxRetryAfterMs: 30_000, maxRateLimitWaits: 5, minIntervalMs: 1000 };

const okBody = z
  .string()
  .transform((text) => text.trim())
  .pipe(z.literal('ok'));

/**
 * Connection failures that happen before a byte of the request is written: Slack cannot have
 * seen the message, so trying again is safe.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function causeCode(error: unknown): string | null {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return code;
    e = (e as { cause?: unknown }).cause ?? (e as { original?: unknown }).original;
  }
  return null;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * When each webhook may next be posted to (this process): one message a second per URL, counted
 * from the later of the previous request's start and its answer.
 */
const nextSlot = new Map<string, number>();

async function waitForSlot(url: string, minIntervalMs: number, sleep: (ms: number) => Promise<void>) {
  const now = Date.now();
  const at = Math.max(now, nextSlot.get(url) ?? 0);
  nextSlot.set(url, at + minIntervalMs);
  if (at > now) await sleep(at - now);
}

/** `Retry-After` in seconds (Slack's form) or an HTTP date; 1 s when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (header && /^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = header ? Date.parse(header) : NaN;
  return Number.isNaN(date) ? 1000 : Math.max(0, date - now);
}

/**
 * Posts one message. Resolves once Slack answered `ok`; otherwise throws a SlackSendError whose
 * message carries Slack's own error text.
 */
export async function postToSlack(
  url: string,
  message: SlackMessage,
  options: SlackWebhookOptions,
): Promise<void> {
  const fetchImpl = options.fetch ?? fetch;
  const sleep = options.sleep ?? sleepFor;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs;
  const maxWaits = options.maxRateLimitWaits ?? DEFAULTS.maxRateLimitWaits;
  const minIntervalMs = options.minIntervalMs ?? DEFAULTS.minIntervalMs;
  let lastRetryAfter: string | null = null;
  // What fetch itself threw: the library re-wraps errors of another realm and loses their cause.
  let fetchFailure: unknown = null;
  const webhook = new IncomingWebhook(url, {
    // The deadline covers the answer's whole body; the library's own retries stay off (it would
    // retry a 5xx, which may have been posted).
    timeout: 0,
    retryConfig: { retries: 0 },
    fetch: async (target, init) => {
      fetchFailure = null;
      const { response, text } = await fetchTextWithin(
        fetchImpl,
        target,
        init as RequestInit,
        options.outbound.timeoutMs,
        'Slack',
      ).catch((error: unknown) => {
        fetchFailure = error;
        throw error;
      });
      lastRetryAfter = response.headers.get('retry-after');
      const noBody = [204, 205, 304].includes(response.status);
      return new Response(noBody ? null : text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    },
  });

  let rateLimitWaits = 0;
  let connectRetries = 0;
  for (;;) {
    await waitForSlot(url, minIntervalMs, sleep);
    try {
      const result = await webhook
        .send({ text: message.text, blocks: message.blocks })
        // The next message waits a full interval after this answer: however late this request
        // reached Slack, two never arrive closer than the interval.
        .finally(() => nextSlot.set(url, Math.max(nextSlot.get(url) ?? 0, Date.now() + minIntervalMs)));
      if (!okBody.safeParse(result.text).success) {
        // 200 but not Slack's answer: it may have been posted, so it is not sent again.
        throw new SlackSendError(
          'unknown',
          `Slack answered 200 without "ok": ${result.text.slice(0, 100)}`,
          200,
        );
      }
      return;
    } catch (error) {
      if (error instanceof SlackSendError) throw error;
      if (error instanceof IncomingWebhookHTTPError) {
        const reason = error.body.trim().slice(0, 200) || error.statusMessage;
        if (error.statusCode === 429) {
          const wait = retryAfterMs(lastRetryAfter);
          if (rateLimitWaits >= maxWaits || wait > maxRetryAfterMs) {
            throw new SlackSendError(
              'not_delivered',
              `Slack is rate limiting this webhook (429, Retry-After ${lastRetryAfter ?? 'not given'}): not sent, tried again at the next send`,
              429,
            );
          }
          rateLimitWaits += 1;
          await sleep(wait);
          continue;
        }
        throw new SlackSendError(
          'refused',
          `Slack refused the message: ${error.statusCode} ${reason}`,
          error.statusCode,
        );
      }
      const original =
        fetchFailure ?? (error instanceof IncomingWebhookRequestError ? error.original : error);
      if (original instanceof OutboundTimeoutError) {
        throw new SlackSendError(
          'unknown',
          `Slack did not answer within ${original.timeoutMs} ms: the message may have been posted, so it is not sent again`,
        );
      }
      const code = causeCode(original);
      if (code !== null) {
        if (connectRetries < options.outbound.retries) {
          await sleep(backoffMs(connectRetries));
          connectRetries += 1;
          continue;
        }
        throw new SlackSendError(
          'not_delivered',
          `Slack could not be reached (${code}): not sent, tried again at the next send`,
        );
      }
      const what = (original as { message?: unknown }).message ?? String(original);
      throw new SlackSendError(
        'unknown',
        `the connection to Slack failed (${what}): the message may have been posted, so it is not sent again`,
      );
    }
  }
}

/** Host names that are this machine: a plain-http webhook is allowed there only (a local test server). */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * A webhook URL as a subscription keeps it: https (plain http on a loopback host only, so a
 * local test server can receive alerts), no user name or password in it. A bad one is
 * `validation_failed` naming `field` (how the caller spelled it: `slackWebhookUrl`, `--slack-webhook`).
 */
export function checkWebhookUrl(raw: string, field: string): string {
  const refuse = (why: string): never => {
    const message = `${field}: ${why}`;
    throw new AppError('validation_failed', message, [{ path: [field], message: why }]);
  };
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return refuse('is not a URL; paste the Slack incoming webhook URL (https://hooks.slack.com/services/…)');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    refuse('must be an https:// URL (plain http is allowed only for localhost, for a local test server)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse('must be an https:// URL');
  if (url.username || url.password) refuse('must not carry a user name or password');
  if (url.pathname === '/' || url.pathname === '')
    refuse('has no path: a Slack webhook URL looks like https://hooks.slack.com/services/T…/B…/…');
  return url.href;
}
