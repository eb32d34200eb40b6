import { normalizeEmail } from '../../domain/orchestrations/domains';
import type { Db } from '../../store/db';

/**
 * Of `emails`, those Signalfit already knows (normalized): a contact or lead of the store with
 * that address, or a purchase that is not failed (a person is bought once across every
 * orchestration and the panel). The same rule as the orchestration preview's selection input.
 */
export async function knownEmails(db: Db, emails: readonly string[]): Promise<Set<string>> {
  const addresses = [...new Set(emails.map(normalizeEmail).filter(Boolean))];
  if (addresses.length === 0) return new Set();
  const rows = await db.query<{ address: string }>(
    `SELECT lower(trim(email)) AS address FROM contacts WHERE lower(trim(email)) = ANY($1::text[])
     UNION
     SELECT lower(email) FROM contact_purchases WHERE state <> 'failed' AND lower(email) = ANY($1::text[])`,
    [addresses],
  );
  return new Set(rows.map((row) => row.address));
}
