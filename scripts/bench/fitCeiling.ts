/**
 * How much of the intent model's distance to the oracle the profile-fit estimate accounts for
 * (issue 21): on the development markets, the intent model trained and scored three ways, the
 * same in all but the profile fit it reads —
 *
 *   engine      the engine's own profile fit (what a run does)
 *   learnable   the best the engine's profile features could give: a least-squares fit of the
 *               generator's hidden true-fit log-odds on the engine's 0/1 profile features
 *               (profileFeatures.ts), over all accounts — as if every account's fit were known
 *   true fit    the generator's hidden true-fit log-odds themselves
 *
 * — with, for each, the correlation of the fit it reads with the true-fit log-odds and the intent
 * AUC on the relevant opportunities opened in the 90 days after the day, beside the oracle's.
 * The last two use what no model of the facts can see: they bound what a better fit estimate
 * could give, they are not candidates for the engine.
 *
 * Markets: the twelve development markets of `bench:intent-methods` (seeds 6001–6004,
 * 7001–7002, 6101–6106; scripts/bench/intentDevMarkets.ts), each scored on 2026-05-05,
 * 2026-06-19 and 2026-08-03.
 *
 *   npm run bench:fit-ceiling
 *   BENCH_SEEDS=6001 BENCH_OUT=ceiling.json npm run bench:fit-ceiling
 */
import { writeFileSync } from 'node:fs';
import { trueInMarketProbability } from '../../server/src/domain/demo';
import type { MarketFacts } from '../../server/src/domain/scoring/facts';
import { intentModelInput, intentSignals } from '../../server/src/domain/scoring/intentFeatures';
import {
  fitStandard,
  intentFitLogits,
  intentProbability,
  trainIntentModel,
  type IntentModel,
} from '../../server/src/domain/scoring/intentModel';
import { solveSymmetric } from '../../server/src/domain/scoring/matrix';
import { auc } from '../../server/src/domain/scoring/metrics';
import { profileFeatures, profileVocabulary } from '../../server/src/domain/scoring/profileFeatures';
import { intentProfileFit, trainModels } from '../../server/src/domain/scoring/trainModels';
import { median } from './benchStores';
import { forEachDevelopmentDay } from './intentDevMarkets';
import { marketTruth, type MarketTruth } from './oracleMarket';

const SEEDS = process.env.BENCH_SEEDS?.split(',').map(Number);
const INPUTS = ['engine', 'learnable', 'true fit'] as const;
type Input = (typeof INPUTS)[number];
const log = (line: string) => process.stderr.write(`${line}\n`);

interface MarketDay {
  seed: number;
  day: string;
  converted: number;
  oracle: number;
  /** Per fit input: its correlation with the true-fit log-odds, and the intent AUC. */
  inputs: Record<Input, { correlation: number; auc: number }>;
}

