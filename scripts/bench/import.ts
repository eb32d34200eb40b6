/**
 * Import benchmark (issue: foundation). Generates a demo market with about 1,000,000 activity
 * rows, then imports it into a fresh PGlite folder and a fresh PostgreSQL schema, each in its
 * own process, RUNS times, and prints the median rows/s of activities.csv and the peak RSS.
 * Baseline in the same run: a bare `COPY` of the same activities.csv into an unindexed table,
 * the floor any loader on this machine can reach.
 *
 *   npm run bench:import                    # 1,000,000 activities, 3 runs
 *   BENCH_ACTIVITIES=200000 BENCH_RUNS=1 npm run bench:import
 *   BENCH_DATABASE_URL=postgres://…         # default postgres://postgres@127.0.0.1:5432/test
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { writeMarketCsv } from '../../server/src/services/demo/writeMarketCsv';

const ROOT = path.resolve(__dirname, '../..');
const TARGET_ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SEED = 20_260_101;
const END_DATE = new Date('2026-01-01T00:00:00Z');

interface Measurement {
  activityRows: number;
  phases: Record<string, number>;
  activityRowsPerSecond: number;
  totalSeconds: number;
  peakRssMb: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function importOnce(dir: string, args: string[]): Measurement {
  const out = execFileSync(process.execPath, ['bin/tsx.js', 'scripts/bench/importOnce.ts', dir, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
}

async function baselineCopy(file: string): Promise<number> {
  const pool = new Pool({ connectionString: PG_URL, max: 1 });
  const client = await pool.connect();
  try {
    await client.query(`CREATE TEMP TABLE bench_raw (id text, occurred_at timestamptz, account_id text, contact_id text,
      type text, source text, keyword text, url text, campaign text)`);
    const started = process.hrtime.bigint();
    const copy = client.query(copyFrom('COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)'));
    await pipeline(createReadStream(file), copy);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const [{ n }] = (await client.query('SELECT count(*)::int AS n FROM bench_raw')).rows as [{ n: number }];
    return n / seconds;
  } finally {
    client.release();
    await pool.end();
  }
}

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'signalfit-bench-import-'));
  try {
    // A pilot market tells the average activities per account; size the real one from it.
    const pilotDir = path.join(work, 'pilot');
    mkdirSync(pilotDir);
    const pilot = await writeMarketCsv({ dir: pilotDir, seed: SEED, accounts: 300, endDate: END_DATE });
    const perAccount = pilot['activities.csv'] / 300;
    // 5% over the pilot's estimate, so that the market holds at least the target.
    const accounts = Math.ceil((TARGET_ACTIVITIES / perAccount) * 1.05);
    const dir = path.join(work, 'market');
    mkdirSync(dir);
    const generationStarted = performance.now();
    const counts = await writeMarketCsv({ dir, seed: SEED, accounts, endDate: END_DATE });
    const generationSeconds = (performance.now() - generationStarted) / 1000;
    console.log(
      `market: ${accounts} accounts, ${counts['activities.csv']} activities (seed ${SEED}), ` +
        `generated and written as CSV in ${generationSeconds.toFixed(1)} s`,
    );

    const results: Record<string, Measurement[]> = { pglite: [], postgres: [] };
    const baseline: number[] = [];
    const createPeaks: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const dataDir = path.join(work, `pglite-${run}`);
      const created = JSON.parse(
        execFileSync(
          process.execPath,
          ['bin/tsx.js', 'scripts/bench/importOnce.ts', '--create-only', 'pglite', dataDir],
          {
            cwd: ROOT,
            encoding: 'utf8',
          },
        ).trim(),
      ) as { createdPeakRssMb: number };
      createPeaks.push(created.createdPeakRssMb);
      results.pglite!.push(importOnce(dir, ['pglite', dataDir]));
      rmSync(dataDir, { recursive: true, force: true });
      const schema = `bench_import_${process.pid}_${run}`;
      results.postgres!.push(importOnce(dir, ['postgres', PG_URL, schema]));
      const pool = new Pool({ connectionString: PG_URL, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
      baseline.push(await baselineCopy(path.join(dir, 'activities.csv')));
      console.log(
        `run ${run}: pglite ${Math.round(results.pglite!.at(-1)!.activityRowsPerSecond)} rows/s, postgres ${Math.round(results.postgres!.at(-1)!.activityRowsPerSecond)} rows/s, bare COPY ${Math.round(baseline.at(-1)!)} rows/s`,
      );
    }

    const baseRate = median(baseline);
    console.log(
      `\n| store | activity rows | median rows/s | ratio to bare COPY | median peak RSS | median total import |`,
    );
    console.log(`| --- | --- | --- | --- | --- | --- |`);
    for (const [store, runs] of Object.entries(results)) {
      const rate = median(runs.map((r) => r.activityRowsPerSecond));
      console.log(
        `| ${store} | ${runs[0]!.activityRows.toLocaleString('en-US')} | ${Math.round(rate).toLocaleString('en-US')} | ` +
          `${(rate / baseRate).toFixed(2)} | ${Math.round(median(runs.map((r) => r.peakRssMb)))} MB | ` +
          `${median(runs.map((r) => r.totalSeconds)).toFixed(1)} s |`,
      );
    }
    console.log(
      `| bare COPY (PostgreSQL, baseline) | same file | ${Math.round(baseRate).toLocaleString('en-US')} | 1.00 | – | – |`,
    );
    console.log(
      `\nCreating a PGlite store (initdb and migrations, in its own process): median peak RSS ${Math.round(median(createPeaks))} MB.`,
    );
    for (const [store, runs] of Object.entries(results)) {
      const phases = Object.keys(runs[0]!.phases).map(
        (name) => `${name} ${median(runs.map((r) => r.phases[name] ?? 0)).toFixed(1)} s`,
      );
      console.log(`${store}, phases of activities.csv (medians): ${phases.join(', ')}`);
    }
    console.log(
      `\n${RUNS} runs each, medians; ${new Date().toISOString().slice(0, 10)}, ${process.version}.`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
