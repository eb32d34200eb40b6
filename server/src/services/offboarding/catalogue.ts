import type { Db } from '../../store/db';

/**
 * Signalfit's tables as the store's own catalogue lists them (information_schema of the current
 * schema: `public`, or the schema DATABASE_URL's search_path names), so a table added by a later
 * migration is exported and deleted without a change here.
 */
export interface TableInfo {
  name: string;
  columns: { name: string; type: string }[];
  primaryKey: string[];
}

export async function storeSchema(db: Db): Promise<string> {
  const [row] = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
  return row!.schema;
}

export async function listTables(db: Db): Promise<TableInfo[]> {
  const columns = await db.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const keys = await db.query<{ table_name: string; column_name: string }>(
    `SELECT k.table_name, k.column_name
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage k
         ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
        AND k.table_name = tc.table_name
      WHERE tc.table_schema = current_schema() AND tc.constraint_type = 'PRIMARY KEY'
      ORDER BY k.table_name, k.ordinal_position`,
  );
  const tables = new Map<string, TableInfo>();
  for (const row of columns) {
    let table = tables.get(row.table_name);
    if (!table) tables.set(row.table_name, (table = { name: row.table_name, columns: [], primaryKey: [] }));
    table.columns.push({ name: row.column_name, type: row.data_type });
  }
  for (const row of keys) tables.get(row.table_name)?.primaryKey.push(row.column_name);
  return [...tables.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** What the export leaves out, and why: a whole table, or columns of one. */
export interface Exclusion {
  table: string;
  column?: string;
  reason: string;
}

/** Secrets the export never holds (docs/offboarding.md "What is not exported"). */
const EXCLUDED_TABLES: Record<string, string> = {
  access_token_keys: "the keys that sign the dashboard's access tokens",
  outreach_connect_tickets: 'short-lived Outreach connect tickets (hashes)',
  outreach_oauth_states: 'OAuth states of Outreach connects under way',
  oidc_sign_in_requests: 'OIDC state, nonce and PKCE verifiers of sign-ins under way',
  embed_token_uses: 'ids of single-use embed tokens',
};
const EXCLUDED_COLUMNS: Record<string, Record<string, string>> = {
  outreach_connections: {
    access_token: 'Outreach access token (encrypted)',
    refresh_token: 'Outreach refresh token (encrypted)',
  },
  api_keys: { key_hash: "the API key's hash" },
  user_sessions: { id: "the session's id (hash of the cookie's secret)" },
  alert_subscriptions: { webhook_sealed: 'the Slack webhook URL (encrypted); webhook_hint is kept' },
};
/** Columns holding secrets inside a JSON value: exported with those keys removed. */
const REDACTED_JSON_KEYS: Record<string, Record<string, { keys: string[]; reason: string }>> = {
  contact_providers: { settings: { keys: ['token'], reason: "an HTTP provider's bearer token (encrypted)" } },
};
/**
 * A column of a table added later whose name says it holds a secret is left out too, unless it is
 * one of these, known not to be secret.
 */
const SECRET_NAME = /(secret|password|token|hash|verifier|nonce|sealed|credential|private_key)/i;
const NOT_SECRET = new Set([
  'job_leases.token',
  'outreach_enrollment_requests.request_hash',
  'api_keys.prefix',
  'alert_subscriptions.webhook_hint',
]);

/** The tables and columns the export leaves out, for the manifest and the docs. */
export function exclusionsOf(tables: TableInfo[]): Exclusion[] {
  const excluded: Exclusion[] = [];
  for (const table of tables) {
    if (EXCLUDED_TABLES[table.name]) {
      excluded.push({ table: table.name, reason: EXCLUDED_TABLES[table.name]! });
      continue;
    }
    for (const column of table.columns) {
      const reason = excludedColumnReason(table.name, column.name);
      if (reason) excluded.push({ table: table.name, column: column.name, reason });
      const redacted = REDACTED_JSON_KEYS[table.name]?.[column.name];
      if (redacted)
        excluded.push({
          table: table.name,
          column: `${column.name}.${redacted.keys.join(',')}`,
          reason: redacted.reason,
        });
    }
  }
  return excluded;
}

function excludedColumnReason(table: string, column: string): string | null {
  const known = EXCLUDED_COLUMNS[table]?.[column];
  if (known) return known;
  if (REDACTED_JSON_KEYS[table]?.[column]) return null;
  if (SECRET_NAME.test(column) && !NOT_SECRET.has(`${table}.${column}`))
    return 'its name says it holds a secret';
  return null;
}

export function isTableExcluded(table: string): boolean {
  return table in EXCLUDED_TABLES;
}

/** The SELECT list of a table's export: each kept column as text, secrets left out or redacted. */
export function exportColumns(table: TableInfo): { header: string[]; select: string } {
  const header: string[] = [];
  const select: string[] = [];
  for (const column of table.columns) {
    if (excludedColumnReason(table.name, column.name)) continue;
    const ident = quoteIdent(column.name);
    const redacted = REDACTED_JSON_KEYS[table.name]?.[column.name];
    const value = redacted
      ? `(${ident}::jsonb ${redacted.keys.map((key) => `- '${key.replace(/'/g, "''")}'`).join(' ')})`
      : ident;
    header.push(column.name);
    select.push(`${value}::text AS ${ident}`);
  }
  return { header, select: select.join(', ') };
}

/** The folder of a table's CSV in the export: a reader finds each kind of data by name. */
const GROUPS: [string, RegExp][] = [
  ['accounts', /^(accounts|account_crm_fields)$/],
  ['people', /^contacts$/],
  ['opportunities', /^opportunities$/],
  ['activities', /^activities$/],
  ['keywords', /^keywords/],
  ['segments', /^segment/],
  ['scores', /^(score_runs|account_scores|contact_scores|score_reason_sets|model)/],
  ['orchestrations', /^(orchestration|contact_purchases|contact_providers)/],
  ['credits', /^credit/],
  ['alerts', /^alert/],
  ['audit', /^audit/],
  ['usage', /^(job_|salesforce_api_usage)/],
  ['outreach', /^outreach/],
  ['salesforce', /^salesforce/],
  ['access', /^(users|user_sessions|api_keys|opt_outs|oidc|scim)/],
  ['settings', /^(settings|schema_migrations)$/],
];

export function groupOf(table: string): string {
  return GROUPS.find(([, pattern]) => pattern.test(table))?.[0] ?? 'other';
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
