import { BUYING_STAGES, REACH_LEVELS } from '../../domain/vocabulary';
import type { Db } from '../../store/db';
import { runById } from '../segments/catalog';
import { scopeCondition, segmentScope, type SegmentScope } from '../segments/scope';
import { SEARCH_COUNT_CAP, type MatchCounter } from './matchCounts';

/** The columns the accounts list sorts by (the standalone app's Accounts page). */
export const SORT_COLUMNS = [
  'name',
  'domain',
  'industry',
  'employees',
  'fit',
  'intent',
  'stage',
  'reach',
  'qualified',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDirection = 'asc' | 'desc';

/**
 * A vocabulary column's rank for sorting: 1 for the list's first value, 0 when null. Migration
 * 0006_app.sql indexes the same expressions (a test keeps them equal).
 */
export function rankOf(column: string, values: readonly string[]): string {
  const whens = values.map((value, i) => `WHEN '${value}' THEN ${i + 1}`).join(' ');
  return `(CASE ${column} ${whens} ELSE 0 END)`;
}

/**
 * Each sort's key: a never-null expression, so that keyset paging compares plain values. The
 * expressions are those of the indexes in migration 0006_app.sql (the planner matches them
 * textually): change both together. Keys on `s` are the current run's scores, on `a` the account.
 */
const SORT_KEYS: Record<SortColumn, { on: 'a' | 's'; sql: string; type: 'text' | 'int' | 'date' }> = {
  name: { on: 'a', sql: "lower(coalesce(a.name, ''))", type: 'text' },
  domain: { on: 'a', sql: "coalesce(a.domain, '')", type: 'text' },
  industry: { on: 'a', sql: "coalesce(a.industry, '')", type: 'text' },
  employees: { on: 'a', sql: 'coalesce(a.employees, -1)', type: 'int' },
  fit: { on: 's', sql: 'coalesce(s.profile_score, -1)', type: 'int' },
  intent: { on: 's', sql: 'coalesce(s.intent_score, -1)', type: 'int' },
  stage: {
    on: 's',
    sql: rankOf('s.buying_stage', BUYING_STAGES),
    type: 'int',
  },
  reach: {
    on: 's',
    sql: rankOf('s.reach', REACH_LEVELS),
    type: 'int',
  },
  qualified: {
    on: 's',
    sql: "(CASE WHEN s.qualified THEN coalesce(s.qualified_since, DATE '0001-01-02') ELSE DATE '0001-01-01' END)",
    type: 'date',
  },
};

export interface AccountFilters {
  /** Profile fit is one of these. */
  fit?: readonly string[];
  /** Buying stage is one of these. */
  stage?: readonly string[];
  qualified?: boolean;
  /** Industry is one of these (exact values). */
  industry?: readonly string[];
  /** Name or domain starts with this text (case-insensitive). */
  q?: string;
  /** Members of this segment in the current run (services/segments/scope.ts). */
  segmentId?: number;
}

/**
 * Where the previous page ended. `phase` 1 is the ordered part of the list; for sorts on scores,
 * phase 2 is the accounts the current run has not scored (they come last, by id).
 */
export interface ListCursor {
  sort: SortColumn;
  dir: SortDirection;
  phase: 1 | 2;
  key: string | number | null;
  id: string;
}

export interface ListAccountsProps {
  db: Db;
  /** The current run (services/scoring/currentRun), or null when nothing is scored yet. */
  runId: number | null;
  sort: SortColumn;
  dir: SortDirection;
  filters: AccountFilters;
  limit: number;
  cursor?: ListCursor;
  /** Counts the matches; without it the count is left out (the CSV export pages through). */
  counter?: MatchCounter;
  /** Limits the list to a segment's members (set from `filters.segmentId`, or given by a preview). */
  scope?: SegmentScope;
}

export interface AccountListRow {
  id: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  profileFit: string | null;
  profileScore: number | null;
  intentScore: number | null;
  buyingStage: string | null;
  reach: string | null;
  /** Null when the current run has not scored the account. */
  qualified: boolean | null;
  qualifiedSince: string | null;
}

export interface AccountListPage {
  accounts: AccountListRow[];
  /** Matches of the filters (a search is counted up to SEARCH_COUNT_CAP; `countCapped` says there are more). */
  count: number | null;
  countCapped: boolean;
  /** Pass it back as `cursor` for the next page; null on the last page. */
  nextCursor: ListCursor | null;
}

interface Sql {
  params: unknown[];
  add(value: unknown): string;
}

function sqlParams(): Sql {
  const params: unknown[] = [];
  return {
    params,
    add(value) {
      params.push(value);
      return `$${params.length}`;
    },
  };
}

function hasScoreFilter(filters: AccountFilters): boolean {
  return !!(filters.fit?.length || filters.stage?.length || filters.qualified !== undefined);
}

/** Conditions of the filters on `a` (accounts) and `s` (the run's scores). */
function filterConditions(filters: AccountFilters, sql: Sql, scores: boolean): string[] {
  const where: string[] = [];
  if (filters.industry?.length) where.push(`a.industry = ANY(${sql.add(filters.industry)}::text[])`);
  if (filters.q) {
    const pattern = sql.add(`${escapeLike(filters.q.toLowerCase())}%`);
    where.push(`(lower(a.name) LIKE ${pattern} OR lower(a.domain) LIKE ${pattern})`);
  }
  if (!scores) return where;
  if (filters.fit?.length) where.push(`s.profile_fit = ANY(${sql.add(filters.fit)}::text[])`);
  if (filters.stage?.length) where.push(`s.buying_stage = ANY(${sql.add(filters.stage)}::text[])`);
  if (filters.qualified !== undefined) where.push(`s.qualified = ${sql.add(filters.qualified)}`);
  return where;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The list's columns over `a` (accounts) and `s` (the run's scores), as toAccountListRow reads them. */
export const ACCOUNT_LIST_COLUMNS = `a.id, a.name, a.domain, a.industry, a.employees, s.profile_fit, s.profile_score,
  s.intent_score, s.buying_stage, s.reach, s.qualified, to_char(s.qualified_since, 'YYYY-MM-DD') AS qualified_since`;

export interface AccountListDbRow {
  id: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  profile_fit: string | null;
  profile_score: number | null;
  intent_score: number | null;
  buying_stage: string | null;
  reach: string | null;
  qualified: boolean | null;
  qualified_since: string | null;
  sort_key: string | null;
  [column: string]: unknown;
}

/**
 * One page of the accounts list with the current run's scores: sorted by any column (ties by
 * id), filtered, searched by name or domain prefix, paged by keyset (each page is an index range
 * scan, however deep), with a capped count of the matches.
 */
export async function listAccounts(input: ListAccountsProps): Promise<AccountListPage> {
  const props = { ...input, scope: input.scope ?? (await scopeOf(input)) };
  const { db, runId, sort, dir, filters, limit, scope } = props;
  const key = SORT_KEYS[sort];
  const cursor = props.cursor;
  const rows: AccountListDbRow[] = [];

  if (!cursor || cursor.phase === 1) {
    rows.push(...(await orderedPhase(props, cursor)));
  }
  // Sorts on scores list the scored accounts first; those the run has not scored follow (unless a
  // score filter rules them out).
  const unscoredFollow = key.on === 's' && !hasScoreFilter(filters);
  if (unscoredFollow && rows.length < limit) {
    const after = cursor?.phase === 2 ? cursor.id : null;
    rows.push(...(await unscoredPhase(db, runId, filters, limit - rows.length, after, scope)));
  }

  const last = rows[rows.length - 1];
  const lastPhase: 1 | 2 = last && key.on === 's' && last.qualified === null ? 2 : 1;
  const nextCursor: ListCursor | null =
    rows.length === limit && last
      ? {
          sort,
          dir,
          phase: lastPhase,
          key: lastPhase === 2 ? null : key.type === 'int' ? Number(last.sort_key) : last.sort_key,
          id: last.id,
        }
      : null;

  let count: number | null = null;
  let countCapped = false;
  if (props.counter && scope) {
    count = await scopeCount(db, runId, filters, scope);
  } else if (props.counter && !filters.q) {
    count = await props.counter.count(db, runId, filters);
  } else if (props.counter) {
    const sql = sqlParams();
    const run = sql.add(runId);
    const where = filterConditions(filters, sql, true);
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM accounts a LEFT JOIN account_scores s ON s.run_id = ${run} AND s.account_id = a.id
          WHERE ${where.join(' AND ')}
          LIMIT ${SEARCH_COUNT_CAP + 1}) matches`,
      sql.params,
    );
    count = Math.min(row?.n ?? 0, SEARCH_COUNT_CAP);
    countCapped = (row?.n ?? 0) > SEARCH_COUNT_CAP;
  }

  return { accounts: rows.map(toAccountListRow), count, countCapped, nextCursor };
}

async function scopeOf(props: ListAccountsProps): Promise<SegmentScope | undefined> {
  const segmentId = props.filters.segmentId;
  if (segmentId === undefined) return undefined;
  const run = props.runId === null ? null : await runById(props.db, props.runId);
  return segmentScope(props.db, segmentId, run);
}

function hasPlainFilter(filters: AccountFilters): boolean {
  return hasScoreFilter(filters) || !!filters.industry?.length || !!filters.q;
}

/** Members of a segment matching the other filters: the recorded count when there are none. */
async function scopeCount(
  db: Db,
  runId: number | null,
  filters: AccountFilters,
  scope: SegmentScope,
): Promise<number> {
  if (scope.kind === 'recorded' && !hasPlainFilter(filters)) return scope.members;
  const sql = sqlParams();
  const run = sql.add(runId);
  const where = [await scopeCondition(scope, 'a.id', sql, run), ...filterConditions(filters, sql, true)];
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM accounts a LEFT JOIN account_scores s ON s.run_id = ${run} AND s.account_id = a.id
      WHERE ${where.join(' AND ')}`,
    sql.params,
  );
  return row?.n ?? 0;
}

