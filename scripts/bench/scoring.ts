/**
 * Scoring speed benchmark (issue: scoring engine). Full training and scoring — read the facts,
 * fit the models, score and store every account and person — of
 *   PostgreSQL: 100,000 accounts with about 10,000,000 activities,
 *   PGlite:      20,000 accounts with about 2,000,000 activities,
 * each against the plain scan `SELECT account_id, count(*) FROM activities GROUP BY 1` on the
 * same data, measured in the same run (median of RUNS; the ratio is the median of the per-run
 * ratios).
 *
 *   npm run bench:scoring                        # both stores, 3 runs
 *   BENCH_STORES=pglite BENCH_RUNS=1 npm run bench:scoring
 *   BENCH_DATABASE_URL=postgres://…   BENCH_FRESH=1 (rebuild the markets)
 *   BENCH_WRITES=5 BENCH_RUNS=0      # the write phase alone, 5 times on one computation's scores
 */
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { computeScores } from '../../server/src/services/scoring/scoreRun';
import { scoreStore, storeScores } from '../../server/src/services/scoring/scoreStore';
import type { Db } from '../../server/src/store/db';
import { BENCH_END, median, pgliteMarket, postgresMarket, SCORING_MARKETS } from './benchStores';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WRITES = Number(process.env.BENCH_WRITES ?? 0);
const STORES = (process.env.BENCH_STORES ?? 'postgres,pglite').split(',');
const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Deletes a measured run and vacuums the score tables, so that the next run writes into tables
 * like a real store's (runs are kept, never deleted): 1.2 M dead person rows per deleted run
 * left to autovacuum made the next write up to 40% slower.
 */
async function dropRun(db: Db, runId: number): Promise<void> {
  await db.run('DELETE FROM score_runs WHERE id = $1', [runId]);
  await db.exec('VACUUM account_scores, contact_scores, score_reason_sets, score_runs');
}

async function measure(name: string, db: Db): Promise<void> {
  const [activities] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM activities');
  const scans: number[] = [];
  const totals: number[] = [];
  const ratios: number[] = [];
  const phases: Record<string, number[]> = { read: [], model: [], write: [] };
  let people = 0;
  for (let run = 0; run < RUNS; run++) {
    let started = Date.now();
    await db.query('SELECT account_id, count(*) FROM activities GROUP BY 1');
    const scan = (Date.now() - started) / 1000;
    started = Date.now();
    const result = await scoreStore(db, {
      asOf: BENCH_END,
      onPhase: (phase, ms) => phases[phase]?.push(ms / 1000),
    });
    const total = (Date.now() - started) / 1000;
    people = result.people;
    scans.push(scan);
    totals.push(total);
    ratios.push(total / scan);
    const split = ['read', 'model', 'write'].map((phase) => phases[phase]?.at(-1)?.toFixed(1)).join(' / ');
    log(
      `  run ${run + 1}: scan ${scan.toFixed(1)} s, scoring ${total.toFixed(1)} s (read / model / write ${split} s; ` +
        `load ${loadavg()[0]?.toFixed(1)}; ${result.summary.modelVersion})`,
    );
    await dropRun(db, result.runId);
  }
  // The write phase alone, on the scores of one computation, WRITES times (less noise on a shared
  // machine than one write per full run).
  const writes: number[] = [];
  if (WRITES > 0) {
    const { scores } = await computeScores(db, BENCH_END);
    people = scores.people.length;
    for (let write = 0; write < WRITES; write++) {
      const started = Date.now();
      const { runId } = await storeScores(db, BENCH_END.toISOString().slice(0, 10), scores);
      writes.push((Date.now() - started) / 1000);
      log(`  write ${write + 1}: ${writes.at(-1)?.toFixed(1)} s (load ${loadavg()[0]?.toFixed(1)})`);
      await dropRun(db, runId);
    }
  }
  const [accounts] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  console.log(
    JSON.stringify({
      store: name,
      accounts: accounts?.n,
      people,
      activities: activities?.n,
      runs: RUNS,
      scanSeconds: median(scans),
      scoringSeconds: median(totals),
      ratioToScan: median(ratios),
      // The machine is shared: the 1-minute load at the end says how far to trust the times.
      loadAverage: loadavg()[0],
      ...(writes.length ? { writeOnlySeconds: median(writes), writeOnlyAll: writes } : {}),
      phasesSeconds: Object.fromEntries(
        Object.entries(phases).map(([phase, values]) => [phase, median(values)]),
      ),
    }),
  );
}

async function main(): Promise<void> {
  if (STORES.includes('postgres')) {
    log('PostgreSQL, 100,000 accounts:');
    const db = await postgresMarket(
      process.env.BENCH_SCHEMA ?? 'bench_scoring_100k',
      SCORING_MARKETS.postgres,
      log,
    );
    try {
      await measure('postgres', db);
    } finally {
      await db.close();
    }
  }
  if (STORES.includes('pglite')) {
    log('PGlite, 20,000 accounts:');
    const folder = process.env.BENCH_PGLITE_DIR ?? path.join(tmpdir(), 'signalfit-bench-scoring-20k');
    const db = await pgliteMarket(folder, SCORING_MARKETS.pglite, log);
    try {
      await measure('pglite', db);
    } finally {
      await db.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
