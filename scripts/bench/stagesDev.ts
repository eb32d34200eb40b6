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
  stageOfLift,
  stageRank,
  type StageLiftCuts,
} from '../../server/src/domain/scoring/stages';
import { intentProfileFit, trainModels } from '../../server/src/domain/scoring/trainModels';
import { BUYING_STAGES } from '../../server/src/domain/vocabulary';
import { readFacts } from '../../server/src/services/scoring/scoreRun';
import { loadScoringSettings } from '../../server/src/services/scoring/settings';
import { accountsOpening, developmentMarkets, openDevelopmentMarket } from './intentDevMarkets';

const DAY_MS = 86_400_000;
const DAYS = ['2026-05-05', '2026-06-19', '2026-08-03'];
const SEEDS = process.env.BENCH_SEEDS?.split(',').map(Number);
const log = (line: string) => process.stderr.write(`${line}\n`);

interface RuleFigures {
  cuts: StageLiftCuts;
  /** Per stage: accounts, and how many of them opened a relevant opportunity in the 90 days. */
  accounts: number[];
  converted: number[];
  rising: boolean;
  identification: number;
}

function judge(lifts: Float64Array, converted: Uint8Array, cuts: StageLiftCuts): RuleFigures {
  const accounts = BUYING_STAGES.map(() => 0);
  const conversions = BUYING_STAGES.map(() => 0);
  lifts.forEach((lift, i) => {
    const stage = stageRank(stageOfLift(lift, cuts));
    accounts[stage] = (accounts[stage] as number) + 1;
    conversions[stage] = (conversions[stage] as number) + (converted[i] as number);
  });
  const rate = (s: number) => (conversions[s] as number) / (accounts[s] as number);
  const rising = accounts.every((n) => n > 0) && [1, 2, 3, 4].every((s) => rate(s) > rate(s - 1));
  const total = conversions.reduce((a, b) => a + b, 0);
  return {
    cuts,
    accounts,
    converted: conversions,
    rising,
    identification: total === 0 ? NaN : ((conversions[3] as number) + (conversions[4] as number)) / total,
  };
}

const row = (f: RuleFigures) =>
  `${f.rising ? 'rising' : '**not rising**'}: ${f.accounts
    .map((n, s) => `${((100 * (f.converted[s] as number)) / n).toFixed(0)} % (${n})`)
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
