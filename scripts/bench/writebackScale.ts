/**
 * Write-back at a million accounts (issue 17's full path: generated, imported, trained, scored,
 * written back to the Salesforce stand-in). Runs on the store that
 * `BENCH_MARKET=million BENCH_STORES=postgres BENCH_PHASES=first npm run bench:daily-run` leaves:
 * 1,000,000 accounts, 11.85 M people and the first run's scores.
 *
 * Every account and person of the market is made a Salesforce record, as a sync would have left
 * them (every fifth person a lead), in the store (`salesforce_records`) and in the stand-in
 * (server/test/salesforceStandIn, real HTTP on 127.0.0.1 in this process, the same ids). Then,
 * each by the real `signalfit` command in a process of its own (time, peak RSS from
 * /proc/<pid>/status VmHWM, API requests the stand-in received):
 *   1. `writeback salesforce`: the first write-back, every scored record;
 *   2. `score --as-of <next day>`: the next day's run, the active versions applied in parts;
 *   3. `writeback salesforce`: only the rows whose values changed — checked against an
 *      independent count of the rows that differ between the two runs, and against the
 *      stand-in's record of which ids an update job touched twice;
 *   4. `writeback salesforce` again: nothing changed, nothing sent.
 * Afterwards the next day's run and the Salesforce tables are removed, so the store is as before.
 * Before each command the tables it reads are analysed, as autovacuum (off on the development
 * server) would have done after the sync and the run.
 *
 *   npm run bench:writeback-scale
 *   BENCH_SCHEMA      default bench_scale_1m
 *   BENCH_DATABASE_URL default postgres://postgres@127.0.0.1:5432/test
 *
 * Prints one JSON line on stdout; progress on stderr.
 */
import { loadavg } from 'node:os';
import { Pool } from 'pg';
import { startStandIn } from '../../server/test/salesforceStandIn/testing';
import { runSignalfit, schemaUrl, type CommandRun } from './runSignalfit';

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = process.env.BENCH_SCHEMA ?? 'bench_scale_1m';
const SEED_BATCH = 200_000;

const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () => loadavg()[0]!.toFixed(1);

interface Measured extends CommandRun {
  apiCalls: number;
  standInSeconds: number;
}

