/**
 * Segment benchmark (issue 14): on PostgreSQL,
 * 1. 1,000,000 accounts with a complete score run: a five-condition segment's live count and its
 *    first page of members through listAccounts (the recorded member array of the current run);
 *    targets: count < 2 s, first page p95 < 200 ms over ≥ 20 requests;
 * 2. a score run of 100,000 accounts (the bench:scoring market) with and without 50 segments to
 *    record; target: the segments add ≤ 10 % (medians of alternating runs).
 *
 *   npm run bench:segments
 *   TEST_DATABASE_URL   default postgres://postgres@127.0.0.1:5432/test (schemas bench_segments_1m
 *                       and bench_scoring_100k, built once and reused; BENCH_FRESH=1 rebuilds)
 *   BENCH_PARTS=members,record   BENCH_REQUESTS=25   BENCH_RUNS=3
 *
 * The 1M market is made by set-based SQL (generate_series) in under a minute: accounts with
 * varied industries, sizes, countries and technologies, synthetic scores of one complete run, and
 * about 1.5 web visits per account in the 60 days before the run. It measures the segment
 * queries, not the scoring engine.
 */
import os from 'node:os';
import type { Definition } from '../../server/src/domain/segments/definition';
import { listAccounts } from '../../server/src/services/accounts/listAccounts';
import { createMatchCounter } from '../../server/src/services/accounts/matchCounts';
import { findRun } from '../../server/src/services/scoring/currentRun';
import { scoreStore } from '../../server/src/services/scoring/scoreStore';
import {
  previewSegment,
  recordAllMemberships,
  recordSegmentMembership,
} from '../../server/src/services/segments/membership';
import type { Db } from '../../server/src/store/db';
import { migrate } from '../../server/src/store/migrate';
import { openPostgres } from '../../server/src/store/postgres';
import { BENCH_END, fiftySegments, median, postgresMarket, SCORING_MARKETS } from './benchStores';

const URL_ = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ACCOUNTS = 1_000_000;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 25);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PARTS = (process.env.BENCH_PARTS ?? 'members,record').split(',');
const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (started: number) => (Date.now() - started) / 1000;

/** The five-condition segment measured on 1M accounts (about 1 % of them). */
const FIVE_CONDITIONS: Definition = {
  all: [
    { field: 'industry', op: 'in', value: ['Software', 'Finance'] },
    { field: 'employees', op: 'gte', value: 1000 },
    { field: 'profile_fit', op: 'gte', value: 'Moderate' },
    { field: 'intent_score', op: 'gte', value: 40 },
    { field: 'activity', type: ['web_visit'], within_days: 30, op: 'gte', value: 2 },
  ],
};
/** A large segment (about 20 %) and a small one (a few hundred): the two lookup shapes of the list. */
const LARGE: Definition = { field: 'profile_fit', op: 'eq', value: 'Strong' };
const SMALL: Definition = {
  all: [
    { field: 'country', op: 'eq', value: 'DE' },
    { field: 'buying_stage', op: 'eq', value: 'Purchase' },
    { field: 'technologies', op: 'has_all', value: ['aws', 'snowflake'] },
  ],
};

