import { BUYING_STAGES, type BuyingStage } from '../vocabulary';
import { TEAM_VIEW_METRICS, TYPE_VIEW_METRICS, maskOf, type ActivityMetric } from './activityKinds';
import { ENGAGEMENT_STATES, engagementStates, highestEngagement } from './engagementStates';
import {
  byAccount,
  createdIn,
  pipelineAndWon,
  wonIn,
  type PipelineAndWon,
  type ReportOpportunity,
} from './opportunityMeasures';
import type { Timeframe } from './timeframes';

/**
 * The segment performance report (docs/reports.md, "Segment performance"): from the cohort, each
 * account's stage or activity kinds per timeframe and the cohort's opportunities, the summary, the
 * distribution per stage or state, the movement grid (stage analysis) and activities by source.
 * Every number is the size of a set of accounts (or a sum over one); `accountSets` keeps the sets
 * under the drill-down keys, so the accounts behind a number are exactly those it counts.
 */

export type AnalysisType = 'stage' | 'engagement';
export type TimeframeName = 'baseline' | 'analysis';
const TIMEFRAMES: readonly TimeframeName[] = ['baseline', 'analysis'];

/** An account without a score in a timeframe's runs: its own bucket, ranked below Target. */
export const NOT_SCORED = 'not_scored';

export interface SegmentPerformanceInput {
  type: AnalysisType;
  baseline: Timeframe;
  analysis: Timeframe;
  /** The cohort's account ids (distinct). */
  cohort: readonly string[];
  /** Stage analysis: the highest stage of each account in each timeframe's runs (absent: not scored). */
  stages?: { baseline: ReadonlyMap<string, BuyingStage>; analysis: ReadonlyMap<string, BuyingStage> };
  /** The activity kinds (activityKinds.ts bits) of each account with activities in each timeframe. */
  activityMasks: { baseline: ReadonlyMap<string, number>; analysis: ReadonlyMap<string, number> };
  /** The cohort's opportunities, already filtered by the report's options. */
  opportunities: readonly ReportOpportunity[];
}

export interface Summary extends PipelineAndWon {
  accounts: number;
  increased: number;
  decreased: number;
  unchanged: number;
}

/** Pipeline and won are null where a state carries no amounts (engagement analysis). */
export interface DistributionCell {
  accounts: number;
  pipeline_count: number | null;
  pipeline_amount: number | null;
  won_count: number | null;
  won_amount: number | null;
}

export interface ActivityLine {
  panel: string;
  metric: string;
  source?: string;
  baseline_accounts: number;
  analysis_accounts: number;
  /** (analysis − baseline) / baseline × 100; null when the baseline is 0. */
  change_pct: number | null;
  pipeline_amount: number;
  won_amount: number;
}

export interface SegmentPerformanceTables {
  summary: Summary;
  distribution: Record<string, Record<TimeframeName, DistributionCell>>;
  /** Stage analysis only: from baseline stage to analysis stage, every pair listed. */
  movement?: Record<string, Record<string, number>>;
  /** The team view (the panels). */
  activities: ActivityLine[];
  /** The activity-type view: intent, reached, engaged. */
  activities_by_type: ActivityLine[];
}

export interface SegmentPerformanceResult {
  tables: SegmentPerformanceTables;
  /** Drill-down key (`<table>:<key>`, docs/reports.md) → the accounts it counts. */
  accountSets: Map<string, string[]>;
}

/** change_pct: the change from baseline to analysis in percent, null when the baseline is 0. */
export function changePercent(baseline: number, analysis: number): number | null {
  return baseline === 0 ? null : ((analysis - baseline) / baseline) * 100;
}

function stageRank(stage: BuyingStage | undefined): number {
  return stage === undefined ? -1 : BUYING_STAGES.indexOf(stage);
}

/** Increased / decreased / unchanged from each account's ranks in the two timeframes. */
function compareRanks(
  cohort: readonly string[],
  rank: (account: string, timeframe: TimeframeName) => number,
  sets: Map<string, string[]>,
): Pick<Summary, 'increased' | 'decreased' | 'unchanged'> {
  const increased: string[] = [];
  const decreased: string[] = [];
  const unchanged: string[] = [];
  for (const account of cohort) {
    const delta = rank(account, 'analysis') - rank(account, 'baseline');
    (delta > 0 ? increased : delta < 0 ? decreased : unchanged).push(account);
  }
  sets.set('summary:increased', increased);
  sets.set('summary:decreased', decreased);
  sets.set('summary:unchanged', unchanged);
  return { increased: increased.length, decreased: decreased.length, unchanged: unchanged.length };
}

