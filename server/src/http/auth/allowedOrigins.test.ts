import { DEFAULT_ALLOWED_ORIGINS, isAllowedOrigin, parseOriginPatterns } from './allowedOrigins';

describe('allowed origins', () => {
  it.each([
    'https://acme.lightning.force.com',
    'https://acme--dev.sandbox.lightning.force.com',
    'https://acme.my.salesforce.com',
  ])('lets the default list accept %s', (origin) => {
    expect(isAllowedOrigin(origin, DEFAULT_ALLOWED_ORIGINS)).toBe(true);
  });

  it.each([
    'https://lightning.force.com',
    'http://acme.lightning.force.com',
    'https://acme.lightning.force.com:8443',
    'https://evil-lightning.force.com',
    'https://acme.lightning.force.com.evil.example',
    'null',
    '',
  ])('lets the default list refuse %s', (origin) => {
    expect(isAllowedOrigin(origin, DEFAULT_ALLOWED_ORIGINS)).toBe(false);
  });

  it('matches an explicit port, and a pattern without a port matches the default port only', () => {
    expect(isAllowedOrigin('http://127.0.0.1:5173', ['http://127.0.0.1:5173'])).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:5174', ['http://127.0.0.1:5173'])).toBe(false);
    expect(isAllowedOrigin('https://crm.example.com', ['https://crm.example.com:443'])).toBe(true);
    expect(isAllowedOrigin('https://crm.example.com:444', ['https://crm.example.com'])).toBe(false);
  });

  it('parses space- or comma-separated lists and names the bad entries', () => {
    expect(parseOriginPatterns(' https://*.lightning.force.com,https://CRM.example.com/  ')).toEqual({
      patterns: ['https://*.lightning.force.com', 'https://crm.example.com'],
      invalid: [],
    });
    expect(
      parseOriginPatterns('https://ok.example *.force.com https://a.example/path ftp://x').invalid,
    ).toEqual(['*.force.com', 'https://a.example/path', 'ftp://x']);
  });
});
