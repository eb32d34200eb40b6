import { z } from 'zod';
import { backoffMs, DEFAULT_OUTBOUND_LIMITS, fetchTextWithin, OutboundTimeoutError } from '../outbound';
import { OutreachApiError, parseOutreachErrors } from './errors';
import { rateLimitOf, retryTimeOf, type RateLimitState } from './rateLimit';

/**
 * A typed client of the Outreach REST API v2 (JSON:API). Every request
 * carries `Content-Type: application/vnd.api+json`; every answer is validated with zod; errors
 * become OutreachApiError with both `detail` and `details` read; lists follow `links.next`
 * cursors; a 429 is retried after its reset time when that is within `maxRateLimitWaitMs`.
 * Every call has a deadline (`timeoutMs`). A read (GET) that times out, loses its connection or
 * gets a 5xx is tried again up to `retries` times with a doubling backoff (or the `Retry-After`
 * it was given); a create (POST) is never repeated after such a failure, because Outreach may
 * have done it: the caller's search-before-create finds it on the next run instead.
 */
export const JSON_API = 'application/vnd.api+json';
/** Most values in one `filter[…]=a,b,c` and the page size asked for. */
export const FILTER_BATCH = 50;

export interface OutreachClientOptions {
  /** REST base, e.g. https://api.outreach.io/api/v2. */
  apiUrl: string;
  /** The user's current access token (the caller refreshes it before it expires). */
  accessToken: () => Promise<string>;
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Longest wait for a rate limit to reset before giving up (default 15 s). */
  maxRateLimitWaitMs?: number;
  /** Most retries of one rate-limited call (default 2). */
  maxRateLimitRetries?: number;
  /** Most pages one list reads (default 20). */
  maxPages?: number;
  /** Longest wait for one answer (default 15 s). */
  timeoutMs?: number;
  /** Most retries of a failed read: timeout, lost connection, 5xx (default 2). */
  retries?: number;
  /** Called after every answer (tests and logs count calls). */
  onResponse?: (info: { method: string; path: string; status: number }) => void;
  /** Watches every call's outcome and rate-limit wait (metrics, /readyz). */
  observer?: OutreachCallObserver;
}

/** Status 0: no answer (timeout, lost connection). */
export interface OutreachCallObserver {
  answered(info: { method: string; status: number; error?: OutreachApiError }): void;
  rateLimitWait(ms: number): void;
}

const id = z.union([z.number(), z.string()]).transform(String);
const relationship = z.looseObject({ data: z.looseObject({ type: z.string(), id }).nullish() }).optional();
const resource = <A extends z.ZodType>(attributes: A) =>
  z.looseObject({
    type: z.string(),
    id,
    attributes,
    relationships: z.record(z.string(), relationship).optional(),
  });
const listOf = <R extends z.ZodType>(item: R) =>
  z.looseObject({
    data: z.array(item),
    links: z.looseObject({ next: z.string().nullish() }).optional(),
  });
const oneOf = <R extends z.ZodType>(item: R) => z.looseObject({ data: item });

const prospectResource = resource(
  z.looseObject({
    emails: z.array(z.string()).nullish(),
    firstName: z.string().nullish(),
    lastName: z.string().nullish(),
    title: z.string().nullish(),
  }),
);
const sequenceResource = resource(
  z.looseObject({
    name: z.string().nullish(),
    enabled: z.boolean().nullish(),
    sequenceType: z.string().nullish(),
    shareType: z.string().nullish(),
    locked: z.boolean().nullish(),
  }),
);
const mailboxResource = resource(
  z.looseObject({
    email: z.string().nullish(),
    userId: z.union([z.number(), z.string()]).nullish(),
    sendDisabled: z.boolean().nullish(),
  }),
);
const sequenceStateResource = resource(
  z.looseObject({ state: z.string().nullish(), createdAt: z.string().nullish() }),
);
const userResource = resource(
  z.looseObject({
    email: z.string().nullish(),
    firstName: z.string().nullish(),
    lastName: z.string().nullish(),
  }),
);

export interface Prospect {
  id: string;
  emails: string[];
}
export interface Sequence {
  id: string;
  name: string;
  enabled: boolean;
  sequenceType: string | null;
  shareType: string | null;
}
export interface Mailbox {
  id: string;
  email: string | null;
  userId: string | null;
  sendDisabled: boolean;
}
export interface SequenceState {
  id: string;
  state: string | null;
  prospectId: string | null;
  sequenceId: string | null;
  mailboxId: string | null;
}
export interface OutreachUser {
  id: string;
  email: string | null;
}

export interface NewProspect {
  firstName: string | null;
  lastName: string | null;
  email: string;
  title: string | null;
  company: string | null;
}

export class OutreachClient {
  /** The rate-limit headers of the last answer. */
  rateLimit: RateLimitState = { limit: null, remaining: null, resetAt: null };
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly base: URL;

