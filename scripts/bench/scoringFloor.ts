/**
 * How low a full scoring run could go on PostgreSQL, against the plain scan (issue: scoring
 * engine, "≤ 3× the plain scan"). On the 100,000-account scoring market, measured in one run:
 *
 *   scan        SELECT account_id, count(*) FROM activities GROUP BY 1 — the reference, and also
 *               the least any run that reads the activities can cost
 *   write floor the rows of one real run (100,000 accounts, 1,185,170 people) loaded by COPY into
 *               tables with the same columns and no index, constraint or trigger: the least any
 *               run that stores every account's and person's score can cost (the CSV is built
 *               before the clock starts, so Node's share is not counted either)
 *   model       the model phase of that run (features, three models fitted and chosen, scores
 *               and reasons), for scale
 *
 * scan + write floor is what is left of 3 × scan for everything else.
 *
 *   npm run bench:scoring-floor            # BENCH_RUNS=3 by default
 */
import { loadavg } from 'node:os';
import { computeScores } from '../../server/src/services/scoring/scoreRun';
import { storeScores } from '../../server/src/services/scoring/scoreStore';
import type { Db } from '../../server/src/store/db';
import { BENCH_END, median, postgresMarket, SCORING_MARKETS } from './benchStores';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function csvOf(db: Db, select: string): Promise<string> {
  const decoder = new TextDecoder();
  let csv = '';
  for await (const chunk of db.copyOut(select, 'csv')) csv += decoder.decode(chunk, { stream: true });
  // Drop the header line: COPY FROM below takes bare rows.
  return csv.slice(csv.indexOf('\n') + 1);
}

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await work();
  return (Date.now() - started) / 1000;
}

async function main(): Promise<void> {
  const db = await postgresMarket('bench_scoring_100k', SCORING_MARKETS.postgres, log);
  try {
    const asOf = BENCH_END.toISOString().slice(0, 10);
    const { scores, timings } = await computeScores(db, BENCH_END);
    const { runId } = await storeScores(db, asOf, scores);
    const tables = ['account_scores', 'contact_scores'] as const;
    const columns: Record<string, string[]> = {};
    const rows: Record<string, string> = {};
    for (const table of tables) {
      const names = await db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()
          AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      columns[table] = names.map((c) => c.column_name);
      rows[table] = await csvOf(db, `SELECT * FROM ${table} WHERE run_id = ${runId}`);
    }
    await db.run('DELETE FROM score_runs WHERE id = $1', [runId]);
    await db.exec('VACUUM account_scores, contact_scores, score_reason_sets, score_runs');

    const scans: number[] = [];
    const writes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      scans.push(await seconds(() => db.query('SELECT account_id, count(*) FROM activities GROUP BY 1')));
      writes.push(
        await seconds(() =>
          db.transaction(async (tx) => {
            for (const table of tables) {
              await tx.exec(`CREATE TEMP TABLE floor_${table} (LIKE ${table}) ON COMMIT DROP`);
              await tx.copyCsv(`floor_${table}`, columns[table] as string[], rows[table] as string);
            }
          }),
        ),
      );
      log(
        `  run ${run + 1}: scan ${scans.at(-1)?.toFixed(2)} s, write floor ${writes.at(-1)?.toFixed(2)} s (load ${loadavg()[0]?.toFixed(1)})`,
      );
    }
    const scan = median(scans);
    const write = median(writes);
    console.log(
      JSON.stringify({
        accounts: scores.accounts.length,
        people: scores.people.length,
        scanSeconds: scan,
        writeFloorSeconds: write,
        modelSeconds: timings.modelMs / 1000,
        readSeconds: timings.readMs / 1000,
        floorRatio: (scan + write) / scan,
        leftOfThreeScansSeconds: 3 * scan - scan - write,
        loadAverage: loadavg()[0],
      }),
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
