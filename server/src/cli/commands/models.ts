/**
 * `signalfit models …` (docs/command-line.md "Models", docs/models.md): the model versions, as the
 * command line's operator (policies.OPERATOR). Every command's `--json` prints the answer of its
 * HTTP route (GET /api/models, POST /api/models/…). Arguments are checked before the store is
 * opened: a bad one is one line on stderr, exit 1, and nothing changes.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { MODEL_KINDS } from '../../domain/scoring/modelCodec';
import { BUYING_STAGES, FIT_BANDS } from '../../domain/vocabulary';
import type { Config } from '../../config';
import { modelNotify, modelRescore, readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import type { ModelComparison } from '../../services/models/compareModels';
import type { ModelListRow } from '../../services/models/lifecycle';
import { withModelHooks, type ModelServices } from '../../services/models/modelServices';
import type { ModelVersionRow } from '../../services/models/versionStore';
import type { Db } from '../../store/db';
import { parseDayOption } from '../dates';
import { runCommand } from '../failure';
import { formatTable } from '../table';

type Result<K extends keyof ModelServices> = Awaited<ReturnType<ModelServices[K]>>;
interface JsonOption {
  json?: boolean;
}

/** The use cases as the command line runs them: the current day rescored (and written back) after an approval or rollback, Admins told of a training. */
function configuredServices(config: Config, db: Db): ModelServices {
  return withModelHooks({ rescore: modelRescore(config, db), notify: modelNotify(config, db) });
}

/** `services` is for tests: the use cases of the configured store by default. */
export function registerModelCommands(
  program: Command,
  services: (config: Config, db: Db) => ModelServices = configuredServices,
): void {
  /**
   * Opens the store, runs `work`, prints its answer as JSON or as `text` says. A state change that
   * stands while what follows it failed (the rescore, the write-back) is said on stderr: exit 1.
   */
  const print = async <T>(
    options: JsonOption,
    work: (models: ModelServices, db: Db) => Promise<T>,
    text: (result: T) => string,
  ): Promise<void> => {
    const config = readConfig();
    const result = await withStore(config, (db) => work(services(config, db), db));
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : text(result));
    const failure = followUpFailure(result);
    if (failure) {
      process.stderr.write(`signalfit: ${failure}\n`);
      process.exitCode = 1;
    }
  };

  const models = program
    .command('models')
    .description(
      'the model versions: list, train, compare, approve, postpone, reject, roll back (docs/models.md)',
    );

  models
    .command('list')
    .description(
      'every version, newest first: id, kind, trained as of, state, AUC, identification rate, created',
    )
    .option('--json', 'print the versions as JSON (the answer of GET /api/models)')
    .action((options: JsonOption) =>
      runCommand(() => print(options, (m, db) => m.listModels(db), formatModelList)),
    );

  models
    .command('train')
    .description('train candidate versions from the facts before the day; prints their ids and figures')
    .option('--as-of <date>', 'train on the facts before this day, YYYY-MM-DD (default today)')
    .option('--json', 'print the training as JSON (the answer of POST /api/models/train)')
    .action((options: JsonOption & { asOf?: string }) =>
      runCommand(async () => {
        const asOf = options.asOf === undefined ? undefined : parseDayOption('--as-of', options.asOf);
        await print(
          options,
          (m, db) => m.trainCandidate(db, { asOf, actor: OPERATOR, now: new Date() }),
          formatTraining,
        );
      }),
    );

  models
    .command('compare')
    .description("the candidate against the active versions, and the current run's day scored with each")
    .option(
      '--json',
      'print { active, candidate, metrics, qualified_impact, transitions } (GET /api/models/compare)',
    )
    .action((options: JsonOption) =>
      runCommand(() => print(options, (m, db) => m.compareModels(db, { now: new Date() }), formatComparison)),
    );

  models
    .command('approve')
    .description(
      "make the candidate versions of the version's training active now, and rescore the current run",
    )
    .argument('[id]', 'a version of the candidate training (default: the pending candidate)', versionId)
    .option('--json', 'print what changed as JSON (the answer of POST /api/models/:id/approve)')
    .action((id: number | undefined, options: JsonOption) =>
      runCommand(() =>
        print(
          options,
          (m, db) => m.approveCandidate(db, { id, actor: OPERATOR, now: new Date() }),
          formatApproval,
        ),
      ),
    );

  models
    .command('postpone')
    .description("move the candidate training's roll-out day later")
    .argument('[id]', 'a version of the candidate training (default: the pending candidate)', versionId)
    .option('--days <n>', 'days to add, 1 to 90 (default: the notice period, 14 days)', postponeDays)
    .option('--json', 'print the new roll-out day as JSON (the answer of POST /api/models/:id/postpone)')
    .action((id: number | undefined, options: JsonOption & { days?: number }) =>
      runCommand(() =>
        print(
          options,
          (m, db) => m.postponeCandidate(db, { id, days: options.days, actor: OPERATOR }),
          formatPostponement,
        ),
      ),
    );

  models
    .command('reject')
    .description('reject the candidate training: its versions are kept, never made active')
    .argument('[id]', 'a version of the candidate training (default: the pending candidate)', versionId)
    .option('--json', 'print the versions rejected as JSON (the answer of POST /api/models/:id/reject)')
    .action((id: number | undefined, options: JsonOption) =>
      runCommand(() =>
        print(options, (m, db) => m.rejectCandidate(db, { id, actor: OPERATOR }), formatRejection),
      ),
    );

  models
    .command('rollback')
    .description('go back to the versions active before the current ones, and rescore the current run')
    .option('--json', 'print what changed as JSON (the answer of POST /api/models/rollback)')
    .action((options: JsonOption) =>
      runCommand(() =>
        print(options, (m, db) => m.rollbackModels(db, { actor: OPERATOR, now: new Date() }), formatRollback),
      ),
    );
}

