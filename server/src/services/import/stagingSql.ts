import type { ImportFormat } from './formats';

/**
 * The SQL that moves one file from its staging table into its canonical table. Staging lets the
 * database check a whole file at once (duplicates, references) and upsert it in one statement.
 */
export const STAGE_TABLE = 'signalfit_import_stage';
export const REJECTS_TABLE = 'signalfit_import_rejects';

/** The staged rows (alias s) that no check has rejected. */
const ACCEPTED = `NOT EXISTS (SELECT 1 FROM ${REJECTS_TABLE} r WHERE r.line = s.line)`;

export function createStagingSql(format: ImportFormat): string {
  const columns = format.columns.map((c) => `${c} ${format.sqlTypes[c]}`).join(', ');
  return `
    CREATE TEMP TABLE ${STAGE_TABLE} (line integer NOT NULL, ${columns}) ON COMMIT DROP;
    CREATE TEMP TABLE ${REJECTS_TABLE} (line integer PRIMARY KEY, column_name text, reason text) ON COMMIT DROP;`;
}

/**
 * Rejects every repeat of a key after its first line, among the rows no other check rejected:
 * the first acceptable row with a key is the one kept.
 */
export function rejectDuplicatesSql(format: ImportFormat): string {
  const key = format.key;
  return `
    WITH acceptable AS (SELECT s.line, s.${key} FROM ${STAGE_TABLE} s WHERE ${ACCEPTED})
    INSERT INTO ${REJECTS_TABLE} (line, column_name, reason)
    SELECT a.line, '${key}', 'duplicate ${key} "' || a.${key} || '" within the file (first at line ' || d.first_line || ')'
    FROM acceptable a
    JOIN (SELECT ${key}, min(line) AS first_line FROM acceptable GROUP BY ${key} HAVING count(*) > 1) d USING (${key})
    WHERE a.line > d.first_line
    ON CONFLICT (line) DO NOTHING`;
}

/**
 * Rejects staged rows whose key an earlier chunk of the same file already loaded (only used
 * into a table that was empty when the file started, where no other row can hold the key).
 */
export function rejectKeysAlreadyLoadedSql(format: ImportFormat): string {
  const key = format.key;
  return `
    INSERT INTO ${REJECTS_TABLE} (line, column_name, reason)
    SELECT s.line, '${key}', 'duplicate ${key} "' || s.${key} || '" within the file (an earlier line has it)'
    FROM ${STAGE_TABLE} s
    WHERE EXISTS (SELECT 1 FROM ${format.table} t WHERE t.${key} = s.${key})
    ON CONFLICT (line) DO NOTHING`;
}

/** The one wording of this reject, whether the parser or the database finds it. */
export function unknownAccountReason(accountId: string): string {
  return `account_id "${accountId}" names no known account (add it to accounts.csv)`;
}

export function rejectUnknownAccountsSql(): string {
  return `
    INSERT INTO ${REJECTS_TABLE} (line, column_name, reason)
    SELECT s.line, 'account_id', 'account_id "' || s.account_id || '" names no known account (add it to accounts.csv)'
    FROM ${STAGE_TABLE} s
    WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = s.account_id)
    ON CONFLICT (line) DO NOTHING`;
}

/**
 * Inserts the accepted rows whose key is new; its row count is the number inserted. Into a
 * table known to be empty the conflict check is left out (no row can conflict: duplicates
 * within the file are already rejected), which saves a fifth of a large first load.
 */
export function insertNewSql(format: ImportFormat, tableIsEmpty = false): string {
  const all = format.columns.join(', ');
  return `
    INSERT INTO ${format.table} (${all})
    SELECT ${all} FROM ${STAGE_TABLE} s WHERE ${ACCEPTED}
    ${tableIsEmpty ? '' : `ON CONFLICT (${format.key}) DO NOTHING`}`;
}

/**
 * Updates the stored rows whose values differ from the accepted ones; its row count is the
 * number updated. Columns absent from the file's header keep their stored values, and rows
 * that did not change are not rewritten, so a re-import changes nothing. Null when the file
 * carries no column besides the key.
 */
export function updateChangedSql(format: ImportFormat, presentColumns: readonly string[]): string | null {
  const updatable = presentColumns.filter((c) => c !== format.key);
  if (updatable.length === 0) return null;
  return `
    UPDATE ${format.table} AS t SET ${updatable.map((c) => `${c} = s.${c}`).join(', ')}
    FROM ${STAGE_TABLE} s
    WHERE t.${format.key} = s.${format.key} AND ${ACCEPTED}
      AND (${updatable.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${updatable.map((c) => `s.${c}`).join(', ')})`;
}

/** The table's indexes other than unique ones (which the upsert needs): rebuilt after a bulk load. */
export const SECONDARY_INDEXES_SQL = `
  SELECT indexname AS name, indexdef AS definition FROM pg_indexes
  WHERE schemaname = current_schema() AND tablename = $1 AND indexdef NOT LIKE 'CREATE UNIQUE INDEX%'`;

/** A page of rejected rows with their staged values, in line order. */
export function rejectedPageSql(): string {
  return `
    SELECT r.line, r.column_name, r.reason, s.*
    FROM ${REJECTS_TABLE} r JOIN ${STAGE_TABLE} s USING (line)
    WHERE r.line > $1 ORDER BY r.line LIMIT $2`;
}
