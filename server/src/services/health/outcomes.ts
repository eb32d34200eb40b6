/** When something last worked and when it last failed, with a short reason. */
export interface Outcome {
  at: string;
  reason?: string;
}

export interface OutcomeSnapshot {
  lastSuccess: Outcome | null;
  lastFailure: Outcome | null;
}

/** Longest reason shown: enough to say what went wrong, too short to carry a payload. */
const MAX_REASON = 160;

/**
 * A reason fit for an unauthenticated probe: one line, URLs cut to their origin (a query string
 * may carry a code or a token), bearer tokens and long secrets-looking runs masked, and bounded.
 */
export function shortReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n', 1)[0]!.trim();
  const safe = line
    .replace(/\b(https?:\/\/[^/\s?#]+)[^\s]*/gi, '$1')
    .replace(/\bbearer\s+\S+/gi, 'Bearer …')
    .replace(/[A-Za-z0-9_\-.+/=]{40,}/g, '…');
  return safe.length > MAX_REASON ? `${safe.slice(0, MAX_REASON - 1)}…` : safe;
}

/**
 * The outcomes of one integration in this process (Outreach calls, scoring runs): for facts
 * the store does not keep. Lost at a restart, which /readyz says by showing null.
 */
export class OutcomeRecord {
  private success: Outcome | null = null;
  private failure: Outcome | null = null;

  constructor(private readonly now: () => Date = () => new Date()) {}

  succeeded(): void {
    this.success = { at: this.now().toISOString() };
  }

  failed(reason: unknown): void {
    this.failure = { at: this.now().toISOString(), reason: shortReason(reason) };
  }

  snapshot(): OutcomeSnapshot {
    return { lastSuccess: this.success, lastFailure: this.failure };
  }
}