function versionId(value: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('a model version id is a whole number, 1 or more');
  return Number(value);
}

function postponeDays(value: string): number {
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > 90)
    throw new InvalidArgumentError('expected a whole number of days from 1 to 90');
  return Number(value);
}

const n = (value: number) => value.toLocaleString('en-US');
const auc = (value: number | null | undefined) => (value == null ? '–' : value.toFixed(3));
const pct = (value: number | null | undefined) => (value == null ? '–' : `${(value * 100).toFixed(1)} %`);
const times = (value: number | null | undefined) => (value == null ? '–' : `${value.toFixed(2)}×`);
const kindOrder = (kind: string) => MODEL_KINDS.indexOf(kind as (typeof MODEL_KINDS)[number]);
const byKind = <T extends { kind: string }>(rows: readonly T[]) =>
  [...rows].sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind));
/** `intent:12 profile_fit:13 …`, as a run's model_version names versions. */
const idsOf = (rows: readonly { id: number; kind: string }[]) =>
  byKind(rows)
    .map((row) => `${row.kind}:${row.id}`)
    .join(' ');

/** Why an approval's or rollback's follow-up failed, or null (nothing else fails after the fact). */
function followUpFailure(result: unknown): string | null {
  if (typeof result !== 'object' || result === null) return null;
  const { rescoreError, run } = result as {
    rescoreError?: string;
    run?: { writeback?: { status: string; error?: string } } | null;
  };
  if (rescoreError) return `the change stands, but rescoring the current run failed: ${rescoreError}`;
  if (run?.writeback?.status === 'failed')
    return `the Salesforce write-back failed (the next daily write-back sends it): ${run.writeback.error ?? 'no reason given'}`;
  return null;
}

