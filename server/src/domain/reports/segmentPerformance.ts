import { BUYING_STAGES, type BuyingStage } from '../vocabulary';
import { TEAM_VIEW_METRICS, TYPE_VIEW_METRICS, maskOf, type ActivityMetric } from './activityKinds';
import {
  ENGAGEMENT_STATES,
  engagementStates,
  highestEngagement,
  type EngagementState,
} from './engagementStates';
import {
  byAccount,
  pipelineAndWon,
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
  /** The accounts behind a number: drill-down key `<table>:<key>` (docs/reports.md); undefined for an unknown key. */
  accountsOf(key: string): string[] | undefined;
}

/** change_pct: the change from baseline to analysis in percent, null when the baseline is 0. */
export function changePercent(baseline: number, analysis: number): number | null {
  return baseline === 0 ? null : ((analysis - baseline) / baseline) * 100;
}

/** Accounts are handled by their index in the cohort: sets are index lists, per-account values typed arrays. */
type IndexSet = number[];

/** Each account's own new pipeline and won in one timeframe (amounts by the USD rule). */
interface AccountSums {
  pipelineCount: Float64Array;
  pipelineAmount: Float64Array;
  wonCount: Float64Array;
  wonAmount: Float64Array;
}

function accountSums(
  cohort: readonly string[],
  opportunities: readonly ReportOpportunity[],
  timeframe: Timeframe,
): AccountSums {
  const n = cohort.length;
  const sums: AccountSums = {
    pipelineCount: new Float64Array(n),
    pipelineAmount: new Float64Array(n),
    wonCount: new Float64Array(n),
    wonAmount: new Float64Array(n),
  };
  const index = new Map(cohort.map((account, i) => [account, i]));
  for (const [account, list] of byAccount(opportunities)) {
    const i = index.get(account);
    if (i === undefined) continue;
    const one = pipelineAndWon([account], new Map([[account, list]]), timeframe);
    sums.pipelineCount[i] = one.pipeline_count;
    sums.pipelineAmount[i] = one.pipeline_amount;
    sums.wonCount[i] = one.won_count;
    sums.wonAmount[i] = one.won_amount;
  }
  return sums;
}

function total(set: IndexSet, sums: AccountSums): PipelineAndWon {
  const out: PipelineAndWon = { pipeline_count: 0, pipeline_amount: 0, won_count: 0, won_amount: 0 };
  for (const i of set) {
    out.pipeline_count += sums.pipelineCount[i]!;
    out.pipeline_amount += sums.pipelineAmount[i]!;
    out.won_count += sums.wonCount[i]!;
    out.won_amount += sums.wonAmount[i]!;
  }
  return out;
}

function where(n: number, test: (i: number) => boolean): IndexSet {
  const set: IndexSet = [];
  for (let i = 0; i < n; i++) if (test(i)) set.push(i);
  return set;
}