  constructor(private readonly options: OutreachClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.base = new URL(options.apiUrl.replace(/\/+$/, '') + '/');
  }

  /** Prospects that have any of `emails`, in filters of FILTER_BATCH addresses. */
  async findProspectsByEmails(emails: readonly string[]): Promise<Prospect[]> {
    const found: Prospect[] = [];
    for (const batch of chunks(unique(emails), FILTER_BATCH)) {
      const items = await this.list('prospects', prospectResource, {
        'filter[emails]': batch.join(','),
      });
      found.push(...items.map((p) => ({ id: p.id, emails: p.attributes.emails ?? [] })));
    }
    return found;
  }

  async createProspect(prospect: NewProspect): Promise<Prospect> {
    const attributes: Record<string, unknown> = { emails: [prospect.email] };
    if (prospect.firstName) attributes.firstName = prospect.firstName;
    if (prospect.lastName) attributes.lastName = prospect.lastName;
    if (prospect.title) attributes.title = prospect.title;
    if (prospect.company) attributes.company = prospect.company;
    const created = await this.send('POST', 'prospects', oneOf(prospectResource), {
      data: { type: 'prospect', attributes },
    });
    return { id: created.data.id, emails: created.data.attributes.emails ?? [prospect.email] };
  }

  /** The sequence states of these prospects in one sequence. */
  async findSequenceStates(props: {
    prospectIds: readonly string[];
    sequenceId: string;
  }): Promise<SequenceState[]> {
    const found: SequenceState[] = [];
    for (const batch of chunks(unique(props.prospectIds), FILTER_BATCH)) {
      const items = await this.list('sequenceStates', sequenceStateResource, {
        'filter[prospect][id]': batch.join(','),
        'filter[sequence][id]': props.sequenceId,
      });
      found.push(...items.map(toSequenceState));
    }
    return found;
  }

  async createSequenceState(props: {
    prospectId: string;
    sequenceId: string;
    mailboxId: string;
  }): Promise<SequenceState> {
    const created = await this.send('POST', 'sequenceStates', oneOf(sequenceStateResource), {
      data: {
        type: 'sequenceState',
        relationships: {
          prospect: { data: { type: 'prospect', id: jsonId(props.prospectId) } },
          sequence: { data: { type: 'sequence', id: jsonId(props.sequenceId) } },
          mailbox: { data: { type: 'mailbox', id: jsonId(props.mailboxId) } },
        },
      },
    });
    const state = toSequenceState(created.data);
    return {
      ...state,
      prospectId: state.prospectId ?? props.prospectId,
      sequenceId: state.sequenceId ?? props.sequenceId,
      mailboxId: state.mailboxId ?? props.mailboxId,
    };
  }

  /** Sequences sorted by name (only enabled ones unless `enabledOnly` is false). */
  async listSequences(props: { enabledOnly?: boolean } = {}): Promise<Sequence[]> {
    const query: Record<string, string> = { sort: 'name' };
    if (props.enabledOnly !== false) query['filter[enabled]'] = 'true';
    const items = await this.list('sequences', sequenceResource, query);
    return items.map((s) => ({
      id: s.id,
      name: s.attributes.name ?? `Sequence ${s.id}`,
      enabled: s.attributes.enabled ?? false,
      sequenceType: s.attributes.sequenceType ?? null,
      shareType: s.attributes.shareType ?? null,
    }));
  }

  async listMailboxes(filter: { userId: string } | { email: string }): Promise<Mailbox[]> {
    const query: Record<string, string> =
      'userId' in filter ? { 'filter[userId]': filter.userId } : { 'filter[email]': filter.email };
    const items = await this.list('mailboxes', mailboxResource, query);
    return items.map((m) => ({
      id: m.id,
      email: m.attributes.email ?? null,
      userId: m.attributes.userId == null ? null : String(m.attributes.userId),
      sendDisabled: m.attributes.sendDisabled ?? false,
    }));
  }

  async findUserByEmail(email: string): Promise<OutreachUser | null> {
    const items = await this.list('users', userResource, { 'filter[email]': email }, 1);
    const user = items[0];
    return user ? { id: user.id, email: user.attributes.email ?? null } : null;
  }

  /** GET a collection, following `links.next` (same origin only) up to `maxPages` pages. */
  private async list<R extends z.ZodType>(
    path: string,
    item: R,
    query: Record<string, string>,
    maxPages = this.options.maxPages ?? 20,
  ): Promise<z.output<R>[]> {
    const url = this.url(path);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    url.searchParams.set('page[size]', String(FILTER_BATCH));
    url.searchParams.set('count', 'false');
    const items: z.output<R>[] = [];
    let next: URL | null = url;
    for (let page = 0; next && page < maxPages; page++) {
      const body: z.output<ReturnType<typeof listOf<R>>> = await this.call('GET', next, listOf(item));
      items.push(...body.data);
      next = body.links?.next ? this.sameOrigin(body.links.next) : null;
    }
    return items;
  }

