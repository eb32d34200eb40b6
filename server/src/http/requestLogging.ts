import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LevelWithSilent } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Logger } from '../logger';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * An id from upstream (a proxy, the Salesforce component, a caller) is kept so one request can be
 * followed across systems, but only if it is short and plain: it goes into every log line.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The incoming `X-Request-Id` when it is a sane token, else a fresh UUID. */
export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Header and query names whose values are credentials (`keyword` is not: no bare `key`). */
const SECRET_NAME =
  /authorization|cookie|token|secret|password|api-?key|signature|session|jwt|assertion|credential/i;
/**
 * Query parameters that are credentials under a plain name: the OAuth `code` and `state` of the
 * Outreach callback, and the single-use `ticket` of the connect link. Whoever reads them in a log
 * could finish someone else's connection.
 */
const SECRET_PARAM = /^(code|state|ticket)$/i;
/** Headers that carry a URL whose query may hold those parameters. */
const URL_HEADER = /^(location|referer|content-location)$/i;
const REDACTED = '[redacted]';

/**
 * JSON request logs with pino-http: one line per request with its id, status and time. Every line
 * of the request, including what handlers log through `req.log`, carries the id.
 */
export function requestLogging(logger: Logger, version: string): HttpLogger {
  return pinoHttp({
    logger: logger.child({ version }),
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const id = requestIdFor(req.headers['x-request-id']);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customLogLevel: logLevelFor,
    // The logger redacts authorization and cookie by path; this also catches secrets sent under
    // other header names or in the query string, which pino's path redaction cannot know.
    serializers: { req: serializeRequest, res: serializeResponse },
  });
}

function logLevelFor(req: IncomingMessage, res: ServerResponse, error?: Error): LevelWithSilent {
  if (error || res.statusCode >= 500) return 'error';
  // Orchestrators poll the probes every few seconds; a healthy answer is not news.
  if (res.statusCode < 400 && /^\/(healthz|readyz)(\?|$)/.test(originalUrl(req))) return 'debug';
  return 'info';
}

function originalUrl(req: IncomingMessage): string {
  // Express rewrites req.url inside mounted routers; originalUrl is what the client sent.
  if ('originalUrl' in req && typeof req.originalUrl === 'string') return req.originalUrl;
  return req.url ?? '';
}

/** The standard serialized request (pino-http wraps our serializer around it). */
interface SerializedRequest {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: Record<string, unknown>;
  remoteAddress?: unknown;
  remotePort?: unknown;
}

function serializeRequest(req: SerializedRequest) {
  return {
    id: req.id,
    method: req.method,
    url: typeof req.url === 'string' ? redactQuery(req.url) : req.url,
    headers: redactHeaders(req.headers),
    remoteAddress: req.remoteAddress,
    remotePort: req.remotePort,
  };
}

/** The response as pino-http serializes it, with the redirect to Outreach (it carries `state`) redacted. */
function serializeResponse(res: { statusCode?: unknown; headers?: Record<string, unknown> }) {
  return { statusCode: res.statusCode, headers: redactHeaders(res.headers) };
}

function redactHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (SECRET_NAME.test(name)) kept[name] = REDACTED;
    else if (URL_HEADER.test(name) && typeof value === 'string') kept[name] = redactQuery(value);
    else kept[name] = value;
  }
  return kept;
}

/** Replaces the values of credential-like query parameters, keeping the rest byte for byte. */
export function redactQuery(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const pairs = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = safeDecode(pair.slice(0, eq));
      return SECRET_NAME.test(name) || SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    });
  return `${url.slice(0, start)}?${pairs.join('&')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