export function segmentPerformance(input: SegmentPerformanceInput): SegmentPerformanceResult {
  const { cohort } = input;
  const n = cohort.length;
  const sets = new Map<string, IndexSet>();
  const sums = {
    baseline: accountSums(cohort, input.opportunities, input.baseline),
    analysis: accountSums(cohort, input.opportunities, input.analysis),
  };
  const masks = {
    baseline: Int32Array.from(cohort, (a) => input.activityMasks.baseline.get(a) ?? 0),
    analysis: Int32Array.from(cohort, (a) => input.activityMasks.analysis.get(a) ?? 0),
  };

  const everyone = where(n, () => true);
  sets.set('summary:accounts', everyone);
  sets.set(
    'summary:pipeline',
    where(n, (i) => sums.analysis.pipelineCount[i]! > 0),
  );
  sets.set(
    'summary:won',
    where(n, (i) => sums.analysis.wonCount[i]! > 0),
  );

  /** Increased / decreased / unchanged from each account's rank in the two timeframes. */
  const compare = (rank: Record<TimeframeName, Int8Array>) => {
    const delta = (i: number) => rank.analysis[i]! - rank.baseline[i]!;
    const increased = where(n, (i) => delta(i) > 0);
    const decreased = where(n, (i) => delta(i) < 0);
    const unchanged = where(n, (i) => delta(i) === 0);
    sets.set('summary:increased', increased);
    sets.set('summary:decreased', decreased);
    sets.set('summary:unchanged', unchanged);
    return { increased: increased.length, decreased: decreased.length, unchanged: unchanged.length };
  };

  let comparison: Pick<Summary, 'increased' | 'decreased' | 'unchanged'>;
  const distribution: SegmentPerformanceTables['distribution'] = {};
  let movement: SegmentPerformanceTables['movement'];

  if (input.type === 'stage') {
    const stages = input.stages;
    if (!stages) throw new Error('a stage analysis needs the stages of the cohort');
    // Rank −1: not scored in the timeframe's runs (below Target).
    const rank = {
      baseline: Int8Array.from(cohort, (a) => BUYING_STAGES.indexOf(stages.baseline.get(a) as BuyingStage)),
      analysis: Int8Array.from(cohort, (a) => BUYING_STAGES.indexOf(stages.analysis.get(a) as BuyingStage)),
    };
    comparison = compare(rank);
    const anyUnscored = rank.baseline.includes(-1) || rank.analysis.includes(-1);
    const keys: [string, number][] = [
      ...(anyUnscored ? [[NOT_SCORED, -1] as [string, number]] : []),
      ...BUYING_STAGES.map((stage, r) => [stage, r] as [string, number]),
    ];
    for (const [key, r] of keys) {
      const row = {} as Record<TimeframeName, DistributionCell>;
      for (const name of TIMEFRAMES) {
        const set = where(n, (i) => rank[name][i] === r);
        sets.set(`distribution:${name}.${key}`, set);
        row[name] = { accounts: set.length, ...total(set, sums[name]) };
      }
      distribution[key] = row;
    }
    movement = {};
    for (const [from, rf] of keys) {
      const row: Record<string, number> = {};
      for (const [to, rt] of keys) {
        const set = where(n, (i) => rank.baseline[i] === rf && rank.analysis[i] === rt);
        sets.set(`movement:${from}.${to}`, set);
        row[to] = set.length;
      }
      movement[from] = row;
    }
  } else {
    const statesOf = {} as Record<TimeframeName, EngagementState[][]>;
    const rank = {} as Record<TimeframeName, Int8Array>;
    for (const name of TIMEFRAMES) {
      statesOf[name] = Array.from(cohort, (_, i) =>
        engagementStates(masks[name][i]!, sums[name].pipelineCount[i]! > 0, sums[name].wonCount[i]! > 0),
      );
      rank[name] = Int8Array.from(statesOf[name], (states) => highestEngagement(states));
    }
    comparison = compare(rank);
    for (const state of ENGAGEMENT_STATES) {
      const row = {} as Record<TimeframeName, DistributionCell>;
      for (const name of TIMEFRAMES) {
        const set = where(n, (i) => statesOf[name][i]!.includes(state));
        sets.set(`distribution:${name}.${state}`, set);
        const s = total(set, sums[name]);
        row[name] = {
          accounts: set.length,
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
      const baseline = where(n, (i) => (masks.baseline[i]! & mask) !== 0);
      const analysis = where(n, (i) => (masks.analysis[i]! & mask) !== 0);
      if (metric.source === 'other' && baseline.length === 0 && analysis.length === 0) continue;
      sets.set(`activities:baseline.${key}`, baseline);
      sets.set(`activities:analysis.${key}`, analysis);
      const s = total(analysis, sums.analysis);
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
    summary: { accounts: n, ...comparison, ...total(everyone, sums.analysis) },
    distribution,
    ...(movement ? { movement } : {}),
    activities: activityLines(TEAM_VIEW_METRICS),
    activities_by_type: activityLines(TYPE_VIEW_METRICS),
  };
  return {
    tables,
    accountsOf: (key) => sets.get(key)?.map((i) => cohort[i]!),
  };
}