/** The ordered part: every account for sorts on account columns, the scored ones for sorts on scores. */
async function orderedPhase(
  props: ListAccountsProps,
  cursor: ListCursor | undefined,
): Promise<AccountListDbRow[]> {
  const { db, runId, sort, dir, filters, limit } = props;
  const key = SORT_KEYS[sort];
  const sql = sqlParams();
  const run = sql.add(runId);
  const idColumn = key.on === 's' ? 's.account_id' : 'a.id';
  const from =
    key.on === 's'
      ? `account_scores s JOIN accounts a ON a.id = s.account_id`
      : `accounts a LEFT JOIN account_scores s ON s.run_id = ${run} AND s.account_id = a.id`;
  const where = key.on === 's' ? [`s.run_id = ${run}`] : [];
  where.push(...filterConditions(filters, sql, true));
  if (props.scope) where.push(await scopeCondition(props.scope, idColumn, sql, run));
  if (cursor) {
    const op = dir === 'asc' ? '>' : '<';
    where.push(
      `(${key.sql}, ${idColumn}) ${op} (${sql.add(cursor.key)}::${key.type === 'int' ? 'integer' : key.type}, ${sql.add(cursor.id)})`,
    );
  }
  const order = dir === 'asc' ? 'ASC' : 'DESC';
  return db.query<AccountListDbRow>(
    `SELECT ${ACCOUNT_LIST_COLUMNS}, (${key.sql})::text AS sort_key
       FROM ${from}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${key.sql} ${order}, ${idColumn} ${order}
      LIMIT ${limit}`,
    sql.params,
  );
}

