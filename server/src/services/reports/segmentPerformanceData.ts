import { ACTIVITY_KIND_RULES, type ActivityKindRule } from '../../domain/reports/activityKinds';
import {
  reportedOpportunities,
  type OpportunityOptions,
  type ReportOpportunity,
} from '../../domain/reports/opportunityMeasures';
import {
  segmentPerformance,
  type AnalysisType,
  type SegmentPerformanceResult,
  type TimeframeName,
} from '../../domain/reports/segmentPerformance';
import { baselineBeforeAnalysis, runsOfTimeframe, type Timeframe } from '../../domain/reports/timeframes';
import { BUYING_STAGES, type BuyingStage } from '../../domain/vocabulary';
import { AppError, isAppError } from '../../errors';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { loadScoringSettings } from '../scoring/settings';
import { segmentMembers } from '../segments/membership';
import { findSegment } from '../segments/segmentRecords';
import { ensureRunAsOf } from './ensureRun';

/** The largest cohort a report takes (as the reference): larger ones are refused. */
export const MAX_COHORT = 100_000;

export type CohortOption = 'today' | 'baseline' | 'analysis';

export interface SegmentPerformanceProps {
  db: Db;
  actor: Actor;
  /** Segment ids or names (any case); the cohort is the accounts in any of them. */
  segments: readonly string[];
  type: AnalysisType;
  baseline: Timeframe;
  analysis: Timeframe;
  cohort: CohortOption;
  options: OpportunityOptions;
  /** Today, for refusing timeframes that are not over yet. */
  now: Date;
  /** The largest cohort a report takes (default MAX_COHORT; tests use a small one). */
  maxCohort?: number;
}

export interface RunOfReport {
  runId: number;
  asOf: string;
}

export interface SegmentPerformanceData {
  parameters: {
    segments: { id: number; name: string }[];
    type: AnalysisType;
    baseline: Timeframe;
    analysis: Timeframe;
    cohort: CohortOption;
    options: { exclude_zero_amount: boolean; exclude_irrelevant: boolean };
  };
  runs: Record<TimeframeName, RunOfReport>;
  notes: string[];
  result: SegmentPerformanceResult;
}

function badRequest(message: string): AppError {
  return new AppError('bad_request', message);
}

/** The complete runs, oldest first. */
async function completeRuns(db: Db): Promise<{ id: number; asOf: string }[]> {
  const rows = await db.query<{ id: string; as_of: string }>(
    `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM score_runs WHERE status = 'complete' ORDER BY as_of, id`,
  );
  return rows.map((row) => ({ id: Number(row.id), asOf: row.as_of }));
}

/**
 * The runs of each timeframe; a timeframe without any first gets a run as of its end (scored then,
 * kept like any run), and the notes say so.
 */
async function runsOfTimeframes(
  db: Db,
  timeframes: Record<TimeframeName, Timeframe>,
  notes: string[],
): Promise<Record<TimeframeName, { id: number; asOf: string }[]>> {
  let runs = await completeRuns(db);
  for (const name of ['baseline', 'analysis'] as const) {
    const timeframe = timeframes[name];
    if (runsOfTimeframe(runs, timeframe).length > 0) continue;
    const { run, created } = await ensureRunAsOf(db, timeframe.end);
    if (created) notes.push(`no score run in the ${name} timeframe: created the run as of ${run.asOf}`);
    runs = await completeRuns(db);
  }
  return {
    baseline: runsOfTimeframe(runs, timeframes.baseline),
    analysis: runsOfTimeframe(runs, timeframes.analysis),
  };
}

async function resolveSegments(db: Db, refs: readonly string[]): Promise<{ id: number; name: string }[]> {
  if (refs.length === 0) throw badRequest('segments: name at least one segment (id or name)');
  const segments: { id: number; name: string }[] = [];
  for (const ref of refs) {
    try {
      const segment = await findSegment(db, ref);
      if (!segments.some((s) => s.id === segment.id)) segments.push({ id: segment.id, name: segment.name });
    } catch (error) {
      if (isAppError(error) && error.code === 'not_found')
        throw badRequest(`segments: unknown segment "${ref}"`);
      throw error;
    }
  }
  return segments;
}

