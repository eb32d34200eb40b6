import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An Outreach API v2 on 127.0.0.1, written from Outreach's public documentation, not from
 * Signalfit's client:
 * - OAuth: GET /oauth/authorize answers with a redirect carrying a code (the user "approves" at
 *   once); POST /oauth/token (form-encoded) exchanges a code or a refresh token, checks the client
 *   id, secret and redirect URI, and refuses a second token for a user within 60 s with 429.
 * - JSON:API: every /api/v2 request must send `Content-Type: application/vnd.api+json`, else 415
 *   with `details` (plural) as Outreach's own example shows; other errors carry `detail`.
 * - Scopes are not additive (`write` does not grant `read`; `.all` grants both): a missing one
 *   is 403 `unauthorizedOauthScope`.
 * - `X-RateLimit-Limit/Remaining/Reset` on every API answer; past the limit 429
 *   `rateLimitExceeded` with `Retry-After` until the window resets.
 * - Cursor pagination (`page[size]`, `page[after]`, `links.next`).
 * - POST /prospects: 422 `validationError` without an email. POST /sequenceStates: 422 when the
 *   prospect is already in the sequence, has no email, or the mailbox does not exist.
 * Tests seed data, read back every request, may act on each answered request (`onRequest`), make
 * paths hang (received, never answered) or fail with a status for a number of requests.
 */
export const JSON_API = 'application/vnd.api+json';

export interface StandInOptions {
  clientId: string;
  clientSecret: string;
  /** Requests per window per user before 429 (Outreach: 10,000 an hour). */
  rateLimit?: number;
  rateWindowMs?: number;
  /** Access token lifetime in seconds (Outreach: 7200). */
  expiresIn?: number;
  /** The scopes a grant carries (default: what was asked for). */
  grantScopes?: string[];
  /** The stand-in's clock (tests move it forward). */
  now?: () => Date;
  /** Refuse a second token for a user within this many ms (Outreach: 60 s); 0 turns it off. */
  minTokenIntervalMs?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  authorization: string | null;
  body: string;
  status: number;
  /** When it arrived (ms since the epoch, real time): tests measure backoff with it. */
  at: number;
}

export interface StandInFault {
  path: RegExp;
  method?: string;
  status: number;
  /** How many matching requests it answers (default 1). */
  times?: number;
  headers?: Record<string, string>;
}

interface Token {
  userId: string;
  scopes: string[];
  expiresAt: number;
}

interface Row {
  id: number;
  attributes: Record<string, unknown>;
  relationships: Record<string, { data: { type: string; id: number } | null }>;
}

type Collection = 'prospects' | 'sequences' | 'mailboxes' | 'sequenceStates' | 'users';
const TYPE: Record<Collection, string> = {
  prospects: 'prospect',
  sequences: 'sequence',
  mailboxes: 'mailbox',
  sequenceStates: 'sequenceState',
  users: 'user',
};

export class OutreachStandIn {
  url = '';
  readonly requests: ReceivedRequest[] = [];
  /** Called for each request once its answer is decided, before it is written (a crash test kills the service here). */
  onRequest: ((request: ReceivedRequest) => void) | null = null;
  readonly data: Record<Collection, Row[]> = {
    prospects: [],
    sequences: [],
    mailboxes: [],
    sequenceStates: [],
    users: [],
  };
  private server: Server | null = null;
  private nextId = 1000;
  private readonly codes = new Map<string, { userId: string; scopes: string[]; redirectUri: string }>();
  private readonly accessTokens = new Map<string, Token>();
  private readonly refreshTokens = new Map<string, { userId: string; scopes: string[] }>();
  private readonly lastMint = new Map<string, number>();
  private readonly windows = new Map<string, { start: number; count: number }>();
  /** The Outreach user who approves the next authorization. */
  approvingUserId = '1';
  /** Requests whose path matches are recorded but never answered: an Outreach that hangs. */
  hang: RegExp | null = null;
  private readonly faults: (StandInFault & { fired: number })[] = [];

  constructor(private readonly options: StandInOptions) {}

