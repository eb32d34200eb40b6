import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A contact-data vendor's adapter on 127.0.0.1, written from the contract of docs/providers.md,
 * not from Signalfit's client:
 * - `POST /search` `{ domains: [≤1000], cursor? }` → `{ contacts, next }`, `pageSize` rows a page,
 *   matching company_domain case-insensitively without scheme, `www.` or path;
 * - `POST /purchase` `{ ids: [≤100], idempotency_key }` → `{ purchased, failed }`; each person
 *   bought is charged their cost (counted in `charges`); the same key and ids again gets the
 *   stored answer and charges nothing; the same key with other ids is 400; a purchase that
 *   costs more than `credits` (when set) is 402 `insufficient_credits` and charges nothing;
 * - `Authorization: Bearer <token>` is required when the stand-in has a token (else 401);
 * - errors are `{ error: { code, message } }`.
 * Tests seed rows (bad ones too: they are served as they are), read every request back, queue
 * faults (any status, with Retry-After) and make an endpoint hang (received, never answered).
 */
export interface ProviderStandInOptions {
  token?: string | null;
  /** Rows per search page (default 2, so tests see cursors). */
  pageSize?: number;
}

export type Endpoint = 'search' | 'purchase';

export interface ProviderRequest {
  endpoint: string;
  authorization: string | null;
  body: unknown;
  status: number;
}

export interface ProviderFault {
  endpoint: Endpoint;
  status: number;
  code?: string;
  message?: string;
  retryAfter?: string;
  /** How many requests it answers (default 1). */
  times?: number;
}

/** A row as the vendor serves it (snake_case, the contract's fields; tests may break any of them). */
export type VendorRow = Record<string, unknown>;

export class ProviderStandIn {
  url = '';
  readonly requests: ProviderRequest[] = [];
  /** Every charge: who was bought, under which key, for how much. */
  readonly charges: { providerId: string; idempotencyKey: string; cost: number }[] = [];
  /** Credits left on the vendor account (null: unlimited). */
  credits: number | null = null;
  /** Requests to this endpoint are received and never answered. */
  hang: Endpoint | null = null;
  private rows: VendorRow[] = [];
  private readonly faults: ProviderFault[] = [];
  private readonly answered = new Map<string, { ids: string; answer: unknown }>();
  private server: Server | null = null;

  constructor(private readonly options: ProviderStandInOptions = {}) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
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

  seed(...rows: VendorRow[]): void {
    this.rows.push(...rows);
  }

  fail(fault: ProviderFault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** The requests to one endpoint. */
  requestsTo(endpoint: Endpoint): ProviderRequest[] {
    return this.requests.filter((r) => r.endpoint === endpoint);
  }

  private handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const endpoint = (req.url ?? '').replace(/^\/v1\//, '').split('?')[0]!;
    const record: ProviderRequest = {
      endpoint,
      authorization: req.headers.authorization ?? null,
      body: null,
      status: 0,
    };
    this.requests.push(record);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const error = (status: number, code: string, message: string, headers?: Record<string, string>) =>
      answer(status, { error: { code, message } }, headers);

    if (req.method !== 'POST' || (endpoint !== 'search' && endpoint !== 'purchase')) {
      return error(404, 'not_found', `no ${req.method} /${endpoint}`);
    }
    if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) {
      return error(401, 'unauthorized', 'missing or wrong bearer token');
    }
    const fault = this.faults.find((f) => f.endpoint === endpoint);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      return error(
        fault.status,
        fault.code ?? 'failed',
        fault.message ?? `fault ${fault.status}`,
        fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {},
      );
    }
    if (this.hang === endpoint) {
      record.status = -1;
      return;
    }
    try {
      record.body = JSON.parse(raw) as unknown;
    } catch {
      return error(400, 'bad_request', 'the body is not JSON');
    }
    const body = record.body as Record<string, unknown> | null;
    if (endpoint === 'search') return this.search(body, answer, error);
    return this.purchase(body, answer, error);
  }

  private search(
    body: Record<string, unknown> | null,
    answer: (status: number, body: unknown) => void,
    error: (status: number, code: string, message: string) => void,
  ): void {
    const domains = body?.domains;
    if (!Array.isArray(domains) || domains.length > 1000 || !domains.every((d) => typeof d === 'string')) {
      return error(400, 'bad_request', 'domains must be a list of at most 1000 strings');
    }
    const wanted = new Set(domains.map(bareDomain));
    const matching = this.rows.filter((row) => wanted.has(bareDomain(String(row.company_domain ?? ''))));
    const cursor = body!.cursor;
    const start = typeof cursor === 'string' ? Number(Buffer.from(cursor, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(start) || start < 0) return error(400, 'bad_request', 'unknown cursor');
    const size = this.options.pageSize ?? 2;
    const end = start + size;
    answer(200, {
      contacts: matching.slice(start, end),
      next: end < matching.length ? Buffer.from(String(end), 'utf8').toString('base64url') : null,
    });
  }

  private purchase(
    body: Record<string, unknown> | null,
    answer: (status: number, body: unknown) => void,
    error: (status: number, code: string, message: string) => void,
  ): void {
    const ids = body?.ids;
    const key = body?.idempotency_key;
    if (
      !Array.isArray(ids) ||
      ids.length === 0 ||
      ids.length > 100 ||
      !ids.every((i) => typeof i === 'string')
    ) {
      return error(400, 'bad_request', 'ids must be a list of 1 to 100 strings');
    }
    if (typeof key !== 'string' || key === '')
      return error(400, 'bad_request', 'idempotency_key is required');
    const idList = JSON.stringify(ids);
    const before = this.answered.get(key);
    if (before) {
      if (before.ids !== idList) return error(400, 'bad_request', 'idempotency_key was used with other ids');
      return answer(200, before.answer);
    }
    const byId = new Map(this.rows.map((row) => [String(row.provider_id), row]));
    const found = (ids as string[]).filter((id) => byId.has(id));
    const costOf = (id: string) => {
      const cost = byId.get(id)!.cost;
      return cost === undefined || cost === null || cost === '' ? 1 : Number(cost);
    };
    const total = found.reduce((sum, id) => sum + costOf(id), 0);
    if (this.credits !== null && total > this.credits) {
      return error(402, 'insufficient_credits', `this purchase costs ${total} credits; ${this.credits} left`);
    }
    if (this.credits !== null) this.credits -= total;
    for (const id of found) this.charges.push({ providerId: id, idempotencyKey: key, cost: costOf(id) });
    const result = {
      purchased: found.map((id) => byId.get(id)),
      failed: (ids as string[])
        .filter((id) => !byId.has(id))
        .map((id) => ({ provider_id: id, error: 'not_found' })),
    };
    this.answered.set(key, { ids: idList, answer: result });
    answer(200, result);
  }
}

/** A domain as the contract compares them: lower case, no scheme, `www.` or path. */
function bareDomain(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .split(/[/?#:]/, 1)[0]!;
}
