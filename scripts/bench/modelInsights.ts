/**
 * Model insights benchmark (issue 16): on PostgreSQL, the report of one backtest month over
 * 100,000 accounts (300,000 scored contacts and leads) and 10,000,000 activities; target < 30 s.
 *
 *   npm run bench:model-insights
 *   BENCH_DATABASE_URL   default postgres://postgres@127.0.0.1:5432/test (schema
 *                        bench_model_insights_100k, built once and reused; BENCH_FRESH=1 rebuilds)
 *   BENCH_RUNS=3
 *
 * The market is reportMarket.ts's (seedReportMarket, twelve months before 2026-11-01) with one
 * synthetic complete run as of 2026-08-01 (seedReportRuns) whose contact scores are added here:
 * the report reads a stored run, so this measures the report's queries and formulas, not scoring
 * (an `ensureRunAsOf` that has to score costs a scoring run: bench:scoring).
 */
import os from 'node:os';
import { OPERATOR } from '../../server/src/policies/policies';
import { modelInsights } from '../../server/src/services/reports/modelInsights';
import type { Db } from '../../server/src/store/db';
import { migrate } from '../../server/src/store/migrate';
import { openPostgres } from '../../server/src/store/postgres';
import { median, PG_URL } from './benchStores';
import { seedReportMarket, seedReportRuns } from './reportMarket';

const SCHEMA = 'bench_model_insights_100k';
const ACCOUNTS = 100_000;
const ACTIVITIES = 10_000_000;
const MONTH = '2026-08';
const RUN_DAY = '2026-08-01';
const TODAY = new Date('2026-11-15T12:00:00Z');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (started: number) => (Date.now() - started) / 1000;

async function market(): Promise<Db> {
  if (process.env.BENCH_FRESH) {
    const admin = await openPostgres({ connectionString: PG_URL });
    await admin.exec(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await admin.close();
  }
  const db = await openPostgres({ connectionString: PG_URL, schema: SCHEMA });
  await migrate(db);
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM account_scores s JOIN score_runs r ON r.id = s.run_id WHERE r.as_of = $1`,
    [RUN_DAY],
  );
  if (Number(row?.n) === ACCOUNTS) return db;
  log(
    `building ${SCHEMA}: ${ACCOUNTS.toLocaleString('en-US')} accounts, ${ACTIVITIES.toLocaleString('en-US')} activities`,
  );
  const started = Date.now();
  await db.exec('TRUNCATE accounts, contacts, opportunities, activities, keywords, score_runs CASCADE');
  await seedReportMarket(db, {
    accounts: ACCOUNTS,
    activities: ACTIVITIES,
    months: 12,
    endDay: '2026-11-01',
    seed: 16,
  });
  const [runId] = await seedReportRuns(db, { accounts: ACCOUNTS, days: [RUN_DAY], seed: 16 });
  // Contact scores of the run: every contact and lead, grade and fit from hashes of its id.
  await db.exec(
    `INSERT INTO contact_scores (run_id, contact_id, account_id, engagement_score, engagement_grade, profile_score, profile_fit, persona)
     SELECT ${runId}, id, account_id, e, CASE WHEN e >= 75 THEN 'A' WHEN e >= 50 THEN 'B' WHEN e >= 25 THEN 'C' ELSE 'D' END,
            p, CASE WHEN p >= 81 THEN 'Strong' WHEN p >= 50 THEN 'Moderate' ELSE 'Weak' END,
            (ARRAY['Economic buyer', 'Champion', 'Practitioner', NULL])[1 + abs(hashtext(id || 'persona')) % 4]
       FROM (SELECT id, account_id, greatest(0, abs(hashtext(id)) % 120 - 20) AS e, abs(hashtext(id || 'fit')) % 101 AS p
               FROM contacts) c`,
  );
  await db.exec('VACUUM ANALYZE');
  log(`built in ${seconds(started).toFixed(0)} s`);
  return db;
}

async function main(): Promise<void> {
  const db = await market();
  try {
    const [counts] = await db.query<{
      accounts: number;
      people: number;
      activities: number;
      opportunities: number;
    }>(
      `SELECT (SELECT count(*) FROM accounts)::int AS accounts, (SELECT count(*) FROM contact_scores)::int AS people,
              (SELECT count(*) FROM activities)::int AS activities, (SELECT count(*) FROM opportunities)::int AS opportunities`,
    );
    log(`market: ${JSON.stringify(counts)}; ${os.cpus().length} CPUs`);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = Date.now();
      const report = await modelInsights({ db, actor: OPERATOR, month: MONTH, today: TODAY });
      times.push(seconds(started));
      log(
        `run ${i + 1}: ${times.at(-1)!.toFixed(2)} s (run ${report.run.runId}, ${report.signals.length} signals, ` +
          `AUC ${report.auc?.toFixed(3)}, identification ${report.identification_rate?.toFixed(3)}, notes ${report.notes.length})`,
      );
    }
    const med = median(times);
    process.stdout.write(
      `model insights ${MONTH} on PostgreSQL, ${ACCOUNTS.toLocaleString('en-US')} accounts / ${ACTIVITIES.toLocaleString('en-US')} activities: ` +
        `median ${med.toFixed(2)} s of ${RUNS} (${times.map((t) => t.toFixed(2)).join(', ')}); target < 30 s: ${med < 30 ? 'met' : 'NOT met'}\n`,
    );
  } finally {
    await db.close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
