import { isAppError } from '../../errors';
import { OPERATOR, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedDemoMarket } from '../demo/seedDemoMarket';
import { findRun } from '../scoring/currentRun';
import { scoreStore } from '../scoring/scoreStore';
import {
  approveCandidate,
  listModels,
  pendingCandidate,
  postponeCandidate,
  rejectCandidate,
  rollbackModels,
  trainCandidate,
} from './lifecycle';
import type { ModelNotice } from './notices';
import { activeVersionIds, versionLabel, versionsOfRun, type VersionIds } from './versionStore';

/**
 * The model lifecycle on a small market, on both stores: a candidate is trained, judged on its
 * own figures, announced, approved, postponed, rejected or superseded; a worse one is kept
 * rejected; a rollback restores the previous versions and the current day is rescored with them.
 */
jest.setTimeout(120_000);

const END = new Date('2026-11-01T00:00:00Z');
const NOW = new Date('2026-11-01T09:30:00Z');
const ADMIN: Actor = { userId: 'u-ada', name: 'Ada', email: 'ada@example.com', role: 'Admin' };
const VIEWER: Actor = { userId: 'u-bob', name: 'Bob', email: 'bob@example.com', role: 'Sales' };

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe.each(testStoreTargets())('model lifecycle on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  const notices: ModelNotice[] = [];
  const notify = async (notice: ModelNotice) => {
    notices.push(notice);
    return { messages: 0, failed: 0, errors: [] };
  };
  let firstRun: { runId: number; versions: VersionIds };

  beforeAll(async () => {
    await seedDemoMarket({ db, seed: 5, accounts: 250, endDate: END });
    const run = await scoreStore(db, { asOf: END });
    firstRun = { runId: run.runId, versions: (await activeVersionIds(db))! };
  }, 180_000);

  /** Sets the active intent version's stored figures: the gate's bar. */
  const setActiveFigures = (auc: number, identification: number) =>
    db.run(
      `UPDATE model_versions SET auc = $1, identification_rate = $2 WHERE state = 'active' AND kind = 'intent'`,
      [auc, identification],
    );

  const events = (trainingId: number) =>
    db.query<{
      kind: string;
      from_state: string | null;
      to_state: string;
      action: string;
      actor: string;
      note: string | null;
    }>(
      `SELECT v.kind, e.from_state, e.to_state, e.action, e.actor, e.note FROM model_version_events e
         JOIN model_versions v ON v.id = e.version_id WHERE v.training_id = $1 ORDER BY e.id`,
      [trainingId],
    );

  const auditActions = async () =>
    (
      await db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE action LIKE 'models.%' ORDER BY id`,
      )
    ).map((row) => row.action);

  it('refuses whoever may not manage models', async () => {
    expect((await rejection(trainCandidate(db, { actor: VIEWER, now: NOW }))).code).toBe('forbidden');
    expect((await rejection(rollbackModels(db, { actor: VIEWER }))).code).toBe('forbidden');
  });

  it('trains a candidate not worse than the active versions: stored with its figures, due after the notice, announced', async () => {
    await setActiveFigures(0.5, 0);
    const result = await trainCandidate(db, {
      asOf: new Date('2026-10-04T00:00:00Z'),
      actor: ADMIN,
      now: NOW,
      notify,
    });
    expect(result).toMatchObject({ state: 'candidate', rolloutOn: '2026-10-18' });
    expect(result.reason).toMatch(
      /^not worse: AUC 0\.\d{3} vs 0\.500 \(at least 0\.490 needed\); identification/,
    );
    expect(result.versions.map((v) => [v.kind, v.state, v.trained_as_of])).toEqual([
      ['intent', 'candidate', '2026-10-04'],
      ['profile_fit', 'candidate', '2026-10-04'],
      ['contact_fit', 'candidate', '2026-10-04'],
      ['engagement', 'candidate', '2026-10-04'],
    ]);
    const intent = result.versions[0]!;
    expect(intent.auc).toBeGreaterThan(0.5);
    expect(intent.backtest).toMatchObject({
      auc: intent.auc,
      identification_rate: intent.identification_rate,
    });
    expect((intent.backtest?.by_stage as unknown[]).length).toBe(5);
    expect(result.versions[3]).toMatchObject({ auc: null, identification_rate: null, backtest: null });
    // The in-app notice, and the webhook one, sent once.
    const pending = await pendingCandidate(db);
    expect(pending).toMatchObject({
      trainingId: result.trainingId,
      trainedAsOf: '2026-10-04',
      rolloutOn: '2026-10-18',
      announcedAt: '2026-11-01T09:30:00Z',
      remindedAt: null,
    });
    expect(pending?.versions.map((v) => v.id)).toEqual(result.versions.map((v) => v.id));
    expect(notices.map((n) => [n.kind, n.trainingId])).toEqual([['announce', result.trainingId]]);
    expect(notices[0]?.message.text).toMatch(
      /^Model update: candidate trained on 2026-10-04 rolls out on 2026-10-18 \(AUC 0\.\d{3} vs 0\.500, identification \d+\.\d% vs 0\.0%\) — approve, postpone or reject on the Models page$/,
    );
    // The list: newest first, the roll-out day on candidates only.
    const list = await listModels(db);
    expect(list).toHaveLength(8);
    expect(list[0]).toMatchObject({
      id: result.versions[3]!.id,
      kind: 'engagement',
      state: 'candidate',
      rollout_on: '2026-10-18',
    });
    expect(list.find((row) => row.kind === 'intent' && row.state === 'candidate')).toMatchObject({
      method: intent.method,
      auc: intent.auc,
      auc_ci: [expect.any(Number), expect.any(Number)],
      identification_rate: intent.identification_rate,
      training_id: result.trainingId,
      trained_as_of: '2026-10-04',
      state_changed_by: 'ada@example.com',
    });
    expect(list.filter((row) => row.state === 'active').every((row) => row.rollout_on === null)).toBe(true);
    expect(await auditActions()).toEqual(['models.train', 'models.train']); // the first run's, and this one
  });

  it('approves the pending candidate: active at once, the previous versions retired, the current day rescored', async () => {
    const pending = (await pendingCandidate(db))!;
    const result = await approveCandidate(db, { actor: ADMIN, now: NOW });
    expect(result.trainingId).toBe(pending.trainingId);
    expect(result.activated.map((v) => [v.id, v.state])).toEqual(
      pending.versions.map((v) => [v.id, 'active']),
    );
    const active = (await activeVersionIds(db))!;
    expect(Object.values(active).sort()).toEqual(pending.versions.map((v) => v.id).sort());
    expect(result.run).toEqual({ runId: expect.any(Number), asOf: '2026-11-01' });
    expect(await versionsOfRun(db, result.run!.runId)).toEqual(active);
    expect((await findRun(db))?.id).toBe(result.run!.runId);
    const states = await db.query<{ id: number; state: string }>(
      'SELECT id::int AS id, state FROM model_versions WHERE id = ANY($1::bigint[]) ORDER BY id',
      [Object.values(firstRun.versions)],
    );
    expect(states.map((row) => row.state)).toEqual(['retired', 'retired', 'retired', 'retired']);
    expect(
      (await events(pending.trainingId)).map((e) => `${e.from_state}>${e.to_state}:${e.action}`),
    ).toEqual([...Array(4).fill('null>candidate:train'), ...Array(4).fill('candidate>active:approve')]);
    expect(await pendingCandidate(db)).toBeNull();
    expect((await auditActions()).at(-1)).toBe('models.approve');
    // Nothing is pending any more.
    expect(await rejection(approveCandidate(db, { actor: ADMIN, now: NOW }))).toEqual({
      code: 'not_found',
      message: 'no candidate models are pending: train some first',
    });
    expect((await rejection(approveCandidate(db, { id: pending.versions[0]!.id, actor: ADMIN }))).code).toBe(
      'conflict',
    );
  });

  it('postpones a candidate by the notice period or the days asked, 1 to 90', async () => {
    await setActiveFigures(0.5, 0);
    const trained = await trainCandidate(db, {
      asOf: new Date('2026-10-11T00:00:00Z'),
      actor: ADMIN,
      now: NOW,
    });
    expect(trained.rolloutOn).toBe('2026-10-25');
    // Trained without a notifier: the announcement is left to the daily job.
    expect((await pendingCandidate(db))?.announcedAt).toBeNull();
    for (const days of [0, 91, 1.5])
      expect((await rejection(postponeCandidate(db, { days, actor: ADMIN }))).code).toBe('validation_failed');
    expect(await postponeCandidate(db, { actor: ADMIN })).toEqual({
      trainingId: trained.trainingId,
      rolloutOn: '2026-11-08',
    });
    expect(await postponeCandidate(db, { id: trained.versions[2]!.id, days: 3, actor: ADMIN })).toEqual({
      trainingId: trained.trainingId,
      rolloutOn: '2026-11-11',
    });
    expect((await pendingCandidate(db))?.rolloutOn).toBe('2026-11-11');
    const postponed = (await events(trained.trainingId)).filter((e) => e.action === 'postpone');
    expect(postponed.map((e) => e.note)).toEqual([
      ...Array(4).fill('rolls out on 2026-11-08'),
      ...Array(4).fill('rolls out on 2026-11-11'),
    ]);
    expect((await auditActions()).slice(-2)).toEqual(['models.postpone', 'models.postpone']);
  });

  it('supersedes an older pending candidate with a newer training', async () => {
    const older = (await pendingCandidate(db))!;
    await setActiveFigures(0.5, 0);
    const newer = await trainCandidate(db, {
      asOf: new Date('2026-10-18T00:00:00Z'),
      actor: ADMIN,
      now: NOW,
    });
    expect(newer.state).toBe('candidate');
    expect((await pendingCandidate(db))?.trainingId).toBe(newer.trainingId);
    const superseded = (await events(older.trainingId)).filter((e) => e.action === 'superseded');
    expect(superseded).toHaveLength(4);
    expect(superseded[0]).toMatchObject({
      from_state: 'candidate',
      to_state: 'rejected',
      note: `superseded by training ${newer.trainingId}`,
    });
  });

  it('rejects a candidate training by the id of any of its versions', async () => {
    const pending = (await pendingCandidate(db))!;
    expect((await rejection(rejectCandidate(db, { id: 999_999, actor: ADMIN }))).code).toBe('not_found');
    const result = await rejectCandidate(db, { id: pending.versions[1]!.id, actor: ADMIN });
    expect(result.trainingId).toBe(pending.trainingId);
    expect(result.rejected.map((v) => v.state)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(await pendingCandidate(db)).toBeNull();
    expect((await rejection(rejectCandidate(db, { actor: ADMIN }))).code).toBe('not_found');
    expect((await rejection(approveCandidate(db, { id: pending.versions[0]!.id, actor: ADMIN }))).code).toBe(
      'conflict',
    );
    expect((await auditActions()).at(-1)).toBe('models.reject');
  });

  it('keeps a worse candidate rejected with its figures and tells Admins it was not rolled out', async () => {
    await setActiveFigures(0.99, 0.99);
    notices.length = 0;
    const result = await trainCandidate(db, {
      asOf: new Date('2026-10-25T00:00:00Z'),
      actor: ADMIN,
      now: NOW,
      notify,
    });
    expect(result.state).toBe('rejected');
    expect(result.rolloutOn).toBeNull();
    expect(result.reason).toMatch(/^worse: AUC 0\.\d{3} vs 0\.990 \(at least 0\.980 needed\)/);
    expect(result.versions.every((v) => v.state === 'rejected')).toBe(true);
    expect(result.versions[0]?.auc).toBeGreaterThan(0.5);
    const worse = (await events(result.trainingId)).filter((e) => e.action === 'worse');
    expect(worse).toHaveLength(4);
    expect(worse[0]?.note).toBe(result.reason);
    expect(await pendingCandidate(db)).toBeNull();
    expect(notices.map((n) => n.kind)).toEqual(['worse']);
    expect(notices[0]?.message.text).toMatch(
      /^Model update: candidate trained on 2026-10-25 not rolled out: worse than the active models \(AUC 0\.\d{3} vs 0\.990/,
    );
  });

  it('rolls back to the versions active before, and rescoring the day gives their scores again', async () => {
    const replaced = (await activeVersionIds(db))!;
    const result = await rollbackModels(db, { actor: ADMIN, now: NOW });
    expect(result.restored.map((v) => v.id)).toEqual(Object.values(firstRun.versions).sort((a, b) => a - b));
    expect(result.restored.every((v) => v.state === 'active')).toBe(true);
    expect(result.rolledBack.map((v) => v.id)).toEqual(Object.values(replaced).sort((a, b) => a - b));
    expect(result.rolledBack.every((v) => v.state === 'rejected')).toBe(true);
    expect(await activeVersionIds(db)).toEqual(firstRun.versions);
    const rolledBack = await db.query<{ action: string; note: string | null }>(
      `SELECT action, note FROM model_version_events WHERE version_id = $1 ORDER BY id DESC LIMIT 1`,
      [replaced.intent],
    );
    expect(rolledBack).toEqual([{ action: 'rollback', note: 'rolled back' }]);
    // The rescored day equals the first run of that day, scored with the same versions.
    expect(result.run?.asOf).toBe('2026-11-01');
    expect(await versionsOfRun(db, result.run!.runId)).toEqual(firstRun.versions);
    const rows = (runId: number) =>
      db.query(
        `SELECT account_id, intent_score, buying_stage, profile_score, profile_fit, reach, qualified, reasons
           FROM account_scores WHERE run_id = $1 ORDER BY account_id`,
        [runId],
      );
    const people = (runId: number) =>
      db.query(
        `SELECT contact_id, engagement_score, engagement_grade, profile_score, profile_fit, persona
           FROM contact_scores WHERE run_id = $1 ORDER BY contact_id`,
        [runId],
      );
    const restored = await rows(result.run!.runId);
    expect(restored).toHaveLength(250);
    expect(restored).toEqual(await rows(firstRun.runId));
    expect(await people(result.run!.runId)).toEqual(await people(firstRun.runId));
    const [label] = await db.query<{ model_version: string }>(
      'SELECT model_version FROM score_runs WHERE id = $1',
      [result.run!.runId],
    );
    expect(label?.model_version).toBe(versionLabel(firstRun.versions));
    expect((await auditActions()).at(-1)).toBe('models.rollback');
    // The first versions had none before them.
    expect(await rejection(rollbackModels(db, { actor: ADMIN }))).toEqual({
      code: 'conflict',
      message:
        'nothing to roll back to: no earlier version of intent, profile_fit, contact_fit, engagement was active',
    });
  });

  it('keeps an approval when the rescore after it fails, and says so', async () => {
    await setActiveFigures(0.5, 0);
    const trained = await trainCandidate(db, {
      asOf: new Date('2026-10-25T00:00:00Z'),
      actor: OPERATOR,
      now: NOW,
    });
    const runs = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM score_runs'))[0]?.n;
    const result = await approveCandidate(db, {
      actor: OPERATOR,
      now: NOW,
      rescore: async () => {
        throw new Error('the scoring lease is taken');
      },
    });
    expect(result).toMatchObject({
      trainingId: trained.trainingId,
      run: null,
      rescoreError: 'the scoring lease is taken',
    });
    expect(result.activated.every((v) => v.state === 'active')).toBe(true);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM score_runs'))[0]?.n).toBe(runs);
    // The next scoring applies the approved versions.
    const next = await scoreStore(db, { asOf: new Date('2026-11-02T00:00:00Z') });
    expect(Object.values((await versionsOfRun(db, next.runId))!).sort()).toEqual(
      trained.versions.map((v) => v.id).sort(),
    );
  });
});
