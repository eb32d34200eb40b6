/**
 * The intent model's candidate methods on twelve development markets and three scoring days each
 * (issue 21): for every method the engine can choose from (modelSelection.ts METHODS), its
 * out-of-fold AUC in training and its intent AUC on the 90 days after the day, beside the oracle;
 * and what the engine's choice by the folds gives. Thirty-six market-days rather than the six of
 * `bench:intent-dev`, because two methods' AUCs on one market and day differ by ±0.01–0.03 by
 * chance alone. (At d9f7ff7 it also held boosted trees, and the choice with and without them:
 * scripts/bench/RESULTS.md.)
 *
 * Markets: seeds 6001–6004, 7001–7002 and 6101–6106 (scripts/bench/intentDevMarkets.ts), 3,000
 * accounts, 21 months ending 2026-11-01, each in its PostgreSQL schema `lab_<seed>` (built when
 * missing); scored on 2026-05-05, 2026-06-19 and 2026-08-03 from the facts before the day. The
 * held-out judgement stays `npm run bench:quality-shapes`.
 *
 *   npm run bench:intent-methods
 *   BENCH_SEEDS=6001,6101 BENCH_OUT=methods.json npm run bench:intent-methods
 */
import { writeFileSync } from 'node:fs';
import { applyModels } from '../../server/src/domain/scoring/applyModels';
import { trainIntentModel } from '../../server/src/domain/scoring/intentModel';
import { auc } from '../../server/src/domain/scoring/metrics';
import { METHODS, type ModelKind } from '../../server/src/domain/scoring/modelSelection';
import { intentProfileFit, trainModels } from '../../server/src/domain/scoring/trainModels';
import { median } from './benchStores';
import { forEachDevelopmentDay } from './intentDevMarkets';
import { oracleProbabilities } from './oracleMarket';

const SEEDS = process.env.BENCH_SEEDS?.split(',').map(Number);
const log = (line: string) => process.stderr.write(`${line}\n`);

interface MarketDay {
  seed: number;
  day: string;
  converted: number;
  oracle: number;
  /** Per method: out-of-fold AUC in training, and the intent AUC on the 90 days after the day. */
  methods: Partial<Record<ModelKind, { oof: number; test: number }>>;
}

/** The method the folds choose: the highest out-of-fold AUC, the first on a tie. */
function chosen(row: MarketDay): ModelKind {
  return (METHODS as readonly ModelKind[]).reduce((a, b) =>
    (row.methods[b]?.oof ?? NaN) > (row.methods[a]?.oof ?? NaN) ? b : a,
  );
}

async function main() {
  const rows: MarketDay[] = [];
  await forEachDevelopmentDay(SEEDS, log, ({ market, day, asOf, settings, facts, labels }) => {
    const oracle = oracleProbabilities({ ...market, dayMs: asOf.getTime() });
    const models = trainModels(facts, settings);
    const fitSignals = intentProfileFit(facts, models.profile);
    const row: MarketDay = {
      seed: market.seed,
      day,
      converted: labels.reduce((sum, label) => sum + label, 0),
      oracle: auc(
        facts.accounts.map((a) => oracle.get(a.id) ?? 0),
        labels,
      ),
      methods: {},
    };
    for (const method of METHODS) {
      const trained = trainIntentModel(facts, settings.stageLiftCuts, fitSignals, [method]);
      const scored = applyModels(facts, settings, { ...models, intent: trained.model }).accounts;
      row.methods[method] = {
        oof: trained.summary.validationAuc?.[method] ?? NaN,
        test: auc(
          scored.map((a) => a.intentProbability ?? 0),
          labels,
        ),
      };
    }
    log(`  ${JSON.stringify(row)}`);
    rows.push(row);
  });
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, `${JSON.stringify(rows, null, 2)}\n`);
  const f = (x: number) => x.toFixed(3);
  console.log(
    `| seed | day | converted | ${METHODS.map((m) => `${m} (out of fold)`).join(' | ')} | chosen | oracle |`,
  );
  console.log(`| ${Array.from({ length: 5 + METHODS.length }, () => '---').join(' | ')} |`);
  for (const r of rows)
    console.log(
      `| ${r.seed} | ${r.day} | ${r.converted} | ${METHODS.map((m) => `${f(r.methods[m]?.test ?? NaN)} (${f(r.methods[m]?.oof ?? NaN)})`).join(' | ')} | ${f(r.methods[chosen(r)]?.test ?? NaN)} (${chosen(r)}) | ${f(r.oracle)} |`,
    );
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const summary = (name: string, pick: (r: MarketDay) => number) =>
    console.log(`${name}: intent AUC median ${f(median(rows.map(pick)))}, mean ${f(mean(rows.map(pick)))}`);
  console.log(`\nover ${rows.length} market-days:`);
  for (const method of METHODS) summary(method, (r) => r.methods[method]?.test ?? NaN);
  summary('chosen', (r) => r.methods[chosen(r)]?.test ?? NaN);
  summary('oracle', (r) => r.oracle);
}

void main();
