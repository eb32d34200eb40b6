import type { Db } from '../../store/db';
import { candidateIds } from './recordIds';

/**
 * The store's account a Salesforce record belongs to: the account itself, or the account of a
 * contact or lead. Null when the store does not hold the record (not synced or imported yet).
 */
export async function recordAccount(
  db: Db,
  record: { id: string; objectApiName: 'Account' | 'Contact' | 'Lead' },
): Promise<string | null> {
  const sql =
    record.objectApiName === 'Account'
      ? 'SELECT id AS account_id FROM accounts WHERE id = ANY($1::text[]) ORDER BY id = $2 DESC LIMIT 1'
      : 'SELECT account_id FROM contacts WHERE id = ANY($1::text[]) ORDER BY id = $2 DESC LIMIT 1';
  const [row] = await db.query<{ account_id: string }>(sql, [candidateIds(record.id), record.id]);
  return row?.account_id ?? null;
}
