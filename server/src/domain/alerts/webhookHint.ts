/**
 * How a stored webhook URL is shown: enough to recognise it, never enough to use it. Scheme and
 * host stay, the first path segment stays (`/services`), every later segment keeps its first
 * character, and the last one only its last four characters when it is long enough to spare them:
 * `https://hooks.slack.com/services/T…/B…/…abcd`. The query string is left out.
 */
export function webhookHint(url: string): string {
  const parsed = new URL(url);
  const segments = parsed.pathname.split('/').filter((segment) => segment !== '');
  const shown = segments.map((segment, index) => {
    if (index === 0 && segments.length > 1) return segment;
    if (index === segments.length - 1) return segment.length >= 12 ? `…${segment.slice(-4)}` : '…';
    return `${segment.slice(0, 1)}…`;
  });
  return `${parsed.protocol}//${parsed.host}${shown.length ? `/${shown.join('/')}` : ''}`;
}
