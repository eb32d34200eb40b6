import { Pool, type PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { copyOutOptions, type CopyOutFormat, type Db, type QueryOptions, type Row } from './db';

export interface PostgresOptions {
  connectionString: string;
  /** Schema to use instead of `public` (created when missing): lets tests run side by side. */
  schema?: string;
  maxConnections?: number;
}

/** Opens a pool on a PostgreSQL server. */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
  return poolDb(pool);
}

/** The statement methods, the same over the pool (any free connection) or one client. */
function statements(target: Pool | PoolClient): Pick<Db, 'query' | 'run' | 'exec'> {
  return {
    async query<T extends Row = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
      const values = params as unknown[] | undefined;
      const result = options?.name
        ? await target.query({ name: options.name, text: sql, values })
        : await target.query(sql, values);
      return result.rows as T[];
    },
    async run(sql: string, params?: readonly unknown[]) {
      const result = await target.query(sql, params as unknown[] | undefined);
      return result.rowCount ?? 0;
    },
    async exec(sql: string) {
      await target.query(sql);
    },
  };
}

function poolDb(pool: Pool): Db {
  return {
    kind: 'postgres',
    ...statements(pool),
    async transaction<T>(work: (tx: Db) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(clientDb(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async copyCsv(table, columns, csv) {
      const client = await pool.connect();
      try {
        await copyInto(client, table, columns, csv);
      } finally {
        client.release();
      }
    },
    async *copyOut(select, format) {
      const client = await pool.connect();
      try {
        yield* copyOutOf(client, select, format);
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** One connection inside a transaction; a nested transaction joins it. */
function clientDb(client: PoolClient): Db {
  const db: Db = {
    kind: 'postgres',
    ...statements(client),
    transaction: (work) => work(db),
    copyCsv: (table, columns, csv) => copyInto(client, table, columns, csv),
    copyOut: (select, format) => copyOutOf(client, select, format),
    async close() {
      // The pool owns the connection.
    },
  };
  return db;
}

async function copyInto(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  csv: string | Iterable<string>,
) {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
  await pipeline(Readable.from(typeof csv === 'string' ? [csv] : csv), stream);
}

async function* copyOutOf(
  client: PoolClient,
  select: string,
  format?: CopyOutFormat,
): AsyncIterable<Uint8Array> {
  yield* client.query(copyTo(`COPY (${select}) TO STDOUT${copyOutOptions(format)}`));
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
