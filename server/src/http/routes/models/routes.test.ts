import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../../domain/vocabulary';
import { AppError } from '../../../errors';
import type { Actor } from '../../../policies/policies';
import { withModelHooks, type ModelServices } from '../../../services/models/modelServices';
import type { ModelVersionRow } from '../../../services/models/versionStore';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { roleHeaders, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

/**
 * The HTTP edge of the model lifecycle with the use cases faked: who may call what (checked before
 * any input is read), what reaches the use cases, and how their answers and refusals come back.
 * The use cases themselves are tested beside them (services/models).
 */

const NOW = new Date('2026-11-20T12:00:00Z');
type Result<K extends keyof ModelServices> = Awaited<ReturnType<ModelServices[K]>>;

const version = (id: number, state: ModelVersionRow['state']): ModelVersionRow => ({
  id,
  training_id: 7,
  kind: 'intent',
  engine_version: 'e1',
  trained_as_of: '2026-11-01',
  training: { snapshots: 4 },
  method: 'logistic',
  backtest: null,
  auc: 0.71,
  identification_rate: 0.4,
  state,
  state_changed_at: '2026-11-01T03:00:00Z',
  state_changed_by: 'schedule',
  created_at: '2026-11-01T03:00:00Z',
});

const LIST = [
  {
    id: 12,
    kind: 'intent',
    training_id: 7,
    trained_as_of: '2026-11-01',
    state: 'candidate',
    method: 'logistic',
    auc: 0.71,
    auc_ci: [0.65, 0.77],
    identification_rate: 0.4,
    created_at: '2026-11-01T03:00:00Z',
    state_changed_at: '2026-11-01T03:00:00Z',
    state_changed_by: 'schedule',
    rollout_on: '2026-11-15',
  },
] as unknown as Result<'listModels'>;
const COMPARISON = {
  active: { trainingId: 3 },
  candidate: { trainingId: 7 },
  metrics: { auc: { active: 0.7, candidate: 0.71 } },
  qualified_impact: { gained: 2, lost: 1 },
  transitions: { stage: { Target: { Awareness: 3 } }, fit: { Weak: { Strong: 1 } } },
} as unknown as Result<'compareModels'>;

/** Fakes that record each call (its props, the actor as its role) and answer canned values. */
function fakeServices() {
  const calls: [string, Record<string, unknown>][] = [];
  const failures = new Map<string, AppError>();
  const record =
    <K extends keyof ModelServices>(name: K, answer: Result<K>) =>
    async (_db: Db, props?: Record<string, unknown>) => {
      const { actor, ...rest } = (props ?? {}) as { actor?: Actor };
      calls.push([name, actor ? { ...rest, actor: actor.role } : rest]);
      const failure = failures.get(name);
      if (failure) throw failure;
      return answer;
    };
  const services = {
    listModels: record('listModels', LIST),
    pendingCandidate: record('pendingCandidate', null),
    compareModels: record('compareModels', COMPARISON),
    compareAccounts: record('compareAccounts', {
      total: 1,
      accounts: [{ account_id: 'a1' }],
    } as unknown as Result<'compareAccounts'>),
    trainCandidate: record('trainCandidate', {
      trainingId: 7,
      state: 'candidate',
      rolloutOn: '2026-12-04',
      versions: [version(12, 'candidate')],
      reason: 'not worse than the active versions',
    }),
    approveCandidate: record('approveCandidate', {
      trainingId: 7,
      activated: [version(12, 'active')],
      run: { runId: 40, asOf: '2026-11-20' },
    }),
    postponeCandidate: record('postponeCandidate', { trainingId: 7, rolloutOn: '2026-12-18' }),
    rejectCandidate: record('rejectCandidate', { trainingId: 7, rejected: [version(12, 'rejected')] }),
    rollbackModels: record('rollbackModels', {
      restored: [version(3, 'active')],
      rolledBack: [version(12, 'rejected')],
      run: null,
    }),
  } as unknown as ModelServices;
  return { services, calls, failures };
}

describe.each(testStoreTargets())('model routes on $name', (target) => {
  let db: Db;
  let app: Express;
  let as: (role: Role) => { Authorization: string };
  let fake: ReturnType<typeof fakeServices>;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    fake = fakeServices();
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
      models: fake.services,
    });
    as = await roleHeaders(db, ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only'], NOW);
  });
  beforeEach(() => {
    fake.calls.length = 0;
    fake.failures.clear();
  });

  it('lets the model readers read the versions, the pending candidate and the comparison', async () => {
    for (const role of ['Admin', 'Operations', 'Marketing', 'View Only'] as const) {
      const list = await request(app).get('/api/models').set(as(role));
      expect({ role, status: list.status, body: list.body }).toEqual({ role, status: 200, body: LIST });
      expect(list.headers['cache-control']).toBe('private, no-store');
    }
    const pending = await request(app).get('/api/models/pending').set(as('View Only'));
    expect([pending.status, pending.text]).toEqual([200, 'null']);
    const compare = await request(app).get('/api/models/compare').set(as('Marketing'));
    expect([compare.status, compare.body]).toEqual([200, COMPARISON]);
    const accounts = await request(app)
      .get('/api/models/compare/accounts?kind=stage&from=Target&to=Awareness')
      .set(as('Operations'));
    expect([accounts.status, accounts.body]).toEqual([200, { total: 1, accounts: [{ account_id: 'a1' }] }]);
    const qualified = await request(app)
      .get('/api/models/compare/accounts?kind=becoming_qualified&limit=10&offset=20')
      .set(as('Operations'));
    expect(qualified.status).toBe(200);
    expect(fake.calls.slice(4)).toEqual([
      ['pendingCandidate', {}],
      ['compareModels', { now: NOW }],
      ['compareAccounts', { kind: 'stage', from: 'Target', to: 'Awareness', limit: 50, offset: 0, now: NOW }],
      ['compareAccounts', { kind: 'becoming_qualified', limit: 10, offset: 20, now: NOW }],
    ]);
  });

  it('lets an Admin train, approve, postpone, reject and roll back, as the Admin', async () => {
    const trained = await request(app)
      .post('/api/models/train')
      .set(as('Admin'))
      .send({ asOf: '2026-11-01' });
    expect([trained.status, trained.body.state, trained.body.versions[0].id]).toEqual([200, 'candidate', 12]);
    expect((await request(app).post('/api/models/train').set(as('Admin'))).status).toBe(200);
    const approved = await request(app).post('/api/models/12/approve').set(as('Admin'));
    expect([approved.status, approved.body.run]).toEqual([200, { runId: 40, asOf: '2026-11-20' }]);
    const postponed = await request(app).post('/api/models/12/postpone').set(as('Admin')).send({ days: 30 });
    expect([postponed.status, postponed.body]).toEqual([200, { trainingId: 7, rolloutOn: '2026-12-18' }]);
    expect((await request(app).post('/api/models/12/postpone').set(as('Admin'))).status).toBe(200);
    expect((await request(app).post('/api/models/12/reject').set(as('Admin'))).body.rejected[0].state).toBe(
      'rejected',
    );
    const rolledBack = await request(app).post('/api/models/rollback').set(as('Admin'));
    expect([rolledBack.status, rolledBack.body.restored[0].id, rolledBack.body.run]).toEqual([200, 3, null]);
    expect(fake.calls).toEqual([
      ['trainCandidate', { asOf: new Date('2026-11-01T00:00:00Z'), now: NOW, actor: 'Admin' }],
      ['trainCandidate', { asOf: undefined, now: NOW, actor: 'Admin' }],
      ['approveCandidate', { id: 12, now: NOW, actor: 'Admin' }],
      ['postponeCandidate', { id: 12, days: 30, actor: 'Admin' }],
      ['postponeCandidate', { id: 12, days: undefined, actor: 'Admin' }],
      ['rejectCandidate', { id: 12, actor: 'Admin' }],
      ['rollbackModels', { now: NOW, actor: 'Admin' }],
    ]);
  });

  it('refuses other roles before reading anything they send, and callers without credentials', async () => {
    const posts = [
      '/api/models/train',
      '/api/models/x/approve',
      '/api/models/x/postpone',
      '/api/models/x/reject',
      '/api/models/rollback',
    ];
    for (const role of ['Operations', 'Marketing', 'Sales', 'Insights', 'View Only'] as const) {
      for (const path of posts) {
        const res = await request(app).post(path).set(as(role)).send({ asOf: 'never', days: 0 });
        expect({ role, path, status: res.status, code: res.body.error.code }).toEqual({
          role,
          path,
          status: 403,
          code: 'forbidden',
        });
        expect(res.body.error.message).toContain('Admin');
      }
    }
    for (const role of ['Sales', 'Insights'] as const) {
      for (const path of ['/api/models', '/api/models/pending', '/api/models/compare']) {
        expect({ role, path, status: (await request(app).get(path).set(as(role))).status }).toEqual({
          role,
          path,
          status: 403,
        });
      }
      const drill = await request(app).get('/api/models/compare/accounts?kind=nonsense').set(as(role));
      expect([drill.status, drill.body.error.code]).toEqual([403, 'forbidden']);
    }
    expect((await request(app).get('/api/models')).status).toBe(401);
    expect((await request(app).post('/api/models/rollback')).status).toBe(401);
    expect(fake.calls).toEqual([]);
  });

  it('answers bad input with validation_failed and asks nothing of the use cases', async () => {
    const bad: [string, string, object?][] = [
      ['post', '/api/models/abc/approve'],
      ['post', '/api/models/-1/reject'],
      ['post', '/api/models/1.5/postpone', { days: 14 }],
      ['post', '/api/models/12/postpone', { days: 0 }],
      ['post', '/api/models/12/postpone', { days: 91 }],
      ['post', '/api/models/12/postpone', { days: 1.5 }],
      ['post', '/api/models/12/postpone', { days: '14' }],
      ['post', '/api/models/12/postpone', { days: 14, until: '2027-01-01' }],
      ['post', '/api/models/train', { asOf: '2026-02-30' }],
      ['post', '/api/models/train', { asOf: '20261101' }],
      ['post', '/api/models/train', { asOf: '2026-11-01', kinds: ['intent'] }],
      ['get', '/api/models/compare/accounts'],
      ['get', '/api/models/compare/accounts?kind=intent'],
      ['get', '/api/models/compare/accounts?kind=fit&limit=0'],
      ['get', '/api/models/compare/accounts?kind=fit&limit=1001'],
      ['get', '/api/models/compare/accounts?kind=fit&offset=-1'],
      ['get', '/api/models/compare/accounts?kind=fit&sort=name'],
    ];
    for (const [method, path, body] of bad) {
      const call = method === 'get' ? request(app).get(path) : request(app).post(path);
      const res = await call.set(as('Admin')).send(body);
      expect({ path, body, status: res.status, code: res.body.error?.code }).toEqual({
        path,
        body,
        status: 400,
        code: 'validation_failed',
      });
    }
    expect(fake.calls).toEqual([]);
  });

  it('hands the configured hooks to every training, approval and rollback', async () => {
    const rescore = async () => ({ runId: 1, asOf: '2026-11-20' });
    const notify = async () => ({ messages: 0, failed: 0, errors: [] });
    const hooked = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
      models: withModelHooks({ rescore, notify }, fake.services),
    });
    for (const path of [
      '/api/models/train',
      '/api/models/12/approve',
      '/api/models/rollback',
      '/api/models/12/reject',
    ])
      expect((await request(hooked).post(path).set(as('Admin'))).status).toBe(200);
    expect(fake.calls).toEqual([
      ['trainCandidate', { notify, asOf: undefined, now: NOW, actor: 'Admin' }],
      ['approveCandidate', { rescore, id: 12, now: NOW, actor: 'Admin' }],
      ['rollbackModels', { rescore, now: NOW, actor: 'Admin' }],
      ['rejectCandidate', { id: 12, actor: 'Admin' }],
    ]);
  });

  it("answers the use cases' refusals with their codes", async () => {
    fake.failures.set('approveCandidate', new AppError('not_found', 'model version 99 does not exist'));
    fake.failures.set('rollbackModels', new AppError('conflict', 'no previous version to roll back to'));
    const approve = await request(app).post('/api/models/99/approve').set(as('Admin'));
    expect([approve.status, approve.body.error]).toEqual([
      404,
      { code: 'not_found', message: 'model version 99 does not exist' },
    ]);
    const rollback = await request(app).post('/api/models/rollback').set(as('Admin'));
    expect([rollback.status, rollback.body.error.code]).toEqual([409, 'conflict']);
  });
});