async function fillMillion(db: Db): Promise<void> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  if (row?.n === ACCOUNTS && !process.env.BENCH_FRESH) return;
  const started = Date.now();
  await db.exec('TRUNCATE accounts, contacts, opportunities, activities, score_runs, segments CASCADE');
  await db.exec(`
    INSERT INTO accounts (id, name, domain, industry, employees, annual_revenue, country, technologies, created_at)
    SELECT 'acc-' || lpad(i::text, 7, '0'), 'Company ' || i, 'company' || i || '.example',
           (ARRAY['Software','Finance','Healthcare','Manufacturing','Retail','Education','Energy','Media'])[1 + (i * 7) % 8],
           10 + (i::bigint * 7919) % 20000, ((i::bigint * 104729) % 500000000)::numeric,
           (ARRAY['US','GB','DE','FR','CA','AU'])[1 + (i * 13) % 6],
           CASE i % 5 WHEN 0 THEN ARRAY['Salesforce','AWS'] WHEN 1 THEN ARRAY['SAP'] WHEN 2 THEN ARRAY['AWS','Snowflake']
                      WHEN 3 THEN '{}'::text[] ELSE ARRAY['HubSpot'] END,
           timestamptz '2018-01-01' + (i % 2500) * interval '1 day'
      FROM generate_series(1, ${ACCOUNTS}) i`);
  await db.exec(`
    INSERT INTO score_runs (id, as_of, status, finished_at, model_version, accounts, people)
    VALUES (1, DATE '2026-11-01', 'complete', now(), 'bench', ${ACCOUNTS}, 0)`);
  await db.exec(`SELECT setval('score_runs_id_seq', 1)`);
  await db.exec(`
    INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, profile_score, profile_fit, reach, qualified, qualified_since)
    SELECT 1, id, intent,
           CASE WHEN intent >= 90 THEN 'Purchase' WHEN intent >= 75 THEN 'Decision' WHEN intent >= 55 THEN 'Consideration'
                WHEN intent >= 30 THEN 'Awareness' ELSE 'Target' END,
           fit, CASE WHEN fit >= 81 THEN 'Strong' WHEN fit >= 50 THEN 'Moderate' ELSE 'Weak' END,
           (ARRAY['Low','Medium','High'])[1 + i % 3],
           fit >= 50 AND intent >= 75, CASE WHEN fit >= 50 AND intent >= 75 THEN DATE '2026-10-01' END
      FROM (SELECT 'acc-' || lpad(i::text, 7, '0') AS id, i, (i * 31) % 101 AS intent, (i * 17) % 101 AS fit
              FROM generate_series(1, ${ACCOUNTS}) i) g`);
  await db.exec(`
    INSERT INTO activities (id, occurred_at, account_id, type, url)
    SELECT 'v-' || i || '-' || j, timestamptz '2026-11-01' - ((i * j * 37) % 60 + 1) * interval '1 day',
           'acc-' || lpad(i::text, 7, '0'), 'web_visit', '/pricing'
      FROM generate_series(1, ${ACCOUNTS}) i, generate_series(1, i % 4) j`);
  await db.exec('VACUUM ANALYZE');
  log(`  made 1M accounts, their scores and visits in ${seconds(started).toFixed(0)} s`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function saveSegment(db: Db, name: string, definition: Definition): Promise<number> {
  await db.run('DELETE FROM segments WHERE name = $1', [name]);
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO segments (name, kind, definition) VALUES ($1, 'filter', $2::jsonb) RETURNING id`,
    [name, JSON.stringify(definition)],
  );
  return Number(row?.id);
}

async function measureMembers(): Promise<Record<string, unknown>> {
  const db = await openPostgres({ connectionString: URL_, schema: 'bench_segments_1m' });
  try {
    await migrate(db);
    await fillMillion(db);
    const run = await findRun(db);
    const result: Record<string, unknown> = {};
    // The live count of the builder (preview: count and first 50, nothing stored).
    const counts: number[] = [];
    let count = 0;
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      count = (await previewSegment(db, { definition: FIVE_CONDITIONS })).count;
      counts.push(seconds(started));
    }
    result.fiveConditions = { members: count, previewSecondsMedian: median(counts), previewSeconds: counts };
    log(
      `  five conditions: ${count} members, live count + first 50 in ${median(counts).toFixed(2)} s (median of 5)`,
    );

    const counter = createMatchCounter();
    for (const [name, definition] of Object.entries({ five: FIVE_CONDITIONS, large: LARGE, small: SMALL })) {
      const id = await saveSegment(db, `bench ${name}`, definition);
      let started = Date.now();
      const members = await recordSegmentMembership(db, id);
      const recordSeconds = seconds(started);
      const times: number[] = [];
      for (let i = 0; i < REQUESTS + 3; i++) {
        started = Date.now();
        const page = await listAccounts({
          db,
          runId: run?.id ?? null,
          sort: 'intent',
          dir: 'desc',
          filters: { segmentId: id },
          limit: 50,
          counter,
        });
        if (i >= 3) times.push(Date.now() - started); // 3 warm-up requests
        if (page.accounts.length !== Math.min(50, members))
          throw new Error(`page of ${page.accounts.length}`);
      }
      result[`firstPage_${name}`] = {
        members,
        recordSeconds,
        requests: times.length,
        p50Ms: percentile(times, 50),
        p95Ms: percentile(times, 95),
      };
      log(
        `  ${name}: ${members} members recorded in ${recordSeconds.toFixed(2)} s; first page p50 ${percentile(times, 50)} ms, p95 ${percentile(times, 95)} ms over ${times.length}`,
      );
    }
    return result;
  } finally {
    await db.close();
  }
}

async function measureRecord(): Promise<Record<string, unknown>> {
  const db = await postgresMarket('bench_scoring_100k', SCORING_MARKETS.postgres, log);
  try {
    await db.exec('TRUNCATE segments CASCADE');
    const without: number[] = [];
    const withSegments: number[] = [];
    const recordOnly: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const segmented of [false, true]) {
        await db.exec('TRUNCATE segments CASCADE');
        if (segmented) {
          for (const s of fiftySegments()) {
            await db.run('INSERT INTO segments (name, kind, definition) VALUES ($1, $2, $3::jsonb)', [
              s.name,
              s.kind,
              JSON.stringify(s.definition),
            ]);
          }
        }
        const started = Date.now();
        const result = await scoreStore(db, { asOf: BENCH_END });
        const total = seconds(started);
        (segmented ? withSegments : without).push(total);
        if (segmented) {
          // The recording alone, again on the run just written (less noisy than the difference of
          // two whole runs on a shared machine).
          const recordStarted = Date.now();
          await db.transaction((tx) => recordAllMemberships(tx, result.runId));
          recordOnly.push(seconds(recordStarted));
          log(`    recording the 50 segments alone: ${recordOnly.at(-1)?.toFixed(2)} s`);
        }
        const [recorded] = await db.query<{ n: number; members: number }>(
          'SELECT count(*)::int AS n, coalesce(sum(members), 0)::int AS members FROM segment_run_members WHERE run_id = $1',
          [result.runId],
        );
        log(
          `  run ${run + 1} ${segmented ? 'with 50 segments' : 'without segments'}: ${total.toFixed(1)} s` +
            ` (${recorded?.n} segments recorded, ${recorded?.members} memberships; load ${os.loadavg()[0]?.toFixed(1)})`,
        );
        await db.run('DELETE FROM score_runs WHERE id = $1', [result.runId]);
        await db.exec(
          'VACUUM account_scores, contact_scores, score_reason_sets, score_runs, segment_run_members',
        );
      }
    }
    const ratio = median(withSegments) / median(without);
    const share = (median(recordOnly) / median(without)) * 100;
    log(
      `  recording alone: median ${median(recordOnly).toFixed(2)} s = ${share.toFixed(1)} % of a run without segments`,
    );
    log(
      `  medians: without ${median(without).toFixed(1)} s, with ${median(withSegments).toFixed(1)} s: +${((ratio - 1) * 100).toFixed(1)} %`,
    );
    return {
      accounts: SCORING_MARKETS.postgres.accounts,
      withoutSeconds: without,
      withSeconds: withSegments,
      withoutMedian: median(without),
      withMedian: median(withSegments),
      addedPercent: (ratio - 1) * 100,
      recordSeconds: recordOnly,
      recordMedian: median(recordOnly),
      recordPercentOfRunWithout: (median(recordOnly) / median(without)) * 100,
    };
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    loadAverageAtStart: os.loadavg(),
  };
  if (PARTS.includes('members')) {
    log('1,000,000 accounts: five-condition segment');
    report.members = await measureMembers();
  }
  if (PARTS.includes('record')) {
    log('score run of 100,000 accounts with and without 50 segments');
    report.record = await measureRecord();
  }
  report.loadAverageAtEnd = os.loadavg();
  console.log(JSON.stringify(report, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