  private now(): number {
    return (this.options.now?.() ?? new Date()).getTime();
  }

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

  get apiUrl(): string {
    return `${this.url}/api/v2`;
  }
  get oauthUrl(): string {
    return `${this.url}/oauth`;
  }

  // ---- seeding and reading back ----

  addUser(email: string): string {
    const row = this.insert('users', { email, firstName: email.split('@')[0] }, {});
    return String(row.id);
  }
  addMailbox(email: string, userId: string): string {
    return String(this.insert('mailboxes', { email, userId: Number(userId), sendDisabled: false }, {}).id);
  }
  addSequence(name: string, enabled = true): string {
    return String(
      this.insert('sequences', { name, enabled, sequenceType: 'interval', shareType: 'shared' }, {}).id,
    );
  }
  addProspect(email: string | null, names: { firstName?: string; lastName?: string } = {}): string {
    return String(this.insert('prospects', { emails: email ? [email] : [], ...names }, {}).id);
  }
  addSequenceState(prospectId: string, sequenceId: string, mailboxId: string): string {
    return String(
      this.insert(
        'sequenceStates',
        { state: 'active', createdAt: new Date(this.now()).toISOString() },
        {
          prospect: { data: { type: 'prospect', id: Number(prospectId) } },
          sequence: { data: { type: 'sequence', id: Number(sequenceId) } },
          mailbox: { data: { type: 'mailbox', id: Number(mailboxId) } },
        },
      ).id,
    );
  }
  /** An access token for `userId` with `scopes`, as if the user had connected. */
  issueToken(userId: string, scopes: string[]): { accessToken: string; refreshToken: string } {
    return this.mint(userId, scopes);
  }

