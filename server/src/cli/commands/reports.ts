/**
 * `signalfit report …` (docs/reports.md): the reports, run as the command line's operator.
 * `--json` prints the API's object, `--out DIR` writes one CSV per table, else a text summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import { segmentPerformanceReport } from '../../services/reports/segmentPerformance';
import { segmentPerformanceCsvFiles } from '../../services/reports/segmentPerformanceCsv';
import type { CohortOption } from '../../services/reports/segmentPerformanceData';
import { segmentPerformanceParameters } from '../../services/reports/segmentPerformanceParameters';
import { segmentPerformanceText } from '../../services/reports/segmentPerformanceText';
import { reportFailure } from '../failure';

export interface SegmentPerformanceOptions {
  segment: string;
  type?: 'stage' | 'engagement';
  baseline?: string;
  analysis?: string;
  cohort?: CohortOption;
  excludeZeroAmount?: boolean;
  excludeIrrelevant?: boolean;
  json?: boolean;
  out?: string;
}

/** `report segment-performance --segment <names> …` */
export async function segmentPerformanceCommand(options: SegmentPerformanceOptions): Promise<void> {
  try {
    const now = new Date();
    const parameters = segmentPerformanceParameters({ ...options, segments: options.segment }, now);
    const report = await withStore(readConfig(), (db) =>
      segmentPerformanceReport({ db, actor: OPERATOR, now, ...parameters }),
    );
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else if (options.out) {
      const dir = path.resolve(options.out);
      mkdirSync(dir, { recursive: true });
      const files = segmentPerformanceCsvFiles(report);
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
      process.stdout.write(`wrote ${Object.keys(files).join(', ')} to ${options.out}\n`);
      for (const note of report.notes) process.stdout.write(`note: ${note}\n`);
    } else {
      process.stdout.write(segmentPerformanceText(report));
    }
  } catch (error) {
    reportFailure(error);
  }
}
