import { Connection } from 'jsforce';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
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

type HttpRequester = (req: HttpRequest, options?: HttpRequestOptions) => Promise<HttpResponse>;

/**
 * Logs in with the JWT bearer flow and returns a jsforce connection whose every API call is
 * counted, checked by `guard` first, and read for `Sforce-Limit-Info`. Salesforce returns no
 * refresh token for this flow: when the session expires, jsforce calls `refreshFn`, which signs
 * a new assertion.
 */
export async function connectSalesforce(
  settings: SalesforceSettings,
  guard: CallGuard = () => undefined,
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
  watchCalls(conn, usage, guard);
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
function watchCalls(conn: Connection, usage: ApiUsage, guard: CallGuard): void {
  const transport = conn._transport as unknown as { httpRequest: HttpRequester };
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (req, options) => {
    guard(usage);
    usage.calls += 1;
    const pending = send(req, options);
    pending.then(
      (response) => readLimitInfo(response, usage),
      () => undefined, // the caller sees the failure
    );
    return pending;
  };
}

function readLimitInfo(response: HttpResponse, usage: ApiUsage): void {
  const header = response.headers?.['sforce-limit-info'];
  const match = typeof header === 'string' ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
  if (!match) return;
  usage.orgUsed = Number(match[1]);
  usage.orgLimit = Number(match[2]);
}
