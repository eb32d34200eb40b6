import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from './db';
import { bundledMigrations, migrate } from './migrate';
import { dumpPglite, openPglite } from './pglite';
import { openPostgres, quoteIdent } from './postgres';

/** The installed PGlite's version (its package.json is not exported): another build's template is not reused. */
const PGLITE_VERSION: string = (
  JSON.parse(
    readFileSync(
      path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'),
      'utf8',
    ),
  ) as { version: string }
).version;

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
  const db = await openPglite(undefined, { loadDataDir: await migratedPgliteTemplate() });
  // Nothing is pending on the template's copy; this checks that, as a real start does.
  await migrate(db);
  return db;
}

/**
 * A new PGlite store spends seconds creating its cluster and applying the migrations, and the
 * tests open hundreds: they start from a copy of one migrated empty store instead. The copy is
 * made once per PGlite build and set of migrations and kept in the temp folder for the test files
 * that follow (written to a private name, then renamed: files running at once never read half a
 * copy). The migrations themselves run on fresh clusters in store.test.ts and the CLI tests.
 */
async function migratedPgliteTemplate(): Promise<Blob> {
  const migrations = bundledMigrations();
  const key = createHash('sha256')
    .update(PGLITE_VERSION)
    .update(JSON.stringify(migrations))
    .digest('hex')
    .slice(0, 16);
  const file = path.join(tmpdir(), `signalfit-pglite-template-${key}.tar`);
  if (!existsSync(file)) {
    const dump = await dumpPglite(async (db) => {
      await migrate(db, migrations);
    });
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
    renameSync(partial, file);
  }
  return new Blob([readFileSync(file)]);
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

/**
 * `db` with a count of its transactions open right now: tests check that no outbound call is
 * made while one is open (a slow partner would hold a connection, and on PGlite the one lock).
 */
export function countingTransactions(db: Db): { db: Db; open: () => number } {
  let open = 0;
  return {
    open: () => open,
    db: {
      ...db,
      transaction: (work) =>
        db.transaction(async (tx) => {
          open += 1;
          try {
            return await work(tx);
          } finally {
            open -= 1;
          }
        }),
    },
  };
}

/**
 * A store that a child process (the real `signalfit` command or service) works on, for the tests
 * that kill it: `env` points the child at the store, `use` lets the test read it in between.
 */
export interface ProcessStore {
  env: NodeJS.ProcessEnv;
  /** Runs `work` on the store while no child holds it (PGlite allows one process at a time). */
  use<T>(work: (db: Db) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

export interface ProcessStoreTarget {
  name: 'pglite' | 'postgres';
  /** A new, empty store (not migrated: the child migrates it, as at a real first start). */
  create(): Promise<ProcessStore>;
}

/** PGlite folders always, PostgreSQL schemas when TEST_DATABASE_URL is set; `prefix` names them. */
export function processStoreTargets(prefix: string): ProcessStoreTarget[] {
  const targets: ProcessStoreTarget[] = [{ name: 'pglite', create: () => pgliteProcessStore(prefix) }];
  const url = process.env.TEST_DATABASE_URL;
  if (url) targets.push({ name: 'postgres', create: () => postgresProcessStore(url, prefix) });
  return targets;
}

async function pgliteProcessStore(prefix: string): Promise<ProcessStore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `signalfit-${prefix}-`));
  return {
    env: { SIGNALFIT_DATA_DIR: dataDir },
    async use(work) {
      // Opening the folder again is itself part of the check: it must recover cleanly.
      const db = await openPglite(dataDir);
      try {
        return await work(db);
      } finally {
        await db.close();
      }
    },
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function postgresProcessStore(url: string, prefix: string): Promise<ProcessStore> {
  const schema = `test_${prefix.replace(/\W/g, '_')}_${randomBytes(6).toString('hex')}`;
  const db = await openPostgres({ connectionString: url, schema, maxConnections: 2 }); // creates the schema
  return {
    env: { DATABASE_URL: `${url}${url.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}` },
    use: (work) => work(db),
    async dispose() {
      await db.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
      await db.close();
    },
  };
}
