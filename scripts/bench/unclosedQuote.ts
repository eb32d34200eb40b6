/**
 * Unclosed-quote benchmark (issue 20, "Bounded input"): imports an activities.csv whose 10th
 * line opens a quote that is never closed, at half and at full size (200 MB by default), each
 * into a fresh store in its own process, and prints for each the rows/s, the rows imported and
 * the lines reported. Linear reading shows as the same rows/s at both sizes (twice the rows, twice
 * the time); the review measured the old parser's time growing faster than the file, with every
 * row after line 10 lost.
 *
 *   npm run bench:unclosed-quote                    # 200 MB, PostgreSQL and PGlite
 *   BENCH_MB=50 BENCH_STORES=postgres npm run bench:unclosed-quote
 *   BENCH_DATABASE_URL=postgres://…                 # default postgres://postgres@127.0.0.1:5432/test
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Pool } from 'pg';

const ROOT = path.resolve(__dirname, '../..');
const TARGET_MB = Number(process.env.BENCH_MB ?? 200);
const STORES = (process.env.BENCH_STORES ?? 'postgres,pglite').split(',');
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ACCOUNTS = 1_000;
const BROKEN_LINE = 10;

interface Measurement {
  activityRows: number;
  activitySeconds: number;
  activityRowsPerSecond: number;
  peakRssMb: number;
  rejected: number;
  rejectsFile: string | null;
}

const KEYWORDS = ['sast', 'dast', 'sca', 'secret scanning', 'code review', 'sbom'];
const TYPES = ['web_visit', 'keyword_research', 'email_open', 'form_fill'];

/** One activity row (about 150 bytes, like the demo market's). */
function activityLine(n: number): string {
  const day = String(1 + (n % 28)).padStart(2, '0');
  const keyword = KEYWORDS[n % KEYWORDS.length];
  const campaign = n + 1 === BROKEN_LINE ? '"spring launch, never closed' : `campaign-${n % 97}`;
  return (
    `act-${n},2025-03-${day}T${String(n % 24).padStart(2, '0')}:15:00Z,acc-${n % ACCOUNTS},,` +
    `${TYPES[n % TYPES.length]},g2,${keyword},https://www.example.com/products/${n % 5003}/overview,${campaign}\n`
  );
}

/** Writes accounts.csv and an activities.csv of about `megabytes` MB into `dir`; returns its data rows. */
async function writeFiles(dir: string, megabytes: number): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const accounts = ['id,name,domain'];
  for (let i = 0; i < ACCOUNTS; i++) accounts.push(`acc-${i},Account ${i},account-${i}.example`);
  writeFileSync(path.join(dir, 'accounts.csv'), `${accounts.join('\n')}\n`);
  const out = createWriteStream(path.join(dir, 'activities.csv'));
  out.write('id,occurred_at,account_id,contact_id,type,source,keyword,url,campaign\n');
  let bytes = 0;
  let rows = 0;
  while (bytes < megabytes * 1024 * 1024) {
    rows += 1;
    const line = activityLine(rows);
    bytes += line.length;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

function importOnce(dir: string, args: string[]): Measurement {
  const out = execFileSync(process.execPath, ['bin/tsx.js', 'scripts/bench/importOnce.ts', dir, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
}

async function measure(store: string, dir: string, work: string, label: string): Promise<Measurement> {
  if (store === 'pglite') {
    const dataDir = path.join(work, `pglite-${label}`);
    // Created in a process of its own first, as a user's first command does once.
    execFileSync(
      process.execPath,
      ['bin/tsx.js', 'scripts/bench/importOnce.ts', '--create-only', 'pglite', dataDir],
      {
        cwd: ROOT,
      },
    );
    try {
      return importOnce(dir, ['pglite', dataDir]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const schema = `bench_unclosed_${process.pid}_${label.replace(/\W/g, '_')}`;
  try {
    return importOnce(dir, ['postgres', PG_URL, schema]);
  } finally {
    const pool = new Pool({ connectionString: PG_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  }
}

/** The rejected rows, as `line N (reason)`: the first few, and how many more. */
function reportedLines(rejectsFile: string | null): string {
  if (!rejectsFile) return 'none';
  const rows = parse(readFileSync(rejectsFile), { columns: true }) as Array<{ line: string; reason: string }>;
  const shown = rows.slice(0, 3).map((r) => `line ${r.line} (${r.reason})`);
  return rows.length > 3 ? `${shown.join('; ')} and ${rows.length - 3} more` : shown.join('; ');
}

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'signalfit-bench-unclosed-'));
  try {
    const sizes = [
      { label: 'half', megabytes: TARGET_MB / 2 },
      { label: 'full', megabytes: TARGET_MB },
    ];
    const rowsOf: Record<string, number> = {};
    for (const size of sizes) {
      rowsOf[size.label] = await writeFiles(path.join(work, size.label), size.megabytes);
      console.log(
        `${size.label}: activities.csv of ${size.megabytes} MB, ${rowsOf[size.label]!.toLocaleString('en-US')} rows, ` +
          `line ${BROKEN_LINE} opens a quote that never closes`,
      );
    }
    for (const store of STORES) {
      const results: Record<string, Measurement> = {};
      for (const size of sizes) {
        const result = await measure(store, path.join(work, size.label), work, `${store}-${size.label}`);
        results[size.label] = result;
        const imported = result.activityRows - result.rejected;
        console.log(
          `${store}, ${size.megabytes} MB: ${Math.round(result.activityRowsPerSecond).toLocaleString('en-US')} rows/s, ` +
            `${result.activitySeconds.toFixed(1)} s, ${result.activityRows.toLocaleString('en-US')} rows read of ` +
            `${rowsOf[size.label]!.toLocaleString('en-US')} written, ${imported.toLocaleString('en-US')} imported, ` +
            `peak RSS ${Math.round(result.peakRssMb)} MB; reported: ${reportedLines(result.rejectsFile)}`,
        );
      }
      const ratio = results.full!.activitySeconds / results.half!.activitySeconds;
      console.log(`${store}: twice the file took ${ratio.toFixed(2)} times as long (linear: about 2)`);
    }
    console.log(`\n${new Date().toISOString().slice(0, 16)} UTC, ${process.version}.`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
