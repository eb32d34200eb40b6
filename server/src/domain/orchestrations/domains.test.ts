import { domainAndParents, emailDomain, normalizeDomain, normalizeEmail } from './domains';

describe('normalizeDomain', () => {
  it.each([
    ['HTTPS://WWW.Acme.com/path?x', 'acme.com'],
    ['acme.com.', 'acme.com'],
    ['acme.com:8080', 'acme.com'],
    ['mail.acme.co.uk', 'mail.acme.co.uk'],
    [' www.Acme.COM ', 'acme.com'],
  ])('reads %j as %j', (text, domain) => {
    expect(normalizeDomain(text)).toBe(domain);
  });

  it.each(['not a domain', '', 'acme', 'http://'])('refuses %j', (text) => {
    expect(normalizeDomain(text)).toBeNull();
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Jo.Smith@Acme.COM ')).toBe('jo.smith@acme.com');
  });
});

describe('emailDomain', () => {
  it.each([
    ['jo@acme.com', 'acme.com'],
    ['Jo@WWW.Acme.com', 'acme.com'],
    ['jo@mail.acme.co.uk', 'mail.acme.co.uk'],
    ['"odd@name"@acme.com', 'acme.com'],
  ])('reads %j as %j', (email, domain) => {
    expect(emailDomain(email)).toBe(domain);
  });

  it.each(['jo', 'jo@', 'jo@acme', 'jo@acme.com/x', 'jo@acme.com:25', 'jo@not a domain'])(
    'gives null for %j',
    (email) => {
      expect(emailDomain(email)).toBeNull();
    },
  );
});

describe('domainAndParents', () => {
  it('gives the domain and each parent down to two labels, nearest first', () => {
    expect(domainAndParents('mail.eu.acme.com')).toEqual(['mail.eu.acme.com', 'eu.acme.com', 'acme.com']);
    expect(domainAndParents('acme.com')).toEqual(['acme.com']);
    expect(domainAndParents('localhost')).toEqual([]);
  });
});
