import { BUYING_STAGES, ENGAGEMENT_GRADES, FIT_BANDS } from '../../domain/vocabulary';
import { auc, conversionByGroup, topShareCapture, type GroupConversion } from '../../domain/scoring/metrics';
import {
  factsEndOf,
  fitForecast,
  FIT_FORECAST_HORIZONS_DAYS,
  type FitForecast,
} from '../../domain/scoring/fitForecast';
import { DAY_MS, HORIZON_DAYS, isRelevantOpportunity } from '../../domain/scoring/opportunities';
import type { AccountScore, ScoringSummary } from '../../domain/scoring/scoreMarket';
import { applyModels, defaultModelLabel } from '../../domain/scoring/applyModels';
import type { EngagementGrade } from '../../domain/vocabulary';
import type { Db } from '../../store/db';
import { readInParts } from './readInParts';
import { isoDay, trainAsOf } from './scoreRun';
import { loadScoringSettings } from './settings';

export interface BacktestReport {
  /** The day the outcome window ends (D). */
  asOf: string;
  /** The day the scores were computed as of (D − 90 days). */
  scoredAsOf: string;
  accounts: number;
  /** Accounts that opened a relevant opportunity in [D − 90 days, D). */
  converted: number;
  newOpportunities: number;
  baseline: number;
  intentAuc: number;
  byStage: GroupConversion[];
  byFit: GroupConversion[];
  /**
   * People by engagement grade: the share of each grade's people whose account converted, and
   * its lift over the share of all people whose account converted.
   */
  byGrade: GroupConversion[];
  /** Share of the new relevant opportunities whose account was in Decision or Purchase. */
  identificationRate: number;
  /** Share of converted accounts among the 20% with the highest intent scores. */
  top20Capture: number;
  /**
   * Profile fit against the relevant opportunities opened in the next 90 and 180 days after
   * the scoring day (auc null: the facts do not reach that far).
   */
  fitForecast: FitForecast[];
  summary: ScoringSummary;
}

/** What the backtest keeps of each scored account. */
type BacktestAccount = Pick<
  AccountScore,
  'accountId' | 'intentProbability' | 'buyingStage' | 'profileFit' | 'profileScore'
>;

/**
 * Scores as of D − 90 days, from the facts before that day only, then compares with what
 * happened in the 90 days up to D: which accounts opened relevant opportunities. The profile
 * fit is also judged on the next 90 and 180 days after the scoring day, where the facts reach
 * that far (domain/scoring/fitForecast.ts). Nothing is stored.
 *
 * Trains as a first run does (on a sample of a large market: trainAsOf), then applies the models
 * a part of the accounts at a time (readInParts), keeping only what the figures need, so a
 * market of a million accounts fits in the memory of a daily run.
 */
export async function backtest(
  db: Db,
  props: {
    asOf: Date;
    /** Accounts a part holds (tests; default ACCOUNTS_PER_PART). */
    accountsPerPart?: number;
  },
): Promise<BacktestReport> {
  const endMs = Date.parse(`${isoDay(props.asOf)}T00:00:00Z`);
  const startMs = endMs - HORIZON_DAYS * DAY_MS;
  const settings = await loadScoringSettings(db);
  const { models } = await trainAsOf(db, new Date(startMs), settings);
  const longestMs = Math.max(...FIT_FORECAST_HORIZONS_DAYS) * DAY_MS;
  const opportunities = await db.query<{
    account_id: string;
    relevant: boolean | null;
    type: string | null;
    amount: string | null;
    created_at: Date;
  }>(
    'SELECT account_id, relevant, type, amount, created_at FROM opportunities WHERE created_at >= $1 AND created_at < $2',
    [new Date(startMs), new Date(startMs + longestMs)],
  );
  const opened = new Map<string, number>();
  const openings: { accountId: string; openedMs: number }[] = [];
  for (const o of opportunities) {
    const relevant = isRelevantOpportunity(
      { relevant: o.relevant, type: o.type, amount: o.amount === null ? null : Number(o.amount) },
      settings.relevantRule,
    );
    if (!relevant) continue;
    const openedMs = new Date(o.created_at).getTime();
    openings.push({ accountId: o.account_id, openedMs });
    if (openedMs < endMs) opened.set(o.account_id, (opened.get(o.account_id) ?? 0) + 1);
  }
  const [latest] = await db.query<{ at: Date | null }>(
    'SELECT greatest((SELECT max(created_at) FROM opportunities), (SELECT max(occurred_at) FROM activities)) AS at',
  );

  const accounts: BacktestAccount[] = [];
  const grades: EngagementGrade[] = [];
  const peopleConverted: number[] = [];
  await readInParts(
    db,
    new Date(startMs),
    settings,
    (facts) => {
      const scores = applyModels(facts, settings, models);
      for (const a of scores.accounts)
        accounts.push({
          accountId: a.accountId,
          intentProbability: a.intentProbability,
          buyingStage: a.buyingStage,
          profileFit: a.profileFit,
          profileScore: a.profileScore,
        });
      for (const p of scores.people) {
        grades.push(p.engagementGrade);
        peopleConverted.push(opened.has(p.accountId) ? 1 : 0);
      }
    },
    { accountsPerPart: props.accountsPerPart },
  );

  const converted = accounts.map((a) => (opened.has(a.accountId) ? 1 : 0));
  const intent = accounts.map((a) => a.intentProbability ?? 0);
  const stages = conversionByGroup(
    accounts.map((a) => a.buyingStage ?? 'none'),
    converted,
    BUYING_STAGES,
  );
  const fits = conversionByGroup(
    accounts.map((a) => a.profileFit ?? 'none'),
    converted,
    FIT_BANDS,
  );
  const byGrade = conversionByGroup(grades, peopleConverted, ENGAGEMENT_GRADES);
  let newOpportunities = 0;
  let identified = 0;
  for (const account of accounts) {
    const count = opened.get(account.accountId) ?? 0;
    newOpportunities += count;
    if (account.buyingStage === 'Decision' || account.buyingStage === 'Purchase') identified += count;
  }
  return {
    asOf: isoDay(new Date(endMs)),
    scoredAsOf: isoDay(new Date(startMs)),
    accounts: accounts.length,
    converted: converted.reduce<number>((sum, c) => sum + c, 0),
    newOpportunities,
    baseline: stages.baseline,
    intentAuc: auc(intent, converted),
    byStage: stages.groups,
    byFit: fits.groups,
    byGrade: byGrade.groups,
    identificationRate: newOpportunities === 0 ? NaN : identified / newOpportunities,
    top20Capture: topShareCapture(intent, converted, 0.2),
    fitForecast: fitForecast({
      accounts,
      openings,
      scoredAtMs: startMs,
      factsEndMs: factsEndOf(latest?.at ? new Date(latest.at).getTime() : null),
    }),
    summary: { modelVersion: defaultModelLabel(models, startMs), ...models.summaries },
  };
}
