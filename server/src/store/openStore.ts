import { mkdirSync } from 'node:fs';
import type { Db } from './db';
import { migrate } from './migrate';

export type StoreLocation = { databaseUrl: string } | { dataDir: string };

/**
 * Opens the configured store (PostgreSQL when a URL is given, else PGlite in a folder) and migrates
 * it. Only the driver in use is loaded: PGlite's WebAssembly build takes a noticeable part of a
 * command's start, which a PostgreSQL deployment need not pay (and `pg` is not needed on PGlite).
 */
export async function openStore(location: StoreLocation): Promise<Db> {
  let db: Db;
  if ('databaseUrl' in location) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { openPostgres } = require('./postgres') as typeof import('./postgres');
    db = await openPostgres({ connectionString: location.databaseUrl });
  } else {
    mkdirSync(location.dataDir, { recursive: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { openPglite } = require('./pglite') as typeof import('./pglite');
    db = await openPglite(location.dataDir);
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
