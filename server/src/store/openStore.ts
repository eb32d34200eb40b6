import { mkdirSync } from 'node:fs';
import type { Db } from './db';
import { migrate } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';

export type StoreLocation = { databaseUrl: string } | { dataDir: string };

/** Opens the configured store (PostgreSQL when a URL is given, else PGlite in a folder) and migrates it. */
export async function openStore(location: StoreLocation): Promise<Db> {
  let db: Db;
  if ('databaseUrl' in location) {
    db = await openPostgres({ connectionString: location.databaseUrl });
  } else {
    mkdirSync(location.dataDir, { recursive: true });
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
