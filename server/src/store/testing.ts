import { randomBytes } from 'node:crypto';
import type { Db } from './db';
import { migrate } from './migrate';
import { openPglite } from './pglite';
import { openPostgres, quoteIdent } from './postgres';

/** A store the tests can run against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export interface TestStoreTarget {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated, empty store; closing it drops everything it held. */
  open(): Promise<Db>;
}

export function testStoreTargets(): TestStoreTarget[] {
  const targets: TestStoreTarget[] = [{ name: 'pglite', open: openTestPglite }];
  const url = process.env.TEST_DATABASE_URL;
  if (url) targets.push({ name: 'postgres', open: () => openTestPostgres(url) });
  return targets;
}

async function openTestPglite(): Promise<Db> {
  const db = await openPglite();
  await migrate(db);
  return db;
}

/** Each test store is its own schema, so test files run in parallel against one database. */
async function openTestPostgres(url: string): Promise<Db> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const db = await openPostgres({ connectionString: url, schema, maxConnections: 4 });
  await migrate(db);
  return {
    ...db,
    async close() {
      await db.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
      await db.close();
    },
  };
}

/**
 * Opens a store of `target` before the suite's tests and closes it after them; `onOpen` receives
 * it (tests keep it in a `let db`).
 */
export function useTestStore(target: TestStoreTarget, onOpen: (db: Db) => void): void {
  let db: Db | undefined;
  beforeAll(async () => {
    db = await target.open();
    onOpen(db);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });
}
