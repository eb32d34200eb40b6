import { BUYING_STAGES, type BuyingStage } from '../vocabulary';
import type { AccountTally } from './modelInsightsAccounts';
import { aucOfTallies, type ScoreTally } from './modelInsightsAuc';
import { lift, ratio } from './modelInsightsRatios';

/**
 * Account behaviour in a backtest (docs/reports.md "Model insights"): how well the buying stages
 * of the run as of the first day of month M foretold relevant opportunities opened in the three
 * months from that day. Over the accounts with a stage (a run without an intent model has none),
 * for stage s with Nₛ accounts of which Cₛ converted, N = Σ Nₛ and C = Σ Cₛ:
 *   share = Nₛ / N,  converter_share = Cₛ / C,  conversion = Cₛ / Nₛ
 *   baseline = Σ_{s > Target} Cₛ / Σ_{s > Target} Nₛ   (the accounts that showed any intent)
 *   lift = conversion / baseline
 *   identification_rate = (C_Decision + C_Purchase) / C
 * and the intent score's AUC with its 95 % interval (modelInsightsAuc.ts) over the accounts with a
 * score. Every ratio with a zero denominator is null (modelInsightsRatios.ts).
 */
export interface StageBehavior {
  accounts: number;
  share: number | null;
  converters: number;
  converter_share: number | null;
  conversion: number | null;
  baseline: number | null;
  lift: number | null;
}

export interface AccountBehavior {
  account_behavior: Record<BuyingStage, StageBehavior>;
  identification_rate: number | null;
  auc: number | null;
  auc_ci: [number, number] | null;
}

export function accountBehavior(tallies: readonly AccountTally[]): AccountBehavior {
  const counts = new Map(BUYING_STAGES.map((stage) => [stage, { accounts: 0, converters: 0 }]));
  const scores: ScoreTally[] = [];
  for (const t of tallies) {
    if (t.stage !== null) {
      const count = counts.get(t.stage) as { accounts: number; converters: number };
      count.accounts += t.accounts;
      if (t.converted) count.converters += t.accounts;
    }
    if (t.intentScore !== null) {
      scores.push({
        score: t.intentScore,
        positives: t.converted ? t.accounts : 0,
        negatives: t.converted ? 0 : t.accounts,
      });
    }
  }
  const sum = (stages: readonly BuyingStage[], key: 'accounts' | 'converters') =>
    stages.reduce((total, stage) => total + (counts.get(stage) as Record<typeof key, number>)[key], 0);
  const aboveTarget = BUYING_STAGES.filter((stage) => stage !== 'Target');
  const accounts = sum(BUYING_STAGES, 'accounts');
  const converters = sum(BUYING_STAGES, 'converters');
  const baseline = ratio(sum(aboveTarget, 'converters'), sum(aboveTarget, 'accounts'));
  const rows = Object.fromEntries(
    BUYING_STAGES.map((stage) => {
      const count = counts.get(stage) as { accounts: number; converters: number };
      const conversion = ratio(count.converters, count.accounts);
      const row: StageBehavior = {
        accounts: count.accounts,
        share: ratio(count.accounts, accounts),
        converters: count.converters,
        converter_share: ratio(count.converters, converters),
        conversion,
        baseline,
        lift: lift(conversion, baseline),
      };
      return [stage, row];
    }),
  ) as Record<BuyingStage, StageBehavior>;
  const { auc, ci } = aucOfTallies(scores);
  return {
    account_behavior: rows,
    identification_rate: ratio(sum(['Decision', 'Purchase'], 'converters'), converters),
    auc,
    auc_ci: ci,
  };
}
