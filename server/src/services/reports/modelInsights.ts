import { modelInsightsTables, type ModelInsightsTables } from '../../domain/reports/modelInsights';
import type { AccountTally } from '../../domain/reports/modelInsightsAccounts';
import type { PersonTally } from '../../domain/reports/modelInsightsContacts';
import {
  EMPLOYEE_RANGES,
  REVENUE_RANGES,
  type NumberRange,
  type SignalKind,
  type SignalPopulation,
  type SignalTally,
} from '../../domain/reports/modelInsightsSignals';
import { addMonths, monthOf, parseTimeframe, timeframeOfMonths } from '../../domain/reports/timeframes';
import type { RelevantOpportunityRule } from '../../domain/scoring/opportunities';
import { AppError } from '../../errors';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { loadScoringSettings } from '../scoring/settings';
import { ensureRunAsOf } from './ensureRun';

export interface ModelInsightsProps {
  db: Db;
  actor: Actor;
  /** The backtest month, YYYY-MM; default: three months before `today`'s month. */
  month?: string;
  /** The current day (the default month, and which months are in the future). */
  today: Date;
}

export interface ModelInsightsReport extends ModelInsightsTables {
  parameters: { month: string; window: { start: string; end: string } };
  run: { runId: number; asOf: string };
  /** Runs created for the report, and windows that have not ended yet. */
  notes: string[];
}

/**
 * The model-insights report of backtest month M (docs/reports.md "Model insights"): scores of the
 * run as of the first day of M (scored first when the store has none), outcomes of relevant
 * opportunities in [first day of M, + 3 months), signals from the facts before the first day of
 * M. SQL groups the rows into tallies (a few hundred for 100,000 accounts); the formulas are the
 * domain's (domain/reports/modelInsights*.ts).
 */
export async function modelInsights(props: ModelInsightsProps): Promise<ModelInsightsReport> {
  authorize(props.actor, 'reports.model', 'reading the model insights report');
  const month = backtestMonth(props.month, props.today);
  const start = `${month}-01`;
  const end = addMonths(start, 3);
  const { db } = props;
  const { run, created } = await ensureRunAsOf(db, start);
  const notes: string[] = [];
  if (created)
    notes.push(`scored a run as of ${start} for this report (run ${run.id}); it is kept like any run`);
  const today = props.today.toISOString().slice(0, 10);
  if (end > today) {
    notes.push(
      `the window ${start} to ${end} has not ended on ${today}: opportunities opened after today are not counted yet`,
    );
  }
  const { relevantRule } = await loadScoringSettings(db);
  const relevant = relevantSql(relevantRule);
  const [accounts, people, signals, populations] = [
    await accountTallies(db, run.id, start, end, relevant),
    await personTallies(db, run.id, start, end, relevant),
    await signalTallies(db, run.id, start, relevant),
    await signalPopulations(db, run.id, start, relevant),
  ];
  return {
    parameters: { month, window: { start, end } },
    run: { runId: run.id, asOf: run.asOf },
    notes,
    ...modelInsightsTables({ accounts, people, signals, populations }),
  };
}

/** The month asked for (YYYY-MM, not after today's month), or three months before today's month. */
export function backtestMonth(month: string | undefined, today: Date): string {
  if (month === undefined) {
    const index = monthOf(today) - 3;
    return timeframeOfMonths(index, index).from;
  }
  const parsed = parseTimeframe('month', month);
  if (!parsed.ok || parsed.timeframe.from !== parsed.timeframe.to) {
    throw new AppError('bad_request', `month: "${month}" is not a month (YYYY-MM)`);
  }
  const current = timeframeOfMonths(monthOf(today), monthOf(today)).from;
  if (parsed.timeframe.from > current) {
    throw new AppError('bad_request', `month: ${month} is after the current month ${current}`);
  }
  return parsed.timeframe.from;
}

