/** What the last answer's `X-RateLimit-*` headers said. */
export interface RateLimitState {
  limit: number | null;
  remaining: number | null;
  resetAt: Date | null;
}

/**
 * When a rate-limited call may be tried again: `Retry-After` (seconds or an HTTP date), else
 * `X-RateLimit-Reset`, whose format Outreach does not document: epoch seconds, epoch
 * milliseconds, seconds from now (small numbers) and ISO 8601 are all accepted.
 */
export function retryTimeOf(headers: Headers, now: Date): Date | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const at = parseTime(retryAfter, now, true);
    if (at) return at;
  }
  const reset = headers.get('x-ratelimit-reset');
  return reset ? parseTime(reset, now, false) : null;
}

export function rateLimitOf(headers: Headers, now: Date): RateLimitState {
  const number = (name: string) => {
    const value = headers.get(name);
    return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : null;
  };
  const reset = headers.get('x-ratelimit-reset');
  return {
    limit: number('x-ratelimit-limit'),
    remaining: number('x-ratelimit-remaining'),
    resetAt: reset ? parseTime(reset, now, false) : null,
  };
}

function parseTime(value: string, now: Date, secondsFromNow: boolean): Date | null {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    if (secondsFromNow || n < 1e9) return new Date(now.getTime() + n * 1000);
    return new Date(n >= 1e12 ? n : n * 1000);
  }
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : new Date(at);
}
