import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Slack incoming webhooks on 127.0.0.1, written from Slack's public documentation, not from
 * Signalfit's client:
 * - `POST /services/T…/B…/<secret>` with a JSON body answers 200 and the text `ok`;
 * - errors are plain text: 400 `invalid_payload` (not JSON), `no_text` (neither text nor blocks),
 *   `invalid_blocks` (more than 50 blocks, a header over 150 characters, a section text over
 *   3000); 404 `no_service` for a webhook it does not know; any status and body a test queues
 *   (`fail`): 403 `action_prohibited`, 404 `channel_not_found`, 410 `channel_is_archived`, …;
 * - about one message a second per webhook: a second message to a webhook within
 *   `minIntervalMs` (default 900: a second, less the jitter of timers and connections) of the
 *   last one it accepted is 429 with `Retry-After: 1`; tests also make
 *   every `rateLimitEvery`-th request a 429, or queue 429s with their own Retry-After.
 * Every request is recorded with its body and arrival time; `hang` keeps requests received and
 * unanswered until `release`.
 */
export interface SlackRequest {
  path: string;
  /** The parsed JSON body (null when it was not JSON). */
  body: SlackPayload | null;
  raw: string;
  status: number;
  /** When it arrived (ms since the epoch, real time): tests measure the pacing with it. */
  at: number;
}

export interface SlackPayload {
  text?: string;
  blocks?: { type: string; text?: { type: string; text: string }; elements?: unknown[] }[];
  [key: string]: unknown;
}

export interface SlackFault {
  status: number;
  body: string;
  retryAfter?: string;
  /** How many requests it answers (default 1). */
  times?: number;
}

export interface SlackStandInOptions {
  /** Shortest gap between two accepted messages to one webhook before 429 (default 900; 0 turns it off). */
  minIntervalMs?: number;
  /** Every n-th request (counted over all webhooks) is answered 429 `Retry-After: 1` (0: never). */
  rateLimitEvery?: number;
}

export class SlackStandIn {
  readonly requests: SlackRequest[] = [];
  private server: Server | undefined;
  private url = '';
  private readonly hooks = new Set<string>();
  private readonly faults = new Map<string, SlackFault[]>();
  private readonly lastAccepted = new Map<string, number>();
  private readonly hung: { res: ServerResponse; path: string }[] = [];
  private hanging = false;
  private count = 0;

  constructor(private readonly options: SlackStandInOptions = {}) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** A new webhook's URL, shaped like Slack's. */
  newWebhook(): string {
    const path = `/services/T${randomBytes(4).toString('hex').toUpperCase()}/B${randomBytes(4).toString('hex').toUpperCase()}/${randomBytes(12).toString('hex')}`;
    this.hooks.add(path);
    return `${this.url}${path}`;
  }

  /** The next requests to `webhook` get this answer. */
  fail(webhook: string, fault: SlackFault): void {
    const path = new URL(webhook).pathname;
    this.faults.set(path, [...(this.faults.get(path) ?? []), { times: 1, ...fault }]);
  }

  /** Requests received from now on are kept unanswered until `release`. */
  hang(): void {
    this.hanging = true;
  }

  /** Answers every kept request `ok` and stops keeping them. */
  release(): void {
    this.hanging = false;
    for (const { res, path } of this.hung.splice(0)) {
      this.lastAccepted.set(path, Date.now());
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    }
  }

  /** What reached `webhook`, accepted or not. */
  requestsTo(webhook: string): SlackRequest[] {
    const path = new URL(webhook).pathname;
    return this.requests.filter((r) => r.path === path);
  }

  /** The messages `webhook` accepted (posted to its channel). */
  accepted(webhook: string): SlackPayload[] {
    return this.requestsTo(webhook)
      .filter((r) => r.status === 200)
      .map((r) => r.body!);
  }

  private handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const path = (req.url ?? '/').split('?')[0]!;
    const record: SlackRequest = { path, body: null, raw, status: 0, at: Date.now() };
    this.requests.push(record);
    const answer = (status: number, text: string, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'text/plain', ...headers }).end(text);
    };
    this.count += 1;
    if (req.method !== 'POST' || !this.hooks.has(path)) return answer(404, 'no_service');
    try {
      record.body = JSON.parse(raw) as SlackPayload;
    } catch {
      return answer(400, 'invalid_payload');
    }
    const fault = this.faults.get(path)?.[0];
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) this.faults.get(path)!.shift();
      return answer(fault.status, fault.body, fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {});
    }
    const every = this.options.rateLimitEvery ?? 0;
    const minInterval = this.options.minIntervalMs ?? 900;
    const last = this.lastAccepted.get(path);
    if ((every > 0 && this.count % every === 0) || (last !== undefined && record.at - last < minInterval)) {
      return answer(429, 'rate_limited', { 'Retry-After': '1' });
    }
    const problem = payloadProblem(record.body);
    if (problem) return answer(400, problem);
    if (this.hanging) {
      record.status = 200;
      this.hung.push({ res, path });
      return;
    }
    this.lastAccepted.set(path, record.at);
    answer(200, 'ok');
  }
}

/** Slack's checks of a message, as its error texts name them. */
function payloadProblem(body: SlackPayload): string | null {
  if (typeof body.text !== 'string' && !Array.isArray(body.blocks)) return 'no_text';
  const blocks = body.blocks ?? [];
  if (blocks.length > 50) return 'invalid_blocks';
  for (const block of blocks) {
    if (block.type === 'header' && (block.text?.type !== 'plain_text' || block.text.text.length > 150)) {
      return 'invalid_blocks';
    }
    if (block.type === 'section' && (!block.text || block.text.text.length > 3000)) return 'invalid_blocks';
  }
  return null;
}
