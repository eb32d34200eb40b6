/**
 * The model commands at a million accounts (issue 17): on the store that
 * `BENCH_MARKET=million BENCH_STORES=postgres BENCH_PHASES=first npm run bench:daily-run` leaves
 * (1,000,000 accounts, 11.85 M people, 103 M activities, the first run's versions active and its
 * run current), each by the real `signalfit` command in a process of its own, timed, with its
 * peak RSS (runSignalfit.ts):
 *   1. `models train --as-of <BENCH_END>`: a candidate, trained on the 100,000-account sample;
 *   2. `models compare --json`: the candidate against the active versions, the market read in
 *      parts on each of the six sampled days and on the current run's day;
 *   3. `models compare --json` again: the kept comparison;
 *   4. `backtest --as-of <BENCH_END> --json`: trains as of 90 days before, applies in parts;
 *   5. `models reject`: the candidate rejected, so the store's active versions stay as they were.
 *
 *   npm run bench:models-scale
 *   BENCH_SCHEMA       default bench_scale_1m
 *   BENCH_DATABASE_URL default postgres://postgres@127.0.0.1:5432/test
 *
 * Prints one JSON line on stdout; progress on stderr.
 */
import { loadavg } from 'node:os';
import { BENCH_END, PG_URL } from './benchStores';
import { runSignalfit, schemaUrl, type CommandRun } from './runSignalfit';

const SCHEMA = process.env.BENCH_SCHEMA ?? 'bench_scale_1m';
const DAY = BENCH_END.toISOString().slice(0, 10);

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main() {
  const env = { ...process.env, DATABASE_URL: schemaUrl(PG_URL, SCHEMA), LOG_LEVEL: 'silent' };
  const results: Record<string, Omit<CommandRun, 'stdout'> & { loadAverage: number }> = {};
  const outputs: Record<string, string> = {};
  const measured = async (name: string, args: string[]) => {
    const run = await runSignalfit(args, env);
    const loadAverage = Number(loadavg()[0]!.toFixed(1));
    log(
      `signalfit ${args.join(' ')}: ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMb} MB, load ${loadAverage}`,
    );
    results[name] = { seconds: run.seconds, peakRssMb: run.peakRssMb, loadAverage };
    outputs[name] = run.stdout;
    return run.stdout;
  };
  await measured('train', ['models', 'train', '--as-of', DAY]);
  log(outputs.train!.trimEnd().replace(/^/gm, '  '));
  try {
    const comparison = JSON.parse(await measured('compare', ['models', 'compare', '--json'])) as {
      metrics: { backtest: { accounts: number; converters: number } };
      qualified_impact: Record<string, unknown>;
      transitions: { stage: Record<string, Record<string, number>> };
    };
    const transitions = Object.values(comparison.transitions.stage)
      .flatMap((row) => Object.values(row))
      .reduce((sum, n) => sum + n, 0);
    log(
      `  backtest population ${JSON.stringify(comparison.metrics.backtest)}; accounts in the stage transitions ${transitions}; ` +
        `qualified impact ${JSON.stringify(comparison.qualified_impact)}`,
    );
    await measured('compareKept', ['models', 'compare', '--json']);
    const backtest = JSON.parse(await measured('backtest', ['backtest', '--as-of', DAY, '--json'])) as Record<
      string,
      unknown
    >;
    log(
      `  backtest: ${JSON.stringify({ accounts: backtest.accounts, converted: backtest.converted, intentAuc: backtest.intentAuc, identificationRate: backtest.identificationRate })}`,
    );
    console.log(
      JSON.stringify({
        schema: SCHEMA,
        day: DAY,
        results,
        compare: {
          backtest: comparison.metrics.backtest,
          transitionAccounts: transitions,
          qualifiedImpact: comparison.qualified_impact,
        },
        backtest: {
          accounts: backtest.accounts,
          converted: backtest.converted,
          intentAuc: backtest.intentAuc,
          identificationRate: backtest.identificationRate,
        },
      }),
    );
  } finally {
    await runSignalfit(['models', 'reject'], env);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
