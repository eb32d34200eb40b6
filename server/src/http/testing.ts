import { createLogger, type Logger } from '../logger';
import type { RateLimits } from './rateLimits';

/**
 * Rate limits raised out of reach, for tests and benchmarks that drive one app hard from one
 * address (browser tests, load). The limits themselves are tested in rateLimits.test.ts.
 */
export const RAISED_RATE_LIMITS: RateLimits = {
  signInPerMinute: 100_000_000,
  embedPerMinute: 100_000_000,
  apiPerMinute: 100_000_000,
};
/** The same as environment variables, for a service started as its own process. */
export const RAISED_RATE_LIMIT_ENV = {
  SIGNALFIT_RATE_LIMIT_SIGNIN_PER_MINUTE: String(RAISED_RATE_LIMITS.signInPerMinute),
  SIGNALFIT_RATE_LIMIT_EMBED_PER_MINUTE: String(RAISED_RATE_LIMITS.embedPerMinute),
  SIGNALFIT_RATE_LIMIT_API_PER_MINUTE: String(RAISED_RATE_LIMITS.apiPerMinute),
};

/** A logger that keeps its JSON lines in memory, for tests that check what gets logged. */
export interface CapturedLogger {
  logger: Logger;
  /** Every line logged so far, parsed. */
  entries(): Record<string, unknown>[];
  /** Every line logged so far, raw (to check that a secret appears nowhere). */
  text(): string;
}

export function captureLogger(level = 'debug'): CapturedLogger {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) });
  return {
    logger,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => lines.join(''),
  };
}
