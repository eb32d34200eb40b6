import { emailDomain, normalizeDomain } from '../../domain/orchestrations/domains';

/**
 * What an entry of the opt-out list holds (migration 0019, table opt_outs): a whole address or
 * a whole domain, in the one form the choke point compares (services/outbound/optOuts.ts).
 */
export type OptOutKind = 'email' | 'domain';

export interface OptOutValue {
  kind: OptOutKind;
  value: string;
}

/** Why a value cannot be an entry. */
export type BadValueReason = 'empty' | 'malformed email' | 'malformed domain';

const ADDRESS = /^[^\s@,;<>"]+@[^\s@,;<>"]+$/;

/**
 * An address as the list keeps it (trimmed, lower case), or why it cannot be one: one `@`, no
 * spaces, commas or angle brackets, and a host name of at least two labels after the `@`.
 */
export function optOutEmail(text: string): OptOutValue | { reason: BadValueReason } {
  const email = text.trim().toLowerCase();
  if (email === '') return { reason: 'empty' };
  if (!ADDRESS.test(email) || emailDomain(email) === null) return { reason: 'malformed email' };
  return { kind: 'email', value: email };
}

/**
 * A domain as the list keeps it, through the project's one domain normaliser
 * (domain/segments/listUpload.ts normalizeDomain: `https://www.Example.com/x` → `example.com`),
 * or why it cannot be one. A value with an `@` is an address, not a domain.
 */
export function optOutDomain(text: string): OptOutValue | { reason: BadValueReason } {
  const written = text.trim();
  if (written === '') return { reason: 'empty' };
  const domain = written.includes('@') ? null : normalizeDomain(written);
  if (domain === null) return { reason: 'malformed domain' };
  return { kind: 'domain', value: domain };
}

/** An address when the text has an `@`, else a domain (`optouts add`, `optouts remove`). */
export function optOutValue(text: string): OptOutValue | { reason: BadValueReason } {
  return text.includes('@') ? optOutEmail(text) : optOutDomain(text);
}
