/**
 * `signalfit models …` as a user runs it: the real bin in a child process, from a folder outside
 * the project (docs/command-line.md "Models", docs/models.md). First the refusals of bad input,
 * which change nothing; then the whole lifecycle on a small generated market the first scoring
 * run trained: train, compare, postpone, approve, roll back, reject.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MODEL_KINDS, type ModelKind } from '../domain/scoring/modelCodec';
import { BUYING_STAGES, FIT_BANDS } from '../domain/vocabulary';
import type { ModelComparison } from '../services/models/compareModels';
import type { ModelVersionRow } from '../services/models/versionStore';
import { seedDemoMarket } from '../services/demo/seedDemoMarket';
import { scoreStore } from '../services/scoring/scoreStore';
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore } from '../store/testing';
import {
  formatApproval,
  formatComparison,
  formatModelList,
  formatRollback,
  formatTraining,
} from './commands/models';
import { cliEnv, linesOf, REPO_ROOT, runCli } from './testing';

jest.setTimeout(300_000);

const DAY = '2026-11-01';

describe.each(processStoreTargets('models-cli'))('signalfit models on $name', (target) => {
  let store: ProcessStore;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, env, 120_000, work);
  /** Rows of the lifecycle's tables: what a refused command must leave as it was. */
  const lifecycleRows = () =>
    store.use(async (db) => {
      const [row] = await db.query<{ trainings: number; versions: number; events: number; runs: number }>(
        `SELECT (SELECT count(*)::int FROM model_trainings) AS trainings,
                (SELECT count(*)::int FROM model_versions) AS versions,
                (SELECT count(*)::int FROM model_version_events) AS events,
                (SELECT count(*)::int FROM score_runs) AS runs`,
      );
      return row;
    });

  beforeAll(async () => {
    store = await target.create();
    await store.use((db) => migrate(db));
    work = mkdtempSync(path.join(tmpdir(), 'signalfit-models-cli-'));
    expect(path.relative(REPO_ROOT, work).startsWith('..')).toBe(true);
    env = cliEnv(store.env);
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses a bad id, --days or --as-of in one line, exit 1, and changes nothing', async () => {
    const before = await lifecycleRows();
    const cases: [string[], string][] = [
      [['approve', 'abc'], "value 'abc' is invalid for argument 'id'. a model version id is a whole number"],
      [['reject', '0'], "value '0' is invalid for argument 'id'"],
      [['postpone', '12', '--days', '0'], "'0' is invalid. expected a whole number of days from 1 to 90"],
      [['postpone', '--days', '91'], 'from 1 to 90'],
      [['postpone', '--days', '1.5'], 'from 1 to 90'],
      [['train', '--as-of', '2026-02-30'], '--as-of must be a date like 2026-01-31 (got "2026-02-30")'],
    ];
    // At once: none of them gets as far as the store.
    const results = await Promise.all(cases.map(([args]) => cli('models', ...args)));
    results.forEach((result, i) => {
      const [args, reason] = cases[i]!;
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 1, stdout: '' });
      expect({ args, stderr: linesOf(result.stderr) }).toEqual({
        args,
        stderr: [expect.stringMatching(/^signalfit: /)],
      });
      expect(result.stderr).toContain(reason);
    });
    expect(await lifecycleRows()).toEqual(before);
  });

  it('lists nothing, and has nothing to act on, before the first scoring run', async () => {
    const list = await cli('models', 'list');
    expect({ code: list.code, stdout: list.stdout, stderr: list.stderr }).toEqual({
      code: 0,
      stdout: 'no model versions yet: the first `signalfit score` trains and activates them\n',
      stderr: '',
    });
    for (const [args, code] of [
      [['approve'], 'no candidate models are pending'],
      [['reject', '42'], 'model version 42 does not exist'],
      [['rollback'], 'nothing to roll back to'],
      [['compare'], 'no candidate model to compare'],
    ] as const) {
      const result = await cli('models', ...args);
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 1, stdout: '' });
      expect(linesOf(result.stderr)).toEqual([expect.stringContaining(code)]);
    }
    expect(await lifecycleRows()).toEqual({ trainings: 0, versions: 0, events: 0, runs: 0 });
  });

  it('trains a candidate, compares, postpones, approves, rolls back and rejects', async () => {
    await store.use(async (db) => {
      await seedDemoMarket({ db, seed: 17, accounts: 120, endDate: new Date(`${DAY}T00:00:00Z`) });
      await scoreStore(db, { asOf: new Date(`${DAY}T00:00:00Z`) });
    });
    /** The ids of a table's rows (`ID  KIND …`) whose line matches. */
    const idsIn = (text: string, match: RegExp) =>
      linesOf(text)
        .filter((line) => /^\d+\s/.test(line) && match.test(line))
        .map((line) => Number(line.split(/\s+/)[0]))
        .sort((a, b) => a - b);
    const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

    // The first scoring run trained and activated one version of each kind.
    const listed = await cli('models', 'list');
    const lines = linesOf(listed.stdout);
    expect(lines[0]).toMatch(/^ID\s+KIND\s+TRAINED AS OF\s+STATE\s+AUC\s+IDENTIFICATION\s+CREATED$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(1, 4).join(' '))).toEqual(
      ['engagement', 'contact_fit', 'profile_fit', 'intent'].map((kind) => `${kind} ${DAY} active`),
    );
    const first = idsIn(listed.stdout, / active /);

    // The same facts train the same models: not worse, a candidate rolling out 14 days on.
    const trained = await cli('models', 'train', '--as-of', DAY);
    expect({ code: trained.code, stderr: trained.stderr }).toEqual({ code: 0, stderr: '' });
    const head = linesOf(trained.stdout)[0]!;
    expect(head).toMatch(
      new RegExp(
        `^training \\d+ as of ${DAY}: candidate, active on 2026-11-15 unless approved, postponed or rejected before$`,
      ),
    );
    const training = Number(head.split(' ')[1]);
    const ids = idsIn(trained.stdout, /./);
    expect(ids).toHaveLength(4);

    const compared = await cli('models', 'compare', '--json');
    expect({ code: compared.code, stderr: compared.stderr }).toEqual({ code: 0, stderr: '' });
    const comparison = JSON.parse(compared.stdout) as {
      transitions: { stage: Record<string, Record<string, number>> };
      qualified_impact: { day: string };
    };
    expect(Object.keys(comparison)).toEqual(
      expect.arrayContaining(['active', 'candidate', 'metrics', 'qualified_impact', 'transitions']),
    );
    expect(comparison.qualified_impact.day).toBe(DAY);
    const stageCells = Object.values(comparison.transitions.stage).flatMap((row) => Object.values(row));
    expect(stageCells.reduce((sum, count) => sum + count, 0)).toBe(120);
    const compareText = (await cli('models', 'compare')).stdout;
    expect(compareText).toContain(`Buying stage on ${DAY}: current run (rows) → candidate (columns)`);
    expect(compareText).toMatch(
      /^\s+FROM \\ TO\s+Target\s+Awareness\s+Consideration\s+Decision\s+Purchase\s+none$/m,
    );

    const postponed = await cli('models', 'postpone', '--days', '7');
    expect([postponed.code, postponed.stdout]).toEqual([
      0,
      `postponed training ${training}: active on 2026-11-22\n`,
    ]);

    const approved = await cli('models', 'approve', String(ids[0]));
    expect({ code: approved.code, stderr: approved.stderr }).toEqual({ code: 0, stderr: '' });
    expect(linesOf(approved.stdout)).toEqual([
      `approved training ${training}: active now intent:${ids[0]} profile_fit:${ids[1]} contact_fit:${ids[2]} engagement:${ids[3]}`,
      expect.stringMatching(new RegExp(`^rescored ${DAY} with them: run \\d+$`)),
    ]);

    const rolledBack = await cli('models', 'rollback', '--json');
    expect({ code: rolledBack.code, stderr: rolledBack.stderr }).toEqual({ code: 0, stderr: '' });
    const back = JSON.parse(rolledBack.stdout) as {
      restored: { id: number }[];
      rolledBack: { id: number }[];
      run: { asOf: string };
    };
    expect([sorted(back.rolledBack.map((v) => v.id)), sorted(back.restored.map((v) => v.id))]).toEqual([
      ids,
      first,
    ]);
    expect(back.run.asOf).toBe(DAY);

    const again = JSON.parse((await cli('models', 'train', '--as-of', DAY, '--json')).stdout) as {
      trainingId: number;
      state: string;
    };
    expect(again.state).toBe('candidate');
    const rejected = await cli('models', 'reject');
    expect({ code: rejected.code, stderr: rejected.stderr }).toEqual({ code: 0, stderr: '' });
    expect(rejected.stdout).toMatch(
      new RegExp(
        `^rejected training ${again.trainingId}: intent:\\d+ profile_fit:\\d+ contact_fit:\\d+ engagement:\\d+ will not be rolled out\\n$`,
      ),
    );
    const states = (
      JSON.parse((await cli('models', 'list', '--json')).stdout) as { id: number; state: string }[]
    )
      .filter((row) => row.state !== 'rejected')
      .map((row) => `${row.id} ${row.state}`);
    expect(states.sort()).toEqual(first.map((id) => `${id} active`).sort());
  });
});

