import type { OpportunityOptions } from '../../domain/reports/opportunityMeasures';
import type { AnalysisType } from '../../domain/reports/segmentPerformance';
import { defaultTimeframes, parseTimeframe, type Timeframe } from '../../domain/reports/timeframes';
import { AppError } from '../../errors';
import type { CohortOption } from './segmentPerformanceData';

/** A report's parameters as the CLI and the API take them: text, with defaults left blank. */
export interface SegmentPerformanceInputText {
  /** Comma-separated segment ids or names. */
  segments: string;
  type?: AnalysisType;
  baseline?: string;
  analysis?: string;
  cohort?: CohortOption;
  excludeZeroAmount?: boolean;
  excludeIrrelevant?: boolean;
}

export interface SegmentPerformanceParameters {
  segments: string[];
  type: AnalysisType;
  baseline: Timeframe;
  analysis: Timeframe;
  cohort: CohortOption;
  options: OpportunityOptions;
}

function timeframeOf(name: string, text: string | undefined, fallback: Timeframe): Timeframe {
  if (text === undefined || text.trim() === '') return fallback;
  const parsed = parseTimeframe(name, text);
  if (!parsed.ok) throw new AppError('bad_request', parsed.message);
  return parsed.timeframe;
}

/**
 * Resolves the text parameters (docs/reports.md "Defaults"): type `stage`, cohort `analysis`, a
 * timeframe left out is the one-month default on `today` (baseline two months ago, analysis last
 * month), both options off. A bad month is a `bad_request` naming the parameter.
 */
export function segmentPerformanceParameters(
  input: SegmentPerformanceInputText,
  today: Date,
): SegmentPerformanceParameters {
  const defaults = defaultTimeframes(today, 'month');
  return {
    segments: input.segments
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    type: input.type ?? 'stage',
    baseline: timeframeOf('baseline', input.baseline, defaults.baseline),
    analysis: timeframeOf('analysis', input.analysis, defaults.analysis),
    cohort: input.cohort ?? 'analysis',
    options: {
      excludeZeroAmount: input.excludeZeroAmount ?? false,
      excludeIrrelevant: input.excludeIrrelevant ?? false,
    },
  };
}