/** A SQL fragment with its own parameters numbered from `$first`. */
interface Fragment {
  sql: (first: number) => string;
  params: unknown[];
}

/**
 * The relevant-opportunity rule in SQL over `o` (domain/scoring/opportunities.ts
 * isRelevantOpportunity): the stored flag, else the configured types and minimum amount.
 */
function relevantSql(rule: RelevantOpportunityRule): Fragment {
  return {
    sql: (first) => `coalesce(o.relevant, coalesce(lower(o.type) = ANY($${first}::text[]), false)
      AND coalesce(o.amount > $${first + 1}::numeric, false))`,
    params: [rule.types.map((type) => type.toLowerCase()), rule.minimumAmount],
  };
}

const instant = (day: string) => `${day}T00:00:00Z`;

async function accountTallies(
  db: Db,
  runId: number,
  start: string,
  end: string,
  relevant: Fragment,
): Promise<AccountTally[]> {
  const rows = await db.query<{
    stage: AccountTally['stage'];
    fit: AccountTally['fit'];
    intent_score: number | null;
    converted: boolean;
    won: boolean;
    accounts: number;
  }>(
    `WITH outcomes AS (
       SELECT o.account_id, bool_or(coalesce(o.is_won, false) AND o.closed_at < $3) AS won
         FROM opportunities o
        WHERE o.created_at >= $2 AND o.created_at < $3 AND ${relevant.sql(4)}
        GROUP BY o.account_id)
     SELECT s.buying_stage AS stage, s.profile_fit AS fit, s.intent_score,
            (w.account_id IS NOT NULL) AS converted, coalesce(w.won, false) AS won, count(*)::int AS accounts
       FROM account_scores s LEFT JOIN outcomes w ON w.account_id = s.account_id
      WHERE s.run_id = $1
      GROUP BY 1, 2, 3, 4, 5`,
    [runId, instant(start), instant(end), ...relevant.params],
  );
  return rows.map((row) => ({
    stage: row.stage,
    fit: row.fit,
    intentScore: row.intent_score === null ? null : Number(row.intent_score),
    converted: row.converted,
    won: row.won,
    accounts: Number(row.accounts),
  }));
}

async function personTallies(
  db: Db,
  runId: number,
  start: string,
  end: string,
  relevant: Fragment,
): Promise<PersonTally[]> {
  const rows = await db.query<{
    grade: PersonTally['grade'];
    engaged: boolean;
    fit: PersonTally['fit'];
    converted: boolean;
    won: boolean;
    people: number;
  }>(
    `WITH outcomes AS (
       SELECT o.account_id, bool_or(coalesce(o.is_won, false) AND o.closed_at < $3) AS won
         FROM opportunities o
        WHERE o.created_at >= $2 AND o.created_at < $3 AND ${relevant.sql(4)}
        GROUP BY o.account_id)
     SELECT c.engagement_grade AS grade, c.engagement_score > 0 AS engaged, c.profile_fit AS fit,
            (w.account_id IS NOT NULL) AS converted, coalesce(w.won, false) AS won, count(*)::int AS people
       FROM contact_scores c LEFT JOIN outcomes w ON w.account_id = c.account_id
      WHERE c.run_id = $1
      GROUP BY 1, 2, 3, 4, 5`,
    [runId, instant(start), instant(end), ...relevant.params],
  );
  return rows.map((row) => ({ ...row, people: Number(row.people) }));
}

/** `CASE` placing `column` in `ranges` (the domain's rangeOf), NULL below the first range. */
function rangeCase(column: string, ranges: readonly NumberRange[]): string {
  const arms = [...ranges]
    .reverse()
    .map((range) => `WHEN ${column} >= ${range.min} THEN '${range.label}'`)
    .join(' ');
  return `CASE ${arms} END`;
}

/**
 * The run's accounts with "converted before the month" (a relevant opportunity created before its
 * first day), and its scored people with their account's.
 */
