import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafeCsv } from '../csv/spreadsheetSafe';
import type { SegmentPerformanceReport } from './segmentPerformance';

const CSV_OPTIONS = spreadsheetSafeCsv();

function csv(header: string[], rows: unknown[][]): string {
  return stringify(
    [header, ...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : cell)))],
    CSV_OPTIONS,
  );
}

/**
 * The report's tables as CSV files (`--out DIR`), spreadsheet-safe: summary.csv (one row),
 * distribution.csv (one row per stage or state and timeframe), movement.csv (stage analysis: one
 * row per baseline stage, one column per analysis stage) and activities.csv (both views). Blank
 * cells are nulls (no amounts for a state, no change on a zero baseline).
 */
export function segmentPerformanceCsvFiles(report: SegmentPerformanceReport): Record<string, string> {
  const files: Record<string, string> = {};
  const summaryKeys = Object.keys(report.summary) as (keyof typeof report.summary)[];
  files['summary.csv'] = csv(summaryKeys, [summaryKeys.map((key) => report.summary[key])]);
  const cellKeys = ['accounts', 'pipeline_count', 'pipeline_amount', 'won_count', 'won_amount'] as const;
  files['distribution.csv'] = csv(
    [report.parameters.type === 'stage' ? 'stage' : 'state', 'timeframe', ...cellKeys],
    Object.entries(report.distribution).flatMap(([key, row]) =>
      (['baseline', 'analysis'] as const).map((name) => [key, name, ...cellKeys.map((k) => row[name][k])]),
    ),
  );
  if (report.movement) {
    const keys = Object.keys(report.movement);
    files['movement.csv'] = csv(
      ['baseline_stage', ...keys],
      keys.map((from) => [from, ...keys.map((to) => report.movement![from]![to])]),
    );
  }
  const lineKeys = [
    'baseline_accounts',
    'analysis_accounts',
    'change_pct',
    'pipeline_amount',
    'won_amount',
  ] as const;
  files['activities.csv'] = csv(
    ['view', 'panel', 'metric', 'source', ...lineKeys],
    [
      ...report.activities.map((l) => ['team', l.panel, l.metric, l.source, ...lineKeys.map((k) => l[k])]),
      ...report.activities_by_type.map((l) => [
        'type',
        l.panel,
        l.metric,
        l.source,
        ...lineKeys.map((k) => l[k]),
      ]),
    ],
  );
  return files;
}
