import { startOfUtcDay } from '../../domain/dates';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import type { GroupConversion } from '../../domain/scoring/metrics';
import { METHOD_LABELS, type ModelKind } from '../../domain/scoring/modelSelection';
import { backtest, type BacktestReport } from '../../services/scoring/backtest';
import { exportScores } from '../../services/scoring/exportScores';
import { isoDay } from '../../services/scoring/scoreRun';
import { scoreStore, type ScoreStoreResult } from '../../services/scoring/scoreStore';
import { describeRunAlerts, sendRunAlerts } from '../../services/alerts/sendRunAlerts';
import { parseDayOption } from '../dates';
import { describeStore } from '../describeStore';
import { reportFailure } from '../failure';
import { createProgress } from '../progress';

interface AsOfOption {
  asOf?: string;
}

function asOfDay(options: AsOfOption): Date {
  return options.asOf ? parseDayOption('--as-of', options.asOf) : startOfUtcDay(new Date());
}

const n = (value: number) => value.toLocaleString('en-US');
const percent = (value: number) => (Number.isNaN(value) ? '–' : `${(100 * value).toFixed(1)}%`);

/** "0.812 (logistic) / 0.805 (naive Bayes)": each candidate method's out-of-sample AUC. */
function candidateAucs(validationAuc: Partial<Record<ModelKind, number>> | null): string {
  return Object.entries(validationAuc ?? {})
    .map(([method, value]) => `${(value as number).toFixed(3)} (${METHOD_LABELS[method as ModelKind]})`)
    .join(' / ');
}

export function formatScoreResult(result: ScoreStoreResult, store: string): string {
  const lines = [
    `scored ${n(result.accounts)} accounts and ${n(result.people)} people as of ${result.asOf} in the ${store} ` +
      `(run ${result.runId}, ${result.summary.modelVersion}) in ${result.seconds.toFixed(1)} s; ${n(result.qualified)} accounts qualified`,
  ];
  for (const [name, model] of [
    ['intent', result.summary.intent],
    ['profile fit', result.summary.profile],
    ['contact fit', result.summary.contact],
  ] as const) {
    lines.push(
      model.fallback
        ? `  ${name}: no model — ${model.fallback}`
        : `  ${name}: ${model.method}, validation AUC ${candidateAucs(model.validationAuc)}, ` +
            `${n(model.positives)} positives of ${n(model.examples)}`,
    );
  }
  const { stageCuts, stageCutRules, stages, stageWarning } = result.summary.intent;
  if (stageCuts && stages) {
    const cuts = stageCuts
      .map((cut, s) => {
        const rule = stageCutRules?.[s];
        return `${Math.round(cut * 100) / 100}${rule ? ` (${rule})` : ''}`;
      })
      .join(' / ');
    const rates = stages.map((s) => `${s.stage} ${percent(s.conversionRate)}`).join(', ');
    lines.push(`  buying stages: lift cuts ${cuts}; conversion in training: ${rates}`);
  }
  if (stageWarning) lines.push(`  warning: ${stageWarning}`);
  return `${lines.join('\n')}\n`;
}

export async function scoreCommand(options: AsOfOption): Promise<void> {
  try {
    const config = readConfig();
    const asOf = asOfDay(options);
    const progress = createProgress();
    progress.update('reading facts', 0, 3, 'steps');
    const { result, alerts } = await withStore(config, async (db) => {
      const result = await scoreStore(db, {
        asOf,
        actor: OPERATOR,
        onPhase: (phase) => {
          if (phase === 'read') progress.update('training and scoring', 1, 3, 'steps');
          if (phase === 'model') progress.update('writing scores', 2, 3, 'steps');
        },
      });
      progress.done();
      // The run's alerts go before the command exits; their failure is reported, never the run's.
      const alerts = await sendRunAlerts(db, {
        runId: result.runId,
        actor: OPERATOR,
        secretKey: config.secretKey,
        publicUrl: config.publicUrl,
        now: new Date(),
        outbound: config.outbound,
      }).then(
        (report) => (report.subscriptions > 0 ? describeRunAlerts(report) : null),
        (error: unknown) => `alerts: not sent (${error instanceof Error ? error.message : String(error)})`,
      );
      return { result, alerts };
    });
    process.stdout.write(formatScoreResult(result, describeStore(config)));
    if (alerts) process.stdout.write(`${alerts}\n`);
  } catch (error) {
    reportFailure(error);
  }
}

export async function exportCommand(dir: string, options: AsOfOption): Promise<void> {
  try {
    const config = readConfig();
    const asOf = options.asOf ? isoDay(parseDayOption('--as-of', options.asOf)) : undefined;
    const result = await withStore(config, (db) =>
      exportScores(db, { dir, asOf, today: startOfUtcDay(new Date()) }),
    );
    const scored = result.scored ? ' (scored first: the store had no run for that day)' : '';
    process.stdout.write(
      `exported the scores as of ${result.run.asOf}${scored} to ${result.files.join(' and ')}\n`,
    );
  } catch (error) {
    reportFailure(error);
  }
}

function groupLines(title: string, groups: GroupConversion[], unit = 'accounts'): string[] {
  return [
    `  ${title}`,
    ...groups.map(
      (g) =>
        `    ${g.group.padEnd(14)} ${n(g.accounts).padStart(9)} ${unit.padEnd(8)}  ${n(g.converted).padStart(7)} converted  ` +
        `${percent(g.conversionRate).padStart(6)}  lift ${Number.isNaN(g.lift) ? '–' : g.lift.toFixed(2)}×`,
    ),
  ];
}

export function formatBacktest(report: BacktestReport): string {
  return `${[
    `backtest: scored as of ${report.scoredAsOf} (facts before it only), outcomes from ${report.scoredAsOf} to ${report.asOf}`,
    `  ${n(report.accounts)} accounts, ${n(report.converted)} opened a relevant opportunity (baseline ${percent(report.baseline)}), ${n(report.newOpportunities)} new relevant opportunities`,
    `  intent AUC ${Number.isNaN(report.intentAuc) ? '–' : report.intentAuc.toFixed(3)}; identification rate ${percent(report.identificationRate)} (new opportunities whose account was in Decision or Purchase); top-20% capture ${percent(report.top20Capture)}`,
    ...groupLines('by buying stage', report.byStage),
    ...groupLines('by profile fit', report.byFit),
    ...groupLines(
      'people by engagement grade (converted: their account opened one)',
      report.byGrade,
      'people',
    ),
    `  profile fit AUC against the relevant opportunities of the next ${report.fitForecast
      .map(
        (f) =>
          `${f.days} days ${f.auc === null ? 'not measurable (the facts end before)' : Number.isNaN(f.auc) ? '–' : f.auc.toFixed(3)}`,
      )
      .join(', next ')}`,
    `  model ${report.summary.modelVersion}`,
  ].join('\n')}\n`;
}

export async function backtestCommand(options: AsOfOption & { json?: boolean }): Promise<void> {
  try {
    const config = readConfig();
    const report = await withStore(config, (db) => backtest(db, { asOf: asOfDay(options) }));
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatBacktest(report));
  } catch (error) {
    reportFailure(error);
  }
}