/** Rows whose written fields differ between two runs (what the second write-back must send). */
async function changedBetween(pool: Pool, before: number, after: number) {
  const [accounts] = (
    await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM account_scores a JOIN account_scores b USING (account_id)
       WHERE a.run_id = $1 AND b.run_id = $2
         AND (a.profile_fit, a.profile_score, a.intent_score, a.buying_stage, a.reach, a.qualified, a.qualified_since)
             IS DISTINCT FROM
             (b.profile_fit, b.profile_score, b.intent_score, b.buying_stage, b.reach, b.qualified, b.qualified_since)`,
      [before, after],
    )
  ).rows;
  const people = (
    await pool.query<{ sobject: string; n: number }>(
      `SELECT r.sobject, count(*)::int AS n FROM contact_scores a JOIN contact_scores b USING (contact_id)
       JOIN salesforce_records r ON r.id = a.contact_id
       WHERE a.run_id = $1 AND b.run_id = $2
         AND (a.engagement_grade, a.engagement_score, a.profile_fit, a.persona)
             IS DISTINCT FROM (b.engagement_grade, b.engagement_score, b.profile_fit, b.persona)
       GROUP BY r.sobject`,
      [before, after],
    )
  ).rows;
  const count = (sobject: string) => people.find((p) => p.sobject === sobject)?.n ?? 0;
  return { Account: accounts?.n ?? 0, Contact: count('Contact'), Lead: count('Lead') };
}

/** The rows sent per object, read from the command's report ("Account  1,000,000 sent: …"). */
function sentByObject(stdout: string): Record<string, number> {
  const sent: Record<string, number> = {};
  for (const match of stdout.matchAll(/^\s*(Account|Contact|Lead)\s+([\d,]+) sent/gm))
    sent[match[1]!] = Number(match[2]!.replaceAll(',', ''));
  return sent;
}

async function main() {
  const pool = new Pool({ connectionString: PG_URL, max: 1, options: `-c search_path=${SCHEMA}` });
  const runs = (
    await pool.query<{ id: number; as_of: string }>(
      "SELECT id, as_of::text AS as_of FROM score_runs WHERE status = 'complete' ORDER BY as_of DESC, id DESC",
    )
  ).rows;
  const firstRun = runs[0];
  if (!firstRun) throw new Error(`no complete run in ${SCHEMA}: run bench:daily-run's first phase`);
  const nextDay = new Date(Date.parse(`${firstRun.as_of}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

  log(`marking ${SCHEMA}'s accounts and people as Salesforce records …`);
  let started = Date.now();
  await pool.query(
    'TRUNCATE salesforce_records, salesforce_written_values, salesforce_writeback_failures, salesforce_writeback_jobs CASCADE',
  );
  await pool.query("INSERT INTO salesforce_records (id, sobject) SELECT id, 'Account' FROM accounts");
  await pool.query(
    `INSERT INTO salesforce_records (id, sobject)
     SELECT id, CASE WHEN abs(hashtext(id)) % 5 = 0 THEN 'Lead' ELSE 'Contact' END FROM contacts`,
  );
  const counts = Object.fromEntries(
    (
      await pool.query<{ sobject: string; n: number }>(
        'SELECT sobject, count(*)::int AS n FROM salesforce_records GROUP BY 1 ORDER BY 1',
      )
    ).rows.map((r) => [r.sobject, r.n]),
  );
  log(`  ${JSON.stringify(counts)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const { standIn, settings } = await startStandIn({ dailyApiLimit: 1_000_000 });
  started = Date.now();
  const at = new Date('2026-09-01T00:00:00Z');
  let after = '';
  for (;;) {
    const batch = (
      await pool.query<{ id: string; sobject: string }>(
        'SELECT id, sobject FROM salesforce_records WHERE id > $1 ORDER BY id LIMIT $2',
        [after, SEED_BATCH],
      )
    ).rows;
    if (batch.length === 0) break;
    for (const record of batch) standIn.insert(record.sobject, { Id: record.id }, at);
    after = batch.at(-1)!.id;
  }
  log(`  the stand-in holds them (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const env = {
    ...process.env,
    DATABASE_URL: schemaUrl(PG_URL, SCHEMA),
    SALESFORCE_LOGIN_URL: settings.loginUrl,
    SALESFORCE_CLIENT_ID: settings.clientId,
    SALESFORCE_USERNAME: settings.username,
    SALESFORCE_PRIVATE_KEY: settings.privateKeyPem,
    LOG_LEVEL: 'silent',
    // The stand-in applies a whole job (200,000 rows into a heap of 12.85 M records) while it
    // answers the request that closes the upload, which takes longer than the default 15 s
    // deadline; Salesforce answers at once and works in the background.
    SIGNALFIT_OUTBOUND_TIMEOUT_MS: '600000',
  };
  // The stand-in's own time applying the jobs (in this process): the command waits for it.
  let standInMs = 0;
  const inner = standIn as unknown as { processIngest: (job: unknown) => void };
  const applyJob = inner.processIngest.bind(standIn);
  inner.processIngest = (job) => {
    const started = Date.now();
    applyJob(job);
    standInMs += Date.now() - started;
  };
  const measured = async (args: string[]): Promise<Measured> => {
    // Autovacuum is off on the development server; in production it would have analysed the
    // tables the sync and the run filled by now (their new rows are ≥ 10 % of each).
    await pool.query('ANALYZE salesforce_records, salesforce_written_values, account_scores, contact_scores');
    standIn.requests.length = 0;
    standInMs = 0;
    const run = await runSignalfit(args, env);
    log(
      `  signalfit ${args.join(' ')}: ${run.seconds.toFixed(1)} s (the stand-in applying jobs ${(standInMs / 1000).toFixed(1)} s of it), ` +
        `peak RSS ${run.peakRssMb} MB, load ${load()}`,
    );
    log(run.stdout.trimEnd().replace(/^/gm, '    '));
    return { ...run, apiCalls: standIn.apiRequests().length, standInSeconds: standInMs / 1000 };
  };

  let secondRun: number | null = null;
  try {
    const first = await measured(['writeback', 'salesforce']);
    const updatedOnce = standIn.ingestUpdates.size;
    const score = await measured(['score', '--as-of', nextDay]);
    secondRun = (
      await pool.query<{ id: number }>(
        "SELECT id FROM score_runs WHERE status = 'complete' ORDER BY as_of DESC, id DESC LIMIT 1",
      )
    ).rows[0]!.id;
    const changed = await changedBetween(pool, firstRun.id, secondRun);
    const delta = await measured(['writeback', 'salesforce']);
    const updatedTwice = [...standIn.ingestUpdates.values()].filter((n) => n === 2).length;
    const updatedMore = [...standIn.ingestUpdates.values()].filter((n) => n > 2).length;
    const unchanged = await measured(['writeback', 'salesforce']);
    const records = Object.values(counts).reduce((a, b) => a + b, 0);
    const changedRows = changed.Account + changed.Contact + changed.Lead;
    const summary = {
      schema: SCHEMA,
      records: counts,
      firstRun: firstRun.as_of,
      nextDay,
      first: { ...first, stdout: undefined, sent: sentByObject(first.stdout), recordsUpdated: updatedOnce },
      score: { ...score, stdout: undefined },
      delta: {
        ...delta,
        stdout: undefined,
        sent: sentByObject(delta.stdout),
        changedBetweenRuns: changed,
        recordsUpdatedTwice: updatedTwice,
        recordsUpdatedMoreThanTwice: updatedMore,
      },
      unchanged: { ...unchanged, stdout: undefined, sent: sentByObject(unchanged.stdout) },
      checks: {
        firstSentEveryRecord: updatedOnce === records,
        deltaSentExactlyTheChangedRows: updatedTwice === changedRows && updatedMore === 0,
        unchangedSentNothing: Object.values(sentByObject(unchanged.stdout)).every((n) => n === 0),
      },
      loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2))),
    };
    log(`  checks: ${JSON.stringify(summary.checks)}`);
    console.log(JSON.stringify(summary));
  } finally {
    await standIn.close();
    if (secondRun !== null) await pool.query('DELETE FROM score_runs WHERE id = $1', [secondRun]);
    await pool.query(
      'TRUNCATE salesforce_records, salesforce_written_values, salesforce_writeback_failures, salesforce_writeback_jobs CASCADE',
    );
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
