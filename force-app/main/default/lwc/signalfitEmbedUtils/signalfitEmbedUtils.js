/**
 * Pure helpers for embedding the Signalfit dashboard in Lightning: origin parsing, the
 * postMessage protocol between the panel (parent) and the /embed page (frame), and error text.
 *
 * The protocol (every message is a plain object with a `type`):
 *   parent → frame  { type: 'signalfit:token', token }            posted to the service origin only
 *   frame → parent  { type: 'signalfit:ready' }                    the frame listens and wants a token
 *                   { type: 'signalfit:height', height }           content height in px
 *                   { type: 'signalfit:navigate', recordId, objectApiName? }  open a Salesforce record
 *                   { type: 'signalfit:token-expired' }            the token could not be used: send a fresh one
 *                   { type: 'signalfit:error', message, code? }    the service refused the token or failed
 */

export const MESSAGE_TYPES = Object.freeze({
  READY: 'signalfit:ready',
  TOKEN: 'signalfit:token',
  HEIGHT: 'signalfit:height',
  NAVIGATE: 'signalfit:navigate',
  TOKEN_EXPIRED: 'signalfit:token-expired',
  ERROR: 'signalfit:error',
});

export const EMBED_PATH = '/embed';
export const MIN_FRAME_HEIGHT = 200;
export const MAX_FRAME_HEIGHT = 2000;
export const DEFAULT_FRAME_HEIGHT = 600;
/** How long the frame has to say `signalfit:ready` before the panel reports the service as unreachable. */
export const READY_TIMEOUT_MS = 15000;
/** A token this close to its expiry is not posted any more; a fresh one is fetched instead. */
export const TOKEN_EXPIRY_MARGIN_MS = 5000;

const MAX_ERROR_MESSAGE_LENGTH = 500;
const MAX_ERROR_CODE_LENGTH = 100;
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The origin (scheme://host[:port]) of the configured service URL, or null when the value is not
 * usable: not a URL, carries credentials, a path, a query or a fragment, or is not https
 * (plain http is accepted for a loopback host only, for local development).
 * @param {string} serviceUrl
 * @returns {string|null}
 */
export function parseServiceOrigin(serviceUrl) {
  if (typeof serviceUrl !== 'string' || serviceUrl.trim() === '') {
    return null;
  }
  let url;
  try {
    url = new URL(serviceUrl.trim());
  } catch {
    return null;
  }
  if (url.username || url.password || url.search || url.hash) {
    return null;
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    return null;
  }
  const isHttps = url.protocol === 'https:';
  const isLoopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname);
  if (!isHttps && !isLoopbackHttp) {
    return null;
  }
  return url.origin;
}

/**
 * The address of the dashboard page for a service origin. It never carries the token.
 * @param {string} serviceOrigin as returned by parseServiceOrigin
 * @returns {string}
 */
export function buildEmbedUrl(serviceOrigin) {
  return `${serviceOrigin}${EMBED_PATH}`;
}

/**
 * A frame height in whole pixels within [MIN_FRAME_HEIGHT, MAX_FRAME_HEIGHT]; `fallback` when the
 * value is not a finite number (numeric strings from App Builder are accepted).
 * @param {*} value
 * @param {number} [fallback]
 * @returns {number}
 */
export function clampHeight(value, fallback = DEFAULT_FRAME_HEIGHT) {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    return fallback;
  }
  return Math.min(MAX_FRAME_HEIGHT, Math.max(MIN_FRAME_HEIGHT, Math.round(number)));
}

/**
 * True when a message event comes from the embedded frame: the exact service origin and the
 * frame's own window. Both checks are needed: the origin alone would accept another window of the
 * service (a popup), the source alone would accept the frame after it navigated elsewhere.
 * @param {MessageEvent} event
 * @param {string} serviceOrigin
 * @param {Window|null} frameWindow
 * @returns {boolean}
 */
export function isMessageFromFrame(event, serviceOrigin, frameWindow) {
  return (
    !!event &&
    typeof serviceOrigin === 'string' &&
    serviceOrigin !== '' &&
    event.origin === serviceOrigin &&
    !!frameWindow &&
    event.source === frameWindow
  );
}