export function formatModelList(rows: readonly ModelListRow[]): string {
  if (rows.length === 0)
    return 'no model versions yet: the first `signalfit score` trains and activates them\n';
  const table = formatTable([
    ['ID', 'KIND', 'TRAINED AS OF', 'STATE', 'AUC', 'IDENTIFICATION', 'CREATED'],
    ...rows.map((row) => [
      String(row.id),
      row.kind,
      row.trained_as_of,
      row.state,
      auc(row.auc),
      pct(row.identification_rate),
      row.created_at.slice(0, 16).replace('T', ' '),
    ]),
  ]);
  const pending = new Map<number, string>();
  for (const row of rows)
    if (row.state === 'candidate' && row.rollout_on !== null) pending.set(row.training_id, row.rollout_on);
  const notes = [...pending].map(
    ([training, day]) =>
      `training ${training} is a candidate: active on ${day} unless approved, postponed or rejected before`,
  );
  return `${[table, ...notes].join('\n')}\n`;
}

/** The versions of a training and their own figures. */
function versionTable(versions: readonly ModelVersionRow[]): string {
  return formatTable([
    ['ID', 'KIND', 'METHOD', 'AUC', 'IDENTIFICATION'],
    ...byKind(versions).map((v) => [
      String(v.id),
      v.kind,
      v.method ?? '–',
      auc(v.auc),
      pct(v.identification_rate),
    ]),
  ]);
}

export function formatTraining(result: Result<'trainCandidate'>): string {
  const day = result.versions[0]?.trained_as_of ?? '?';
  const head =
    result.state === 'candidate'
      ? `training ${result.trainingId} as of ${day}: candidate, active on ${result.rolloutOn ?? '(no day set)'} unless approved, postponed or rejected before`
      : `training ${result.trainingId} as of ${day}: rejected, not rolled out`;
  return `${head}\n${result.reason}\n${versionTable(result.versions)}\n`;
}

/** What a rescore after a state change did. */
function rescoreLines(run: { runId: number; asOf: string; writeback?: { status: string } } | null): string[] {
  if (run === null) return [];
  const lines = [`rescored ${run.asOf} with them: run ${run.runId}`];
  if (run.writeback?.status === 'complete') lines.push('Salesforce write-back: the changed rows sent');
  return lines;
}

export function formatApproval(result: Result<'approveCandidate'>): string {
  return `${[
    `approved training ${result.trainingId}: active now ${idsOf(result.activated)}`,
    ...(result.run === null && !result.rescoreError
      ? ['no score run to rescore yet: the next `signalfit score` applies them']
      : rescoreLines(result.run)),
  ].join('\n')}\n`;
}

export function formatPostponement(result: Result<'postponeCandidate'>): string {
  return `postponed training ${result.trainingId}: active on ${result.rolloutOn}\n`;
}

export function formatRejection(result: Result<'rejectCandidate'>): string {
  return `rejected training ${result.trainingId}: ${idsOf(result.rejected)} will not be rolled out\n`;
}

export function formatRollback(result: Result<'rollbackModels'>): string {
  const back = byKind(result.restored).map((restored) => {
    const from = result.rolledBack.find((v) => v.kind === restored.kind);
    return `${restored.kind} ${from ? `${from.id} → ` : ''}${restored.id}`;
  });
  return `${[
    `rolled back: ${back.join(', ')} (the rolled-back versions are rejected)`,
    ...(result.run === null && !result.rescoreError
      ? ['no score run to rescore yet: the next `signalfit score` applies them']
      : rescoreLines(result.run)),
  ].join('\n')}\n`;
}

