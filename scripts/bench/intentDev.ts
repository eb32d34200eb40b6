/**
 * The intent model on the development markets (issue 21): the engine's intent AUC with and
 * without the profile-fit signals (domain/scoring/intentFeatures.ts), beside the oracle's, and
 * what the signals cost when applying the models. Seeds 6001–6004 and 7001–7002 with the shapes
 * below are the ones changes are developed on; the held-out judgement is
 * `npm run bench:quality-shapes` (seeds 9301–9312), never used while developing.
 *
 * Each market: 3,000 accounts, 21 months of history ending 2026-11-01, imported into PostgreSQL
 * (a schema of its own, reused when it already holds the market), facts read as of 2026-05-05,
 * judged on the relevant opportunities opened in the 90 days after. "Without" trains the intent
 * model alone, as before the signals; "with" trains the three models as a run does.
 *
 *   npm run bench:intent-dev
 *   BENCH_SEEDS=6001,6002 npm run bench:intent-dev
 */
import { applyModels } from '../../server/src/domain/scoring/applyModels';
import type { MarketShape } from '../../server/src/domain/demo';
import {
  intentFitLogits,
  trainIntentModel,
  type IntentModel,
} from '../../server/src/domain/scoring/intentModel';
import { auc } from '../../server/src/domain/scoring/metrics';
import {
  intentProfileFit,
  trainModels,
  type TrainedModels,
} from '../../server/src/domain/scoring/trainModels';
import { readFacts } from '../../server/src/services/scoring/scoreRun';
import { loadScoringSettings } from '../../server/src/services/scoring/settings';
import { BENCH_END, median } from './benchStores';
import { accountsOpening, developmentMarkets, openDevelopmentMarket } from './intentDevMarkets';
import { oracleProbabilities } from './oracleMarket';

const DAY_MS = 86_400_000;
const OUTCOMES_END = new Date(BENCH_END.getTime() - 90 * DAY_MS);
const SCORED_AT = new Date(OUTCOMES_END.getTime() - 90 * DAY_MS);

const SEEDS = process.env.BENCH_SEEDS?.split(',').map(Number);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Minimum CPU milliseconds of `work` over `turns` runs. */
function cpuMs(work: () => void, turns = 9): number {
  let best = Infinity;
  for (let turn = 0; turn < turns; turn++) {
    const started = process.cpuUsage();
    work();
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/** Minimum CPU milliseconds of applying each set of models, the sets taking turns. */
function applyMs(
  facts: Parameters<typeof applyModels>[0],
  settings: Parameters<typeof applyModels>[1],
  sets: TrainedModels[],
) {
  const best = sets.map(() => Infinity);
  for (let turn = 0; turn < 9; turn++)
    sets.forEach((models, i) => {
      const started = process.cpuUsage();
      applyModels(facts, settings, models);
      const used = process.cpuUsage(started);
      best[i] = Math.min(best[i] as number, (used.user + used.system) / 1000);
    });
  return best;
}

interface DevRow {
  seed: number;
  shape: MarketShape;
  converted: number;
  oracleAuc: number;
  withoutAuc: number;
  withAuc: number;
  applyMsWithout: number;
  applyMsWith: number;
  /** CPU ms of the one step applying adds: the profile-fit log-odds the intent model reads. */
  fitSignalMs: number;
  /** CPU ms of training the intent model without and with the signals (one run each). */
  trainMsWithout: number;
  trainMsWith: number;
}

async function main() {
  const rows: DevRow[] = [];
  for (const market of developmentMarkets(SEEDS)) {
    const { seed, shape, accounts, months } = market;
    const db = await openDevelopmentMarket(market, log);
    try {
      const settings = await loadScoringSettings(db);
      const facts = await readFacts(db, SCORED_AT, settings, {});
      const converted = await accountsOpening(db, SCORED_AT, OUTCOMES_END);
      const labels = facts.accounts.map((a) => (converted.has(a.id) ? 1 : 0));
      const oracle = oracleProbabilities({
        seed,
        accounts,
        months,
        shape,
        dayMs: SCORED_AT.getTime(),
      });

      const withSignals = trainModels(facts, settings);
      const withoutSignals: TrainedModels = {
        ...withSignals,
        intent: trainIntentModel(facts, settings.stageLiftCuts).model,
      };
      const intentAuc = (models: TrainedModels) =>
        auc(
          applyModels(facts, settings, models).accounts.map((a) => a.intentProbability ?? 0),
          labels,
        );
      const [withoutMs, withMs] = applyMs(facts, settings, [withoutSignals, withSignals]);
      const row: DevRow = {
        seed,
        shape,
        converted: converted.size,
        oracleAuc: auc(
          facts.accounts.map((a) => oracle.get(a.id) ?? 0),
          labels,
        ),
        withoutAuc: intentAuc(withoutSignals),
        withAuc: intentAuc(withSignals),
        applyMsWithout: withoutMs as number,
        applyMsWith: withMs as number,
        fitSignalMs: cpuMs(() => intentFitLogits(withSignals.intent as IntentModel, facts)),
        trainMsWithout: cpuMs(() => trainIntentModel(facts, settings.stageLiftCuts), 1),
        trainMsWith: cpuMs(
          () => trainIntentModel(facts, settings.stageLiftCuts, intentProfileFit(facts, withSignals.profile)),
          1,
        ),
      };
      log(`  ${JSON.stringify(row)}`);
      rows.push(row);
    } finally {
      await db.close();
    }
  }
  const f = (x: number) => x.toFixed(3);
  console.log(
    '| seed | shape | converted | intent AUC without | with | oracle | share of the gap closed | apply CPU ms without / with | of which the fit signal | intent training CPU s without / with |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `| ${r.seed} | \`${JSON.stringify(r.shape)}\` | ${r.converted} | ${f(r.withoutAuc)} | ${f(r.withAuc)} | ${f(r.oracleAuc)} | ${((r.withAuc - r.withoutAuc) / (r.oracleAuc - r.withoutAuc)).toFixed(2)} | ${r.applyMsWithout.toFixed(0)} / ${r.applyMsWith.toFixed(0)} | ${r.fitSignalMs.toFixed(1)} | ${(r.trainMsWithout / 1000).toFixed(1)} / ${(r.trainMsWith / 1000).toFixed(1)} |`,
    );
  const m = (pick: (r: DevRow) => number) => median(rows.map(pick));
  console.log(
    `\nmedians: without ${f(m((r) => r.withoutAuc))}, with ${f(m((r) => r.withAuc))}, oracle ${f(m((r) => r.oracleAuc))}; share of the gap closed, median over markets ${m((r) => (r.withAuc - r.withoutAuc) / (r.oracleAuc - r.withoutAuc)).toFixed(2)}; apply CPU ms median ${m((r) => r.applyMsWithout).toFixed(0)} → ${m((r) => r.applyMsWith).toFixed(0)}, the fit signal ${m((r) => r.fitSignalMs).toFixed(1)} ms`,
  );
}

void main();