function convertedCtes(relevant: Fragment): string {
  return `converted AS (
       SELECT DISTINCT o.account_id FROM opportunities o WHERE o.created_at < $2 AND ${relevant.sql(3)}),
     run_accounts AS (
       SELECT a.*, (v.account_id IS NOT NULL) AS converted
         FROM account_scores s JOIN accounts a ON a.id = s.account_id
         LEFT JOIN converted v ON v.account_id = s.account_id
        WHERE s.run_id = $1),
     run_people AS (
       SELECT p.job_level, p.job_function, c.persona, (v.account_id IS NOT NULL) AS converted
         FROM contact_scores c JOIN contacts p ON p.id = c.contact_id
         LEFT JOIN converted v ON v.account_id = c.account_id
        WHERE c.run_id = $1)`;
}

async function signalTallies(
  db: Db,
  runId: number,
  start: string,
  relevant: Fragment,
): Promise<SignalTally[]> {
  const text = (category: string, column: string, from: string) =>
    `SELECT '${category}' AS category, ${column} AS signal, count(*)::int AS count,
            count(*) FILTER (WHERE converted)::int AS conversions
       FROM ${from} WHERE nullif(trim(${column}), '') IS NOT NULL GROUP BY ${column}`;
  const range = (category: string, column: string, ranges: readonly NumberRange[]) =>
    `SELECT '${category}' AS category, signal, count(*)::int AS count,
            count(*) FILTER (WHERE converted)::int AS conversions
       FROM (SELECT ${rangeCase(column, ranges)} AS signal, converted FROM run_accounts) r
      WHERE signal IS NOT NULL GROUP BY signal`;
  const rows = await db.query<{
    category: SignalTally['category'];
    signal: string;
    count: number;
    conversions: number;
  }>(
    `WITH ${convertedCtes(relevant)}
     ${text('industry', 'industry', 'run_accounts')}
     UNION ALL ${range('employee_range', 'employees', EMPLOYEE_RANGES)}
     UNION ALL ${range('revenue_range', 'annual_revenue', REVENUE_RANGES)}
     UNION ALL ${text('country', 'country', 'run_accounts')}
     UNION ALL ${text('naics', 'naics', 'run_accounts')}
     UNION ALL ${text('technology', 'technology', '(SELECT DISTINCT id, unnest(technologies) AS technology, converted FROM run_accounts) t')}
     UNION ALL ${text('job_level', 'job_level', 'run_people')}
     UNION ALL ${text('job_function', 'job_function', 'run_people')}
     UNION ALL ${text('persona', 'persona', 'run_people')}`,
    [runId, instant(start), ...relevant.params],
  );
  return rows.map((row) => ({ ...row, count: Number(row.count), conversions: Number(row.conversions) }));
}

async function signalPopulations(
  db: Db,
  runId: number,
  start: string,
  relevant: Fragment,
): Promise<Record<SignalKind, SignalPopulation>> {
  const rows = await db.query<{ kind: SignalKind; population: number; conversions: number }>(
    `WITH ${convertedCtes(relevant)}
     SELECT 'firmographic' AS kind, count(*)::int AS population, count(*) FILTER (WHERE converted)::int AS conversions
       FROM run_accounts
     UNION ALL
     SELECT 'technographic', count(*)::int, count(*) FILTER (WHERE converted)::int
       FROM run_accounts WHERE cardinality(technologies) > 0
     UNION ALL
     SELECT 'demographic', count(*)::int, count(*) FILTER (WHERE converted)::int FROM run_people`,
    [runId, instant(start), ...relevant.params],
  );
  const of = (kind: SignalKind): SignalPopulation => {
    const row = rows.find((r) => r.kind === kind);
    return { population: Number(row?.population ?? 0), conversions: Number(row?.conversions ?? 0) };
  };
  return {
    firmographic: of('firmographic'),
    technographic: of('technographic'),
    demographic: of('demographic'),
  };
}
