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
  'store_unavailable',
  'config_invalid',
  'import_failed',
  'internal_error',
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