/** The cohort: the accounts in any of the segments, as the option's run recorded them. */
async function cohortOf(
  db: Db,
  segments: { id: number; name: string }[],
  option: CohortOption,
  closing: Record<TimeframeName, RunOfReport>,
  notes: string[],
  maxCohort: number,
): Promise<string[]> {
  const accounts = new Set<string>();
  for (const segment of segments) {
    const asOf = option === 'today' ? undefined : closing[option].asOf;
    const members = await segmentMembers(db, segment.id, asOf === undefined ? {} : { asOf });
    if (members.runId === null)
      notes.push(`segment "${segment.name}": no complete run to take its members from`);
    else if (members.evaluatedLive)
      notes.push(
        `segment "${segment.name}": no membership recorded with the run as of ${members.asOf}; its current definition was evaluated on that run`,
      );
    for (const id of members.accountIds) accounts.add(id);
  }
  if (accounts.size > maxCohort)
    throw badRequest(
      `the cohort has ${accounts.size.toLocaleString('en-US')} accounts, more than ${maxCohort.toLocaleString('en-US')}: a report takes at most ${maxCohort.toLocaleString('en-US')}; choose fewer or narrower segments`,
    );
  return [...accounts].sort();
}

const STAGE_RANK = `CASE s.buying_stage ${BUYING_STAGES.map((stage, i) => `WHEN '${stage}' THEN ${i}`).join(' ')} END`;