  private send<S extends z.ZodType>(method: 'POST', path: string, schema: S, body: unknown) {
    return this.call(method, this.url(path), schema, body);
  }

  private async call<S extends z.ZodType>(
    method: string,
    url: URL,
    schema: S,
    body?: unknown,
  ): Promise<z.output<S>> {
    const maxRetries = this.options.maxRateLimitRetries ?? 2;
    const maxWait = this.options.maxRateLimitWaitMs ?? 15_000;
    // Only a read is safe to send again after a failure whose effect is unknown.
    const maxFailureRetries =
      method === 'GET' ? (this.options.retries ?? DEFAULT_OUTBOUND_LIMITS.retries) : 0;
    let failures = 0;
    let attempt = 0; // rate-limited answers waited out
    for (;;) {
      let answer: { response: Response; text: string };
      try {
        answer = await this.fetchOnce(method, url, body);
      } catch (error) {
        if (error instanceof OutreachApiError) this.options.observer?.answered({ method, status: 0, error });
        if (error instanceof OutreachApiError && failures < maxFailureRetries) {
          await this.sleep(backoffMs(failures++));
          continue;
        }
        throw error;
      }
      const { response, text } = answer;
      const now = this.now();
      this.rateLimit = rateLimitOf(response.headers, now);
      this.options.onResponse?.({ method, path: url.pathname, status: response.status });
      this.options.observer?.answered({ method, status: response.status });
      if (response.status >= 500 && failures < maxFailureRetries) {
        // Retry-After when the answer has one (X-RateLimit-Reset is about the rate window, not this).
        const retryAt = response.headers.has('retry-after') ? retryTimeOf(response.headers, now) : null;
        const wait = retryAt ? Math.max(0, retryAt.getTime() - now.getTime()) : backoffMs(failures);
        if (wait <= maxWait) {
          failures++;
          await this.sleep(wait);
          continue;
        }
      }
      if (response.ok) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new OutreachApiError(response.status, [
            {
              id: 'invalidResponse',
              title: null,
              detail: 'Outreach answered with a body that is not JSON',
              pointer: null,
            },
          ]);
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success) {
          throw new OutreachApiError(response.status, [
            {
              id: 'invalidResponse',
              title: null,
              detail: `Outreach's answer to ${method} ${url.pathname} is not as documented: ${parsed.error.issues
                .slice(0, 3)
                .map((i) => `${i.path.join('.')}: ${i.message}`)
                .join('; ')}`,
              pointer: null,
            },
          ]);
        }
        return parsed.data;
      }
      const errors = parseOutreachErrors(text);
      if (response.status === 429) {
        const retryAt = retryTimeOf(response.headers, now) ?? new Date(now.getTime() + 60_000);
        const wait = Math.max(0, retryAt.getTime() - now.getTime());
        if (attempt < maxRetries && wait <= maxWait) {
          attempt++;
          this.options.observer?.rateLimitWait(wait);
          await this.sleep(wait);
          continue;
        }
        throw new OutreachApiError(429, errors, retryAt);
      }
      throw new OutreachApiError(response.status, errors);
    }
  }

  /** One request and its body within the deadline; a timeout or a lost connection is status 0. */
  private async fetchOnce(
    method: string,
    url: URL,
    body?: unknown,
  ): Promise<{ response: Response; text: string }> {
    const token = await this.options.accessToken();
    try {
      return await fetchTextWithin(
        this.fetchImpl,
        url,
        {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': JSON_API,
            Accept: JSON_API,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        },
        this.options.timeoutMs ?? DEFAULT_OUTBOUND_LIMITS.timeoutMs,
        `Outreach (${method} ${url.pathname})`,
      );
    } catch (error) {
      const timedOut = error instanceof OutboundTimeoutError;
      throw new OutreachApiError(0, [
        {
          id: timedOut ? 'timeout' : 'unreachable',
          title: null,
          detail: timedOut ? error.message : `Outreach unreachable: ${(error as Error).message}`,
          pointer: null,
        },
      ]);
    }
  }

  private url(path: string): URL {
    return new URL(path, this.base);
  }

  /** A `links.next` is followed only on the API's own origin: the bearer token goes nowhere else. */
  private sameOrigin(link: string): URL | null {
    const url = new URL(link, this.base);
    return url.origin === this.base.origin ? url : null;
  }
}

function toSequenceState(s: z.output<typeof sequenceStateResource>): SequenceState {
  const rel = (name: string) => s.relationships?.[name]?.data?.id ?? null;
  return {
    id: s.id,
    state: s.attributes.state ?? null,
    prospectId: rel('prospect'),
    sequenceId: rel('sequence'),
    mailboxId: rel('mailbox'),
  };
}

/** Outreach ids are integers: sent as JSON numbers when they are, as given otherwise. */
function jsonId(value: string): number | string {
  return /^\d{1,15}$/.test(value) ? Number(value) : value;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
