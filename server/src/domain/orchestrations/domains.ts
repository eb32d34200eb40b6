/**
 * How an orchestration matches people to accounts and to the opt-out list: by domain and by
 * email, both compared in one normal form.
 */
import { normalizeDomain } from '../segments/listUpload';

/**
 * A domain in the form accounts keep it (lower case; scheme, `www.`, port, path, query and a final
 * dot removed), or null when it is not a host name. The same reading as a list segment's upload,
 * so an account matches its provider rows exactly as it matches its list rows.
 */
export { normalizeDomain };

/** An email as the store compares it: surrounding spaces dropped, lower case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The normalized domain after the last `@` of an email (`Jo@WWW.Acme.com` → `acme.com`), or null
 * when there is no `@` or no plain host name after it.
 */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 0) return null;
  const host = email.slice(at + 1).trim();
  // normalizeDomain reads URLs (a scheme, a port, a path); after an `@` only a host name is a domain.
  return /[/?#:]/.test(host) ? null : normalizeDomain(host);
}

/**
 * A normalized domain and the domains it belongs to, nearest first, down to two labels
 * (`mail.eu.acme.com` → `mail.eu.acme.com`, `eu.acme.com`, `acme.com`): an opt-out of a domain
 * covers its subdomains, and a one-label name (`com`) is never a domain an opt-out can name.
 */
export function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  const domains: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) domains.push(labels.slice(i).join('.'));
  return domains;
}