export function segmentPerformance(input: SegmentPerformanceInput): SegmentPerformanceResult {
  const sets = new Map<string, string[]>();
  const opportunities = byAccount(input.opportunities);
  const timeframe = (name: TimeframeName) => (name === 'baseline' ? input.baseline : input.analysis);
  const sums = (accounts: readonly string[], name: TimeframeName) =>
    pipelineAndWon(accounts, opportunities, timeframe(name));

  sets.set('summary:accounts', [...input.cohort]);
  const cohortSums = sums(input.cohort, 'analysis');
  sets.set(
    'summary:pipeline',
    input.cohort.filter((a) => opportunities.get(a)?.some((o) => createdIn(o, input.analysis))),
  );
  sets.set(
    'summary:won',
    input.cohort.filter((a) => opportunities.get(a)?.some((o) => wonIn(o, input.analysis))),
  );

  let comparison: Pick<Summary, 'increased' | 'decreased' | 'unchanged'>;
  const distribution: SegmentPerformanceTables['distribution'] = {};
  let movement: SegmentPerformanceTables['movement'];

  if (input.type === 'stage') {
    const stages = input.stages;
    if (!stages) throw new Error('a stage analysis needs the stages of the cohort');
    const stageOf = (account: string, name: TimeframeName) => stages[name].get(account);
    comparison = compareRanks(input.cohort, (a, name) => stageRank(stageOf(a, name)), sets);
    const anyUnscored = input.cohort.some((a) => !stageOf(a, 'baseline') || !stageOf(a, 'analysis'));
    const keys: string[] = [...(anyUnscored ? [NOT_SCORED] : []), ...BUYING_STAGES];
    const keyOf = (account: string, name: TimeframeName) => stageOf(account, name) ?? NOT_SCORED;
    for (const key of keys) {
      const row = {} as Record<TimeframeName, DistributionCell>;
      for (const name of TIMEFRAMES) {
        const accounts = input.cohort.filter((a) => keyOf(a, name) === key);
        sets.set(`distribution:${name}.${key}`, accounts);
        row[name] = { accounts: accounts.length, ...sums(accounts, name) };
      }
      distribution[key] = row;
    }
    movement = {};
    for (const from of keys) {
      movement[from] = {};
      for (const to of keys) {
        const accounts = input.cohort.filter(
          (a) => keyOf(a, 'baseline') === from && keyOf(a, 'analysis') === to,
        );
        sets.set(`movement:${from}.${to}`, accounts);
        movement[from][to] = accounts.length;
      }
    }
  } else {
    const statesOf = new Map<TimeframeName, Map<string, ReturnType<typeof engagementStates>>>();
    for (const name of TIMEFRAMES) {
      const tf = timeframe(name);
      const map = new Map<string, ReturnType<typeof engagementStates>>();
      for (const account of input.cohort) {
        const opps = opportunities.get(account) ?? [];
        map.set(
          account,
          engagementStates(
            input.activityMasks[name].get(account) ?? 0,
            opps.some((o) => createdIn(o, tf)),
            opps.some((o) => wonIn(o, tf)),
          ),
        );
      }
      statesOf.set(name, map);
    }
    comparison = compareRanks(
      input.cohort,
      (a, name) => highestEngagement(statesOf.get(name)!.get(a)!),
      sets,
    );
    for (const state of ENGAGEMENT_STATES) {
      const row = {} as Record<TimeframeName, DistributionCell>;
      for (const name of TIMEFRAMES) {
        const accounts = input.cohort.filter((a) => statesOf.get(name)!.get(a)!.includes(state));
        sets.set(`distribution:${name}.${state}`, accounts);
        const s = sums(accounts, name);
        row[name] = {
          accounts: accounts.length,
          pipeline_count: state === 'opportunity_opened' ? s.pipeline_count : null,
          pipeline_amount: state === 'opportunity_opened' ? s.pipeline_amount : null,
          won_count: state === 'opportunity_won' ? s.won_count : null,
          won_amount: state === 'opportunity_won' ? s.won_amount : null,
        };
      }
      distribution[state] = row;
    }
  }

  const activityLines = (metrics: readonly ActivityMetric[]): ActivityLine[] => {
    const lines: ActivityLine[] = [];
    for (const metric of metrics) {
      const mask = maskOf(metric.kinds);
      const key = [metric.panel, metric.metric, ...(metric.source ? [metric.source] : [])].join('.');
      const accountsIn = (name: TimeframeName) =>
        input.cohort.filter((a) => ((input.activityMasks[name].get(a) ?? 0) & mask) !== 0);
      const baseline = accountsIn('baseline');
      const analysis = accountsIn('analysis');
      if (metric.source === 'other' && baseline.length === 0 && analysis.length === 0) continue;
      sets.set(`activities:baseline.${key}`, baseline);
      sets.set(`activities:analysis.${key}`, analysis);
      const s = sums(analysis, 'analysis');
      lines.push({
        panel: metric.panel,
        metric: metric.metric,
        ...(metric.source ? { source: metric.source } : {}),
        baseline_accounts: baseline.length,
        analysis_accounts: analysis.length,
        change_pct: changePercent(baseline.length, analysis.length),
        pipeline_amount: s.pipeline_amount,
        won_amount: s.won_amount,
      });
    }
    return lines;
  };

  const tables: SegmentPerformanceTables = {
    summary: { accounts: input.cohort.length, ...comparison, ...cohortSums },
    distribution,
    ...(movement ? { movement } : {}),
    activities: activityLines(TEAM_VIEW_METRICS),
    activities_by_type: activityLines(TYPE_VIEW_METRICS),
  };
  return { tables, accountSets: sets };
}
