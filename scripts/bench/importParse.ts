/**
 * Micro-benchmark of the import's parse path alone (no database): the CSV reader, the per-row checks
 * and the COPY text, as the parser runs them on activities.csv during a fresh load (account ids
 * checked in memory). Prints rows/s and the process's CPU time (all threads) per run, and the
 * medians. With BENCH_WORKER=1 the rows are parsed in the worker thread and received here, as a
 * large file's import does.
 *
 *   node bin/tsx.js scripts/bench/importParse.ts <dir with activities.csv and accounts.csv>
 *   BENCH_RUNS=5 BENCH_WORKER=1 node bin/tsx.js scripts/bench/importParse.ts <dir>
 *   node bin/tsx.js scripts/bench/importParse.ts       # generates a 1,000,000-activity market first
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeMarketCsv } from '../../server/src/services/demo/writeMarketCsv';
import { IMPORT_FORMATS } from '../../server/src/services/import/formats';
import { parseCsvFile } from '../../server/src/services/import/parseCsvFile';
import { parseInWorker } from '../../server/src/services/import/parseInWorker';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const IN_WORKER = process.env.BENCH_WORKER === '1';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The ids of accounts.csv: its first column, as the demo writes it (no quoting in ids). */
function accountIds(dir: string): Set<string> {
  const lines = readFileSync(path.join(dir, 'accounts.csv'), 'utf8').split('\n').slice(1);
  return new Set(lines.filter((line) => line !== '').map((line) => line.slice(0, line.indexOf(','))));
}

async function main() {
  let dir = process.argv[2];
  let generated: string | null = null;
  if (!dir) {
    generated = mkdtempSync(path.join(tmpdir(), 'signalfit-bench-parse-'));
    dir = generated;
    await writeMarketCsv({
      dir,
      seed: 20_260_101,
      accounts: 2_776,
      endDate: new Date('2026-01-01T00:00:00Z'),
    });
  }
  try {
    const knownAccounts = accountIds(dir);
    const file = path.join(dir, 'activities.csv');
    const rates: number[] = [];
    const cpuSeconds: number[] = [];
    const parse = IN_WORKER ? parseInWorker : parseCsvFile;
    for (let run = 1; run <= RUNS; run++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      let rows = 0;
      let staged = 0;
      let bytes = 0;
      for await (const event of parse(IMPORT_FORMATS.activities, file, { knownAccounts })) {
        if (event.kind !== 'batch') continue;
        rows += event.read;
        staged += event.lines.length;
        bytes += event.text.length;
      }
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuStarted);
      rates.push(rows / seconds);
      cpuSeconds.push((cpu.user + cpu.system) / 1e6);
      console.log(
        `run ${run}: ${rows} rows (${staged} valid, ${bytes} bytes of COPY text) in ${seconds.toFixed(2)} s, ` +
          `${Math.round(rows / seconds)} rows/s, CPU ${cpuSeconds.at(-1)!.toFixed(2)} s`,
      );
    }
    const sorted = [...rates].sort((a, b) => a - b);
    console.log(
      `median ${Math.round(median(rates))} rows/s (min ${Math.round(sorted[0]!)}, max ${Math.round(sorted.at(-1)!)}), ` +
        `median CPU ${median(cpuSeconds).toFixed(2)} s; ${IN_WORKER ? 'worker thread' : 'one thread'}, ` +
        `${RUNS} runs, ${process.version}`,
    );
  } finally {
    if (generated) rmSync(generated, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