describe('the text of signalfit models', () => {
  const version = (id: number, kind: ModelKind, state: ModelVersionRow['state']): ModelVersionRow => ({
    id,
    training_id: 7,
    kind,
    engine_version: 'e1',
    trained_as_of: DAY,
    training: {},
    method: kind === 'engagement' ? null : 'logistic',
    backtest: null,
    auc: kind === 'engagement' ? null : 0.7125,
    identification_rate: kind === 'intent' ? 0.4 : null,
    state,
    state_changed_at: '2026-11-01T03:00:00Z',
    state_changed_by: 'command line',
    created_at: '2026-11-01T03:04:05Z',
  });

  it('lists versions as a table, and says when a candidate rolls out', () => {
    const row = (id: number, kind: ModelKind, state: ModelVersionRow['state'], rollout: string | null) => ({
      ...version(id, kind, state),
      auc_ci: null,
      rollout_on: rollout,
    });
    expect(
      formatModelList([row(16, 'intent', 'candidate', '2026-11-15'), row(12, 'engagement', 'active', null)]),
    ).toBe(
      [
        'ID  KIND        TRAINED AS OF  STATE      AUC    IDENTIFICATION  CREATED',
        '16  intent      2026-11-01     candidate  0.713  40.0 %          2026-11-01 03:04',
        '12  engagement  2026-11-01     active     –      –               2026-11-01 03:04',
        'training 7 is a candidate: active on 2026-11-15 unless approved, postponed or rejected before',
        '',
      ].join('\n'),
    );
  });

  it('prints a training, an approval and a rollback', () => {
    const versions = MODEL_KINDS.map((kind, i) => version(20 + i, kind, 'rejected'));
    expect(
      formatTraining({
        trainingId: 7,
        state: 'rejected',
        rolloutOn: null,
        versions,
        reason: 'worse: intent AUC 0.700 is below the active 0.750 − 0.01',
      }),
    ).toBe(
      [
        'training 7 as of 2026-11-01: rejected, not rolled out',
        'worse: intent AUC 0.700 is below the active 0.750 − 0.01',
        'ID  KIND         METHOD    AUC    IDENTIFICATION',
        '20  intent       logistic  0.713  40.0 %',
        '21  profile_fit  logistic  0.713  –',
        '22  contact_fit  logistic  0.713  –',
        '23  engagement   –         –      –',
        '',
      ].join('\n'),
    );
    expect(
      formatApproval({ trainingId: 7, activated: [...versions].reverse(), run: { runId: 41, asOf: DAY } }),
    ).toBe(
      'approved training 7: active now intent:20 profile_fit:21 contact_fit:22 engagement:23\n' +
        'rescored 2026-11-01 with them: run 41\n',
    );
    const restored = MODEL_KINDS.map((kind, i) => version(10 + i, kind, 'active'));
    expect(formatRollback({ restored, rolledBack: versions, run: null })).toBe(
      'rolled back: intent 20 → 10, profile_fit 21 → 11, contact_fit 22 → 12, engagement 23 → 13 (the rolled-back versions are rejected)\n' +
        'no score run to rescore yet: the next `signalfit score` applies them\n',
    );
  });

  it('prints the comparison side by side, with the qualified impact and both transition matrices', () => {
    const stages = (accounts: number) =>
      Object.fromEntries(
        BUYING_STAGES.map((stage) => [
          stage,
          {
            accounts,
            share: null,
            converters: 0,
            converter_share: null,
            conversion: 0.05,
            baseline: null,
            lift: 1.5,
            opportunities: 0,
            opportunity_share: null,
          },
        ]),
      );
    const bands = Object.fromEntries(
      FIT_BANDS.map((band) => [band, { accounts: 2, conversion: null, lift: null }]),
    );
    const side = (training: number, first: number, intentAuc: number) => ({
      training_id: training,
      trained_as_of: DAY,
      versions: MODEL_KINDS.map((kind, i) => ({
        id: first + i,
        kind,
        method: 'logistic',
        auc: kind === 'engagement' ? null : intentAuc,
        identification_rate: kind === 'intent' ? 0.5 : null,
        state: 'active' as const,
      })),
    });
    const matrix = (keys: readonly string[]) =>
      Object.fromEntries(
        keys.map((from, i) => [from, Object.fromEntries(keys.map((to, j) => [to, i === j ? 3 : 0]))]),
      );
    const comparison = {
      active: side(3, 10, 0.7),
      candidate: side(7, 20, 0.72),
      metrics: {
        backtest: {
          scored_as_of: '2026-08-03',
          outcomes_until: DAY,
          accounts: 1200,
          converters: 40,
          opportunities: 52,
          note: '',
        },
        active: {
          account_behavior: stages(10),
          identification_rate: 0.4,
          auc: 0.7,
          auc_ci: [0.65, 0.75],
          account_fit: bands,
        },
        candidate: {
          account_behavior: stages(12),
          identification_rate: 0.45,
          auc: 0.72,
          auc_ci: null,
          account_fit: bands,
        },
      },
      qualified_impact: {
        day: DAY,
        active_qualified: 100,
        candidate_qualified: 104,
        becoming_qualified: 9,
        stopping_qualified: 5,
        average_qualified_per_day: {
          active: 98.5,
          candidate: null,
          days_sampled: ['2026-08-03', '2026-08-18'],
        },
      },
      transitions: { stage: matrix([...BUYING_STAGES, 'none']), fit: matrix([...FIT_BANDS, 'none']) },
      compared_at: '2026-11-01T05:00:00.000Z',
    } as unknown as ModelComparison;
    const lines = formatComparison(comparison).split('\n');
    expect(lines.slice(0, 8)).toEqual([
      'candidate: training 7, trained as of 2026-11-01: intent:20 profile_fit:21 contact_fit:22 engagement:23',
      'active:    training 3, trained as of 2026-11-01: intent:10 profile_fit:11 contact_fit:12 engagement:13',
      '',
      'Own figures (at training)',
      '                              ACTIVE  CANDIDATE',
      '  intent AUC                  0.700   0.720',
      '  intent identification rate  50.0 %  50.0 %',
      '  profile_fit AUC             0.700   0.720',
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        'Backtest: both score as of 2026-08-03, judged on the relevant opportunities opened until 2026-11-01: 1,200 accounts, 40 converted, 52 opportunities',
        '  intent AUC                        0.700 (0.650–0.750)  0.720',
        '  Decision: conversion (lift)       5.0 % (1.50×)        5.0 % (1.50×)',
        '  Weak fit: conversion (lift)       – (–)                – (–)',
        'Qualified accounts on 2026-11-01: 100 in the current run, 104 with the candidate (9 becoming qualified, 5 stopping)',
        '  per day over the last 90 days (2 days sampled): 98.5 active, – candidate',
        'Buying stage on 2026-11-01: current run (rows) → candidate (columns)',
        '  FROM \\ TO      Target  Awareness  Consideration  Decision  Purchase  none',
        '  Consideration  0       0          3              0         0         0',
        'Profile fit on 2026-11-01: current run (rows) → candidate (columns)',
        '  FROM \\ TO  Strong  Moderate  Weak  none',
        '  none       0       0         0     3',
      ]),
    );
  });
});
