import { ACTIVITY_CLASSES } from '../../domain/canonical';
import type { MarketFacts } from '../../domain/scoring/facts';
import { REACH_POINTS, REVIEW_SOURCES } from '../../domain/scoring/intentFeatures';
import {
  emptyWindow,
  RECORD,
  UNIT,
  WINDOW_COUNT,
  WINDOW_DAYS,
  type WindowActivity,
} from '../../domain/scoring/windowActivity';
import { isRelevantOpportunity, type OpportunityFact } from '../../domain/scoring/opportunities';
import type { ScoringSettings } from '../../domain/scoring/settings';
import type { Db } from '../../store/db';
import { forEachCopyRow } from './copyText';

/**
 * Reads the facts the scoring engine needs as of T, strictly before T, in one snapshot of the
 * store (the caller runs it in one transaction).
 *
 * The heavy part is the activity table: SQL aggregates each account's activity per 91-day
 * window before T (windowActivity.ts) into counts, and lists the events whose details the
 * engine needs (research keywords, recent page visits, known people's engagement); research on
 * keywords that are not configured is not counted, so it cannot move any score. Both are
 * streamed with COPY.
 *
 * The counts are one hash aggregate on one server core while everything else mostly waits on
 * Node, so a caller with a second connection in the same snapshot (`countsDb`: PostgreSQL,
 * scoreRun.ts) gets the counts there while this one reads people and events: on the
 * 100,000-account market the read phase took 29.7 s one after the other.
 */
const KNOWN_ENGAGEMENT = sqlList(ACTIVITY_CLASSES.known_engagement);

function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}

/** T as a SQL literal (COPY takes no parameters; T is a date we formatted ourselves). */
function timestampLiteral(asOf: Date): string {
  return `'${asOf.toISOString()}'::timestamptz`;
}

const REACH_CASE = `CASE type ${Object.entries(REACH_POINTS)
  .map(([type, points]) => `WHEN '${type}' THEN ${points}`)
  .join(' ')} END`;

/**
 * A part of the accounts by id, in the store's own text order: those after `after` (exclusive)
 * up to `through` (inclusive); null leaves that end open. A run in parts (accountRanges.ts)
 * reads each part's accounts with everything that belongs to them.
 */
export interface AccountRange {
  after: string | null;
  through: string | null;
}

/** A text as a SQL literal: COPY takes no parameters, and account ids are data. */
function textLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** ` AND column` within `range` ('' for the whole market), in the column's own collation so its index serves. */
function rangeSql(column: string, range: AccountRange | undefined): string {
  if (range === undefined) return '';
  const after = range.after === null ? '' : ` AND ${column} > ${textLiteral(range.after)}`;
  const through = range.through === null ? '' : ` AND ${column} <= ${textLiteral(range.through)}`;
  return after + through;
}

/**
 * The accounts a query reads: those in `range` (rangeSql) and, for a training on a sample,
 * those whose id's MD5 is at or below `sample` (trainingSample.ts). `column` is the account id:
 * `id` of accounts itself, or the `account_id` of a table that belongs to accounts (the sample
 * is then one hashed look-up of the accounts table, not an MD5 for every row).
 */
export interface AccountSelection {
  range?: AccountRange;
  sample?: string;
}

function selectionSql(column: 'id' | 'account_id', selection: AccountSelection): string {
  const sample =
    selection.sample === undefined
      ? ''
      : column === 'id'
        ? ` AND md5(id) <= ${textLiteral(selection.sample)}`
        : ` AND account_id IN (SELECT id FROM accounts WHERE md5(id) <= ${textLiteral(selection.sample)})`;
  return rangeSql(column, selection.range) + sample;
}

/** Activities of the first `windows` windows before T, each with its window k and its age in the window. */
function datedActivities(asOf: Date, windows: number, selection: AccountSelection = {}): string {
  const t = timestampLiteral(asOf);
  return `SELECT *, d / ${WINDOW_DAYS} AS k, d % ${WINDOW_DAYS} AS age FROM (
      SELECT *, floor(date_part('epoch', ${t} - occurred_at) / 86400)::int AS d FROM activities
      WHERE occurred_at < ${t} AND occurred_at >= ${t} - interval '${windows * WINDOW_DAYS} days'${selectionSql('account_id', selection)}
    ) dated`;
}

