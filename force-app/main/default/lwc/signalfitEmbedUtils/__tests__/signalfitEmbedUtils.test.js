import {
  MESSAGE_TYPES,
  buildEmbedUrl,
  buildTokenMessage,
  clampHeight,
  isMessageFromFrame,
  isSalesforceId,
  isTokenExpired,
  parseFrameMessage,
  parseServiceOrigin,
  recordPageReference,
  reduceError,
} from 'c/signalfitEmbedUtils';

// Built at run time so that no script URL literal sits in the source.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

describe('parseServiceOrigin', () => {
  it.each([
    ['https://signalfit.example.com', 'https://signalfit.example.com'],
    ['https://signalfit.example.com/', 'https://signalfit.example.com'],
    ['  https://signalfit.example.com  ', 'https://signalfit.example.com'],
    ['https://Signalfit.Example.COM', 'https://signalfit.example.com'],
    ['https://signalfit.example.com:443', 'https://signalfit.example.com'],
    ['https://signalfit.example.com:8443', 'https://signalfit.example.com:8443'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://127.0.0.1:3000/', 'http://127.0.0.1:3000'],
  ])('accepts %s as %s', (input, origin) => {
    expect(parseServiceOrigin(input)).toBe(origin);
  });

  it.each([
    ['plain http on a public host', 'http://signalfit.example.com'],
    ['a path', 'https://signalfit.example.com/embed'],
    ['a query', 'https://signalfit.example.com/?token=abc'],
    ['a fragment', 'https://signalfit.example.com/#token=abc'],
    ['credentials', 'https://admin:secret@signalfit.example.com'],
    ['a javascript URL', SCRIPT_URL],
    ['a data URL', 'data:text/html,<p>hi</p>'],
    ['no scheme', 'signalfit.example.com'],
    ['an empty string', ''],
    ['blanks', '   '],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
  ])('refuses %s', (_label, input) => {
    expect(parseServiceOrigin(input)).toBeNull();
  });
});

describe('buildEmbedUrl', () => {
  it('appends /embed to the origin and nothing else', () => {
    expect(buildEmbedUrl('https://signalfit.example.com')).toBe('https://signalfit.example.com/embed');
  });
});

describe('clampHeight', () => {
  it.each([
    [600, 600],
    [873.4, 873],
    [873.5, 874],
    [199, 200],
    [-50, 200],
    [2001, 2000],
    [1e9, 2000],
    ['450', 450],
  ])('clamps %p to %p', (input, expected) => {
    expect(clampHeight(input)).toBe(expected);
  });

  it.each([[undefined], [null], [NaN], [Infinity], ['tall'], [''], [{}]])(
    'falls back to 600 for %p',
    (input) => {
      expect(clampHeight(input)).toBe(600);
    },
  );

  it('uses the given fallback', () => {
    expect(clampHeight(undefined, 320)).toBe(320);
  });
});

describe('isMessageFromFrame', () => {
  const frameWindow = { postMessage: jest.fn() };
  const otherWindow = { postMessage: jest.fn() };
  const origin = 'https://signalfit.example.com';

  it('accepts the exact origin from the frame window', () => {
    expect(isMessageFromFrame({ origin, source: frameWindow }, origin, frameWindow)).toBe(true);
  });

  it('refuses another origin, even from the frame window', () => {
    expect(
      isMessageFromFrame({ origin: 'https://evil.example.com', source: frameWindow }, origin, frameWindow),
    ).toBe(false);
    expect(
      isMessageFromFrame(
        { origin: 'https://signalfit.example.com.evil.example', source: frameWindow },
        origin,
        frameWindow,
      ),
    ).toBe(false);
    expect(isMessageFromFrame({ origin: 'null', source: frameWindow }, origin, frameWindow)).toBe(false);
  });

  it('refuses the right origin from another window', () => {
    expect(isMessageFromFrame({ origin, source: otherWindow }, origin, frameWindow)).toBe(false);
    expect(isMessageFromFrame({ origin, source: null }, origin, frameWindow)).toBe(false);
  });

  it('refuses everything while there is no frame or no origin', () => {
    expect(isMessageFromFrame({ origin, source: null }, origin, null)).toBe(false);
    expect(isMessageFromFrame({ origin: '', source: frameWindow }, '', frameWindow)).toBe(false);
    expect(isMessageFromFrame(undefined, origin, frameWindow)).toBe(false);
  });
});

describe('parseFrameMessage', () => {
  it('accepts ready and token-expired', () => {
    expect(parseFrameMessage({ type: 'signalfit:ready', extra: 1 })).toEqual({ type: MESSAGE_TYPES.READY });
    expect(parseFrameMessage({ type: 'signalfit:token-expired' })).toEqual({
      type: MESSAGE_TYPES.TOKEN_EXPIRED,
    });
  });

  it('accepts a numeric height and clamps it', () => {
    expect(parseFrameMessage({ type: 'signalfit:height', height: 1234.6 })).toEqual({
      type: MESSAGE_TYPES.HEIGHT,
      height: 1235,
    });
    expect(parseFrameMessage({ type: 'signalfit:height', height: 5 })).toEqual({
      type: MESSAGE_TYPES.HEIGHT,
      height: 200,
    });
  });

  it.each([['1234'], [null], [undefined], [NaN], [Infinity]])('refuses the height %p', (height) => {
    expect(parseFrameMessage({ type: 'signalfit:height', height })).toBeNull();
  });

  it('accepts navigate with an 18- or 15-character id and an optional object', () => {
    expect(
      parseFrameMessage({
        type: 'signalfit:navigate',
        recordId: '0035g00000XyZaBAAV',
        objectApiName: 'Contact',
      }),
    ).toEqual({ type: MESSAGE_TYPES.NAVIGATE, recordId: '0035g00000XyZaBAAV', objectApiName: 'Contact' });
    expect(parseFrameMessage({ type: 'signalfit:navigate', recordId: '00Q5g00000AbCdE' })).toEqual({
      type: MESSAGE_TYPES.NAVIGATE,
      recordId: '00Q5g00000AbCdE',
    });
  });

  it.each([
    [{ recordId: SCRIPT_URL }],
    [{ recordId: '0035g00000XyZaBA' }],
    [{ recordId: '../../setup' }],
    [{ recordId: 42 }],
    [{}],
    [{ recordId: '0035g00000XyZaBAAV', objectApiName: 'Contact; DROP' }],
    [{ recordId: '0035g00000XyZaBAAV', objectApiName: 7 }],
  ])('refuses navigate %p', (fields) => {
    expect(parseFrameMessage({ type: 'signalfit:navigate', ...fields })).toBeNull();
  });

  it('accepts an error with its message and code, trimmed and bounded', () => {
    expect(
      parseFrameMessage({ type: 'signalfit:error', message: '  Token expired.  ', code: 'token_expired' }),
    ).toEqual({ type: MESSAGE_TYPES.ERROR, message: 'Token expired.', code: 'token_expired' });
    expect(parseFrameMessage({ type: 'signalfit:error', message: 'x'.repeat(2000) }).message).toHaveLength(
      500,
    );
  });

  it('gives an error without message a generic one', () => {
    expect(parseFrameMessage({ type: 'signalfit:error' })).toEqual({
      type: MESSAGE_TYPES.ERROR,
      message: 'The Signalfit service reported an error.',
    });
  });

  it.each([
    ['a string', 'signalfit:ready'],
    ['null', null],
    ['an array', ['signalfit:ready']],
    ['no type', { height: 300 }],
    ['an unknown type', { type: 'signalfit:delete-everything' }],
    ['the parent-to-frame token message', { type: 'signalfit:token', token: 'abc' }],
    ['another protocol', { type: 'webpackOk' }],
  ])('refuses %s', (_label, data) => {
    expect(parseFrameMessage(data)).toBeNull();
  });
});

describe('isSalesforceId', () => {
  it('recognises 15- and 18-character ids only', () => {
    expect(isSalesforceId('0015g00000T4nW2AAF')).toBe(true);
    expect(isSalesforceId('0015g00000T4nW2')).toBe(true);
    expect(isSalesforceId('0015g00000T4nW2AA')).toBe(false);
    expect(isSalesforceId('0015g00000T4nW2AAF0')).toBe(false);
    expect(isSalesforceId('0015g00000T4nW2-AF')).toBe(false);
    expect(isSalesforceId(undefined)).toBe(false);
  });
});

describe('buildTokenMessage', () => {
  it('wraps the token in the protocol message', () => {
    expect(buildTokenMessage('eyJ.abc.def')).toEqual({ type: 'signalfit:token', token: 'eyJ.abc.def' });
  });
});

describe('recordPageReference', () => {
  it('builds a standard record page reference', () => {
    expect(recordPageReference('0015g00000T4nW2AAF', 'Account')).toEqual({
      type: 'standard__recordPage',
      attributes: { recordId: '0015g00000T4nW2AAF', objectApiName: 'Account', actionName: 'view' },
    });
  });

  it('leaves the object out when unknown', () => {
    expect(recordPageReference('00Q5g00000AbCdEUAX')).toEqual({
      type: 'standard__recordPage',
      attributes: { recordId: '00Q5g00000AbCdEUAX', actionName: 'view' },
    });
  });
});

describe('isTokenExpired', () => {
  const expiresAt = Date.UTC(2026, 0, 1, 0, 1, 0);

  it('keeps a token until 5 seconds before its expiry', () => {
    expect(isTokenExpired(expiresAt, expiresAt - 60000)).toBe(false);
    expect(isTokenExpired(expiresAt, expiresAt - 5001)).toBe(false);
    expect(isTokenExpired(expiresAt, expiresAt - 5000)).toBe(true);
    expect(isTokenExpired(expiresAt, expiresAt + 1)).toBe(true);
  });

  it('accepts an ISO date', () => {
    expect(isTokenExpired('2026-01-01T00:01:00.000Z', expiresAt - 30000)).toBe(false);
  });

  it('treats an unknown expiry as expired', () => {
    expect(isTokenExpired(undefined, expiresAt)).toBe(true);
    expect(isTokenExpired('soon', expiresAt)).toBe(true);
  });
});

describe('reduceError', () => {
  it('reads the message of an AuraHandledException', () => {
    expect(
      reduceError({
        status: 500,
        body: {
          message: 'You do not have access to Signalfit.',
          exceptionType: 'System.AuraHandledException',
        },
      }),
    ).toBe('You do not have access to Signalfit.');
  });

  it('joins the messages of an array body', () => {
    expect(reduceError({ body: [{ message: 'First.' }, { message: 'Second.' }] })).toBe('First., Second.');
  });

  it('reads page errors', () => {
    expect(reduceError({ body: { pageErrors: [{ message: 'Insufficient access.' }] } })).toBe(
      'Insufficient access.',
    );
  });

  it('reads JavaScript errors, strings and lists', () => {
    expect(reduceError(new TypeError('Failed to fetch'))).toBe('Failed to fetch');
    expect(reduceError('Plain text')).toBe('Plain text');
    expect(reduceError([new Error('One'), 'Two'])).toBe('One, Two');
  });

  it('falls back to the status text, then to a generic message', () => {
    expect(reduceError({ status: 503, statusText: 'Service Unavailable', body: null })).toBe(
      'Service Unavailable',
    );
    expect(reduceError({})).toBe('Unknown error');
    expect(reduceError(null)).toBe('Unknown error');
  });
});
