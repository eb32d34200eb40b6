/**
 * Scoring quality benchmark (issue: scoring engine). On generated markets of seeds never used
 * while the engine was built and tuned (tuning used seeds 6001–6004 and 7001–7003; the default
 * held-out seeds 7101–7105 were picked before the last round of changes and run once after
 * it; a second held-out set, 7201–7205, was picked later and run once on the same engine —
 * all of these are seen now: judge a change on new seeds), runs the backtest (score as of D − 90 days from the facts
 * before it, compare with the relevant opportunities opened in the 90 days up to D) and checks
 * the acceptance figures: intent AUC ≥ 0.85, conversion strictly rising Target < Awareness <
 * Consideration < Decision < Purchase, Purchase lift ≥ 3×, fit band lift Strong > Moderate >
 * Weak; then scores as of D, exports, and checks every exported row against the qualified rule.
 *
 *   npm run bench:quality                         # seeds 7101–7105, 5,000 accounts each, PostgreSQL
 *   BENCH_SEEDS=7001 BENCH_ACCOUNTS=2000 npm run bench:quality
 */
import { backtest } from '../../server/src/services/scoring/backtest';
import { BENCH_END, postgresMarket } from './benchStores';
import { checkQualifiedExport } from './qualifiedExport';

const SEEDS = (process.env.BENCH_SEEDS ?? '7101,7102,7103,7104,7105').split(',').map(Number);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 5000);
const log = (line: string) => process.stderr.write(`${line}\n`);

function strictlyRising(values: number[]): boolean {
  return values.every((value, i) => i === 0 || value > (values[i - 1] as number));
}

async function main(): Promise<void> {
  let allPass = true;
  for (const seed of SEEDS) {
    log(`seed ${seed}, ${ACCOUNTS} accounts:`);
    const db = await postgresMarket(
      `bench_quality_${seed}_${ACCOUNTS}`,
      { seed, accounts: ACCOUNTS, backgroundScale: 1 },
      log,
    );
    try {
      const report = await backtest(db, { asOf: BENCH_END });
      const stageRates = report.byStage.map((g) => g.conversionRate);
      const fitLifts = report.byFit.map((g) => g.lift);
      const purchase = report.byStage.find((g) => g.group === 'Purchase');
      const { qualifiedRows, holds: qualifiedRuleHolds } = await checkQualifiedExport(
        db,
        '2026-11-01',
        BENCH_END,
      );
      const checks = {
        aucAtLeast085: report.intentAuc >= 0.85,
        stagesStrictlyRising: strictlyRising(stageRates),
        purchaseLiftAtLeast3: (purchase?.lift ?? 0) >= 3,
        fitBandsOrdered:
          (fitLifts[0] as number) > (fitLifts[1] as number) &&
          (fitLifts[1] as number) > (fitLifts[2] as number),
        qualifiedRuleHolds,
      };
      allPass &&= Object.values(checks).every(Boolean);
      console.log(
        JSON.stringify({
          seed,
          accounts: report.accounts,
          converted: report.converted,
          baseline: report.baseline,
          intentAuc: report.intentAuc,
          identificationRate: report.identificationRate,
          top20Capture: report.top20Capture,
          byStage: report.byStage.map((g) => ({
            stage: g.group,
            accounts: g.accounts,
            conversion: g.conversionRate,
            lift: g.lift,
          })),
          byFit: report.byFit.map((g) => ({
            fit: g.group,
            accounts: g.accounts,
            conversion: g.conversionRate,
            lift: g.lift,
          })),
          byGrade: report.byGrade.map((g) => ({
            grade: g.group,
            people: g.accounts,
            lift: g.lift,
          })),
          intentMethod: report.summary.intent.method,
          intentValidationAuc: report.summary.intent.validationAuc,
          stageCuts: report.summary.intent.stageCuts,
          stageCutRules: report.summary.intent.stageCutRules,
          stageWarning: report.summary.intent.stageWarning,
          fitMethod: report.summary.profile.method,
          qualifiedRows,
          checks,
        }),
      );
    } finally {
      await db.close();
    }
  }
  log(allPass ? 'all checks pass' : 'SOME CHECKS FAIL');
  process.exitCode = allPass ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
