import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db, Row } from './db';

type PgliteQueryable = PGlite | Transaction;

/**
 * PostgreSQL's buffer cache inside the embedded store. It lives in this process's memory, and
 * the default 128 MB made a 1M-row import peak at 600 MB; at 48 MB the same import peaks near
 * 410 MB at about the same speed (the operating system's file cache still holds the data).
 */
const PGLITE_SETTINGS = ['shared_buffers=48MB'];

/**
 * Opens the embedded store: PostgreSQL compiled to WASM, in this process. `dataDir` is a folder
 * on disk (created when missing); `undefined` keeps everything in memory (tests).
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  const pg = await PGlite.create(dataDir, { postgresqlconf: PGLITE_SETTINGS });
  return wrap(pg, pg);
}

function wrap(root: PGlite, conn: PgliteQueryable): Db {
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
      return root.transaction((tx) => work(wrap(root, tx)));
    },
    async copyCsv(table: string, columns: readonly string[], csv: string) {
      // PGlite reads COPY input from the virtual file /dev/blob.
      await conn.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], {
        blob: new Blob([csv]),
      });
    },
    async close() {
      if (!inTransaction) await root.close();
    },
  };
  return db;
}