function logit(p: number): number {
  const q = Math.min(1 - 1e-4, Math.max(1e-4, p));
  return Math.log(q / (1 - q));
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += (a[i] as number) / n;
    meanB += (b[i] as number) / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const x = (a[i] as number) - meanA;
    const y = (b[i] as number) - meanB;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Least squares of `target` on an intercept and the accounts' 0/1 profile features (a ridge of 1e-3 keeps it solvable). */
function learnableFit(facts: MarketFacts, target: Float64Array): Float64Array {
  const vocabulary = profileVocabulary(facts.accounts.map((a) => a.profile));
  const d = vocabulary.names.length + 1;
  const gram = new Float64Array(d * d);
  const moment = new Float64Array(d);
  const rows = facts.accounts.map((a) => [0, ...profileFeatures(a.profile, vocabulary).map((j) => j + 1)]);
  rows.forEach((active, i) => {
    for (const j of active) {
      moment[j] = (moment[j] as number) + (target[i] as number);
      for (const k of active) gram[j * d + k] = (gram[j * d + k] as number) + 1;
    }
  });
  for (let j = 0; j < d; j++) gram[j * d + j] = (gram[j * d + j] as number) + 1e-3;
  const beta = solveSymmetric(gram, moment, d);
  return Float64Array.from(rows, (active) => active.reduce((sum, j) => sum + (beta[j] as number), 0));
}

/** The intent probability of every account on the facts' day, with `z` the standardised fit it reads. */
function probabilities(facts: MarketFacts, model: IntentModel, z: Float64Array | null): number[] {
  return facts.accounts.map((_, a) => {
    const signals = intentSignals(
      facts.windows[a]?.[0],
      facts.opportunities[a] ?? [],
      facts.asOfMs,
      model.vocabulary,
      z?.[a] ?? null,
    );
    return intentProbability(model, intentModelInput(signals, model.vocabulary));
  });
}

async function main() {
  const rows: MarketDay[] = [];
  const truthBySeed = new Map<number, MarketTruth>();
  await forEachDevelopmentDay(SEEDS, log, ({ market, day, asOf, settings, facts, labels }) => {
    const truth = truthBySeed.get(market.seed) ?? marketTruth(market);
    truthBySeed.set(market.seed, truth);
    const { truths, knobs } = truth;
    const truthOf = (i: number) => {
      const found = truths.get(facts.accounts[i]?.id as string);
      if (found === undefined) throw new Error(`no truth for account ${facts.accounts[i]?.id}`);
      return found;
    };
    const trueFit = Float64Array.from(facts.accounts, (_, i) => logit(truthOf(i).true_fit));
    const oracle = facts.accounts.map((_, i) => trueInMarketProbability(truthOf(i), asOf.getTime(), knobs));
    const models = trainModels(facts, settings);
    const engineFit = intentProfileFit(facts, models.profile);
    if (engineFit === null) throw new Error(`seed ${market.seed}: no profile-fit model`);
    const row: MarketDay = {
      seed: market.seed,
      day,
      converted: labels.reduce((sum, label) => sum + label, 0),
      oracle: auc(oracle, labels),
      inputs: {} as MarketDay['inputs'],
    };
    const fixed: Record<Exclude<Input, 'engine'>, Float64Array> = {
      learnable: learnableFit(facts, trueFit),
      'true fit': trueFit,
    };
    for (const input of INPUTS) {
      // The truth does not change with the day: every training snapshot reads the same
      // log-odds, standardised over the accounts of its day as the engine's are.
      const profileFit =
        input === 'engine' ? engineFit : { scorer: engineFit.scorer, logitsAsOf: () => fixed[input] };
      const { model } = trainIntentModel(facts, settings.stageLiftCuts, profileFit);
      if (model === null) throw new Error(`seed ${market.seed}: no intent model`);
      let z: Float64Array | null;
      let read: Float64Array;
      if (input === 'engine') {
        z = intentFitLogits(model, facts);
        read = z ?? new Float64Array(facts.accounts.length);
      } else {
        read = fixed[input];
        const { mean, sd } = fitStandard(
          read,
          facts.accounts.map((_, i) => i),
        );
        z = read.map((value) => (value - mean) / sd);
      }
      row.inputs[input] = {
        correlation: correlation(read, trueFit),
        auc: auc(probabilities(facts, model, z), labels),
      };
    }
    log(`  ${JSON.stringify(row)}`);
    rows.push(row);
  });
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, `${JSON.stringify(rows, null, 2)}\n`);
  const f = (x: number) => x.toFixed(3);
  console.log(
    `| seed | day | converted | ${INPUTS.map((i) => `${i}: AUC (correlation)`).join(' | ')} | oracle |`,
  );
  console.log(`| ${Array.from({ length: 4 + INPUTS.length }, () => '---').join(' | ')} |`);
  for (const r of rows)
    console.log(
      `| ${r.seed} | ${r.day} | ${r.converted} | ${INPUTS.map((i) => `${f(r.inputs[i].auc)} (${f(r.inputs[i].correlation)})`).join(' | ')} | ${f(r.oracle)} |`,
    );
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  console.log(`\nover ${rows.length} market-days:`);
  for (const input of INPUTS) {
    const aucs = rows.map((r) => r.inputs[input].auc);
    const closed = rows.map(
      (r) => (r.inputs[input].auc - r.inputs.engine.auc) / (r.oracle - r.inputs.engine.auc),
    );
    console.log(
      `${input}: intent AUC median ${f(median(aucs))}, mean ${f(mean(aucs))}; correlation with the true fit median ${f(median(rows.map((r) => r.inputs[input].correlation)))}; share of the engine's distance to the oracle closed, median ${f(median(closed))}`,
    );
  }
  console.log(
    `oracle: intent AUC median ${f(median(rows.map((r) => r.oracle)))}, mean ${f(mean(rows.map((r) => r.oracle)))}`,
  );
}

void main();
