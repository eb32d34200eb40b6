import { isQualified } from '../../domain/scoring/qualified';
import { MODEL_KINDS, type ModelKind } from '../../domain/scoring/modelCodec';
import type { TrainedModels } from '../../domain/scoring/trainModels';
import { OPERATOR, SCHEDULER } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedDemoMarket } from '../demo/seedDemoMarket';
import { computeScores } from '../scoring/scoreRun';
import { storeScores } from '../scoring/scoreStore';
import { compareAccounts, compareModels, type ModelComparison } from './compareModels';
import { loadModels, saveTraining, versionLabel, type VersionFigures, type VersionIds } from './versionStore';

const END = new Date('2026-11-01T00:00:00Z');
const DAY = '2026-11-01';
const day = (text: string) => new Date(`${text}T00:00:00Z`);

/** Stores the models trained on the facts before `asOf` as one training in `state`. */
async function train(db: Db, asOf: string, state: 'active' | 'candidate') {
  const { models } = await computeScores(db, day(asOf));
  const figures = (auc: number | null): VersionFigures => ({
    training: { window_end: asOf },
    backtest: null,
    auc,
    identificationRate: auc === null ? null : 0.5,
  });
  const byKind: Record<ModelKind, VersionFigures> = {
    intent: figures(0.7),
    profile_fit: figures(0.65),
    contact_fit: figures(0.6),
    engagement: figures(null),
  };
  return db.transaction((tx) =>
    saveTraining(tx, {
      trainedAsOf: asOf,
      models,
      figures: byKind,
      state,
      actor: state === 'active' ? SCHEDULER : OPERATOR,
      requestedBy: state === 'active' ? 'first_run' : 'command line',
      action: state === 'active' ? 'first_run' : 'train',
    }),
  );
}

/** The current run of `asOf`, scored with the given versions (what daily scoring stores). */
async function scoreWith(db: Db, asOf: string, ids: VersionIds): Promise<number> {
  const models = await loadModels(db, ids);
  const { scores } = await computeScores(db, day(asOf), undefined, { models, label: versionLabel(ids) });
  return (await storeScores(db, asOf, scores)).runId;
}

async function qualifiedWith(db: Db, asOf: string, models: TrainedModels): Promise<Set<string>> {
  const { scores } = await computeScores(db, day(asOf), undefined, { models, label: 'direct' });
  return new Set(
    scores.accounts.filter((a) => isQualified(a.profileFit, a.buyingStage)).map((a) => a.accountId),
  );
}

const sumOf = (matrix: Record<string, Record<string, number>>) =>
  Object.values(matrix)
    .flatMap((row) => Object.values(row))
    .reduce((sum, count) => sum + count, 0);

