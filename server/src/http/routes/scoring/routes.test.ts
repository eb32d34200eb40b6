import request from 'supertest';
import type { Express } from 'express';
import { issueAccessToken } from '../../auth/accessToken';
import { loadAccessKey } from '../../auth/accessKey';
import type { Role } from '../../../domain/vocabulary';
import { seedListFixture } from '../../../services/accounts/testing';
import { createRecomputer, type Recomputer } from '../../../services/recompute/recomputer';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { accessTokenFor, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-11-20T12:00:00Z');

describe.each(testStoreTargets())('scoring status and recompute on $name', (target) => {
  let db: Db;
  let app: Express;
  let recomputer: Recomputer;
  let release: () => void;
  const asked: Date[] = [];
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    await seedListFixture(db);
    // A scoring run that waits for the test between its phases, so its progress can be seen.
    recomputer = createRecomputer({
      db,
      now: () => NOW,
      score: async (_db, props) => {
        asked.push(props.asOf);
        props.onPhase?.('read', 1);
        await new Promise<void>((resolve) => (release = resolve));
        props.onPhase?.('model', 1);
        props.onPhase?.('write', 1);
        return { runId: 42 };
      },
    });
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
      recomputer,
    });
  });

  const tokenFor = async (role: Role | null) =>
    issueAccessToken(
      {
        orgId: 'o',
        userId: 'u',
        name: `A ${role}`,
        email: null,
        perms: [],
        record: null,
        accountId: null,
        role,
      },
      await loadAccessKey(db),
      NOW,
    );

  it('tells when scores were last computed, with the model version', async () => {
    const res = await request(app)
      .get('/api/scoring/status')
      .set('Authorization', `Bearer ${await tokenFor('View Only')}`);
    expect(res.status).toBe(200);
    expect(res.body.lastRun).toMatchObject({ asOf: '2026-11-19', modelVersion: 'list-test-1', accounts: 22 });
    expect(res.body.recompute.state).toBe('idle');
    expect(res.body.mayRecompute).toBe(false);
  });

  it.each(['Marketing', 'Sales', 'Insights', 'View Only'] as const)(
    'refuses a recompute to %s (403)',
    async (role) => {
      const res = await request(app)
        .post('/api/scoring/recompute')
        .set('Authorization', `Bearer ${await tokenFor(role)}`);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    },
  );

  it('refuses a recompute to a panel user; a panel user with Signalfit_Admin acts as Admin', async () => {
    const rep = await accessTokenFor(app, { perms: ['Signalfit_Access'] }, NOW);
    const res = await request(app).post('/api/scoring/recompute').set('Authorization', `Bearer ${rep}`);
    expect([res.status, res.body.error.code]).toEqual([403, 'forbidden']);
    const admin = await accessTokenFor(app, { perms: ['Signalfit_Access', 'Signalfit_Admin'] }, NOW);
    const status = await request(app).get('/api/scoring/status').set('Authorization', `Bearer ${admin}`);
    expect(status.body.mayRecompute).toBe(true);
  });

  it('recomputes for Operations as of today, one at a time, and reports its progress', async () => {
    const ops = await tokenFor('Operations');
    const started = await request(app).post('/api/scoring/recompute').set('Authorization', `Bearer ${ops}`);
    expect(started.status).toBe(202);
    expect(started.body.recompute).toMatchObject({ state: 'running', startedBy: 'A Operations' });
    expect(asked).toEqual([new Date('2026-11-20T00:00:00Z')]);

    const again = await request(app)
      .post('/api/scoring/recompute')
      .set('Authorization', `Bearer ${await tokenFor('Admin')}`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');

    const during = await request(app).get('/api/scoring/status').set('Authorization', `Bearer ${ops}`);
    expect(during.body.recompute).toMatchObject({
      state: 'running',
      step: 'model',
      stepsDone: 1,
      stepsTotal: 3,
    });
    expect(during.body.mayRecompute).toBe(true);

    release();
    await recomputer.settled();
    const after = await request(app).get('/api/scoring/status').set('Authorization', `Bearer ${ops}`);
    expect(after.body.recompute).toMatchObject({ state: 'done', stepsDone: 3, runId: 42, error: null });
  });
});