/**
 * The counts of every account's windows: one row per account and window, one hash aggregate
 * (plain counts only: listing the events in it spilled hundreds of MB to disk). With one window
 * the rows are grouped by account alone: the planner then estimates about one group per account
 * rather than one per row and can aggregate in parallel.
 */
export function windowCountsSql(
  asOf: Date,
  windows: number = WINDOW_COUNT,
  selection: AccountSelection = {},
): string {
  const recent = `age < 28`;
  const [k, groups] = windows === 1 ? ['0', 'account_id'] : ['k', 'account_id, k'];
  return `SELECT account_id, ${k},
      count(*) FILTER (WHERE r AND age < 7), count(*) FILTER (WHERE r AND ${recent}), count(*) FILTER (WHERE r),
      count(*) FILTER (WHERE r AND ${recent} AND lower(source) IN (${sqlList(REVIEW_SOURCES)})),
      count(*) FILTER (WHERE b AND ${recent}), min(age) FILTER (WHERE r),
      count(*) FILTER (WHERE type = 'web_visit'),
      count(*) FILTER (WHERE e AND ${recent}), count(*) FILTER (WHERE e),
      coalesce(sum(${REACH_CASE}) FILTER (WHERE ${recent}), 0),
      count(*) FILTER (WHERE type IN ('sales_email', 'sales_call', 'sales_meeting') AND ${recent})
    FROM (
      SELECT a.account_id, a.k, a.age, a.type, a.source, kw.keyword IS NOT NULL AS r, coalesce(kw.branded, false) AS b,
        a.type IN (${KNOWN_ENGAGEMENT}) AS e
      FROM (${datedActivities(asOf, windows, selection)}) a
      LEFT JOIN (SELECT lower(keyword) AS keyword, bool_or(kind = 'branded') AS branded FROM keywords GROUP BY 1) kw
        ON kw.keyword = CASE WHEN a.type = 'keyword_research' THEN lower(a.keyword) END
    ) counted
    GROUP BY ${groups}`;
}

/**
 * The events whose details the engine reads, one row each: research on configured keywords,
 * web visits in the last 28 days of a window, and known engagement by an identified person.
 */
export function windowEventsSql(
  asOf: Date,
  windows: number = WINDOW_COUNT,
  selection: AccountSelection = {},
): string {
  return `SELECT account_id, k, age, type, source, keyword, url, contact_id FROM (${datedActivities(asOf, windows, selection)}) a
    WHERE (type = 'keyword_research' AND lower(keyword) IN (SELECT lower(keyword) FROM keywords))
      OR (type = 'web_visit' AND age < 28 AND url IS NOT NULL)
      OR (type IN (${KNOWN_ENGAGEMENT}) AND contact_id IS NOT NULL)`;
}

/** The people with known engagement in the windows (their ids, repeated). */
function engagedSql(asOf: Date, windows: number, selection: AccountSelection): string {
  return `SELECT contact_id FROM (${datedActivities(asOf, windows, selection)}) a
    WHERE type IN (${KNOWN_ENGAGEMENT}) AND contact_id IS NOT NULL`;
}

/** Sets the counts of one row of windowCountsSql on its window (the event lists come apart). */
function setCounts(window: WindowActivity, f: Array<string | null>): void {
  const n = (i: number) => Number(f[i] ?? 0);
  window.research7 = n(2);
  window.research28 = n(3);
  window.research91 = n(4);
  window.review28 = n(5);
  window.branded28 = n(6);
  window.lastResearchAge = f[7] === null ? null : n(7);
  window.visits91 = n(8);
  window.engagement28 = n(9);
  window.engagement91 = n(10);
  window.reach28 = n(11);
  window.sales28 = n(12);
}

function appendRecord(list: string | null, record: string): string {
  return list === null ? record : list + RECORD + record;
}

