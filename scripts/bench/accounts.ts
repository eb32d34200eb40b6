/**
 * Accounts list benchmark (issue 7): `GET /api/accounts` (a sorted, filtered page with its count)
 * on PostgreSQL holding 1,000,000 accounts with a complete score run. Target: p95 < 100 ms.
 *
 *   npm run bench:accounts
 *   BENCH_ACCOUNTS_DATABASE_URL   default postgres://postgres@127.0.0.1:5432/signalfit_bench_accounts
 *   BENCH_ACCOUNTS=1000000 BENCH_SECONDS=20 BENCH_CONNECTIONS=10 BENCH_RUNS=3
 *
 * The database is created when missing (trust auth on 127.0.0.1) and filled once with SQL
 * (generate_series): accounts with varied names, domains, industries and sizes, and one complete
 * run whose scores follow the demo market's shape (most accounts at Target/Awareness, few
 * qualified). The scores are synthetic: this measures the list query and its indexes, not the
 * scoring engine (bench:scoring does that). A database already holding the market is reused.
 * The service runs in its own process (`signalfit serve`), as in production; the requests rotate
 * over several sorted, filtered views, each measured separately, BENCH_RUNS times (median kept).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueAccessToken } from '../../server/src/http/auth/accessToken';
import { loadAccessKey } from '../../server/src/http/auth/accessKey';
import type { Db } from '../../server/src/store/db';
import { migrate } from '../../server/src/store/migrate';
import { openPostgres } from '../../server/src/store/postgres';
import { median } from './benchStores';
import { ensureDatabase, measureLoad, ROOT, startService } from './httpLoad';

const URL_ =
  process.env.BENCH_ACCOUNTS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/signalfit_bench_accounts';
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BATCH = 100_000;

/** The views measured: a sorted, filtered first page of 50 with its count, as the Accounts page asks. */
const VIEWS: Record<string, string> = {
  'intent desc, fit Strong+Moderate': '/api/accounts?sort=intent&dir=desc&fit=Strong,Moderate&limit=50',
  'intent desc, qualified': '/api/accounts?sort=intent&dir=desc&qualified=true&limit=50',
  'name asc, stage Decision+Purchase': '/api/accounts?sort=name&dir=asc&stage=Decision,Purchase&limit=50',
  'employees desc, industry Healthcare, fit Strong':
    '/api/accounts?sort=employees&dir=desc&industry=Healthcare&fit=Strong&limit=50',
  'qualified desc, industry Software': '/api/accounts?sort=qualified&dir=desc&industry=Software&limit=50',
  'intent desc, search "acme"': '/api/accounts?sort=intent&dir=desc&q=acme&limit=50',
};

async function main(): Promise<void> {
  await ensureDatabase(URL_);
  const db = await openPostgres({ connectionString: URL_ });
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    database: URL_.replace(/\/\/[^@]*@/, '//'),
    accounts: ACCOUNTS,
    loadAverageAtStart: os.loadavg(),
    cpus: os.cpus().length,
    connections: CONNECTIONS,
    seconds: SECONDS,
    runs: RUNS,
  };
  let token: string;
  try {
    await migrate(db);
    report.loadSeconds = await ensureMarket(db);
    // As autovacuum would have by then: statistics, and the visibility map for index-only scans.
    await db.exec('VACUUM ANALYZE accounts');
    await db.exec('VACUUM ANALYZE account_scores');
    const key = await loadAccessKey(db);
    token = await issueAccessToken(
      {
        orgId: 'bench',
        userId: 'bench',
        name: 'Benchmark',
        email: null,
        perms: [],
        record: null,
        accountId: null,
        role: 'Admin',
      },
      key,
      new Date(),
      3600,
    );
  } finally {
    await db.close();
  }

  const service = await startService(URL_);
  const views: Record<string, unknown> = {};
  try {
    for (const [name, url] of Object.entries(VIEWS)) {
      const first = await fetch(service.url + url, { headers: { authorization: `Bearer ${token}` } });
      const body = (await first.json()) as { count: number; countCapped: boolean; accounts: unknown[] };
      await load(service.url, url, token, 3); // warm-up
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await load(service.url, url, token, SECONDS));
      const p95s = runs.map((r) => r.p95);
      views[name] = {
        url,
        rows: body.accounts.length,
        count: body.countCapped ? `${body.count}+` : body.count,
        p95MedianMs: median(p95s),
        p95Runs: p95s,
        p50MedianMs: median(runs.map((r) => r.p50)),
        requestsPerSecondMedian: median(runs.map((r) => r.requestsPerSecond)),
        non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
      };
      console.log(
        `${name}: p95 ${median(p95s).toFixed(1)} ms (runs ${p95s.map((p) => p.toFixed(1)).join(', ')})`,
      );
    }
  } finally {
    service.stop();
  }
  report.views = views;
  report.loadAverageAtEnd = os.loadavg();
  const out = path.join(ROOT, 'scripts', 'bench', 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'accounts.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
}

