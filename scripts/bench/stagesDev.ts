/**
 * The buying stages' cut rules on the development markets (issue 21): does conversion rise
 * through the five stages, and which share of the converting accounts is in Decision or Purchase
 * (the identification rate), with the cuts the engine places (stages.ts fitStageCuts) against
 * the anchored rule alone (anchoredCuts, the rule before the separation rule)?
 *
 * The markets of `bench:intent-dev` (seeds 6001–6004 and 7001–7002, the same schemas), each
 * scored on three days — 2026-05-05, 2026-06-19 and 2026-08-03 — from the facts before the day,
 * and judged on the relevant opportunities opened in the 90 days after it. The models are
 * trained as a run trains them; both rules cut the same calibrated lifts, so only the stages
 * differ.
 *
 *   npm run bench:stages-dev
 *   BENCH_SEEDS=6001,6002 npm run bench:stages-dev
 */
import { applyModels } from '../../server/src/domain/scoring/applyModels';
import { trainIntentModel } from '../../server/src/domain/scoring/intentModel';
import {
  anchoredCuts,
  checkStages,
  type StageCheck,
  type StageLiftCuts,
} from '../../server/src/domain/scoring/stages';
import { intentProfileFit, trainModels } from '../../server/src/domain/scoring/trainModels';
import { readFacts } from '../../server/src/services/scoring/scoreRun';
import { loadScoringSettings } from '../../server/src/services/scoring/settings';
import { accountsOpening, developmentMarkets, openDevelopmentMarket } from './intentDevMarkets';

const DAY_MS = 86_400_000;
const DAYS = ['2026-05-05', '2026-06-19', '2026-08-03'];
const SEEDS = process.env.BENCH_SEEDS?.split(',').map(Number);
const log = (line: string) => process.stderr.write(`${line}\n`);

interface RuleFigures {
  cuts: StageLiftCuts;
  /** Per stage: accounts (`examples`) and how many opened a relevant opportunity in the 90 days. */
  stages: StageCheck[];
  rising: boolean;
  identification: number;
}

function judge(lifts: Float64Array, converted: Uint8Array, cuts: StageLiftCuts): RuleFigures {
  const stages = checkStages(lifts, new Float64Array(lifts.length).fill(1), converted, cuts);
  const rising =
    stages.every((s) => s.examples > 0) &&
    stages.every((s, i) => i === 0 || s.conversionRate > (stages[i - 1] as StageCheck).conversionRate);
  const total = stages.reduce((sum, s) => sum + s.conversions, 0);
  const found = (stages[3] as StageCheck).conversions + (stages[4] as StageCheck).conversions;
  return { cuts, stages, rising, identification: total === 0 ? NaN : found / total };
}

const row = (f: RuleFigures) =>
  `${f.rising ? 'rising' : '**not rising**'}: ${f.stages
    .map((s) => `${(100 * s.conversionRate).toFixed(0)} % (${s.examples})`)
    .join(' / ')}; identification ${(100 * f.identification).toFixed(1)} %`;

async function main() {
  const engine: RuleFigures[] = [];
  const anchored: RuleFigures[] = [];
  console.log('| seed | day | cuts used (rule) | engine | anchored rule alone |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const market of developmentMarkets(SEEDS)) {
    const { seed } = market;
    const db = await openDevelopmentMarket(market, log);
    try {
      const settings = await loadScoringSettings(db);
      for (const day of DAYS) {
        const asOf = new Date(`${day}T00:00:00Z`);
        const facts = await readFacts(db, asOf, settings, {});
        const opened = await accountsOpening(db, asOf, new Date(asOf.getTime() + 90 * DAY_MS));
        const converted = Uint8Array.from(facts.accounts, (a) => (opened.has(a.id) ? 1 : 0));
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
        const ours = judge(lifts, converted, intent.stageCuts);
        const alone = judge(
          lifts,
          converted,
          anchoredCuts(
            history.lifts,
            history.weights,
            history.labels,
            settings.stageLiftCuts,
            history.minConversions,
          ).cuts,
        );
        engine.push(ours);
        anchored.push(alone);
        const rules = models.summaries.intent.stageCutRules ?? [];
        const cuts = intent.stageCuts.map((c, s) => `${c.toFixed(2)} (${rules[s]})`).join(' / ');
        console.log(`| ${seed} | ${day} | ${cuts} | ${row(ours)} | ${row(alone)} |`);
        log(
          `  ${seed} ${day}: engine ${ours.rising ? 'rising' : 'not rising'}, anchored ${alone.rising ? 'rising' : 'not rising'}`,
        );
      }
    } finally {
      await db.close();
    }
  }
  const summary = (figures: RuleFigures[]) => {
    const identification = figures.map((f) => f.identification).sort((a, b) => a - b);
    const mid = identification.length >> 1;
    const median =
      identification.length % 2
        ? (identification[mid] as number)
        : ((identification[mid - 1] as number) + (identification[mid] as number)) / 2;
    return `conversion rising on ${figures.filter((f) => f.rising).length} of ${figures.length}, identification median ${(100 * median).toFixed(1)} %`;
  };
  console.log(`\nengine: ${summary(engine)}; anchored rule alone: ${summary(anchored)}`);
}

void main();