/** Adds one row of windowEventsSql to the lists of its window. */
function addEvent(window: WindowActivity, f: Array<string | null>): void {
  const [, , age, type, source, keyword, url, contact] = f;
  if (type === 'keyword_research') {
    window.researchList = appendRecord(window.researchList, [age, source ?? '', keyword ?? ''].join(UNIT));
  } else if (type === 'web_visit') {
    window.urlList = appendRecord(window.urlList, url ?? '');
  } else {
    window.engagementList = appendRecord(window.engagementList, [age, type, contact].join(UNIT));
  }
}

function ms(value: unknown): number | null {
  return value === null || value === undefined ? null : new Date(value as string | Date).getTime();
}

/**
 * An account's window k, made when first met: counts and events may arrive in either order
 * (every event is counted too, so each window made for an event also gets its counts).
 */
function windowAt(
  windows: Array<Array<WindowActivity | undefined>>,
  account: number,
  k: number,
): WindowActivity | undefined {
  if (!(k >= 0 && k < WINDOW_COUNT)) return undefined;
  const accountWindows = windows[account] as Array<WindowActivity | undefined>;
  let window = accountWindows[k];
  if (window === undefined) {
    window = emptyWindow();
    accountWindows[k] = window;
  }
  return window;
}

async function readWindowCounts(
  db: Db,
  asOf: Date,
  windowCount: number,
  selection: AccountSelection,
  accountIndex: ReadonlyMap<string, number>,
  windows: Array<Array<WindowActivity | undefined>>,
): Promise<void> {
  // Hash aggregation: sorting millions of rows by account id costs more than the scan itself.
  await db.exec(
    `SET LOCAL enable_sort = off; SET LOCAL work_mem = '${db.kind === 'postgres' ? '256MB' : '64MB'}'`,
  );
  await forEachCopyRow(db.copyOut(windowCountsSql(asOf, windowCount, selection)), (f) => {
    const account = accountIndex.get(f[0] as string);
    const window = account === undefined ? undefined : windowAt(windows, account, Number(f[1]));
    if (window !== undefined) setCounts(window, f);
  });
  await db.exec('SET LOCAL enable_sort = on');
}

export interface LoadFactsOptions {
  /** A second connection in the same snapshot that reads the window counts meanwhile (PostgreSQL). */
  countsDb?: Db;
  /**
   * How many windows to read, from k = 0 (default: all WINDOW_COUNT, what training needs).
   * Applying models needs only window 0 (applyModels.ts), a fifth of the activities.
   */
  windows?: number;
  /**
   * Which people to read: all of them (default), or only those with known engagement in the
   * windows read — the people whose scores can move from one day to the next while the versions
   * and their jobs stay the same (RESULTS.md, "Model versions: daily run": a run that stores only
   * changed rows). Facts read so hold part of the market's people: scores computed from them are
   * not a run to store as it is. Only with `windows: 1`.
   */
  people?: 'all' | 'engaged';
  /** Only the accounts in this range, with their opportunities, people and activity (default: all). */
  accounts?: AccountRange;
  /** Only the accounts of this training sample (trainingSample.ts: an MD5 bound), with all that is theirs. */
  sample?: string;
  /** Told how long each part of the read took (benchmarks); the counts may overlap the rest. */
  onStep?: (step: 'accounts' | 'opportunities' | 'people' | 'events' | 'counts', ms: number) => void;
}

