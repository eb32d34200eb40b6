import { domainAndParents, emailDomain } from '../../domain/orchestrations/domains';
import type { Db } from '../../store/db';

/**
 * The one opt-out check of everything that sends person data out of the service (the
 * outbound choke point, docs/opt-outs.md). An address is opted out when any of these holds:
 * - `contact` / `lead`: a record with that address has `opted_out` (imported, or Salesforce's
 *   `HasOptedOutOfEmail` landed by the sync: integrations/salesforce/fieldMapping.ts). An
 *   opt-out belongs to the address, not to the record: a lead that opted out blocks a contact
 *   with the same email, whichever source brought either in;
 * - `list_email`: the central opt-out list (table opt_outs) holds the address;
 * - `list_domain`: the list holds the address's domain or a parent of it (an opt-out of
 *   `acme.com` covers `jo@mail.acme.com`).
 * When several hold, the first in that order is the answer. Addresses compare trimmed and
 * lowercased. Senders call it at the moment of sending, right before the request that carries
 * the person, so an opt-out stored after the person was selected is still honoured.
 *
 * Who calls it: the Outreach enrollment (services/outreach/sequenceEnrollment.ts, for the
 * panel's enrollments and orchestrations' pushes), the contact purchases
 * (services/orchestrations/purchaseContacts.ts, for orchestrations and the panel's buy) and the
 * Salesforce campaign push (services/orchestrations/salesforcePush.ts, before the Leads/Contacts
 * and before the CampaignMembers). The Salesforce write-back sends scores onto records the org
 * already holds, not messages to people, so it does not.
 */
export type OptOutRule = 'contact' | 'lead' | 'list_email' | 'list_domain';

export interface OptOut {
  /** The address as compared: trimmed and lowercased. */
  address: string;
  rule: OptOutRule;
  /** `contact` / `lead`: one record that carries the opt-out (the smallest id, so the answer is stable). */
  recordId: string | null;
  /** `list_domain`: the listed domain that covers the address (the nearest when several do). */
  domain: string | null;
}

/** The address as the opt-out check compares it. */
export function normalizedAddress(email: string): string {
  return email.trim().toLowerCase();
}

type OptOutRow = {
  rule: OptOutRule;
  address: string | null;
  record_id: string | null;
  domain: string | null;
};

/** Of `emails`, the opted-out addresses (normalized), each with the rule that opts it out. One statement. */
export async function optedOutAddresses(db: Db, emails: readonly string[]): Promise<Map<string, OptOut>> {
  const addresses = [...new Set(emails.map(normalizedAddress).filter(Boolean))];
  if (addresses.length === 0) return new Map();
  const domainsOf = new Map(addresses.map((a) => [a, addressDomains(a)]));
  const domains = [...new Set([...domainsOf.values()].flat())];
  // contacts: the partial index contacts_opted_out_address_idx (migration 0009); opt_outs: its primary key.
  const rows = await db.query<OptOutRow>(
    `SELECT rule, address, record_id, domain FROM (
       SELECT 1 AS rank, kind AS rule, lower(trim(email)) AS address, id AS record_id, NULL::text AS domain
         FROM contacts WHERE opted_out AND lower(trim(email)) = ANY($1::text[])
       UNION ALL
       SELECT 2, 'list_email', value, NULL, NULL FROM opt_outs WHERE kind = 'email' AND value = ANY($1::text[])
       UNION ALL
       SELECT 3, 'list_domain', NULL, NULL, value FROM opt_outs WHERE kind = 'domain' AND value = ANY($2::text[])
     ) o
     ORDER BY rank, address, record_id COLLATE "C"`,
    [addresses, domains],
  );
  const found = new Map<string, OptOut>();
  const listedDomains = new Set<string>();
  for (const row of rows) {
    if (row.rule === 'list_domain') listedDomains.add(row.domain!);
    else if (!found.has(row.address!))
      found.set(row.address!, {
        address: row.address!,
        rule: row.rule,
        recordId: row.record_id,
        domain: null,
      });
  }
  if (listedDomains.size > 0)
    for (const [address, parents] of domainsOf) {
      const domain = parents.find((d) => listedDomains.has(d));
      if (domain !== undefined && !found.has(address))
        found.set(address, { address, rule: 'list_domain', recordId: null, domain });
    }
  return found;
}

/** The domain of an address and its parents, nearest first; none when it has no domain. */
function addressDomains(address: string): string[] {
  const domain = emailDomain(address);
  return domain === null ? [] : domainAndParents(domain);
}

/** Of the domains of `emails` (and their parents), those the opt-out list holds. One statement. */
export async function listedDomainsOf(db: Db, emails: readonly string[]): Promise<Set<string>> {
  const domains = [...new Set(emails.map((e) => addressDomains(normalizedAddress(e))).flat())];
  if (domains.length === 0) return new Set();
  const rows = await db.query<{ value: string }>(
    `SELECT value FROM opt_outs WHERE kind = 'domain' AND value = ANY($1::text[])`,
    [domains],
  );
  return new Set(rows.map((r) => r.value));
}

/**
 * The same rule in SQL, for the views (persona map, person view), the audiences and the
 * report: true when the address in `emailSql` is opted out by a record, by the list, or by a
 * listed domain (the address's domain or a parent). The check that stops a send is
 * optedOutAddresses, at the moment of sending.
 */
export function addressOptedOutSql(emailSql: string): string {
  const address = `lower(trim(${emailSql}))`;
  return `(EXISTS (SELECT 1 FROM contacts opt WHERE opt.opted_out AND lower(trim(opt.email)) = ${address})
    OR EXISTS (SELECT 1 FROM opt_outs ooe WHERE ooe.kind = 'email' AND ooe.value = ${address})
    OR EXISTS (SELECT 1 FROM opt_outs ood WHERE ood.kind = 'domain' AND ood.value = ANY(${addressDomainsSql(address)})))`;
}

/** SQL for the domain after the last `@` of `addressSql` and its parents, as a text[] (empty without `@`). */
function addressDomainsSql(addressSql: string): string {
  return `ARRAY(SELECT array_to_string(h.labels[i:], '.')
      FROM (SELECT string_to_array(rtrim(substring(${addressSql} from '@([^@]+)$'), '.'), '.') AS labels) h,
           generate_series(1, coalesce(cardinality(h.labels), 0) - 1) AS i)`;
}

/** Why an address may not be sent, in words for the user. */
export function optOutReason(optOut: OptOut): string {
  switch (optOut.rule) {
    case 'contact':
    case 'lead':
      return `the address ${optOut.address} is opted out on ${optOut.rule} ${optOut.recordId}`;
    case 'list_email':
      return `the address ${optOut.address} is on the opt-out list`;
    case 'list_domain':
      return `the address ${optOut.address} is in ${optOut.domain}, a domain on the opt-out list`;
  }
}
