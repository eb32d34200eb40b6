/**
 * The origins allowed to frame the dashboard and to hand it tokens (SIGNALFIT_ALLOWED_ORIGINS).
 *
 * A pattern is `scheme://host[:port]`, where the host may start with `*.` to stand for one or more
 * subdomain labels, as in a CSP source expression: `https://*.lightning.force.com` matches
 * `https://acme.lightning.force.com` and `https://acme--dev.sandbox.lightning.force.com`, not
 * `https://lightning.force.com`. The same list becomes `Content-Security-Policy: frame-ancestors`.
 */
export const DEFAULT_ALLOWED_ORIGINS = ['https://*.lightning.force.com', 'https://*.my.salesforce.com'];

const PATTERN = /^(https?):\/\/(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?$/;

/** Splits a space- or comma-separated list; returns the bad entries so config can name them all. */
export function parseOriginPatterns(text: string): { patterns: string[]; invalid: string[] } {
  const entries = text
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase().replace(/\/$/, ''))
    .filter(Boolean);
  return {
    patterns: entries.filter((entry) => PATTERN.test(entry)),
    invalid: entries.filter((entry) => !PATTERN.test(entry)),
  };
}

/** True when `origin` (as in `MessageEvent.origin` or an `Origin` header) matches one pattern. */
export function isAllowedOrigin(origin: string, patterns: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin.toLowerCase()) return false;
  return patterns.some((pattern) => matches(url, pattern));
}

function matches(url: URL, pattern: string): boolean {
  const parts = PATTERN.exec(pattern);
  if (!parts) return false;
  const [, scheme, wildcard, host, port] = parts;
  if (url.protocol !== `${scheme}:`) return false;
  // URL leaves the port empty when it is the scheme's default, as a pattern without a port means.
  if (url.port !== (port && port !== defaultPort(scheme) ? port : '')) return false;
  if (!wildcard) return url.hostname === host;
  return url.hostname.endsWith(`.${host}`) && url.hostname.length > host!.length + 1;
}

function defaultPort(scheme: string | undefined): string {
  return scheme === 'https' ? '443' : '80';
}