export async function loadMarketFacts(
  db: Db,
  asOf: Date,
  settings: ScoringSettings,
  options: LoadFactsOptions = {},
): Promise<MarketFacts> {
  const { countsDb } = options;
  const selection: AccountSelection = { range: options.accounts, sample: options.sample };
  const windowCount = options.windows ?? WINDOW_COUNT;
  if (!(Number.isInteger(windowCount) && windowCount >= 1 && windowCount <= WINDOW_COUNT))
    throw new Error(`windows must be a whole number from 1 to ${WINDOW_COUNT}, not ${windowCount}`);
  const engagedOnly = options.people === 'engaged';
  if (engagedOnly && windowCount !== 1) throw new Error('reading only engaged people needs windows: 1');
  const asOfMs = asOf.getTime();
  let stepStarted = Date.now();
  const step = (name: Parameters<NonNullable<LoadFactsOptions['onStep']>>[0]) => {
    const now = Date.now();
    options.onStep?.(name, now - stepStarted);
    stepStarted = now;
  };
  const t = timestampLiteral(asOf);
  // COPY rather than a query: on PGlite a query builds every row as an object in WebAssembly
  // and again in JavaScript (236,048 people: 7–10 s against 3–4 s by COPY, at load 13).
  const accounts: Array<MarketFacts['accounts'][number]> = [];
  await forEachCopyRow(
    db.copyOut(`SELECT id, floor(extract(epoch FROM created_at) * 1000), industry, employees, annual_revenue,
        country, naics, array_to_json(technologies) FROM accounts
      WHERE (created_at IS NULL OR created_at < ${t})${selectionSql('id', selection)} ORDER BY id COLLATE "C"`),
    (f) =>
      accounts.push({
        id: f[0] as string,
        createdMs: f[1] === null ? null : Number(f[1]),
        profile: {
          industry: f[2] as string | null,
          employees: f[3] === null ? null : Number(f[3]),
          annual_revenue: f[4] === null ? null : Number(f[4]),
          country: f[5] as string | null,
          naics: f[6] as string | null,
          technologies: JSON.parse(f[7] as string) as string[],
        },
      }),
  );
  const accountIndex = new Map(accounts.map((row, i) => [row.id, i]));
  const windows: Array<Array<WindowActivity | undefined>> = accounts.map(() => []);
  const timedCounts = async (on: Db) => {
    const started = Date.now();
    await readWindowCounts(on, asOf, windowCount, selection, accountIndex, windows);
    options.onStep?.('counts', Date.now() - started);
  };
  const counts = countsDb === undefined ? null : timedCounts(countsDb);
  // Awaited at the end; until then a failure must not count as unhandled.
  counts?.catch(() => undefined);
  step('accounts');

  const opportunities: OpportunityFact[][] = accounts.map(() => []);
  const opportunityRows = await db.query<{
    account_id: string;
    created_at: Date;
    closed_at: Date | null;
    is_won: boolean | null;
    relevant: boolean | null;
    type: string | null;
    amount: string | null;
  }>(
    `SELECT account_id, created_at, closed_at, is_won, relevant, type, amount FROM opportunities
      WHERE created_at < $1${selectionSql('account_id', selection)}`,
    [asOf],
  );
  for (const row of opportunityRows) {
    const account = accountIndex.get(row.account_id);
    if (account === undefined) continue;
    const closedMs = ms(row.closed_at);
    // Closing on or after T has not happened yet as of T.
    const closedBeforeT = closedMs !== null && closedMs < asOfMs ? closedMs : null;
    opportunities[account]?.push({
      createdMs: ms(row.created_at) as number,
      closedMs: closedBeforeT,
      won: closedBeforeT !== null && row.is_won === true,
      relevant: isRelevantOpportunity(
        { relevant: row.relevant, type: row.type, amount: row.amount === null ? null : Number(row.amount) },
        settings.relevantRule,
      ),
    });
  }
  step('opportunities');

  const people: Array<MarketFacts['people'][number]> = [];
  await forEachCopyRow(
    db.copyOut(`SELECT id, account_id, job_level, job_function, title FROM contacts
      WHERE (created_at IS NULL OR created_at < ${t})${selectionSql('account_id', selection)}${
        engagedOnly ? ` AND id IN (${engagedSql(asOf, windowCount, selection)})` : ''
      }
      ORDER BY id COLLATE "C"`),
    (f) => {
      const account = accountIndex.get(f[1] as string);
      if (account !== undefined)
        people.push({
          id: f[0] as string,
          account,
          job: {
            job_level: f[2] as string | null,
            job_function: f[3] as string | null,
            title: f[4] as string | null,
          },
        });
    },
  );
  step('people');

  await forEachCopyRow(db.copyOut(windowEventsSql(asOf, windowCount, selection)), (f) => {
    const account = accountIndex.get(f[0] as string);
    const window = account === undefined ? undefined : windowAt(windows, account, Number(f[1]));
    if (window !== undefined) addEvent(window, f);
  });
  step('events');
  await (counts ?? timedCounts(db));
  return { asOfMs, windowCount, accounts, opportunities, windows, people };
}
