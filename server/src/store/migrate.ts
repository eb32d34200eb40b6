import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './db';

const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
/** Any fixed number: every instance takes the same lock, so only one migrates at a time. */
const MIGRATION_LOCK_KEY = 731_240_001;

export interface Migration {
  version: string;
  sql: string;
}

/** The migrations shipped with this build, in the order they apply (`NNNN_name.sql`). */
export function bundledMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => ({
      version: name.replace(/\.sql$/, ''),
      sql: readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8'),
    }));
}

/**
 * Applies the pending migrations, each in its own transaction, under an advisory lock so that
 * several instances starting together against one PostgreSQL apply each migration once.
 * Returns the versions it applied.
 */
export async function migrate(db: Db, migrations: Migration[] = bundledMigrations()): Promise<string[]> {
  const applied: string[] = [];
  for (const migration of migrations) {
    const didApply = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await tx.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return applied;
}

/** The bundled migrations that the database has not applied yet (empty when up to date). */
export async function pendingMigrations(
  db: Db,
  migrations: Migration[] = bundledMigrations(),
): Promise<string[]> {
  const table = await db.query<{ exists: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS exists",
  );
  if (!table[0]?.exists) return migrations.map((m) => m.version);
  const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations');
  const done = new Set(rows.map((r) => r.version));
  return migrations.map((m) => m.version).filter((v) => !done.has(v));
}