/** A matrix `{ from: { to: count } }` as a table: rows the current run, columns the candidate. */
function matrixTable(matrix: Record<string, Record<string, number>>, corner: string): string {
  const froms = Object.keys(matrix);
  const tos = [...new Set(froms.flatMap((from) => Object.keys(matrix[from] ?? {})))];
  return formatTable([
    [corner, ...tos],
    ...froms.map((from) => [from, ...tos.map((to) => n(matrix[from]?.[to] ?? 0))]),
  ])
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

export function formatComparison(c: ModelComparison): string {
  const side = (name: string, s: ModelComparison['active']) =>
    `${name} training ${s.training_id}, trained as of ${s.trained_as_of}: ${idsOf(s.versions)}`;
  const own = (s: ModelComparison['active'], kind: string) => s.versions.find((v) => v.kind === kind);
  const ownRows = MODEL_KINDS.filter((kind) => kind !== 'engagement').flatMap((kind) => [
    [`${kind} AUC`, auc(own(c.active, kind)?.auc), auc(own(c.candidate, kind)?.auc)],
    ...(kind === 'intent'
      ? [
          [
            'intent identification rate',
            pct(own(c.active, kind)?.identification_rate),
            pct(own(c.candidate, kind)?.identification_rate),
          ],
        ]
      : []),
  ]);
  const { backtest, active: a, candidate: b } = c.metrics;
  const ci = (m: typeof a) => (m.auc_ci ? ` (${m.auc_ci[0].toFixed(3)}–${m.auc_ci[1].toFixed(3)})` : '');
  const backtestRows = [
    ['intent AUC', `${auc(a.auc)}${ci(a)}`, `${auc(b.auc)}${ci(b)}`],
    ['identification rate', pct(a.identification_rate), pct(b.identification_rate)],
    ...BUYING_STAGES.flatMap((stage) => {
      const x = a.account_behavior[stage];
      const y = b.account_behavior[stage];
      return [
        [`${stage}: accounts`, n(x.accounts), n(y.accounts)],
        [
          `${stage}: conversion (lift)`,
          `${pct(x.conversion)} (${times(x.lift)})`,
          `${pct(y.conversion)} (${times(y.lift)})`,
        ],
      ];
    }),
    ...FIT_BANDS.flatMap((band) => {
      const x = a.account_fit[band];
      const y = b.account_fit[band];
      return [
        [`${band} fit: accounts`, n(x.accounts), n(y.accounts)],
        [
          `${band} fit: conversion (lift)`,
          `${pct(x.conversion)} (${times(x.lift)})`,
          `${pct(y.conversion)} (${times(y.lift)})`,
        ],
      ];
    }),
  ];
  const q = c.qualified_impact;
  const avg = q.average_qualified_per_day;
  const indent = (text: string) =>
    text
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n');
  return `${[
    side('candidate:', c.candidate),
    side('active:   ', c.active),
    '',
    'Own figures (at training)',
    indent(formatTable([['', 'ACTIVE', 'CANDIDATE'], ...ownRows])),
    '',
    `Backtest: both score as of ${backtest.scored_as_of}, judged on the relevant opportunities opened until ${backtest.outcomes_until}: ` +
      `${n(backtest.accounts)} accounts, ${n(backtest.converters)} converted, ${n(backtest.opportunities)} opportunities`,
    ...(backtest.note ? [`  note: ${backtest.note}`] : []),
    indent(formatTable([['', 'ACTIVE', 'CANDIDATE'], ...backtestRows])),
    '',
    `Qualified accounts on ${q.day}: ${n(q.active_qualified)} in the current run, ${n(q.candidate_qualified)} with the candidate ` +
      `(${n(q.becoming_qualified)} becoming qualified, ${n(q.stopping_qualified)} stopping)`,
    `  per day over the last 90 days (${avg.days_sampled.length} days sampled): ` +
      `${avg.active === null ? '–' : avg.active.toFixed(1)} active, ${avg.candidate === null ? '–' : avg.candidate.toFixed(1)} candidate`,
    '',
    `Buying stage on ${q.day}: current run (rows) → candidate (columns)`,
    matrixTable(c.transitions.stage, 'FROM \\ TO'),
    '',
    `Profile fit on ${q.day}: current run (rows) → candidate (columns)`,
    matrixTable(c.transitions.fit, 'FROM \\ TO'),
  ].join('\n')}\n`;
}
