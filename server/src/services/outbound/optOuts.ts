import type { Db } from '../../store/db';

/**
 * The one opt-out check of everything that sends person data out of the service (the
 * outbound choke point). An opt-out belongs to the address, not to the record: a lead that opted
 * out blocks a contact with the same email, whichever source (import or Salesforce sync) brought
 * either in. Addresses compare trimmed and lowercased. Senders call it at the moment of sending,
 * right before the request that carries the person, so an opt-out stored after the person was
 * selected is still honoured.
 *
 * Who calls it: the Outreach enrollment (services/outreach/sequenceEnrollment.ts, for the
 * panel's enrollments and orchestrations' pushes) and the contact purchases
 * (services/orchestrations/purchaseContacts.ts). The Salesforce
 * write-back sends scores onto records the org already holds, not messages to people, so it
 * does not. The store has no separate opt-out list: the people's `opted_out` flag is the list.
 */
export interface OptOut {
  /** The address as compared: trimmed and lowercased. */
  address: string;
  /** One record that carries the opt-out (the smallest id, so the answer is stable). */
  recordId: string;
  kind: 'contact' | 'lead';
}

/** The address as the opt-out check compares it. */
export function normalizedAddress(email: string): string {
  return email.trim().toLowerCase();
}

/** Of `emails`, the opted-out addresses (normalized) with a record that opted out. */
export async function optedOutAddresses(db: Db, emails: readonly string[]): Promise<Map<string, OptOut>> {
  const addresses = [...new Set(emails.map(normalizedAddress).filter(Boolean))];
  if (addresses.length === 0) return new Map();
  // Matches the partial index contacts_opted_out_address_idx (migration 0009).
  const rows = await db.query<{ address: string; id: string; kind: 'contact' | 'lead' }>(
    `SELECT DISTINCT ON (lower(trim(email))) lower(trim(email)) AS address, id, kind
       FROM contacts
      WHERE opted_out AND lower(trim(email)) = ANY($1::text[])
      ORDER BY lower(trim(email)), id`,
    [addresses],
  );
  return new Map(rows.map((r) => [r.address, { address: r.address, recordId: r.id, kind: r.kind }]));
}

/**
 * The same rule for the views (persona map, person view): SQL that is true when the address in
 * `emailSql` is opted out on any record. The views show it; the check that stops a send is
 * optedOutAddresses, at the moment of sending.
 */
export function addressOptedOutSql(emailSql: string): string {
  return `EXISTS (SELECT 1 FROM contacts opt WHERE opt.opted_out AND lower(trim(opt.email)) = lower(trim(${emailSql})))`;
}

/** Why an address may not be sent, in words for the user. */
export function optOutReason(optOut: OptOut): string {
  return `the address ${optOut.address} is opted out on ${optOut.kind} ${optOut.recordId}`;
}
