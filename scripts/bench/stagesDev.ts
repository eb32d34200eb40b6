/**
 * The buying stages' cut rules on the development markets (issue 21): does conversion rise
 * through the five stages, and which share of the converting accounts is in Decision or Purchase
 * (the identification rate), with the cuts the engine places (stages.ts fitStageCuts) against
 * the anchored rule alone (anchoredCuts, the rule before the separation rule)?
 *
 * The twelve development markets of `bench:intent-methods` (seeds 6001–6004, 7001–7002 and
 * 6101–6106, the same schemas; until 2026-12-07 the first six only), each scored on three days —
 * 2026-05-05, 2026-06-19 and 2026-08-03 — from the facts before the day, and judged on the
 * relevant opportunities opened in the 90 days after it. The models are trained as a run trains
 * them; both rules cut the same calibrated lifts, so only the stages differ.
 *
 * Whether one day's stages rise is a coin with few tosses: a stage of 10–30 accounts converts a
 * few points higher or lower by chance alone. Beside what happened, each rule's chance of rising:
 * with the accounts in the stages where the rule put them, the share of CHANCE_DRAWS draws of the
 * 90 days' outcomes — each account converting with the generator's own in-market probability on
 * the day (the oracle) — in which every stage converts strictly above the one below.
 *
 *   npm run bench:stages-dev
 *   BENCH_SEEDS=6001,6002 npm run bench:stages-dev
 */
import { applyModels } from '../../server/src/domain/scoring/applyModels';
import { trainIntentModel } from '../../server/src/domain/scoring/intentModel';
import {
  anchoredCuts,
  checkStages,
  stageOfLift,
  stageRank,
  type StageCheck,
  type StageLiftCuts,
} from '../../server/src/domain/scoring/stages';
import { intentProfileFit, trainModels } from '../../server/src/domain/scoring/trainModels';
import { Random } from '../../server/src/domain/demo/random';
import { forEachDevelopmentDay } from './intentDevMarkets';
import { marketTruth, oracleOn, type MarketTruth } from './oracleMarket';

const SEEDS = process.env.BENCH_SEEDS?.split(',').map(Number);
const log = (line: string) => process.stderr.write(`${line}\n`);
const CHANCE_DRAWS = 2000;

interface RuleFigures {
  cuts: StageLiftCuts;
  /** Per stage: accounts (`examples`) and how many opened a relevant opportunity in the 90 days. */
  stages: StageCheck[];
  rising: boolean;
  /** The share of draws of the outcomes, by the oracle's probabilities, in which the stages rise. */
  chance: number;
  identification: number;
}

/** The share of `draws` draws in which every stage's conversion is strictly above the one below's. */
export function chanceOfRising(
  lifts: Float64Array,
  cuts: StageLiftCuts,
  oracle: Float64Array,
  random: Random,
  draws = CHANCE_DRAWS,
): number {
  const stageOf = Uint8Array.from(lifts, (lift) => stageRank(stageOfLift(lift, cuts)));
  const size = new Float64Array(cuts.length + 1);
  for (const s of stageOf) size[s] = (size[s] as number) + 1;
  if (size.some((n) => n === 0)) return 0;
  let rising = 0;
  const conversions = new Float64Array(size.length);
  for (let d = 0; d < draws; d++) {
    conversions.fill(0);
    for (let i = 0; i < stageOf.length; i++)
      if (random.next() < (oracle[i] as number)) {
        const stage = stageOf[i] as number;
        conversions[stage] = (conversions[stage] as number) + 1;
      }
    let ok = true;
    for (let s = 1; s < size.length && ok; s++)
      ok =
        (conversions[s] as number) / (size[s] as number) >
        (conversions[s - 1] as number) / (size[s - 1] as number);
    if (ok) rising++;
  }
  return rising / draws;
}

