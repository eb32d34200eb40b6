import { z } from 'zod';
import type { ProviderContact } from '../../domain/orchestrations/types';
import { AppError } from '../../errors';
import {
  backoffMs,
  DEFAULT_OUTBOUND_LIMITS,
  fetchTextWithin,
  OutboundTimeoutError,
  type OutboundLimits,
} from '../outbound';
import { retryAfterMs } from '../slack/webhook';
import type { ContactProvider, PurchaseAnswer } from './provider';
import { checkProviderRow } from './providerRow';

/**
 * The `http` provider: a client of the JSON contract of docs/providers.md, which a thin adapter
 * puts in front of any vendor. Every answer is checked with zod; a row that is not valid is
 * dropped (and told to `onBadRow`), never offered.
 *
 * Retries: a timeout, a lost connection or a 5xx is tried again up to `limits.retries` times with
 * a doubling backoff, and a 429 waits out its Retry-After up to a bound. Search is a read, so that
 * is always safe. Purchase is retried too, but only because the contract makes it idempotent by
 * its key: a retry of a purchase the vendor did carry out gets the same answer and no second
 * charge. Any other refusal is final. Every failure is `provider_unavailable`, naming the provider.
 */
export interface HttpProviderOptions {
  name: string;
  /** The adapter's base URL; `/search` and `/purchase` are under it. */
  url: string;
  /** Sent as `Authorization: Bearer <token>` when given. */
  token: string | null;
  fetch?: typeof fetch;
  limits?: OutboundLimits;
  /** First retry's wait after a timeout or a 5xx (doubling after). Default 500 ms. */
  backoffBaseMs?: number;
  /** Longest Retry-After waited; a longer one gives up. Default 30 s. */
  maxRetryAfterMs?: number;
  /** How many 429s one request waits out. Default 5. */
  maxRateLimitWaits?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told of each row of an answer that is dropped because it is not valid. */
  onBadRow?: (bad: BadAnswerRow) => void;
}

export interface BadAnswerRow {
  request: 'search' | 'purchase';
  /** The row's provider_id when it has a usable one. */
  providerId: string | null;
  reason: string;
}

/** The most domains one search request carries, and ids one purchase request (the contract's limits). */
export const SEARCH_BATCH = 1000;
export const PURCHASE_BATCH = 100;
/** Pages of one search followed at most: a cursor that never ends is the adapter's bug, not a wait. */
const MAX_PAGES = 10_000;