/**
 * Validates a message sent by the frame and returns a normalised copy, or null when the message
 * is not one of the protocol's frame → parent messages or is malformed.
 * @param {*} data event.data
 * @returns {object|null}
 */
export function parseFrameMessage(data) {
  if (!data || typeof data !== 'object' || typeof data.type !== 'string') {
    return null;
  }
  switch (data.type) {
    case MESSAGE_TYPES.READY:
    case MESSAGE_TYPES.TOKEN_EXPIRED:
      return { type: data.type };
    case MESSAGE_TYPES.HEIGHT:
      if (typeof data.height !== 'number' || !Number.isFinite(data.height)) {
        return null;
      }
      return { type: data.type, height: clampHeight(data.height) };
    case MESSAGE_TYPES.NAVIGATE:
      return parseNavigate(data);
    case MESSAGE_TYPES.ERROR:
      return parseError(data);
    default:
      return null;
  }
}

function parseNavigate(data) {
  if (!isSalesforceId(data.recordId)) {
    return null;
  }
  const hasObject = data.objectApiName !== undefined && data.objectApiName !== null;
  if (hasObject && (typeof data.objectApiName !== 'string' || !API_NAME.test(data.objectApiName))) {
    return null;
  }
  const message = { type: data.type, recordId: data.recordId };
  if (hasObject) {
    message.objectApiName = data.objectApiName;
  }
  return message;
}

function parseError(data) {
  const text = typeof data.message === 'string' ? data.message.trim() : '';
  const message = {
    type: data.type,
    message: text ? text.slice(0, MAX_ERROR_MESSAGE_LENGTH) : 'The Signalfit service reported an error.',
  };
  if (typeof data.code === 'string' && data.code.trim() !== '') {
    message.code = data.code.trim().slice(0, MAX_ERROR_CODE_LENGTH);
  }
  return message;
}

/**
 * @param {*} value
 * @returns {boolean} true for a 15- or 18-character Salesforce record id
 */
export function isSalesforceId(value) {
  return typeof value === 'string' && SALESFORCE_ID.test(value);
}

/**
 * The message that hands a token to the frame.
 * @param {string} token
 * @returns {{type: string, token: string}}
 */
export function buildTokenMessage(token) {
  return { type: MESSAGE_TYPES.TOKEN, token };
}

/**
 * A NavigationMixin page reference that opens a record's view page.
 * @param {string} recordId
 * @param {string} [objectApiName]
 * @returns {object}
 */
export function recordPageReference(recordId, objectApiName) {
  const attributes = { recordId, actionName: 'view' };
  if (objectApiName) {
    attributes.objectApiName = objectApiName;
  }
  return { type: 'standard__recordPage', attributes };
}

/**
 * True when a token expiring at `expiresAt` (epoch milliseconds, or an ISO date string) should not
 * be used any more at `nowMs`. Unknown expiry counts as expired.
 * @param {number|string} expiresAt
 * @param {number} nowMs
 * @returns {boolean}
 */
export function isTokenExpired(expiresAt, nowMs) {
  const expiry = typeof expiresAt === 'string' ? Date.parse(expiresAt) : expiresAt;
  if (typeof expiry !== 'number' || !Number.isFinite(expiry)) {
    return true;
  }
  return nowMs >= expiry - TOKEN_EXPIRY_MARGIN_MS;
}

/**
 * A readable message from an Apex or JavaScript error (AuraHandledException bodies included).
 * @param {*} error
 * @returns {string}
 */
export function reduceError(error) {
  if (!error) {
    return 'Unknown error';
  }
  if (typeof error === 'string') {
    return error;
  }
  if (Array.isArray(error)) {
    return error.map(reduceError).filter(Boolean).join(', ');
  }
  const body = error.body;
  if (Array.isArray(body)) {
    const messages = body.map((entry) => entry && entry.message).filter(Boolean);
    if (messages.length) {
      return messages.join(', ');
    }
  } else if (body && typeof body.message === 'string' && body.message) {
    return body.message;
  } else if (body && Array.isArray(body.pageErrors) && body.pageErrors.length) {
    return body.pageErrors.map((entry) => entry.message).join(', ');
  }
  if (typeof error.message === 'string' && error.message) {
    return error.message;
  }
  if (typeof error.statusText === 'string' && error.statusText) {
    return error.statusText;
  }
  return 'Unknown error';
}
