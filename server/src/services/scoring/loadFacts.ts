import { ACTIVITY_CLASSES } from '../../domain/canonical';
import type { MarketFacts } from '../../domain/scoring/facts';
import { REACH_POINTS, REVIEW_SOURCES } from '../../domain/scoring/intentFeatures';
import {
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
 * The heavy part is one pass over the activity table: SQL aggregates each account's activity
 * per 91-day window before T (windowActivity.ts) into counts, and lists the few events whose
 * details the engine needs (research keywords, recent page visits, known people's engagement);
 * research on keywords that are not configured is not counted, so it cannot move any score.
 * The result, one row per account and window, is streamed with COPY.
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

export function windowActivitySql(asOf: Date): string {
  const t = timestampLiteral(asOf);
  const recent = `age < 28`;
  return `SELECT account_id, k,
      count(*) FILTER (WHERE r AND age < 7), count(*) FILTER (WHERE r AND ${recent}), count(*) FILTER (WHERE r),
      count(*) FILTER (WHERE r AND ${recent} AND lower(source) IN (${sqlList(REVIEW_SOURCES)})),
      count(*) FILTER (WHERE b AND ${recent}), min(age) FILTER (WHERE r),
      count(*) FILTER (WHERE type = 'web_visit'),
      count(*) FILTER (WHERE e AND ${recent}), count(*) FILTER (WHERE e),
      coalesce(sum(${REACH_CASE}) FILTER (WHERE ${recent}), 0),
      count(*) FILTER (WHERE type IN ('sales_email', 'sales_call', 'sales_meeting') AND ${recent}),
      string_agg(url, E'${RECORD}') FILTER (WHERE type = 'web_visit' AND ${recent} AND url IS NOT NULL),
      string_agg(concat_ws(E'${UNIT}', age, coalesce(source, ''), keyword), E'${RECORD}') FILTER (WHERE r),
      string_agg(concat_ws(E'${UNIT}', age, type, contact_id), E'${RECORD}') FILTER (WHERE e AND contact_id IS NOT NULL)
    FROM (
      SELECT account_id, type, source, keyword, url, contact_id, d / ${WINDOW_DAYS} AS k, d % ${WINDOW_DAYS} AS age,
        type = 'keyword_research' AND lower(keyword) IN (SELECT lower(keyword) FROM keywords) AS r,
        type = 'keyword_research' AND lower(keyword) IN (SELECT lower(keyword) FROM keywords WHERE kind = 'branded') AS b,
        type IN (${KNOWN_ENGAGEMENT}) AS e
      FROM (
        SELECT *, floor(date_part('epoch', ${t} - occurred_at) / 86400)::int AS d FROM activities
        WHERE occurred_at < ${t} AND occurred_at >= ${t} - interval '${WINDOW_COUNT * WINDOW_DAYS} days'
      ) dated
    ) a
    GROUP BY account_id, k`;
}

/** One COPY row of windowActivitySql into the account's window. */
function windowOf(f: Array<string | null>): WindowActivity {
  const n = (i: number) => Number(f[i] ?? 0);
  return {
    research7: n(2),
    research28: n(3),
    research91: n(4),
    review28: n(5),
    branded28: n(6),
    lastResearchAge: f[7] === null ? null : n(7),
    visits91: n(8),
    engagement28: n(9),
    engagement91: n(10),
    reach28: n(11),
    sales28: n(12),
    urlList: f[13] ?? null,
    researchList: f[14] ?? null,
    engagementList: f[15] ?? null,
  };
}

function ms(value: unknown): number | null {
  return value === null || value === undefined ? null : new Date(value as string | Date).getTime();
}

export async function loadMarketFacts(db: Db, asOf: Date, settings: ScoringSettings): Promise<MarketFacts> {
  const asOfMs = asOf.getTime();
  const accountRows = await db.query<{
    id: string;
    created_at: Date | null;
    industry: string | null;
    employees: number | null;
    annual_revenue: string | null;
    country: string | null;
    naics: string | null;
    technologies: string[];
  }>(
    `SELECT id, created_at, industry, employees, annual_revenue, country, naics, technologies FROM accounts
      WHERE created_at IS NULL OR created_at < $1 ORDER BY id COLLATE "C"`,
    [asOf],
  );
  const accountIndex = new Map(accountRows.map((row, i) => [row.id, i]));
  const accounts = accountRows.map((row) => ({
    id: row.id,
    createdMs: ms(row.created_at),
    profile: {
      industry: row.industry,
      employees: row.employees,
      annual_revenue: row.annual_revenue === null ? null : Number(row.annual_revenue),
      country: row.country,
      naics: row.naics,
      technologies: row.technologies,
    },
  }));

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
    'SELECT account_id, created_at, closed_at, is_won, relevant, type, amount FROM opportunities WHERE created_at < $1',
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

  const peopleRows = await db.query<{
    id: string;
    account_id: string;
    job_level: string | null;
    job_function: string | null;
    title: string | null;
  }>(
    `SELECT id, account_id, job_level, job_function, title FROM contacts
      WHERE created_at IS NULL OR created_at < $1 ORDER BY id COLLATE "C"`,
    [asOf],
  );
  const people = peopleRows.flatMap((row) => {
    const account = accountIndex.get(row.account_id);
    return account === undefined
      ? []
      : [
          {
            id: row.id,
            account,
            job: { job_level: row.job_level, job_function: row.job_function, title: row.title },
          },
        ];
  });

  const windows: Array<Array<WindowActivity | undefined>> = accounts.map(() => []);
  // Hash aggregation: sorting millions of rows by account id costs twice the scan.
  await db.exec(
    `SET LOCAL enable_sort = off; SET LOCAL work_mem = '${db.kind === 'postgres' ? '512MB' : '128MB'}'`,
  );
  await forEachCopyRow(db.copyOut(windowActivitySql(asOf)), (f) => {
    const account = accountIndex.get(f[0] as string);
    const k = Number(f[1]);
    if (account !== undefined && k >= 0 && k < WINDOW_COUNT)
      (windows[account] as Array<WindowActivity | undefined>)[k] = windowOf(f);
  });
  await db.exec('SET LOCAL enable_sort = on');
  return { asOfMs, accounts, opportunities, windows, people };
}