/** Fills an empty database with the accounts and one complete run; reuses a filled one. */
async function ensureMarket(db: Db): Promise<number | null> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  const [runs] = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM score_runs WHERE status = 'complete'",
  );
  if (row!.n === ACCOUNTS && runs!.n > 0) return null;
  if (row!.n !== 0) throw new Error(`the database holds ${row!.n} accounts, not ${ACCOUNTS}: drop it first`);
  console.log(`loading ${ACCOUNTS} accounts and their scores…`);
  const started = Date.now();
  const names = `ARRAY['Acme','Globex','Initech','Umbrella','Stark','Wayne','Hooli','Piper','Vandelay','Soylent',
    'Tyrell','Cyberdyne','Wonka','Oceanic','Monarch','Aperture','Mesa','Gringotts','Duff','Nakatomi']`;
  const suffixes = `ARRAY['Cloud','Labs','Health','Systems','Foods','Energy','Bank','Logistics','Media','Retail']`;
  const industries = `ARRAY['Software','Healthcare','Manufacturing','Financial Services','Retail','Education',
    'Energy','Media','Logistics','Telecommunications','Government','Hospitality']`;
  for (let from = 1; from <= ACCOUNTS; from += BATCH) {
    const to = Math.min(ACCOUNTS, from + BATCH - 1);
    await db.exec(
      `INSERT INTO accounts (id, name, domain, industry, employees, annual_revenue, country)
       SELECT 'acct-' || lpad(i::text, 7, '0'),
              (${names})[1 + (i * 7) % 20] || ' ' || (${suffixes})[1 + (i / 20) % 10] || ' ' || i,
              lower((${names})[1 + (i * 7) % 20]) || i || '.example',
              CASE WHEN i % 50 = 0 THEN NULL ELSE (${industries})[1 + (i * 13) % 12] END,
              CASE WHEN i % 40 = 0 THEN NULL ELSE 10 + (i::bigint * 7919) % 50000 END,
              (i::bigint * 104729) % 1000000000,
              (ARRAY['US','GB','DE','FR','CA'])[1 + i % 5]
         FROM generate_series(${from}, ${to}) AS i`,
    );
  }
  const [run] = await db.query<{ id: string }>(
    `INSERT INTO score_runs (as_of, status, finished_at, model_version, accounts, people)
     VALUES (current_date, 'complete', now(), 'bench-synthetic', ${ACCOUNTS}, 0) RETURNING id`,
  );
  for (let from = 1; from <= ACCOUNTS; from += BATCH) {
    const to = Math.min(ACCOUNTS, from + BATCH - 1);
    // h: a per-account pseudo-random number in [0, 1000); stages get rarer towards Purchase.
    await db.exec(
      `INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, profile_score, profile_fit, reach, qualified, qualified_since)
       SELECT ${run!.id}, id, intent, stage, profile, fit, reach,
              fit <> 'Weak' AND stage IN ('Decision', 'Purchase'),
              CASE WHEN fit <> 'Weak' AND stage IN ('Decision', 'Purchase') THEN current_date - (h % 60) END
         FROM (
           SELECT id, h, intent, profile,
                  CASE WHEN intent >= 90 THEN 'Purchase' WHEN intent >= 75 THEN 'Decision'
                       WHEN intent >= 55 THEN 'Consideration' WHEN intent >= 30 THEN 'Awareness' ELSE 'Target' END AS stage,
                  CASE WHEN profile >= 81 THEN 'Strong' WHEN profile >= 50 THEN 'Moderate' ELSE 'Weak' END AS fit,
                  (ARRAY['Low','Medium','High'])[1 + h % 3] AS reach
             FROM (
               SELECT 'acct-' || lpad(i::text, 7, '0') AS id, ((i::bigint * 7919) % 1000)::int AS h,
                      ((i::bigint * 2654435761) % 1000003 % 10000)::int / 100 AS intent,
                      ((i::bigint * 40503) % 1000033 % 10000)::int / 100 AS profile
                 FROM generate_series(${from}, ${to}) AS i
             ) raw
         ) scored`,
    );
  }
  return (Date.now() - started) / 1000;
}

function load(url: string, path_: string, accessToken: string, seconds: number) {
  return measureLoad({ url, paths: [path_], accessToken, connections: CONNECTIONS, seconds });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
