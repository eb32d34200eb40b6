/**
 * Segment performance report benchmark (issue 16): a 100,000-account cohort with 10,000,000
 * activities on PostgreSQL. Target: < 10 s per report (buying stage and engagement).
 *
 *   npm run bench:reports
 *   BENCH_DATABASE_URL   default postgres://postgres@127.0.0.1:5432/test (schema bench_reports)
 *   BENCH_ACCOUNTS=100000 BENCH_ACTIVITIES=10000000 BENCH_RUNS=3 BENCH_FRESH=1 (rebuild)
 *
 * The market (scripts/bench/reportMarket.ts) covers May to October 2026; synthetic complete runs
 * as of 2026-08-01, 09-01, 09-15, 10-01, 10-15 and 11-01 score every account, and the segment "Bench
 * cohort" holds every account in each of them. Each report is timed through the use case (the
 * HTTP route adds only the JSON encoding), after one warm-up, BENCH_RUNS times (median kept):
 * one month to another (2026-09 → 2026-10) and a quarter-like range (2026-05..07 → 2026-08..10,
 * which reads all 10,000,000 activities).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseTimeframe, type Timeframe } from '../../server/src/domain/reports/timeframes';
import { OPERATOR } from '../../server/src/policies/policies';
import { segmentPerformanceReport } from '../../server/src/services/reports/segmentPerformance';
import type { Db } from '../../server/src/store/db';
import { migrate } from '../../server/src/store/migrate';
import { openPostgres } from '../../server/src/store/postgres';
import { median, PG_URL } from './benchStores';
import { seedReportMarket, seedReportRuns } from './reportMarket';

const SCHEMA = 'bench_reports';
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** 2026-08-01 closes May–July (the range baseline); the others fall in September and October. */
const RUN_DAYS = ['2026-08-01', '2026-09-01', '2026-09-15', '2026-10-01', '2026-10-15', '2026-11-01'];
const NOW = new Date('2026-11-02T00:00:00Z');

function timeframe(text: string): Timeframe {
  const parsed = parseTimeframe('bench', text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.timeframe;
}

const SEED = 7;

/** Fills the schema once: the market, then the runs, then the segment (each reused when present). */
async function ensureMarket(db: Db): Promise<number | null> {
  const count = async (sql: string) => (await db.query<{ n: number }>(sql))[0]!.n;
  const started = Date.now();
  let built = false;
  if ((await count('SELECT count(*)::int AS n FROM activities')) !== ACTIVITIES) {
    console.log(`generating ${ACCOUNTS} accounts and ${ACTIVITIES} activities…`);
    await db.exec(
      'TRUNCATE accounts, contacts, opportunities, activities, keywords, score_runs, segments CASCADE',
    );
    await seedReportMarket(db, {
      accounts: ACCOUNTS,
      activities: ACTIVITIES,
      months: 6,
      endDay: '2026-11-01',
      seed: SEED,
    });
    built = true;
  }
  // Only the synthetic runs (a run scored by a report would change the stages measured).
  const synthetic = `SELECT count(*)::int AS n FROM score_runs WHERE model_version = 'bench-synthetic'`;
  const runs = await count('SELECT count(*)::int AS n FROM score_runs');
  if ((await count(synthetic)) !== RUN_DAYS.length || runs !== RUN_DAYS.length) {
    await db.exec('TRUNCATE score_runs, segments CASCADE');
    await seedReportRuns(db, { accounts: ACCOUNTS, days: RUN_DAYS, seed: SEED });
    built = true;
  }
  if ((await count(`SELECT count(*)::int AS n FROM segments WHERE name = 'Bench cohort'`)) === 0) {
    const [segment] = await db.query<{ id: string }>(
      `INSERT INTO segments (name, kind, definition) VALUES ('Bench cohort', 'filter', '{"field":"reach","op":"in","value":["Low","Medium","High"]}') RETURNING id`,
    );
    await db.run(
      `INSERT INTO segment_run_members (run_id, segment_id, version, members, account_ids)
       SELECT r.id, $1, 1, a.n, a.ids FROM score_runs r,
              (SELECT count(*)::int AS n, array_agg(id ORDER BY id) AS ids FROM accounts) a`,
      [segment!.id],
    );
    built = true;
  }
  if (!built) return null;
  await db.exec('VACUUM ANALYZE');
  return (Date.now() - started) / 1000;
}

async function main(): Promise<void> {
  if (process.env.BENCH_FRESH) {
    const admin = await openPostgres({ connectionString: PG_URL });
    await admin.exec(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await admin.close();
  }
  const db = await openPostgres({ connectionString: PG_URL, schema: SCHEMA });
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    accounts: ACCOUNTS,
    activities: ACTIVITIES,
    runs: RUNS,
    cpus: os.cpus().length,
    loadAverageAtStart: os.loadavg(),
  };
  try {
    await migrate(db);
    report.loadSeconds = await ensureMarket(db);
    const cases = {
      'stage, month to month': { type: 'stage', baseline: '2026-09', analysis: '2026-10' },
      'engagement, month to month': { type: 'engagement', baseline: '2026-09', analysis: '2026-10' },
      'stage, range to range': { type: 'stage', baseline: '2026-05..2026-07', analysis: '2026-08..2026-10' },
      'engagement, range to range': {
        type: 'engagement',
        baseline: '2026-05..2026-07',
        analysis: '2026-08..2026-10',
      },
    } as const;
    const results: Record<string, unknown> = {};
    for (const [name, c] of Object.entries(cases)) {
      const run = async () => {
        const started = Date.now();
        const out = await segmentPerformanceReport({
          db,
          actor: OPERATOR,
          segments: ['Bench cohort'],
          type: c.type,
          baseline: timeframe(c.baseline),
          analysis: timeframe(c.analysis),
          cohort: 'analysis',
          options: { excludeZeroAmount: false, excludeIrrelevant: false },
          now: NOW,
        });
        return { seconds: (Date.now() - started) / 1000, out };
      };
      const warm = await run();
      const seconds: number[] = [];
      for (let i = 0; i < RUNS; i++) seconds.push((await run()).seconds);
      results[name] = {
        medianSeconds: median(seconds),
        seconds,
        warmUpSeconds: warm.seconds,
        summary: warm.out.summary,
        notes: warm.out.notes,
      };
      console.log(
        `${name}: median ${median(seconds).toFixed(2)} s (runs ${seconds.map((s) => s.toFixed(2)).join(', ')})`,
      );
    }
    report.results = results;
    report.loadAverageAtEnd = os.loadavg();
  } finally {
    await db.close();
  }
  const out = path.join(__dirname, 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'segmentPerformance.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