function judge(
  lifts: Float64Array,
  converted: Uint8Array,
  cuts: StageLiftCuts,
  oracle: Float64Array,
  random: Random,
): RuleFigures {
  const stages = checkStages(lifts, new Float64Array(lifts.length).fill(1), converted, cuts);
  const rising =
    stages.every((s) => s.examples > 0) &&
    stages.every((s, i) => i === 0 || s.conversionRate > (stages[i - 1] as StageCheck).conversionRate);
  const total = stages.reduce((sum, s) => sum + s.conversions, 0);
  const found = (stages[3] as StageCheck).conversions + (stages[4] as StageCheck).conversions;
  return {
    cuts,
    stages,
    rising,
    chance: chanceOfRising(lifts, cuts, oracle, random),
    identification: total === 0 ? NaN : found / total,
  };
}

const row = (f: RuleFigures) =>
  `${f.rising ? 'rising' : '**not rising**'} (chance ${(100 * f.chance).toFixed(0)} %): ${f.stages
    .map((s) => `${(100 * s.conversionRate).toFixed(0)} % (${s.examples})`)
    .join(' / ')}; identification ${(100 * f.identification).toFixed(1)} %`;

async function main() {
  const engine: RuleFigures[] = [];
  const anchored: RuleFigures[] = [];
  console.log('| seed | day | cuts used (rule) | engine | anchored rule alone |');
  console.log('| --- | --- | --- | --- | --- |');
  const truthBySeed = new Map<number, MarketTruth>();
  await forEachDevelopmentDay(SEEDS, log, ({ market, dayIndex, day, asOf, settings, facts, labels }) => {
    const { seed } = market;
    const truth = truthBySeed.get(seed) ?? marketTruth(market);
    truthBySeed.set(seed, truth);
    const models = trainModels(facts, settings);
    const intent = models.intent;
    const history = trainIntentModel(
      facts,
      settings.stageLiftCuts,
      intentProfileFit(facts, models.profile),
    ).stageHistory;
    if (intent === null || history === null) throw new Error(`seed ${seed}, ${day}: no intent model`);
    const lifts = Float64Array.from(
      applyModels(facts, settings, models).accounts,
      (a) => (a.intentProbability ?? 0) / intent.baseRate,
    );
    const byId = oracleOn(truth, asOf.getTime());
    const oracle = Float64Array.from(facts.accounts, (a) => byId.get(a.id) ?? 0);
    // Both rules are judged on the same draws.
    const draws = () => Random.forStream(seed, dayIndex, 'stage outcomes');
    const ours = judge(lifts, labels, intent.stageCuts, oracle, draws());
    const alone = judge(
      lifts,
      labels,
      anchoredCuts(
        history.lifts,
        history.weights,
        history.labels,
        settings.stageLiftCuts,
        history.minConversions,
      ).cuts,
      oracle,
      draws(),
    );
    engine.push(ours);
    anchored.push(alone);
    const rules = models.summaries.intent.stageCutRules ?? [];
    const cuts = intent.stageCuts.map((c, s) => `${c.toFixed(2)} (${rules[s]})`).join(' / ');
    console.log(`| ${seed} | ${day} | ${cuts} | ${row(ours)} | ${row(alone)} |`);
    log(
      `  ${seed} ${day}: engine ${ours.rising ? 'rising' : 'not rising'}, anchored ${alone.rising ? 'rising' : 'not rising'}`,
    );
  });
  const summary = (figures: RuleFigures[]) => {
    const identification = figures.map((f) => f.identification).sort((a, b) => a - b);
    const mid = identification.length >> 1;
    const median =
      identification.length % 2
        ? (identification[mid] as number)
        : ((identification[mid - 1] as number) + (identification[mid] as number)) / 2;
    const chance = figures.reduce((sum, f) => sum + f.chance, 0) / figures.length;
    return `conversion rising on ${figures.filter((f) => f.rising).length} of ${figures.length} (chance of rising, mean ${(100 * chance).toFixed(1)} %), identification median ${(100 * median).toFixed(1)} %`;
  };
  console.log(`\nengine: ${summary(engine)}; anchored rule alone: ${summary(anchored)}`);
}

void main();
