/**
 * How long an outbound call may wait and how often a safe one is tried again
 * (docs/configuration.md: SIGNALFIT_OUTBOUND_TIMEOUT_MS, SIGNALFIT_OUTBOUND_RETRIES). Every call to
 * Outreach and Salesforce has a deadline, so a partner that stops answering costs a request its
 * timeout, never a hung request, a held connection or a held lock.
 */
export interface OutboundLimits {
  /** Longest wait for one answer, body included (ms). */
  timeoutMs: number;
  /** Most retries of a call that is safe to repeat (a read), after a timeout, a lost connection or a 5xx. */
  retries: number;
}

export const DEFAULT_OUTBOUND_LIMITS: OutboundLimits = { timeoutMs: 15_000, retries: 2 };

/** The first retry waits this long, each next one twice as long as the one before. */
export const BACKOFF_BASE_MS = 500;

/** The wait before retry number `retry` (0 for the first). */
export function backoffMs(retry: number, baseMs = BACKOFF_BASE_MS): number {
  return baseMs * 2 ** retry;
}

/** A partner that did not answer in time. */
export class OutboundTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what} did not answer within ${timeoutMs} ms`);
    this.name = 'OutboundTimeoutError';
  }
}

/**
 * One HTTP request and its whole body within `timeoutMs`: the request is aborted at the deadline
 * (and the wait ends then even for a `fetchImpl` that ignores the signal). `what` names the
 * partner in the timeout's message.
 */
export async function fetchTextWithin(
  fetchImpl: typeof fetch,
  url: URL | string,
  init: RequestInit,
  timeoutMs: number,
  what: string,
): Promise<{ response: Response; text: string }> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new OutboundTimeoutError(what, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        const response = await fetchImpl(url, { ...init, signal: controller.signal });
        return { response, text: await response.text() };
      })(),
      deadline,
    ]);
  } catch (error) {
    if (controller.signal.aborted) throw new OutboundTimeoutError(what, timeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
