import type { SegmentPerformanceTables } from '../../domain/reports/segmentPerformance';
import {
  segmentPerformanceData,
  type SegmentPerformanceData,
  type SegmentPerformanceProps,
} from './segmentPerformanceData';

/** The report as `--json` and GET /api/reports/segment-performance give it (docs/reports.md). */
export type SegmentPerformanceReport = Pick<SegmentPerformanceData, 'parameters' | 'runs' | 'notes'> &
  SegmentPerformanceTables;

/** The segment performance report of the props' segments, timeframes and options. */
export async function segmentPerformanceReport(
  props: SegmentPerformanceProps,
): Promise<SegmentPerformanceReport> {
  const data = await segmentPerformanceData(props);
  return { parameters: data.parameters, runs: data.runs, ...data.result.tables, notes: data.notes };
}
