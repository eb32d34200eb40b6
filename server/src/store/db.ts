/**
 * The one database interface the service uses. Two implementations speak the same PostgreSQL
 * dialect: PGlite (embedded, in process) and a PostgreSQL server through `pg`.
 */
export type Row = Record<string, unknown>;

/** COPY output: PostgreSQL's text format (the default), or CSV with a header line. */
export type CopyOutFormat = 'text' | 'csv';

export function copyOutOptions(format: CopyOutFormat = 'text'): string {
  return format === 'csv' ? ' WITH (FORMAT csv, HEADER)' : '';
}

export interface QueryOptions {
  /**
   * Prepares the statement under this name on each connection that runs it, so PostgreSQL plans
   * it once per connection instead of on every call: for hot read paths whose planning costs more
   * than their execution. One name, one SQL text. The embedded store ignores it.
   */
  name?: string;
}

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /** One statement with `$1…` parameters. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<T[]>;
  /** One statement that changes rows; returns how many it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Several statements, no parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
  /** Runs `work` in one transaction on one connection; a nested call joins the outer one. */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * `COPY table (columns) FROM STDIN (FORMAT csv)` with the given CSV text (no header), whole or
   * in pieces (each ending with a line). Pieces are taken as the server reads, so a large input
   * can be produced while PostgreSQL is loading the part before.
   */
  copyCsv(table: string, columns: readonly string[], csv: string | Iterable<string>): Promise<void>;
  /**
   * `COPY (select) TO STDOUT` in PostgreSQL's text format (tab-separated, `\N` for null,
   * backslash escapes): the fastest way to read millions of rows. `select` has no parameters.
   */
  copyOut(select: string, format?: CopyOutFormat): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}