describe.each(testStoreTargets())('model comparison on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let active: VersionIds;
  let candidate: VersionIds;
  let candidateTraining: number;
  let runId: number;
  let comparison: ModelComparison;

  beforeAll(async () => {
    await seedDemoMarket({ db, seed: 17, accounts: 160, endDate: END });
    active = (await train(db, '2026-06-01', 'active')).versions;
  }, 120_000);

  it('refuses without a candidate, then without a run', async () => {
    await expect(compareModels(db)).rejects.toMatchObject({
      code: 'not_found',
      message: 'no candidate model to compare',
    });
    const trained = await train(db, '2026-10-15', 'candidate');
    candidate = trained.versions;
    candidateTraining = trained.trainingId;
    await expect(compareModels(db)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/score first/),
    });
  }, 120_000);

  it('compares the candidate with the active versions on the current run', async () => {
    runId = await scoreWith(db, DAY, active);
    comparison = await compareModels(db, { now: new Date('2026-11-01T08:00:00Z') });
    expect(Object.keys(comparison)).toEqual([
      'active',
      'candidate',
      'metrics',
      'qualified_impact',
      'transitions',
      'compared_at',
    ]);
    expect(comparison.active).toMatchObject({ trained_as_of: '2026-06-01' });
    expect(comparison.active.versions.map((v) => [v.kind, v.id, v.state])).toEqual(
      MODEL_KINDS.map((kind) => [kind, active[kind], 'active']),
    );
    expect(comparison.candidate).toMatchObject({
      training_id: candidateTraining,
      trained_as_of: '2026-10-15',
    });
    expect(comparison.candidate.versions.map((v) => [v.kind, v.id, v.state])).toEqual(
      MODEL_KINDS.map((kind) => [kind, candidate[kind], 'candidate']),
    );
    expect(comparison.candidate.versions[0]).toMatchObject({ auc: 0.7, identification_rate: 0.5 });
    expect(comparison.compared_at).toBe('2026-11-01T08:00:00.000Z');
  }, 300_000);

  it('backtests both sides from 90 days before the run, on the relevant opportunities since', async () => {
    const { backtest } = comparison.metrics;
    expect(backtest).toMatchObject({ scored_as_of: '2026-08-03', outcomes_until: DAY });
    expect(backtest.note).toMatch(/^the candidate was trained on facts before 2026-10-15, which include/);
    const [direct] = await db.query<{ accounts: number; converters: number; opportunities: number }>(
      `SELECT (SELECT count(*)::int FROM accounts WHERE created_at IS NULL OR created_at < '2026-08-03') AS accounts,
              count(DISTINCT o.account_id)::int AS converters, count(o.id)::int AS opportunities
         FROM opportunities o JOIN accounts a ON a.id = o.account_id
        WHERE o.created_at >= '2026-08-03' AND o.created_at < '2026-11-01'
          AND (a.created_at IS NULL OR a.created_at < '2026-08-03')
          AND coalesce(o.relevant, lower(o.type) = 'new business' AND o.amount > 0)`,
    );
    expect(backtest).toMatchObject(direct as object);
    expect(backtest.converters).toBeGreaterThan(0);
    for (const side of [comparison.metrics.active, comparison.metrics.candidate]) {
      const stages = Object.values(side.account_behavior);
      expect(stages.reduce((sum, s) => sum + s.accounts, 0)).toBe(backtest.accounts);
      expect(stages.reduce((sum, s) => sum + s.converters, 0)).toBe(backtest.converters);
      expect(Object.values(side.account_fit).reduce((sum, b) => sum + b.accounts, 0)).toBe(backtest.accounts);
      expect(side.auc).toEqual(expect.any(Number));
      expect(side.auc_ci).toHaveLength(2);
    }
  });

  it('counts transitions over every account and the qualified impact as a direct count does', async () => {
    const [accounts] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
    expect(sumOf(comparison.transitions.stage)).toBe(accounts?.n);
    expect(sumOf(comparison.transitions.fit)).toBe(accounts?.n);
    const stored = await db.query<{ account_id: string }>(
      'SELECT account_id FROM account_scores WHERE run_id = $1 AND qualified',
      [runId],
    );
    const was = new Set(stored.map((row) => row.account_id));
    const will = await qualifiedWith(db, DAY, await loadModels(db, candidate));
    const impact = comparison.qualified_impact;
    expect(impact).toMatchObject({
      day: DAY,
      active_qualified: was.size,
      candidate_qualified: will.size,
      becoming_qualified: [...will].filter((id) => !was.has(id)).length,
      stopping_qualified: [...was].filter((id) => !will.has(id)).length,
    });
    expect(impact.average_qualified_per_day.days_sampled).toEqual([
      '2026-08-03',
      '2026-08-18',
      '2026-09-02',
      '2026-09-17',
      '2026-10-02',
      '2026-10-17',
    ]);
    // The averages, counted directly day by day.
    const activeModels = await loadModels(db, active);
    const candidateModels = await loadModels(db, candidate);
    let activeSum = 0;
    let candidateSum = 0;
    for (const sampled of impact.average_qualified_per_day.days_sampled) {
      activeSum += (await qualifiedWith(db, sampled, activeModels)).size;
      candidateSum += (await qualifiedWith(db, sampled, candidateModels)).size;
    }
    expect(impact.average_qualified_per_day.active).toBe(activeSum / 6);
    expect(impact.average_qualified_per_day.candidate).toBe(candidateSum / 6);
    expect(activeSum + candidateSum).toBeGreaterThan(0);
  }, 120_000);

  it('drills down to the accounts of a cell and of a qualified change, a page at a time', async () => {
    const [from, row] = Object.entries(comparison.transitions.stage).find(([, cells]) =>
      Object.values(cells).some((n) => n >= 3),
    ) as [string, Record<string, number>];
    const to = Object.keys(row).find((key) => (row[key] ?? 0) >= 3) as string;
    const cell = await compareAccounts(db, { kind: 'stage', from, to, limit: 3, offset: 0 });
    expect(cell.total).toBe(row[to]);
    expect(cell.accounts).toHaveLength(3);
    for (const account of cell.accounts) {
      expect(account.active?.stage ?? 'none').toBe(from);
      expect(account.candidate?.stage ?? 'none').toBe(to);
      expect(account.name).toEqual(expect.any(String));
    }
    const page = await compareAccounts(db, { kind: 'stage', from, to, limit: 2, offset: 1 });
    expect(page.accounts).toEqual(cell.accounts.slice(1));
    const becoming = await compareAccounts(db, { kind: 'becoming_qualified', limit: 1000, offset: 0 });
    expect(becoming.total).toBe(comparison.qualified_impact.becoming_qualified);
    for (const account of becoming.accounts) {
      expect(account.candidate?.qualified).toBe(true);
      expect(account.active?.qualified ?? false).toBe(false);
    }
    const stopping = await compareAccounts(db, { kind: 'stopping_qualified', limit: 1000, offset: 0 });
    expect(stopping.total).toBe(comparison.qualified_impact.stopping_qualified);
    await expect(
      compareAccounts(db, { kind: 'fit', from: 'Great', limit: 10, offset: 0 }),
    ).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('makes the same comparison when the market is read in parts of 7 accounts', async () => {
    await db.run('UPDATE model_trainings SET comparison = NULL WHERE id = $1', [candidateTraining]);
    const inParts = await compareModels(db, { now: new Date('2026-11-01T08:00:00Z'), accountsPerPart: 7 });
    expect(inParts).toEqual(comparison);
    const becoming = await compareAccounts(db, { kind: 'becoming_qualified', limit: 1000, offset: 0 });
    expect(becoming.total).toBe(comparison.qualified_impact.becoming_qualified);
  }, 300_000);

  it('keeps the comparison while the run and the versions stay, and makes it anew for a new run', async () => {
    const again = await compareModels(db, { now: new Date('2026-11-01T09:00:00Z') });
    expect(again).toEqual(comparison);
    const [kept] = await db.query<{ key: unknown }>(
      `SELECT comparison->'key' AS key FROM model_trainings WHERE id = $1`,
      [candidateTraining],
    );
    const key = typeof kept?.key === 'string' ? JSON.parse(kept.key) : kept?.key;
    expect(key).toEqual({ run_id: runId, training_id: candidateTraining, active, candidate });
    const rerun = await scoreWith(db, DAY, active);
    const renewed = await compareModels(db, { now: new Date('2026-11-01T10:00:00Z') });
    expect(renewed.compared_at).toBe('2026-11-01T10:00:00.000Z');
    expect(rerun).not.toBe(runId);
    // The same versions on the same facts: the same comparison but for when it was made.
    expect({ ...renewed, compared_at: null }).toEqual({ ...comparison, compared_at: null });
  }, 300_000);
  it('takes the active version for a kind the candidate training lacks', async () => {
    await db.run(`UPDATE model_versions SET state = 'rejected' WHERE id = $1`, [candidate.engagement]);
    const mixed = await compareModels(db, { now: new Date('2026-11-01T11:00:00Z') });
    expect(mixed.compared_at).toBe('2026-11-01T11:00:00.000Z');
    expect(mixed.candidate.training_id).toBe(candidateTraining);
    expect(mixed.candidate.versions.map((v) => [v.kind, v.id, v.state])).toEqual([
      ['intent', candidate.intent, 'candidate'],
      ['profile_fit', candidate.profile_fit, 'candidate'],
      ['contact_fit', candidate.contact_fit, 'candidate'],
      ['engagement', active.engagement, 'active'],
    ]);
    await db.run(`UPDATE model_versions SET state = 'rejected' WHERE training_id = $1`, [candidateTraining]);
    await expect(compareModels(db)).rejects.toMatchObject({ code: 'not_found' });
  }, 300_000);
});
