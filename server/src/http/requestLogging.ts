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
    serializers: { req: serializeRequest },
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
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(req.headers ?? {}))
    headers[name] = SECRET_NAME.test(name) ? REDACTED : value;
  return {
    id: req.id,
    method: req.method,
    url: typeof req.url === 'string' ? redactQuery(req.url) : req.url,
    headers,
    remoteAddress: req.remoteAddress,
    remotePort: req.remotePort,
  };
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
      return SECRET_NAME.test(safeDecode(pair.slice(0, eq))) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
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