/** Accounts the current run has not scored (imported since), by id. */
async function unscoredPhase(
  db: Db,
  runId: number | null,
  filters: AccountFilters,
  limit: number,
  after: string | null,
  scope: SegmentScope | undefined,
): Promise<AccountListDbRow[]> {
  const sql = sqlParams();
  const run = sql.add(runId);
  // With a segment, its predicate may read the scores `s` (all null here: the run has not scored these).
  const from = scope
    ? `accounts a LEFT JOIN account_scores s ON s.run_id = ${run} AND s.account_id = a.id`
    : 'accounts a';
  const where = [
    scope
      ? 's.account_id IS NULL'
      : `NOT EXISTS (SELECT 1 FROM account_scores s WHERE s.run_id = ${run} AND s.account_id = a.id)`,
    ...filterConditions(filters, sql, false),
  ];
  if (scope) where.push(await scopeCondition(scope, 'a.id', sql, run));
  if (after !== null) where.push(`a.id > ${sql.add(after)}`);
  return db.query<AccountListDbRow>(
    `SELECT a.id, a.name, a.domain, a.industry, a.employees, NULL AS profile_fit, NULL AS profile_score,
            NULL AS intent_score, NULL AS buying_stage, NULL AS reach, NULL AS qualified,
            NULL AS qualified_since, NULL AS sort_key
       FROM ${from} WHERE ${where.join(' AND ')} ORDER BY a.id LIMIT ${limit}`,
    sql.params,
  );
}

export function toAccountListRow(row: AccountListDbRow): AccountListRow {
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    industry: row.industry,
    employees: row.employees,
    profileFit: row.profile_fit,
    profileScore: row.profile_score,
    intentScore: row.intent_score,
    buyingStage: row.buying_stage,
    reach: row.reach,
    qualified: row.qualified,
    qualifiedSince: row.qualified_since,
  };
}

/**
 * The industries of the store, for the filter: a skip scan over the industry index (one probe per
 * distinct value), so it stays quick with millions of accounts. At most 500.
 */
export async function listIndustries(db: Db): Promise<string[]> {
  const rows = await db.query<{ industry: string }>(
    `WITH RECURSIVE found (industry, n) AS (
       (SELECT coalesce(industry, ''), 1 FROM accounts WHERE coalesce(industry, '') > '' ORDER BY 1 LIMIT 1)
       UNION ALL
       SELECT (SELECT coalesce(a.industry, '') FROM accounts a WHERE coalesce(a.industry, '') > found.industry
                ORDER BY 1 LIMIT 1), n + 1
         FROM found WHERE found.industry IS NOT NULL AND n < 500
     )
     SELECT industry FROM found WHERE industry IS NOT NULL`,
  );
  return rows.map((r) => r.industry);
}
