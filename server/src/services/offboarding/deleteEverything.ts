import { AppError } from '../../errors';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { bundledMigrations } from '../../store/migrate';
import { listTables, quoteIdent, storeSchema } from './catalogue';
import { signCertificate, type DeletedTable, type DeletionCertificate } from './certificate';
import { getOffboardingState, instanceId } from './offboardingState';

/** The word `offboard delete --confirm` needs: not one a hand types by habit. */
export function confirmWord(instance: string): string {
  return `delete-${instance.slice(0, 8)}`;
}

export async function deletionConfirmWord(db: Db): Promise<string> {
  return confirmWord(await instanceId(db));
}

/**
 * The functions the migrations make (trigger functions): dropped with the tables in `public`.
 * Read from the migrations themselves, so a function a later migration adds goes too.
 */
export function migrationFunctions(): string[] {
  const names = new Set<string>();
  for (const { sql } of bundledMigrations()) {
    for (const match of sql.matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+([a-z_][a-z0-9_]*)\s*\(/gi)) {
      names.add(match[1]!.toLowerCase());
    }
  }
  return [...names].sort();
}

export interface DeletionProps {
  db: Db;
  actor: Actor;
  /** Who ran it, as the certificate names them. */
  deletedBy: string;
  confirm: string;
  now?: () => Date;
}

/**
 * Deletes every row of every Signalfit table (one TRUNCATE … CASCADE, one transaction), counts
 * again, then removes the schema objects: the store's own schema when it is not `public`, else
 * every table (schema_migrations, the job tables and leases included), sequence and function the
 * migrations made. Returns the signed certificate; the embedded store's folder is removed by the
 * caller once the store is closed. Nothing is audited: the audit log is gone, the certificate is
 * the record.
 */
export async function deleteEverything(props: DeletionProps): Promise<DeletionCertificate> {
  authorize(props.actor, 'offboarding.manage', 'deleting everything');
  const { db } = props;
  const now = props.now ?? (() => new Date());
  const instance = await instanceId(db);
  if (props.confirm !== confirmWord(instance))
    throw new AppError(
      'bad_request',
      `the confirmation word does not match: confirm with: --confirm ${confirmWord(instance)}`,
    );
  const exportSha256 = (await getOffboardingState(db)).export?.sha256 ?? null;
  const tables = (await listTables(db)).map((t) => t.name);
  const before = await countRows(db, tables);
  await db.transaction(async (tx) => {
    // A table whose TRUNCATE trigger empties others (score_runs) goes after them, in its own
    // statement: one statement may not truncate a table its trigger truncates too.
    const triggered = new Set(await truncateTriggerTables(tx));
    const first = tables.filter((t) => !triggered.has(t));
    if (first.length) await tx.exec(`TRUNCATE ${first.map(quoteIdent).join(', ')} CASCADE`);
    for (const table of tables.filter((t) => triggered.has(t)))
      await tx.exec(`TRUNCATE ${quoteIdent(table)} CASCADE`);
  });
  const after = await countRows(db, tables);
  const counted: DeletedTable[] = tables.map((name) => ({
    name,
    rows_before: before.get(name)!,
    rows_after: after.get(name)!,
  }));
  const left = counted.filter((t) => t.rows_after !== 0);
  if (left.length > 0)
    throw new AppError(
      'conflict',
      `rows are left after the deletion in ${left.map((t) => t.name).join(', ')}`,
    );
  await dropSchemaObjects(db, tables);
  return signCertificate({
    instance,
    deleted_at: now().toISOString(),
    deleted_by: props.deletedBy,
    tables: counted,
    export_sha256: exportSha256,
  });
}

async function truncateTriggerTables(db: Db): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT DISTINCT c.relname AS name FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname = current_schema() AND NOT t.tgisinternal AND (t.tgtype & 32) <> 0`,
  );
  return rows.map((row) => row.name);
}

async function countRows(db: Db, tables: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of tables) {
    const [row] = await db.query<{ n: string }>(`SELECT count(*)::bigint AS n FROM ${quoteIdent(table)}`);
    counts.set(table, Number(row!.n));
  }
  return counts;
}

async function dropSchemaObjects(db: Db, tables: string[]): Promise<void> {
  const schema = await storeSchema(db);
  if (db.kind === 'postgres' && schema !== 'public') {
    await db.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
    return;
  }
  await db.transaction(async (tx) => {
    await tx.exec(`DROP TABLE ${tables.map(quoteIdent).join(', ')} CASCADE`);
    for (const name of migrationFunctions())
      await tx.exec(`DROP FUNCTION IF EXISTS ${quoteIdent(name)}() CASCADE`);
    const sequences = await tx.query<{ name: string }>(
      `SELECT sequence_name AS name FROM information_schema.sequences WHERE sequence_schema = current_schema()`,
    );
    for (const { name } of sequences) await tx.exec(`DROP SEQUENCE IF EXISTS ${quoteIdent(name)}`);
  });
}

/** Signalfit tables still in the store's schema (none after a deletion). */
export async function remainingTables(db: Db): Promise<string[]> {
  return (await listTables(db)).map((t) => t.name);
}