  prospectsWithEmail(email: string): Row[] {
    const wanted = email.toLowerCase();
    return this.data.prospects.filter((p) =>
      ((p.attributes.emails as string[]) ?? []).some((e) => e.toLowerCase() === wanted),
    );
  }
  statesOf(prospectId: string): Row[] {
    return this.data.sequenceStates.filter((s) => String(s.relationships.prospect?.data?.id) === prospectId);
  }
  /** API requests (not OAuth) received so far. */
  apiRequests(): ReceivedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/api/v2/'));
  }
  /** Answers the next matching requests with `status` (Outreach down: 503). */
  fail(fault: StandInFault): void {
    this.faults.push({ ...fault, fired: 0 });
  }
  count(method: string, path: string): number {
    return this.apiRequests().filter((r) => r.method === method && r.path === `/api/v2/${path}`).length;
  }

  private insert(
    collection: Collection,
    attributes: Record<string, unknown>,
    relationships: Row['relationships'],
  ): Row {
    const row = { id: this.nextId++, attributes, relationships };
    this.data[collection].push(row);
    return row;
  }

  private mint(userId: string, scopes: string[]) {
    const accessToken = randomBytes(16).toString('hex');
    const refreshToken = randomBytes(16).toString('hex');
    this.accessTokens.set(accessToken, {
      userId,
      scopes,
      expiresAt: this.now() + (this.options.expiresIn ?? 7200) * 1000,
    });
    this.refreshTokens.set(refreshToken, { userId, scopes });
    this.lastMint.set(userId, this.now());
    return { accessToken, refreshToken };
  }

  // ---- HTTP ----

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', this.url);
    const record: ReceivedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'] ?? null,
      authorization: req.headers.authorization ?? null,
      body,
      status: 0,
      at: Date.now(),
    };
    if (this.hang?.test(url.pathname)) {
      this.requests.push(record);
      return;
    }
    let status = 500;
    // The answer is written only after onRequest has run: a crash test that kills the service
    // there must kill it before it can read the answer and send its next request.
    let answer = () => {};
    const send = (code: number, payload: unknown, headers: Record<string, string> = {}) => {
      status = code;
      answer = () => {
        if (code === 302) {
          res.writeHead(302, headers).end();
          return;
        }
        res.writeHead(code, { 'Content-Type': headers['Content-Type'] ?? JSON_API, ...headers });
        res.end(payload === null ? '' : JSON.stringify(payload));
      };
    };
    const fault = this.faults.find(
      (f) =>
        f.path.test(url.pathname) && (!f.method || f.method === record.method) && f.fired < (f.times ?? 1),
    );
    try {
      if (fault) {
        fault.fired += 1;
        send(
          fault.status,
          {
            errors: [{ id: 'serviceUnavailable', title: 'Service Unavailable', detail: 'Try again later.' }],
          },
          fault.headers,
        );
      } else if (url.pathname === '/oauth/authorize') this.authorize(url, send);
      else if (url.pathname === '/oauth/token' && req.method === 'POST') this.token(record, send);
      else if (url.pathname.startsWith('/api/v2/')) this.api(record, url, send);
      else send(404, { errors: [{ id: 'resourceNotFound', title: 'Not Found', detail: 'No such path' }] });
    } catch (error) {
      send(500, { errors: [{ id: 'internalError', title: 'Internal Error', detail: String(error) }] });
    }
    record.status = status;
    this.requests.push(record);
    this.onRequest?.(record);
    answer();
  }

  private authorize(url: URL, send: Send): void {
    const q = url.searchParams;
    if (q.get('client_id') !== this.options.clientId || q.get('response_type') !== 'code') {
      send(400, { error: 'invalid_request' }, { 'Content-Type': 'application/json' });
      return;
    }
    const redirect = new URL(q.get('redirect_uri') ?? '');
    const code = randomBytes(12).toString('hex');
    const scopes = this.options.grantScopes ?? (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
    this.codes.set(code, { userId: this.approvingUserId, scopes, redirectUri: redirect.toString() });
    redirect.searchParams.set('code', code);
    if (q.get('state')) redirect.searchParams.set('state', q.get('state')!);
    send(302, null, { Location: redirect.toString() });
  }

  private token(record: ReceivedRequest, send: Send): void {
    const json = { 'Content-Type': 'application/json' };
    if (!(record.contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
      send(400, { error: 'invalid_request', error_description: 'form-encoded body expected' }, json);
      return;
    }
    const form = new URLSearchParams(record.body);
    if (
      form.get('client_id') !== this.options.clientId ||
      form.get('client_secret') !== this.options.clientSecret
    ) {
      send(401, { error: 'invalid_client', error_description: 'Client authentication failed' }, json);
      return;
    }
    let grant: { userId: string; scopes: string[] } | undefined;
    if (form.get('grant_type') === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code || code.redirectUri !== form.get('redirect_uri')) {
        send(400, { error: 'invalid_grant', error_description: 'The authorization code is invalid' }, json);
        return;
      }
      this.codes.delete(form.get('code')!);
      grant = code;
    } else if (form.get('grant_type') === 'refresh_token') {
      grant = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!grant) {
        send(400, { error: 'invalid_grant', error_description: 'The refresh token is invalid' }, json);
        return;
      }
    } else {
      send(400, { error: 'unsupported_grant_type' }, json);
      return;
    }
    const last = this.lastMint.get(grant.userId);
    const interval = this.options.minTokenIntervalMs ?? 60_000;
    if (interval > 0 && last !== undefined && this.now() - last < interval) {
      send(429, { error: 'rate_limited', error_description: 'Only one token per user per 60 seconds' }, json);
      return;
    }
    if (form.get('grant_type') === 'refresh_token') this.refreshTokens.delete(form.get('refresh_token')!);
    const minted = this.mint(grant.userId, grant.scopes);
    send(
      200,
      {
        access_token: minted.accessToken,
        token_type: 'bearer',
        expires_in: this.options.expiresIn ?? 7200,
        refresh_token: minted.refreshToken,
        scope: grant.scopes.join(' '),
        created_at: Math.floor(this.now() / 1000),
      },
      json,
    );
  }

  private api(record: ReceivedRequest, url: URL, send: Send): void {
    const bearer = /^Bearer (.+)$/.exec(record.authorization ?? '')?.[1];
    const token = bearer ? this.accessTokens.get(bearer) : undefined;
    if (!token || token.expiresAt <= this.now()) {
      send(401, {
        errors: [
          { id: 'unauthorized', title: 'Unauthorized', detail: 'The access token is invalid or expired.' },
        ],
      });
      return;
    }
    const limits = this.countCall(token.userId);
    const sendLimited: Send = (code, payload, headers = {}) =>
      send(code, payload, { ...limits.headers, ...headers });
    if (limits.exceeded) {
      sendLimited(
        429,
        {
          errors: [
            {
              id: 'rateLimitExceeded',
              title: 'Rate Limit Exceeded',
              detail: `You have exceeded your permitted rate limit of ${this.limit()}; please try again at ${new Date(limits.resetAt).toISOString()}.`,
            },
          ],
        },
        { 'Retry-After': String(Math.max(0, Math.ceil((limits.resetAt - this.now()) / 1000))) },
      );
      return;
    }
    if ((record.contentType ?? '').split(';')[0]!.trim() !== JSON_API) {
      sendLimited(415, {
        errors: [
          {
            id: 'unsupportedMediaType',
            title: 'Unsupported Media Type',
            details: "Expected Content-Type header to be 'application/vnd.api+json'.",
          },
        ],
      });
      return;
    }
    const [, , , name, rest] = url.pathname.split('/');
    const collection = name as Collection;
    if (!(collection in TYPE) || rest !== undefined) {
      sendLimited(404, {
        errors: [{ id: 'resourceNotFound', title: 'Resource Not Found', detail: 'No such resource.' }],
      });
      return;
    }
    const access = record.method === 'GET' ? 'read' : 'write';
    if (!token.scopes.includes(`${collection}.${access}`) && !token.scopes.includes(`${collection}.all`)) {
      sendLimited(403, {
        errors: [
          {
            id: 'unauthorizedOauthScope',
            title: 'Unauthorized OAuth Scope',
            detail: `The OAuth token does not have the ${collection}.${access} scope.`,
          },
        ],
      });
      return;
    }
    if (record.method === 'GET') this.list(collection, url, sendLimited);
    else if (record.method === 'POST') this.create(collection, record.body, sendLimited);
    else
      sendLimited(405, {
        errors: [{ id: 'methodNotAllowed', title: 'Method Not Allowed', detail: record.method }],
      });
  }

  private limit(): number {
    return this.options.rateLimit ?? 10_000;
  }

  private countCall(userId: string) {
    const windowMs = this.options.rateWindowMs ?? 3_600_000;
    const now = this.now();
    let window = this.windows.get(userId);
    if (!window || now >= window.start + windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(userId, window);
    }
    window.count += 1;
    const resetAt = window.start + windowMs;
    return {
      exceeded: window.count > this.limit(),
      resetAt,
      headers: {
        'X-RateLimit-Limit': String(this.limit()),
        'X-RateLimit-Remaining': String(Math.max(0, this.limit() - window.count)),
        'X-RateLimit-Reset': String(Math.ceil(resetAt / 1000)),
      },
    };
  }

  private list(collection: Collection, url: URL, send: Send): void {
    const q = url.searchParams;
    let rows = this.data[collection];
    for (const [key, value] of q) {
      const field = /^filter\[(\w+)\](?:\[id\])?$/.exec(key);
      if (!field) continue;
      const wanted = value.split(',').map((v) => v.trim().toLowerCase());
      const name = field[1]!;
      rows = rows.filter((row) => {
        if (key.endsWith('[id]')) return wanted.includes(String(row.relationships[name]?.data?.id));
        const have = row.attributes[name];
        const values = Array.isArray(have) ? have : [have];
        return values.some((v) => wanted.includes(String(v).toLowerCase()));
      });
    }
    if (q.get('sort') === 'name') {
      rows = [...rows].sort((a, b) => String(a.attributes.name).localeCompare(String(b.attributes.name)));
    }
    const size = Math.min(1000, Number(q.get('page[size]') ?? 50) || 50);
    const after = q.get('page[after]');
    const start = after
      ? rows.findIndex((r) => String(r.id) === Buffer.from(after, 'base64url').toString()) + 1
      : 0;
    const page = rows.slice(start, start + size);
    const links: Record<string, string> = { first: this.pageUrl(url, null) };
    if (start + size < rows.length && page.length > 0) {
      links.next = this.pageUrl(url, Buffer.from(String(page.at(-1)!.id)).toString('base64url'));
    }
    send(200, {
      data: page.map((row) => this.resource(collection, row)),
      links,
      meta: { count: rows.length },
    });
  }

  private pageUrl(url: URL, after: string | null): string {
    const next = new URL(url.toString());
    if (after) next.searchParams.set('page[after]', after);
    else next.searchParams.delete('page[after]');
    return next.toString();
  }

  private resource(collection: Collection, row: Row) {
    return {
      type: TYPE[collection],
      id: row.id,
      attributes: row.attributes,
      relationships: row.relationships,
      links: { self: `${this.apiUrl}/${collection}/${row.id}` },
    };
  }

  private create(collection: Collection, text: string, send: Send): void {
    let body: {
      data?: {
        type?: string;
        attributes?: Record<string, unknown>;
        relationships?: Record<string, { data?: { type?: string; id?: unknown } }>;
      };
    };
    try {
      body = JSON.parse(text);
    } catch {
      send(400, {
        errors: [{ id: 'badRequest', title: 'Bad Request', detail: 'The body is not valid JSON.' }],
      });
      return;
    }
    const data = body.data;
    if (!data || data.type !== TYPE[collection]) {
      send(409, {
        errors: [
          { id: 'typeMismatch', title: 'Type Mismatch', detail: `data.type must be "${TYPE[collection]}".` },
        ],
      });
      return;
    }
    const invalid = (detail: string, pointer: string) =>
      send(422, {
        errors: [{ id: 'validationError', title: 'Validation Error', detail, source: { pointer } }],
      });
    if (collection === 'prospects') {
      const emails = data.attributes?.emails;
      if (
        !Array.isArray(emails) ||
        emails.length === 0 ||
        emails.some((e) => typeof e !== 'string' || !e.includes('@'))
      ) {
        invalid('Emails must contain at least one valid email address.', '/data/attributes/emails');
        return;
      }
      const row = this.insert('prospects', { ...data.attributes }, {});
      send(201, { data: this.resource('prospects', row) });
      return;
    }
    if (collection === 'sequenceStates') {
      const rel = data.relationships ?? {};
      const ref = (name: string, type: string) => {
        const d = rel[name]?.data;
        return d && d.type === type && (typeof d.id === 'number' || typeof d.id === 'string')
          ? Number(d.id)
          : null;
      };
      const prospectId = ref('prospect', 'prospect');
      const sequenceId = ref('sequence', 'sequence');
      const mailboxId = ref('mailbox', 'mailbox');
      const prospect = this.data.prospects.find((p) => p.id === prospectId);
      if (!prospect) return invalid('Prospect must exist.', '/data/relationships/prospect');
      if (!this.data.sequences.some((s) => s.id === sequenceId))
        return invalid('Sequence must exist.', '/data/relationships/sequence');
      if (!this.data.mailboxes.some((m) => m.id === mailboxId))
        return invalid('Mailbox must exist.', '/data/relationships/mailbox');
      if (((prospect.attributes.emails as string[]) ?? []).length === 0) {
        return invalid('Prospect does not have a valid email address.', '/data/relationships/prospect');
      }
      const duplicate = this.data.sequenceStates.some(
        (s) =>
          s.relationships.prospect?.data?.id === prospectId &&
          s.relationships.sequence?.data?.id === sequenceId,
      );
      if (duplicate)
        return invalid('Prospect is already active in this sequence.', '/data/relationships/prospect');
      const id = this.addSequenceState(String(prospectId), String(sequenceId), String(mailboxId));
      const row = this.data.sequenceStates.find((s) => String(s.id) === id)!;
      send(201, { data: this.resource('sequenceStates', row) });
      return;
    }
    send(405, {
      errors: [{ id: 'methodNotAllowed', title: 'Method Not Allowed', detail: `POST /${collection}` }],
    });
  }
}

type Send = (code: number, payload: unknown, headers?: Record<string, string>) => void;
