import { createLogger, type Logger } from '../logger';

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
