import type { ImportFormat } from './formats';

/**
 * The SQL that moves one file from its staging table into its canonical table. Staging lets the
 * database check a whole file at once (duplicates, references) and upsert it in one statement.
 */
export const STAGE_TABLE = 'signalfit_import_stage';
export const REJECTS_TABLE = 'signalfit_import_rejects';

export function createStagingSql(format: ImportFormat): string {
  const columns = format.columns.map((c) => `${c} ${format.sqlTypes[c]}`).join(', ');
  return `
    CREATE TEMP TABLE ${STAGE_TABLE} (line integer NOT NULL, ${columns}) ON COMMIT DROP;
    CREATE TEMP TABLE ${REJECTS_TABLE} (line integer PRIMARY KEY, column_name text, reason text) ON COMMIT DROP;`;
}

/** Rejects every repeat of a key after its first line. */
export function rejectDuplicatesSql(format: ImportFormat): string {
  const key = format.key;
  return `
    INSERT INTO ${REJECTS_TABLE} (line, column_name, reason)
    SELECT s.line, '${key}', 'duplicate ${key} "' || s.${key} || '" within the file (first at line ' || d.first_line || ')'
    FROM ${STAGE_TABLE} s
    JOIN (SELECT ${key}, min(line) AS first_line FROM ${STAGE_TABLE} GROUP BY ${key} HAVING count(*) > 1) d USING (${key})
    WHERE s.line > d.first_line`;
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
 * Upserts the accepted rows. Columns absent from the file's header keep their stored values on
 * update; rows whose values did not change are not rewritten, so a re-import changes nothing.
 * Returns one row: { inserted, updated }.
 */
export function mergeSql(format: ImportFormat, presentColumns: readonly string[]): string {
  const all = format.columns.join(', ');
  const updatable = presentColumns.filter((c) => c !== format.key);
  const conflict =
    updatable.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updatable.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
         WHERE (${updatable.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${updatable.map((c) => `EXCLUDED.${c}`).join(', ')})`;
  return `
    WITH upserted AS (
      INSERT INTO ${format.table} AS t (${all})
      SELECT ${all} FROM ${STAGE_TABLE} s
      WHERE NOT EXISTS (SELECT 1 FROM ${REJECTS_TABLE} r WHERE r.line = s.line)
      ON CONFLICT (${format.key}) ${conflict}
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated
    FROM upserted`;
}

/** A page of rejected rows with their staged values, in line order. */
export function rejectedPageSql(): string {
  return `
    SELECT r.line, r.column_name, r.reason, s.*
    FROM ${REJECTS_TABLE} r JOIN ${STAGE_TABLE} s USING (line)
    WHERE r.line > $1 ORDER BY r.line LIMIT $2`;
}
