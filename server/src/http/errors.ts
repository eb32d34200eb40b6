import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, isAppError, type ErrorCode } from '../errors';
import { describeIssues, inputIssues } from './validate';

/** Every error response has this body (one error vocabulary). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * The only place an error code becomes an HTTP status. A total record on purpose: a code added
 * to `ERROR_CODES` does not compile until someone decides its status here.
 */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  lease_lost: 409,
  store_unavailable: 503,
  store_locked: 503,
  config_invalid: 500,
  import_failed: 500,
  internal_error: 500,
  token_malformed: 401,
  token_invalid_signature: 401,
  token_expired: 401,
  token_wrong_audience: 401,
  token_wrong_issuer: 401,
  token_lifetime_too_long: 401,
  token_replayed: 401,
  embed_not_configured: 503,
  access_token_expired: 401,
  outreach_not_configured: 503,
  outreach_not_connected: 409,
  outreach_unavailable: 502,
  outreach_rate_limited: 429,
  rate_limited: 429,
  invalid_segment: 400,
  slack_unavailable: 502,
  invalid_orchestration: 400,
  invalid_provider: 400,
  provider_unavailable: 502,
  salesforce_unavailable: 502,
};

export function httpStatusFor(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

/** Unknown routes: answered like every other error, naming what was asked for. */
export const notFound: RequestHandler = (req, _res, next) => {
  // req.path leaves the query string out: it may carry values that do not belong in a response.
  next(new AppError('not_found', `no route for ${req.method} ${req.path}`));
};

/**
 * Answers every error as `{ error: { code, message, details? } }`. AppError messages are written
 * for clients and passed on; anything else is a bug: it is logged with the request and answered
 * with a generic message, so internals (SQL, hosts, stack traces) never leak.
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  const appError = toAppError(error);
  const status = httpStatusFor(appError.code);
  if (status >= 500) {
    // pino-http logs `res.err` with the request line once the response ends.
    res.err = error instanceof Error ? error : new Error(String(error));
  }
  if (res.headersSent) {
    // Too late for an error body: let Express cut the connection so the client sees a failure.
    next(error);
    return;
  }
  const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
  if (appError.details !== undefined) body.error.details = appError.details;
  res.status(status).json(body);
};

function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof ZodError) {
    const issues = inputIssues(error);
    return new AppError('validation_failed', describeIssues(issues), issues);
  }
  const clientError = bodyParserError(error);
  if (clientError) return clientError;
  return new AppError('internal_error', 'internal error');
}

/** Errors the body parser (express.json) raises for a bad request body: the client's fault. */
export function bodyParserError(error: unknown): AppError | undefined {
  if (!(error instanceof Error) || !('status' in error) || typeof error.status !== 'number') return undefined;
  if (error.status < 400 || error.status >= 500 || !('expose' in error) || error.expose !== true)
    return undefined;
  const type = 'type' in error ? error.type : undefined;
  if (type === 'entity.parse.failed') return new AppError('bad_request', 'request body is not valid JSON');
  if (type === 'entity.too.large') {
    const limit = 'limit' in error && typeof error.limit === 'number' ? ` (limit ${error.limit} bytes)` : '';
    return new AppError('bad_request', `request body is too large${limit}`);
  }
  // Unsupported charset or encoding, aborted upload: http-errors marks these safe to expose.
  return new AppError('bad_request', error.message);
}
