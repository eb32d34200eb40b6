/**
 * `signalfit report model-insights [--month YYYY-MM] [--json | --out DIR]` (docs/reports.md
 * "Model insights"): the backtest of one month, run as the command line's operator
 * (policies.OPERATOR). Plain text by default; `--json` the object of GET
 * /api/reports/model-insights; `--out DIR` one spreadsheet-safe CSV per table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../errors';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import { spreadsheetSafeCsv } from '../../services/csv/spreadsheetSafe';
import { modelInsights, type ModelInsightsReport } from '../../services/reports/modelInsights';
import { reportFailure } from '../failure';

interface ModelInsightsOptions {
  month?: string;
  json?: boolean;
  out?: string;
}

/** Adds `model-insights` to the `report` command group. */
export function registerModelInsights(report: Command): void {
  report
    .command('model-insights')
    .description('how well the scores of a past month foretold the next three months (docs/reports.md)')
    .option('--month <YYYY-MM>', 'the backtest month (default: three months before the current month)')
    .option('--json', 'print the report as one JSON object (the answer of GET /api/reports/model-insights)')
    .option('--out <dir>', 'write one CSV per table into this folder')
    .action(modelInsightsCommand);
}

export async function modelInsightsCommand(options: ModelInsightsOptions): Promise<void> {
  try {
    if (options.json && options.out)
      throw new AppError('bad_request', '--json and --out go alone: choose one');
    const report = await withStore(readConfig(), (db) =>
      modelInsights({ db, actor: OPERATOR, month: options.month, today: new Date() }),
    );
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (options.out) writeTables(report, options.out);
    else process.stdout.write(textSummary(report));
  } catch (error) {
    reportFailure(error);
  }
}

type Cell = string | number | null;

/** The report's tables, each a header row and its rows; nulls stay empty cells. */
export function modelInsightsTablesOf(report: ModelInsightsReport): Record<string, Cell[][]> {
  const keyed = <R extends object>(first: string, rows: Record<string, R>): Cell[][] => {
    const entries = Object.entries(rows);
    const columns = Object.keys(entries[0]?.[1] ?? {});
    return [
      [first, ...columns],
      ...entries.map(([key, row]) => [key, ...columns.map((c) => (row as Record<string, Cell>)[c] ?? null)]),
    ];
  };
  const signalColumns = [
    'category',
    'kind',
    'signal',
    'count',
    'conversions',
    'rate',
    'baseline',
    'lift',
    'category_coverage',
    'conversion_coverage',
  ] as const;
  return {
    summary: [
      [
        'month',
        'window_start',
        'window_end',
        'run_id',
        'run_as_of',
        'identification_rate',
        'auc',
        'auc_ci_low',
        'auc_ci_high',
        'notes',
      ],
      [
        report.parameters.month,
        report.parameters.window.start,
        report.parameters.window.end,
        report.run.runId,
        report.run.asOf,
        report.identification_rate,
        report.auc,
        report.auc_ci?.[0] ?? null,
        report.auc_ci?.[1] ?? null,
        report.notes.join(' | '),
      ],
    ],
    account_behavior: keyed('stage', report.account_behavior),
    account_fit: keyed('band', report.account_fit),
    contact_behavior: keyed('grade', report.contact_behavior),
    contact_fit: keyed('band', report.contact_fit),
    signals: [[...signalColumns], ...report.signals.map((s) => signalColumns.map((c) => s[c]))],
  };
}

function writeTables(report: ModelInsightsReport, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [name, rows] of Object.entries(modelInsightsTablesOf(report))) {
    const file = path.join(dir, `${name}.csv`);
    writeFileSync(file, stringify(rows, spreadsheetSafeCsv()));
    files.push(file);
  }
  process.stdout.write(
    `model insights ${report.parameters.month}: ${files.length} tables written to ${dir}\n`,
  );
  for (const note of report.notes) process.stdout.write(`note: ${note}\n`);
}

const pct = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)} %`);
const times = (value: number | null) => (value === null ? '–' : `${value.toFixed(2)}×`);
const n = (value: number) => value.toLocaleString('en-US');

/** Columns padded to their widest cell. */
function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map(
      (row) =>
        `  ${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

export function textSummary(report: ModelInsightsReport): string {
  const { parameters, run } = report;
  const lines = [
    `Model insights for ${parameters.month}: scores of run ${run.runId} as of ${run.asOf}, relevant opportunities opened ${parameters.window.start} to ${parameters.window.end} (exclusive)\n`,
    ...report.notes.map((note) => `note: ${note}\n`),
    '\nAccount behaviour\n',
    columns([
      ['stage', 'accounts', 'share', 'converters', 'conversion', 'lift'],
      ...Object.entries(report.account_behavior).map(([stage, r]) => [
        stage,
        n(r.accounts),
        pct(r.share),
        n(r.converters),
        pct(r.conversion),
        times(r.lift),
      ]),
    ]),
    `  baseline ${pct(report.account_behavior.Target.baseline)}, identification rate ${pct(report.identification_rate)}, ` +
      `AUC ${report.auc === null ? '–' : report.auc.toFixed(3)}` +
      `${report.auc_ci ? ` (95 % ${report.auc_ci[0].toFixed(3)}–${report.auc_ci[1].toFixed(3)})` : ''}\n`,
    '\nAccount profile fit\n',
    columns([
      ['band', 'accounts', 'converters', 'conversion', 'lift', 'winners', 'win rate', 'win lift'],
      ...Object.entries(report.account_fit).map(([band, r]) => [
        band,
        n(r.accounts),
        n(r.converters),
        pct(r.conversion),
        times(r.lift),
        n(r.winners),
        pct(r.win_conversion),
        times(r.win_lift),
      ]),
    ]),
    '\nContact behaviour\n',
    columns([
      ['grade', 'people', 'converted', 'conversion', 'lift'],
      ...Object.entries(report.contact_behavior).map(([grade, r]) => [
        grade,
        n(r.people),
        n(r.converted),
        pct(r.conversion),
        times(r.lift),
      ]),
    ]),
    '\nContact profile fit\n',
    columns([
      ['band', 'people', 'converted', 'conversion', 'lift', 'winners', 'win lift'],
      ...Object.entries(report.contact_fit).map(([band, r]) => [
        band,
        n(r.people),
        n(r.converted),
        pct(r.conversion),
        times(r.lift),
        n(r.winners),
        times(r.win_lift),
      ]),
    ]),
    `\nSignals: ${n(report.signals.length)} (every one with --json or --out)\n`,
  ];
  return lines.join('');
}