const searchAnswer = z.object({
  contacts: z.array(z.unknown()),
  next: z.string().min(1).nullable().optional(),
});
const purchaseAnswer = z.object({
  purchased: z.array(z.unknown()),
  failed: z.array(z.object({ provider_id: z.union([z.string(), z.number()]), error: z.string() })),
});
const errorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** What each refusal means for the user, after the vendor's own words. */
const HINTS: Record<number, string> = {
  400: 'the adapter refused the request as malformed',
  401: 'the token was refused: set the right one (providers add --token-env)',
  402: 'the vendor account has no credits left: top it up at the vendor',
};

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function httpProvider(options: HttpProviderOptions): ContactProvider {
  const { name } = options;
  const fetchImpl = options.fetch ?? fetch;
  const limits = options.limits ?? DEFAULT_OUTBOUND_LIMITS;
  const sleep = options.sleep ?? sleepFor;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const maxWaits = options.maxRateLimitWaits ?? 5;
  const base = options.url.replace(/\/+$/, '');
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const unavailable = (message: string, details?: unknown) =>
    new AppError('provider_unavailable', `${name}: ${message}`, details);

  /** One POST to the contract, tried again as the class comment says; the parsed JSON of a 2xx. */
  async function post(endpoint: 'search' | 'purchase', body: object): Promise<unknown> {
    let retries = 0;
    let waits = 0;
    for (;;) {
      let answer: { response: Response; text: string };
      try {
        answer = await fetchTextWithin(
          fetchImpl,
          `${base}/${endpoint}`,
          { method: 'POST', headers, body: JSON.stringify(body) },
          limits.timeoutMs,
          name,
        );
      } catch (error) {
        if (retries < limits.retries) {
          await sleep(backoffMs(retries++, options.backoffBaseMs));
          continue;
        }
        const tries = `${retries + 1} ${retries === 0 ? 'try' : 'tries'}`;
        throw error instanceof OutboundTimeoutError
          ? unavailable(`${endpoint} got no answer within ${error.timeoutMs} ms (${tries})`)
          : unavailable(`${endpoint} could not reach ${base} (${tries}): ${(error as Error).message}`);
      }
      const { response, text } = answer;
      if (response.ok) {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw unavailable(`${endpoint} answered ${response.status} with a body that is not JSON`);
        }
      }
      if (response.status === 429) {
        const wait = retryAfterMs(response.headers.get('retry-after'));
        if (waits < maxWaits && wait <= maxRetryAfterMs) {
          waits += 1;
          await sleep(wait);
          continue;
        }
      } else if (response.status >= 500 && retries < limits.retries) {
        await sleep(backoffMs(retries++, options.backoffBaseMs));
        continue;
      }
      throw refusal(endpoint, response, text, waits);
    }
  }

  function refusal(endpoint: string, response: Response, text: string, waits: number): AppError {
    const parsed = errorAnswer.safeParse(safeJson(text));
    const said = parsed.success
      ? `${parsed.data.error.code}: ${parsed.data.error.message}`
      : text.trim().slice(0, 200) || response.statusText;
    const status = response.status;
    const hint =
      status === 429
        ? `still rate limited after ${waits} waits (Retry-After ${response.headers.get('retry-after') ?? 'not given'}): try again later`
        : (HINTS[status] ??
          (status >= 500 ? 'the vendor failed: try again later' : 'the request was refused'));
    return unavailable(`${endpoint} answered ${status} (${said}): ${hint}`, { status });
  }

  /** The valid rows of an answer, and the bad ones (told to `onBadRow`, never offered). */
  function checkRows(request: BadAnswerRow['request'], rows: unknown[]) {
    const valid: ProviderContact[] = [];
    const bad: BadAnswerRow[] = [];
    rows.forEach((row, i) => {
      const fields = row !== null && typeof row === 'object' ? (row as Record<string, unknown>) : {};
      const checked = checkProviderRow(fields);
      if (checked.ok) {
        valid.push(checked.contact);
        return;
      }
      const id = fields.provider_id;
      const problem: BadAnswerRow = {
        request,
        providerId: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
        reason: `row ${i + 1} of the answer: ${checked.reason}`,
      };
      bad.push(problem);
      options.onBadRow?.(problem);
    });
    return { valid, bad };
  }

  return {
    name,
    async search(domains) {
      const unique = [...new Set(domains)];
      const found = new Map<string, ProviderContact>();
      for (let at = 0; at < unique.length; at += SEARCH_BATCH) {
        const batch = unique.slice(at, at + SEARCH_BATCH);
        let cursor: string | null = null;
        const seen = new Set<string>();
        for (let page = 0; ; page++) {
          if (page >= MAX_PAGES)
            throw unavailable(`search gave more than ${MAX_PAGES} pages for one request`);
          const body: object = cursor === null ? { domains: batch } : { domains: batch, cursor };
          const parsed = searchAnswer.safeParse(await post('search', body));
          if (!parsed.success) {
            throw unavailable(
              `search answered a body that is not the contract's: ${parsed.error.issues[0]?.message}`,
            );
          }
          for (const contact of checkRows('search', parsed.data.contacts).valid) {
            if (!found.has(contact.providerId)) found.set(contact.providerId, contact);
          }
          const next = parsed.data.next ?? null;
          if (next === null) break;
          if (seen.has(next)) throw unavailable(`search gave the cursor ${JSON.stringify(next)} twice`);
          seen.add(next);
          cursor = next;
        }
      }
      return [...found.values()];
    },

    async purchase(providerIds, idempotencyKey) {
      const unique = [...new Set(providerIds)];
      const answers = new Map<string, PurchaseAnswer>();
      for (let at = 0; at < unique.length; at += PURCHASE_BATCH) {
        const batch = unique.slice(at, at + PURCHASE_BATCH);
        // One key per batch, the same for the same ids in the same order (a rerun after a crash).
        const key =
          unique.length <= PURCHASE_BATCH ? idempotencyKey : `${idempotencyKey}/${at / PURCHASE_BATCH + 1}`;
        const parsed = purchaseAnswer.safeParse(await post('purchase', { ids: batch, idempotency_key: key }));
        if (!parsed.success) {
          throw unavailable(
            `purchase answered a body that is not the contract's: ${parsed.error.issues[0]?.message}`,
          );
        }
        const asked = new Set(batch);
        for (const failed of parsed.data.failed) {
          const providerId = String(failed.provider_id);
          if (asked.has(providerId))
            answers.set(providerId, { providerId, ok: false, error: `${name}: ${failed.error}` });
        }
        const { valid, bad } = checkRows('purchase', parsed.data.purchased);
        for (const contact of valid) {
          if (asked.has(contact.providerId)) {
            answers.set(contact.providerId, {
              providerId: contact.providerId,
              ok: true,
              contact,
              cost: contact.cost,
            });
          }
        }
        for (const row of bad) {
          if (row.providerId !== null && asked.has(row.providerId) && !answers.has(row.providerId)) {
            answers.set(row.providerId, {
              providerId: row.providerId,
              ok: false,
              error: `${name}: the purchased row is not valid (${row.reason}): not used`,
            });
          }
        }
      }
      return unique.map(
        (providerId) =>
          answers.get(providerId) ?? {
            providerId,
            ok: false,
            error: `${name}: the purchase answer says nothing of this id: not bought`,
          },
      );
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
