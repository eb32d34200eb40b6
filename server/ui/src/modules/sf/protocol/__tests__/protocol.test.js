import {
  MESSAGE_TYPES,
  allowedOriginPatterns,
  isAllowedOrigin,
  isSalesforceId,
  parentOriginHint,
  tokenFromMessage,
} from 'sf/protocol';
import { clearBody } from '../../../../../test/lwcTesting';

// The patterns a service allowing a Salesforce org writes into /embed (SIGNALFIT_ALLOWED_ORIGINS).
const PATTERNS = ['https://*.my.salesforce.com', 'https://*.lightning.force.com', 'http://localhost:8080'];
const PARENT = 'https://acme.lightning.force.com';

afterEach(() => {
  clearBody();
  document.head.querySelectorAll('meta').forEach((meta) => meta.remove());
});

describe('isAllowedOrigin', () => {
  it('accepts an origin under a wildcard pattern (one label or more) or an exact one', () => {
    expect(isAllowedOrigin(PARENT, PATTERNS)).toBe(true);
    expect(isAllowedOrigin('https://acme--dev.sandbox.lightning.force.com', PATTERNS)).toBe(true);
    expect(isAllowedOrigin('http://localhost:8080', PATTERNS)).toBe(true);
  });

  it('refuses the bare wildcard host, other schemes, ports and look-alike hosts', () => {
    expect(isAllowedOrigin('https://lightning.force.com', PATTERNS)).toBe(false);
    expect(isAllowedOrigin('http://acme.lightning.force.com', PATTERNS)).toBe(false);
    expect(isAllowedOrigin('https://acme.lightning.force.com:8443', PATTERNS)).toBe(false);
    expect(isAllowedOrigin('https://acme.lightning.force.com.evil.example', PATTERNS)).toBe(false);
    expect(isAllowedOrigin('http://localhost:8081', PATTERNS)).toBe(false);
  });

  it('refuses what is not an origin', () => {
    expect(isAllowedOrigin(`${PARENT}/path`, PATTERNS)).toBe(false);
    expect(isAllowedOrigin('null', PATTERNS)).toBe(false);
  });

  it('treats the default port as no port', () => {
    expect(isAllowedOrigin('https://acme.my.salesforce.com', ['https://*.my.salesforce.com:443'])).toBe(true);
  });
});

describe('allowedOriginPatterns', () => {
  it('reads the patterns the service wrote into the page', () => {
    const meta = document.createElement('meta');
    meta.setAttribute('name', 'signalfit-allowed-origins');
    meta.setAttribute('content', PATTERNS.join(' '));
    document.head.appendChild(meta);
    expect(allowedOriginPatterns(document)).toEqual(PATTERNS);
  });

  it('is empty without the meta element', () => {
    expect(allowedOriginPatterns(document)).toEqual([]);
  });
});

describe('tokenFromMessage', () => {
  const parent = {};
  const message = (props) => ({
    source: parent,
    origin: PARENT,
    data: { type: MESSAGE_TYPES.TOKEN, token: 'embed-jwt' },
    ...props,
  });

  it('takes the token of a signalfit:token message from the parent at an allowed origin', () => {
    expect(tokenFromMessage(message(), parent, PATTERNS)).toBe('embed-jwt');
  });

  it('ignores another window, another origin, another type or an empty token', () => {
    expect(tokenFromMessage(message({ source: {} }), parent, PATTERNS)).toBeNull();
    expect(tokenFromMessage(message({ origin: 'https://evil.example' }), parent, PATTERNS)).toBeNull();
    expect(tokenFromMessage(message({ data: { type: MESSAGE_TYPES.READY } }), parent, PATTERNS)).toBeNull();
    expect(
      tokenFromMessage(message({ data: { type: MESSAGE_TYPES.TOKEN, token: '' } }), parent, PATTERNS),
    ).toBeNull();
    expect(tokenFromMessage(null, parent, PATTERNS)).toBeNull();
  });
});

describe('parentOriginHint', () => {
  const win = (ancestorOrigins, referrer) => ({ location: { ancestorOrigins }, document: { referrer } });

  it('is the allowed ancestor origin, else the allowed referrer origin', () => {
    expect(parentOriginHint(win([PARENT], ''), PATTERNS)).toBe(PARENT);
    expect(parentOriginHint(win(undefined, `${PARENT}/lightning/r/Account/001/view`), PATTERNS)).toBe(PARENT);
  });

  it('is null when neither is allowed or readable', () => {
    expect(parentOriginHint(win(['https://evil.example'], 'not a url'), PATTERNS)).toBeNull();
    expect(parentOriginHint(win([], ''), PATTERNS)).toBeNull();
  });
});

describe('isSalesforceId', () => {
  it('accepts 15- and 18-character ids only', () => {
    expect(isSalesforceId('001Ax00000AcMe1')).toBe(true);
    expect(isSalesforceId('001Ax00000AcMe1IAF')).toBe(true);
    expect(isSalesforceId('001Ax00000AcMe1I')).toBe(false);
    expect(isSalesforceId('001Ax00000AcMe1IA!')).toBe(false);
    expect(isSalesforceId(42)).toBe(false);
  });
});
