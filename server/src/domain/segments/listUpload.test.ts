import { listColumns, listRowKey, normalizeDomain } from './listUpload';

describe('normalizeDomain', () => {
  it.each([
    ['acme.com', 'acme.com'],
    ['  ACME.com ', 'acme.com'],
    ['https://www.Acme.com/en/pricing?x=1#top', 'acme.com'],
    ['http://acme.co.uk:8080', 'acme.co.uk'],
    ['www.acme.com.', 'acme.com'],
    ['ftp://user:pw@files.acme.com/x', 'files.acme.com'],
    ['wwwacme.com', 'wwwacme.com'],
    ['münchen.de', 'münchen.de'],
    ['xn--mnchen-3ya.de', 'xn--mnchen-3ya.de'],
  ])('reads %j as %j', (text, domain) => {
    expect(normalizeDomain(text)).toBe(domain);
  });

  it.each([
    '',
    '   ',
    'acme',
    'acme..com',
    '-acme.com',
    'acme-.com',
    'acme com.org',
    'acme.com,org',
    'https://',
    'a'.repeat(64) + '.com',
  ])('refuses %j', (text) => {
    expect(normalizeDomain(text)).toBeNull();
  });
});

describe('listColumns', () => {
  it('finds account_id and domain whatever their case, after a byte-order mark', () => {
    expect(listColumns(['\uFEFFName', ' Domain ', 'ACCOUNT_ID'])).toEqual({ accountId: 2, domain: 1 });
    expect(listColumns(['domain'])).toEqual({ accountId: null, domain: 0 });
    expect(listColumns(['id', 'website'])).toBeNull();
  });
});

describe('listRowKey', () => {
  const both = { accountId: 0, domain: 1 };
  it('takes the account id when the row has one, else the domain', () => {
    expect(listRowKey(['A-1', 'acme.com'], both)).toEqual({ by: 'account_id', value: 'A-1' });
    expect(listRowKey([' ', 'https://www.Acme.com/x'], both)).toEqual({
      by: 'domain',
      value: 'acme.com',
      written: 'https://www.Acme.com/x',
    });
  });
  it('names why a row names no account', () => {
    expect(listRowKey(['', ''], both)).toEqual({ by: null, value: '', reason: 'empty' });
    expect(listRowKey([], both)).toEqual({ by: null, value: '', reason: 'empty' });
    expect(listRowKey(['', 'not a domain'], both)).toEqual({
      by: null,
      value: 'not a domain',
      reason: 'malformed domain',
    });
  });
});
