import type { SegmentPerformanceReport } from './segmentPerformance';

const n = (value: number) => value.toLocaleString('en-US');
const usd = (value: number | null) => (value === null ? '' : `$${Math.round(value).toLocaleString('en-US')}`);
const months = (t: { from: string; to: string }) => (t.from === t.to ? t.from : `${t.from}..${t.to}`);
const pct = (value: number | null) =>
  value === null ? 'n/a' : `${value >= 0 ? '+' : ''}${value.toFixed(1)} %`;

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** The report as a readable text summary (the command line without --json or --out). */
export function segmentPerformanceText(report: SegmentPerformanceReport): string {
  const { parameters: p, summary: s } = report;
  const what = p.type === 'stage' ? 'buying stage' : 'engagement';
  const lines = [
    `Segment performance (${what}) of ${p.segments.map((x) => `"${x.name}"`).join(', ')}, cohort: ${p.cohort}`,
    `baseline ${months(p.baseline)} (run as of ${report.runs.baseline.asOf}), analysis ${months(p.analysis)} (run as of ${report.runs.analysis.asOf})`,
    '',
    `accounts ${n(s.accounts)}: increased ${n(s.increased)}, decreased ${n(s.decreased)}, unchanged ${n(s.unchanged)}`,
    `new pipeline ${n(s.pipeline_count)} (${usd(s.pipeline_amount)}), won ${n(s.won_count)} (${usd(s.won_amount)})`,
    '',
    ...table([
      [p.type === 'stage' ? 'stage' : 'state', 'baseline', 'pipeline', 'won', 'analysis', 'pipeline', 'won'],
      ...Object.entries(report.distribution).map(([key, row]) => [
        key,
        n(row.baseline.accounts),
        usd(row.baseline.pipeline_amount),
        usd(row.baseline.won_amount),
        n(row.analysis.accounts),
        usd(row.analysis.pipeline_amount),
        usd(row.analysis.won_amount),
      ]),
    ]),
  ];
  if (report.movement) {
    const keys = Object.keys(report.movement);
    lines.push('', 'movement (rows: baseline stage, columns: analysis stage)');
    lines.push(
      ...table([
        ['', ...keys],
        ...keys.map((from) => [from, ...keys.map((to) => n(report.movement![from]![to]!))]),
      ]),
    );
  }
  lines.push('', 'activities by source');
  lines.push(
    ...table([
      ['panel / metric', 'baseline', 'analysis', 'change', 'pipeline', 'won'],
      ...report.activities.map((l) => [
        `${l.metric === 'total' ? l.panel : `  ${l.metric}${l.source ? ` (${l.source})` : ''}`}`,
        n(l.baseline_accounts),
        n(l.analysis_accounts),
        pct(l.change_pct),
        usd(l.pipeline_amount),
        usd(l.won_amount),
      ]),
    ]),
  );
  if (report.notes.length > 0) lines.push('', ...report.notes.map((note) => `note: ${note}`));
  return `${lines.join('\n')}\n`;
}
