/**
 * The service's one error vocabulary. Every expected failure is an AppError with a stable
 * snake_case `code`; only `http/` maps codes to HTTP statuses, and only the CLI maps them to
 * exit codes. Anything that is not an AppError is a bug and is reported as `internal_error`.
 */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  // A job's lease was taken over (it had expired) or could not be renewed: its writes are refused.
  'lease_lost',
  'store_unavailable',
  // The embedded store's folder is open in another process (one process at a time).
  'store_locked',
  'config_invalid',
  'import_failed',
  'internal_error',
  // Embed tokens (POST /api/embed/exchange): each refusal has its own code, so the caller can tell why.
  'token_malformed',
  'token_invalid_signature',
  'token_expired',
  'token_wrong_audience',
  'token_wrong_issuer',
  'token_lifetime_too_long',
  'token_replayed',
  'embed_not_configured',
  // The dashboard's bearer access token: expired means "exchange a fresh embed token".
  'access_token_expired',
  // Outreach (issue 5): not set up on this service, not connected by this user, refused or
  // unreachable, or rate-limited past the retry bound.
  'outreach_not_configured',
  'outreach_not_connected',
  'outreach_unavailable',
  'outreach_rate_limited',
  // Too many requests from one client address or user (docs/http-api.md "Rate limits").
  'rate_limited',
  // A segment definition that is not well formed, or refers to itself through other segments
  // (details: { path } in bracket form, e.g. all[2].any[1]).
  'invalid_segment',
  // A Slack webhook that refused a message or could not be reached (alerts, "send test message").
  'slack_unavailable',
  // An orchestration definition that is not well formed or names what does not exist
  // (details: { path } in bracket form, e.g. filters.titles[1].levels[0]).
  'invalid_orchestration',
  // A provider file or setting with bad rows or values (details: { problems: [{ line, reason }] }).
  'invalid_provider',
  // A contact-data provider that refused or could not be reached.
  'provider_unavailable',
  // Salesforce refused or could not be reached (a push, not a row's own failure).
  'salesforce_unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
