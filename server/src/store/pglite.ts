import { PGlite, type Transaction } from '@electric-sql/pglite';
import { lockDataDir, type DataDirLock } from './dataDirLock';
import { copyOutOptions, type CopyOutFormat, type Db, type Row } from './db';

type PgliteQueryable = PGlite | Transaction;

/**
 * The embedded PostgreSQL's memory lives in this process, and its WebAssembly memory never
 * shrinks. A smaller buffer cache (default 128 MB; the operating system's file cache still
 * holds the data) and index-build memory (default 64 MB), with the parser's heap capped, took
 * the peak of a 1M-row import from about 750 MB to under 500 MB at the same speed
 * (scripts/bench/RESULTS.md).
 */
const PGLITE_SETTINGS = ['shared_buffers=32MB', 'maintenance_work_mem=16MB'];

/**
 * Opens the embedded store: PostgreSQL compiled to WASM, in this process. `dataDir` is a folder
 * on disk (created when missing); `undefined` keeps everything in memory (tests). A folder is
 * locked while open: a second process opening it fails with `store_locked` naming the holder.
 * `loadDataDir` starts a new store from a copy of another's files (`dumpPglite`).
 */
export async function openPglite(dataDir?: string, options: { loadDataDir?: Blob } = {}): Promise<Db> {
  const lock = dataDir === undefined ? null : lockDataDir(dataDir);
  try {
    const pg = await PGlite.create(dataDir, {
      postgresqlconf: PGLITE_SETTINGS,
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    return wrap(pg, pg, lock);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/**
 * The files of a new in-memory store after `prepare` ran on it, as a tarball that `openPglite`'s
 * `loadDataDir` starts another store from (the tests' migrated empty store: creating a PGlite
 * cluster takes seconds, copying one about a second).
 */
export async function dumpPglite(prepare: (db: Db) => Promise<void>): Promise<Blob> {
  const pg = await PGlite.create(undefined, { postgresqlconf: PGLITE_SETTINGS });
  try {
    await prepare(wrap(pg, pg, null));
    return await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
}

function wrap(root: PGlite, conn: PgliteQueryable, lock: DataDirLock | null): Db {
  const inTransaction = conn !== root;
  const db: Db = {
    kind: 'pglite',
    async query<T extends Row = Row>(sql: string, params?: readonly unknown[]) {
      const result = await conn.query<T>(sql, params as unknown[] | undefined);
      return result.rows;
    },
    async run(sql: string, params?: readonly unknown[]) {
      const result = await conn.query(sql, params as unknown[] | undefined);
      return result.affectedRows ?? 0;
    },
    async exec(sql: string) {
      await conn.exec(sql);
    },
    async transaction<T>(work: (tx: Db) => Promise<T>) {
      if (inTransaction) return work(db);
      return root.transaction((tx) => work(wrap(root, tx, null)));
    },
    async copyCsv(table: string, columns: readonly string[], csv: string | Iterable<string>) {
      // PGlite reads COPY input from the virtual file /dev/blob.
      await conn.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], {
        blob: new Blob(typeof csv === 'string' ? [csv] : [...csv]),
      });
    },
    async *copyOut(select: string, format?: CopyOutFormat) {
      // PGlite writes COPY output to the virtual file /dev/blob, returned whole.
      const result = await conn.query(`COPY (${select}) TO '/dev/blob'${copyOutOptions(format)}`);
      if (result.blob) yield new Uint8Array(await result.blob.arrayBuffer());
    },
    async close() {
      if (inTransaction) return;
      try {
        await root.close();
      } finally {
        lock?.release();
      }
    },
  };
  return db;
}
