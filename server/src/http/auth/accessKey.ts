import { randomBytes } from 'node:crypto';
import type { Db } from '../../store/db';

const KEY_NAME = 'dashboard';

/**
 * The key that signs access tokens, shared by every instance through the store: the first one
 * to need it creates it (the primary key makes concurrent creators agree on one).
 */
export async function loadAccessKey(db: Db): Promise<Uint8Array> {
  await db.run('INSERT INTO access_token_keys (name, secret) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    KEY_NAME,
    randomBytes(32),
  ]);
  const [row] = await db.query<{ secret: Uint8Array }>(
    'SELECT secret FROM access_token_keys WHERE name = $1',
    [KEY_NAME],
  );
  if (!row) throw new Error('access token key missing after insert');
  return new Uint8Array(row.secret);
}