/** Each cohort account's highest stage over the runs (absent: no score in them). */
async function highestStages(db: Db, cohort: string[], runIds: number[]): Promise<Map<string, BuyingStage>> {
  const rows = await db.query<{ account_id: string; rank: number | null }>(
    `SELECT s.account_id, max(${STAGE_RANK}) AS rank
       FROM account_scores s
      WHERE s.run_id = ANY ($2::bigint[]) AND s.account_id = ANY ($1::text[])
      GROUP BY s.account_id`,
    [cohort, runIds],
  );
  const stages = new Map<string, BuyingStage>();
  for (const row of rows) if (row.rank !== null) stages.set(row.account_id, BUYING_STAGES[row.rank]!);
  return stages;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The SQL condition of a kind rule over `a` (activities) beyond its type; null when the type is enough. */
function ruleCondition(rule: ActivityKindRule): string | null {
  const parts: string[] = [];
  if (rule.source !== undefined) parts.push(`a.source = ${quote(rule.source)}`);
  if (rule.otherThan)
    parts.push(`(a.source IS NULL OR a.source <> ALL (ARRAY[${rule.otherThan.map(quote).join(', ')}]))`);
  if (rule.person !== undefined)
    parts.push(rule.person ? 'a.contact_id IS NOT NULL' : 'a.contact_id IS NULL');
  if (rule.configuredKeyword !== undefined)
    parts.push(`${rule.configuredKeyword ? '' : 'NOT '}(lower(a.keyword) = ANY ($4::text[]))`);
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/**
 * An activity's kind as its bit (activityKinds.ts), 0 when it has none: first by type (one
 * comparison per type), then by the type's rules in order.
 */
const KIND_BIT = (() => {
  const byType = new Map<string, string[]>();
  for (const [bit, rule] of ACTIVITY_KIND_RULES.entries()) {
    const condition = ruleCondition(rule);
    const branches = byType.get(rule.type) ?? [];
    branches.push(condition === null ? `ELSE ${1 << bit}` : `WHEN ${condition} THEN ${1 << bit}`);
    byType.set(rule.type, branches);
  }
  const arms = [...byType].map(([type, branches]) => {
    const only = branches.length === 1 && branches[0]!.startsWith('ELSE ') ? branches[0]!.slice(5) : null;
    const inner =
      only ?? `CASE ${branches.join(' ')}${branches.some((b) => b.startsWith('ELSE ')) ? '' : ' ELSE 0'} END`;
    return `WHEN ${quote(type)} THEN ${inner}`;
  });
  return `CASE a.type ${arms.join(' ')} ELSE 0 END`;
})();

/**
 * The activity kinds of each cohort account in each timeframe, aggregated in the store to one bit
 * set per account. One query per timeframe (run side by side); the cohort is an array parameter,
 * so the planner sees its size: a large cohort scans the timeframe through
 * activities_report_time_idx, a small one reads each account's activities. Exported for the test
 * that holds the SQL classification to the domain's (activityKindOf).
 */
export async function activityMasks(
  db: Db,
  cohort: string[],
  timeframes: Record<TimeframeName, Timeframe>,
): Promise<Record<TimeframeName, Map<string, number>>> {
  const keywords = (
    await db.query<{ keyword: string }>('SELECT DISTINCT lower(keyword) AS keyword FROM keywords')
  ).map((k) => k.keyword);
  const masksOf = async (timeframe: Timeframe) => {
    const rows = await db.query<{ account_id: string; mask: number }>(
      `SELECT account_id, bit_or(bit) AS mask
         FROM (SELECT a.account_id, ${KIND_BIT} AS bit
                 FROM activities a
                WHERE a.occurred_at >= $2::timestamptz AND a.occurred_at < $3::timestamptz
                  AND a.account_id = ANY ($1::text[])) kinds
        WHERE bit <> 0
        GROUP BY account_id`,
      [cohort, timeframe.start, timeframe.end, keywords],
    );
    return new Map(rows.map((row) => [row.account_id, Number(row.mask)]));
  };
  const [baseline, analysis] = await Promise.all([
    masksOf(timeframes.baseline),
    masksOf(timeframes.analysis),
  ]);
  return { baseline, analysis };
}

function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** The cohort's opportunities created or closed between the baseline's start and the analysis's end. */
async function cohortOpportunities(
  db: Db,
  cohort: string[],
  timeframes: Record<TimeframeName, Timeframe>,
): Promise<ReportOpportunity[]> {
  const rows = await db.query<{
    account_id: string;
    type: string | null;
    amount: number | null;
    currency: string | null;
    is_won: boolean | null;
    relevant: boolean | null;
    created_at: unknown;
    closed_at: unknown;
  }>(
    `SELECT o.account_id, o.type, o.amount::float8 AS amount, o.currency, o.is_won, o.relevant, o.created_at, o.closed_at
       FROM opportunities o
      WHERE o.account_id = ANY ($1::text[])
        AND ((o.created_at >= $2::timestamptz AND o.created_at < $3::timestamptz)
         OR (o.closed_at >= $2::timestamptz AND o.closed_at < $3::timestamptz))`,
    [cohort, timeframes.baseline.start, timeframes.analysis.end],
  );
  return rows.map((row) => ({
    accountId: row.account_id,
    type: row.type,
    amount: row.amount === null ? null : Number(row.amount),
    currency: row.currency,
    isWon: row.is_won,
    relevant: row.relevant,
    createdAt: iso(row.created_at)!,
    closedAt: iso(row.closed_at),
  }));
}

/**
 * Gathers a segment performance report's rows (docs/reports.md) and computes its tables: checks
 * the parameters, finds (or creates) the runs of both timeframes, takes the cohort, then reads the
 * stages or activity kinds and the opportunities of the cohort in SQL.
 */
export async function segmentPerformanceData(
  props: SegmentPerformanceProps,
): Promise<SegmentPerformanceData> {
  authorize(props.actor, 'reports.segments', 'reading segment performance reports');
  const { db } = props;
  const timeframes = { baseline: props.baseline, analysis: props.analysis };
  if (!baselineBeforeAnalysis(props.baseline, props.analysis))
    throw badRequest(
      `analysis: the analysis timeframe (${props.analysis.from}..${props.analysis.to}) must start after the baseline ends (${props.baseline.to})`,
    );
  const today = props.now.toISOString().slice(0, 10);
  if (props.analysis.end > today)
    throw badRequest(
      `analysis: the timeframe ${props.analysis.from}..${props.analysis.to} is not over yet (it ends ${props.analysis.end})`,
    );
  const segments = await resolveSegments(db, props.segments);

  const notes: string[] = [];
  const runsOf = await runsOfTimeframes(db, timeframes, notes);
  const closing = {
    baseline: { runId: runsOf.baseline.at(-1)!.id, asOf: runsOf.baseline.at(-1)!.asOf },
    analysis: { runId: runsOf.analysis.at(-1)!.id, asOf: runsOf.analysis.at(-1)!.asOf },
  };
  const cohort = await cohortOf(db, segments, props.cohort, closing, notes, props.maxCohort ?? MAX_COHORT);

  const [stages, masks, opportunities, settings] = await Promise.all([
    props.type === 'stage'
      ? Promise.all([
          highestStages(
            db,
            cohort,
            runsOf.baseline.map((r) => r.id),
          ),
          highestStages(
            db,
            cohort,
            runsOf.analysis.map((r) => r.id),
          ),
        ])
      : null,
    activityMasks(db, cohort, timeframes),
    cohortOpportunities(db, cohort, timeframes),
    loadScoringSettings(db),
  ]);
  const result = segmentPerformance({
    type: props.type,
    baseline: props.baseline,
    analysis: props.analysis,
    cohort,
    ...(stages ? { stages: { baseline: stages[0], analysis: stages[1] } } : {}),
    activityMasks: masks,
    opportunities: reportedOpportunities(opportunities, props.options, settings.relevantRule),
  });
  return {
    parameters: {
      segments,
      type: props.type,
      baseline: props.baseline,
      analysis: props.analysis,
      cohort: props.cohort,
      options: {
        exclude_zero_amount: props.options.excludeZeroAmount,
        exclude_irrelevant: props.options.excludeIrrelevant,
      },
    },
    runs: closing,
    notes,
    result,
  };
}
