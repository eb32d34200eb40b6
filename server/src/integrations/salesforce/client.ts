import { Connection } from '@jsforce/jsforce-node';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from '@jsforce/jsforce-node';
import {
  BACKOFF_BASE_MS,
  DEFAULT_OUTBOUND_LIMITS,
  OutboundTimeoutError,
  type OutboundLimits,
} from '../outbound';
import { readPrivateKey, signAssertion } from './jwtBearer';

/** API version of every call (issue 6; jsforce defaults to 50.0). */
export const API_VERSION = '62.0';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface SalesforceSettings {
  loginUrl: string;
  clientId: string;
  username: string;
  privateKeyPem: string;
}

/**
 * What the org said about its daily API budget (the `Sforce-Limit-Info` header of the latest
 * response) and how many calls this client made.
 */
export interface ApiUsage {
  calls: number;
  orgUsed: number | null;
  orgLimit: number | null;
}

/** Called before every API call; throws to stop the call (the budget guard). */
export type CallGuard = (usage: Readonly<ApiUsage>) => void;

export interface SalesforceClient {
  conn: Connection;
  usage: ApiUsage;
}

/** jsforce's answer: a promise that also hands out the response stream (HttpApi reads it). */
type StreamingResponse = Promise<HttpResponse> & { stream?: () => unknown };
type HttpRequester = (req: HttpRequest, options?: HttpRequestOptions) => StreamingResponse;
type WithTransport = { _transport: { httpRequest: HttpRequester } };

/**
 * Logs in with the JWT bearer flow and returns a jsforce connection whose every API call is
 * counted, checked by `guard` first, and read for `Sforce-Limit-Info`. Salesforce returns no
 * refresh token for this flow: when the session expires, jsforce calls `refreshFn`, which signs
 * a new assertion. Every call, the logins included, has the deadline of `limits`; jsforce retries
 * reads (GET, PUT, DELETE) after a lost connection or a 429/5xx, at most `limits.retries` times
 * with a doubling backoff, never a POST or PATCH.
 */
export async function connectSalesforce(
  settings: SalesforceSettings,
  guard: CallGuard = () => undefined,
  limits: OutboundLimits = DEFAULT_OUTBOUND_LIMITS,
): Promise<SalesforceClient> {
  const key = readPrivateKey(settings.privateKeyPem);
  const loginUrl = settings.loginUrl.replace(/\/+$/, '');
  const requestToken = async (conn: Connection) => {
    const assertion = await signAssertion(
      { clientId: settings.clientId, username: settings.username, loginUrl },
      key,
    );
    return conn.oauth2.requestToken({ grant_type: JWT_BEARER_GRANT, assertion });
  };
  const conn = new Connection({
    loginUrl,
    version: API_VERSION,
    oauth2: { loginUrl, clientId: settings.clientId },
    refreshFn: (c, callback) => {
      requestToken(c as Connection).then(
        (token) => callback(null, token.access_token, token),
        (error: Error) => callback(error),
      );
    },
  });
  const usage: ApiUsage = { calls: 0, orgUsed: null, orgLimit: null };
  watchCalls(conn, usage, guard, limits);
  // The logins (and the session refreshes) go through the OAuth transport: bounded, not counted.
  boundCalls((conn.oauth2 as unknown as WithTransport)._transport, limits);
  try {
    const assertion = await signAssertion(
      { clientId: settings.clientId, username: settings.username, loginUrl },
      key,
    );
    await conn.authorize({ grant_type: JWT_BEARER_GRANT, assertion });
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`Salesforce login (JWT bearer) at ${loginUrl} failed: ${reason}`);
  }
  return { conn, usage };
}

/**
 * Every REST and Bulk API call of jsforce goes through the connection's transport (the OAuth
 * token calls have a transport of their own and are not API calls): wrapping it is the one place
 * that sees them all.
 */
function watchCalls(conn: Connection, usage: ApiUsage, guard: CallGuard, limits: OutboundLimits): void {
  boundCalls((conn as unknown as WithTransport)._transport, limits, {
    before: () => {
      guard(usage);
      usage.calls += 1;
    },
    after: (pending) =>
      pending.then(
        (response) => readLimitInfo(response, usage),
        () => undefined, // the caller sees the failure
      ),
  });
}

/**
 * Gives every request of a jsforce transport the deadline and the retry bound of `limits`
 * (jsforce's own defaults are 30 minutes and 5 retries). jsforce's deadline runs until the answer
 * starts, retries included, so a large Bulk API result page may take longer to arrive; a deadline
 * that passes becomes an OutboundTimeoutError that names the call.
 */
function boundCalls(
  transport: WithTransport['_transport'],
  limits: OutboundLimits,
  hooks: { before?: () => void; after?: (pending: StreamingResponse) => void } = {},
): void {
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (req, options = {}) => {
    hooks.before?.();
    const pending = send(req, {
      ...options,
      timeout: limits.timeoutMs,
      retry: { ...options.retry, maxRetries: limits.retries, minTimeout: BACKOFF_BASE_MS, timeoutFactor: 2 },
    });
    hooks.after?.(pending);
    const what = `Salesforce (${req.method} ${new URL(req.url, 'http://localhost').pathname})`;
    const bounded = pending.catch((error: unknown) => {
      // jsforce aborts the request at the deadline and reports node-fetch's AbortError.
      if ((error as Error | null)?.name === 'AbortError')
        throw new OutboundTimeoutError(what, limits.timeoutMs);
      throw error;
    });
    return Object.assign(bounded, { stream: () => pending.stream?.() });
  };
}

function readLimitInfo(response: HttpResponse, usage: ApiUsage): void {
  const header = response.headers?.['sforce-limit-info'];
  const match = typeof header === 'string' ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
  if (!match) return;
  usage.orgUsed = Number(match[1]);
  usage.orgLimit = Number(match[2]);
}
