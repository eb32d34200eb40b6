/**
 * The postMessage protocol between the Salesforce panel (parent) and this page (frame), as the
 * panel speaks it (force-app/main/default/lwc/signalfitEmbedUtils):
 *   parent → frame  { type: 'signalfit:token', token }
 *   frame → parent  { type: 'signalfit:ready' } | { type: 'signalfit:height', height }
 *                   { type: 'signalfit:navigate', recordId, objectApiName }
 *                   { type: 'signalfit:token-expired' } | { type: 'signalfit:error', message, code? }
 * Tokens are accepted only from the parent window, at an origin the service allows.
 */
export const MESSAGE_TYPES = Object.freeze({
  TOKEN: 'signalfit:token',
  READY: 'signalfit:ready',
  HEIGHT: 'signalfit:height',
  NAVIGATE: 'signalfit:navigate',
  TOKEN_EXPIRED: 'signalfit:token-expired',
  ERROR: 'signalfit:error',
});

const PATTERN = /^(https?):\/\/(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?$/;
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The origin patterns the service wrote into the page (SIGNALFIT_ALLOWED_ORIGINS). */
export function allowedOriginPatterns(doc) {
  const meta = doc.querySelector('meta[name="signalfit-allowed-origins"]');
  const content = meta ? meta.getAttribute('content') : '';
  return (content || '').split(/\s+/).filter(Boolean);
}

/** Same rules as the service: `*.` stands for one or more labels; no port means the default port. */
export function isAllowedOrigin(origin, patterns) {
  let url;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== String(origin).toLowerCase()) {
    return false;
  }
  return patterns.some((pattern) => {
    const parts = PATTERN.exec(pattern);
    if (!parts) {
      return false;
    }
    const [, scheme, wildcard, host, port] = parts;
    const defaultPort = scheme === 'https' ? '443' : '80';
    if (url.protocol !== `${scheme}:` || url.port !== (port && port !== defaultPort ? port : '')) {
      return false;
    }
    return wildcard
      ? url.hostname.endsWith(`.${host}`) && url.hostname.length > host.length + 1
      : url.hostname === host;
  });
}

/**
 * The parent's origin before it has said anything, when the browser tells it (ancestorOrigins,
 * else the referrer) and it is allowed; null otherwise.
 */
export function parentOriginHint(win, patterns) {
  const candidates = [];
  if (win.location.ancestorOrigins && win.location.ancestorOrigins.length > 0) {
    candidates.push(win.location.ancestorOrigins[0]);
  }
  if (win.document.referrer) {
    try {
      candidates.push(new URL(win.document.referrer).origin);
    } catch {
      // An unreadable referrer gives no hint.
    }
  }
  return candidates.find((origin) => isAllowedOrigin(origin, patterns)) || null;
}

/** The token of a `signalfit:token` message from the parent at an allowed origin, else null. */
export function tokenFromMessage(event, parentWindow, patterns) {
  if (!event || event.source !== parentWindow || !isAllowedOrigin(event.origin, patterns)) {
    return null;
  }
  const data = event.data;
  if (!data || data.type !== MESSAGE_TYPES.TOKEN || typeof data.token !== 'string' || data.token === '') {
    return null;
  }
  return data.token;
}

export function isSalesforceId(value) {
  return typeof value === 'string' && SALESFORCE_ID.test(value);
}
