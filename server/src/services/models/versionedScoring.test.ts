import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedDemoMarket } from '../demo/seedDemoMarket';
import { exportScores } from '../scoring/exportScores';
import { computeScores } from '../scoring/scoreRun';
import { scoreStore } from '../scoring/scoreStore';
import { OPERATOR } from '../../policies/policies';
import { rollbackModels } from './lifecycle';
import { activeVersionIds, loadModels, versionLabel, versionsOfRun } from './versionStore';

/**
 * Scoring applies the active model versions (docs/models.md): a store's first run trains and
 * activates them with the run, later runs train nothing, and every stored run is reproduced
 * exactly from the versions it names and the facts before its day.
 */
const END = new Date('2026-11-01T00:00:00Z');
const NEXT = new Date('2026-11-02T00:00:00Z');

describe.each(testStoreTargets())('versioned scoring on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    await seedDemoMarket({ db, seed: 5, accounts: 250, endDate: END });
  }, 120_000);

  const count = async (sql: string) => (await db.query<{ n: number }>(sql))[0]?.n;

  it('trains on the first run and saves the training as the active versions with the run', async () => {
    const result = await scoreStore(db, { asOf: END });
    const active = await activeVersionIds(db);
    expect(active).not.toBeNull();
    const label = versionLabel(active!);
    expect(label).toMatch(/^intent:\d+ profile_fit:\d+ contact_fit:\d+ engagement:\d+$/);
    expect(result.summary.modelVersion).toBe(label);
    expect(result.summary.intent.fallback).toBeNull();
    expect(
      await db.query("SELECT requested_by, to_char(trained_as_of, 'YYYY-MM-DD') AS day FROM model_trainings"),
    ).toEqual([{ requested_by: 'first_run', day: '2026-11-01' }]);
    const [run] = await db.query<{ model_version: string; summary: { modelVersion: string } }>(
      'SELECT model_version, summary FROM score_runs WHERE id = $1',
      [result.runId],
    );
    expect(run?.model_version).toBe(label);
    expect(run?.summary.modelVersion).toBe(label);
    expect(await versionsOfRun(db, result.runId)).toEqual(active);
    expect(
      await db.query(`SELECT from_state, to_state, action, actor FROM model_version_events ORDER BY id`),
    ).toEqual(
      ['intent', 'profile_fit', 'contact_fit', 'engagement'].map(() => ({
        from_state: null,
        to_state: 'active',
        action: 'first_run',
        actor: 'schedule',
      })),
    );
    // Its own figures are stored with it.
    const [intent] = await db.query<{
      auc: number;
      identification_rate: number;
      training: Record<string, unknown>;
    }>(`SELECT auc, identification_rate, training FROM model_versions WHERE kind = 'intent'`);
    expect(intent?.auc).toBeGreaterThan(0.5);
    expect(intent?.identification_rate).toBeGreaterThan(0);
    expect(intent?.training).toMatchObject({
      window_start: '2025-08-03',
      window_end: '2026-11-01',
      snapshots: 4,
    });
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'models.train'`)).toBe(1);
  }, 120_000);

  it('trains nothing on the next run and applies the same versions', async () => {
    const active = await activeVersionIds(db);
    const result = await scoreStore(db, { asOf: NEXT });
    expect(await count('SELECT count(*)::int AS n FROM model_trainings')).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM model_versions')).toBe(4);
    expect(await versionsOfRun(db, result.runId)).toEqual(active);
    expect(result.summary.modelVersion).toBe(versionLabel(active!));
    // The applied models' training summaries are the versions' (trained on the first run's day).
    const first = await db.query<{ summary: unknown }>(
      "SELECT summary FROM score_runs WHERE as_of = '2026-11-01'",
    );
    const next = await db.query<{ summary: unknown }>('SELECT summary FROM score_runs WHERE id = $1', [
      result.runId,
    ]);
    expect(next[0]?.summary).toEqual(first[0]?.summary);
  }, 120_000);

  it('reproduces every stored run row for row from its versions and the facts before its day', async () => {
    const runs = await db.query<{ id: number; as_of: string }>(
      "SELECT id::int AS id, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM score_runs ORDER BY id",
    );
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      const ids = await versionsOfRun(db, run.id);
      const { scores } = await computeScores(db, new Date(`${run.as_of}T00:00:00Z`), undefined, {
        models: await loadModels(db, ids!),
        label: versionLabel(ids!),
      });
      const accounts = await db.query<Record<string, unknown>>(
        `SELECT account_id, intent_score, buying_stage, profile_score, profile_fit, reach, reasons
           FROM account_scores WHERE run_id = $1 ORDER BY account_id`,
        [run.id],
      );
      expect(accounts).toEqual(
        [...scores.accounts]
          .sort((a, b) => (a.accountId < b.accountId ? -1 : 1))
          .map((a) => ({
            account_id: a.accountId,
            intent_score: a.intentScore,
            buying_stage: a.buyingStage,
            profile_score: a.profileScore,
            profile_fit: a.profileFit,
            reach: a.reach,
            reasons: a.reasons,
          })),
      );
      const people = await db.query<Record<string, unknown>>(
        `SELECT contact_id, account_id, engagement_score, engagement_grade, profile_score, profile_fit, persona
           FROM contact_scores WHERE run_id = $1 ORDER BY contact_id`,
        [run.id],
      );
      expect(people).toEqual(
        [...scores.people]
          .sort((a, b) => (a.contactId < b.contactId ? -1 : 1))
          .map((p) => ({
            contact_id: p.contactId,
            account_id: p.accountId,
            engagement_score: p.engagementScore,
            engagement_grade: p.engagementGrade,
            profile_score: p.profileScore,
            profile_fit: p.profileFit,
            persona: p.persona,
          })),
      );
    }
  }, 120_000);

  it('scores with given versions when asked (a rescore), and exports the versions as the model_version', async () => {
    const active = await activeVersionIds(db);
    const result = await scoreStore(db, { asOf: NEXT, versions: active! });
    expect(await versionsOfRun(db, result.runId)).toEqual(active);
    const dir = mkdtempSync(path.join(tmpdir(), 'signalfit-versions-'));
    try {
      await exportScores(db, { dir, today: NEXT });
      const [header, first] = readFileSync(path.join(dir, 'account_scores.csv'), 'utf8').split('\n');
      expect(header?.endsWith(',model_version')).toBe(true);
      expect(first?.endsWith(`,${versionLabel(active!)}`)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('scores a day before the active versions were trained by a training of its own, naming no versions', async () => {
    const past = new Date('2026-10-01T00:00:00Z');
    const result = await scoreStore(db, { asOf: past });
    expect(await versionsOfRun(db, result.runId)).toBeNull();
    expect(result.summary.modelVersion).toMatch(
      /^v1-intent:(logistic|naive_bayes)-fit:\w+-contact:\w+@2026-10-01$/,
    );
    expect(await count('SELECT count(*)::int AS n FROM model_trainings')).toBe(1);
    const { scores } = await computeScores(db, past);
    const stored = await db.query<{ account_id: string; intent_score: number | null }>(
      'SELECT account_id, intent_score FROM account_scores WHERE run_id = $1 ORDER BY account_id',
      [result.runId],
    );
    expect(stored).toEqual(
      [...scores.accounts]
        .sort((a, b) => (a.accountId < b.accountId ? -1 : 1))
        .map((a) => ({ account_id: a.accountId, intent_score: a.intentScore })),
    );
  }, 120_000);

  it('leaves neither versions nor run when the first run fails at its commit', async () => {
    const empty = await target.open();
    try {
      await seedDemoMarket({ db: empty, seed: 6, accounts: 60, endDate: END });
      await expect(
        scoreStore(empty, {
          asOf: END,
          beforeCommit: async () => {
            throw new Error('crash before the commit');
          },
        }),
      ).rejects.toThrow('crash before the commit');
      const [left] = await empty.query<{ trainings: number; versions: number; runs: number }>(
        `SELECT (SELECT count(*)::int FROM model_trainings) AS trainings, (SELECT count(*)::int FROM model_versions) AS versions,
                (SELECT count(*)::int FROM score_runs) AS runs`,
      );
      expect(left).toEqual({ trainings: 0, versions: 0, runs: 0 });
      // A rerun trains afresh and activates.
      await scoreStore(empty, { asOf: END });
      expect(await activeVersionIds(empty)).not.toBeNull();
    } finally {
      await empty.close();
    }
  }, 120_000);
});

describe.each(testStoreTargets())('a store scored before it had any history, on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  it('keeps training until it has models, which then replace the empty versions at once', async () => {
    const empty = await scoreStore(db, { asOf: END });
    expect(empty.summary.intent.fallback).toMatch(/too little history/);
    const emptyVersions = await activeVersionIds(db);
    // Another run without history names the same empty versions and saves no new ones.
    const again = await scoreStore(db, { asOf: END });
    expect(await versionsOfRun(db, again.runId)).toEqual(emptyVersions);
    expect((await db.query('SELECT id FROM model_versions')).length).toBe(4);
    await seedDemoMarket({ db, seed: 5, accounts: 250, endDate: END });
    const scored = await scoreStore(db, { asOf: NEXT });
    expect(scored.summary.intent.fallback).toBeNull();
    const active = await activeVersionIds(db);
    expect(active).not.toEqual(emptyVersions);
    expect(await versionsOfRun(db, scored.runId)).toEqual(active);
    expect(
      await db.query(`SELECT state, count(*)::int AS n FROM model_versions GROUP BY state ORDER BY state`),
    ).toEqual([
      { state: 'active', n: 4 },
      { state: 'retired', n: 4 },
    ]);
    expect(
      await db.query<{ action: string }>(
        `SELECT DISTINCT action FROM model_version_events WHERE to_state = 'retired'`,
      ),
    ).toEqual([{ action: 'no_model' }]);
    // The empty versions are no rollback target.
    await expect(rollbackModels(db, { actor: OPERATOR })).rejects.toThrow(/nothing to roll back to/);
    // Once it has models, the next run trains nothing.
    await scoreStore(db, { asOf: new Date('2026-11-03T00:00:00Z') });
    expect((await db.query('SELECT id FROM model_trainings')).length).toBe(2);
  }, 240_000);
});
