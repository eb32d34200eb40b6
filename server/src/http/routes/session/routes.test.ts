import request from 'supertest';
import { issueAccessToken, verifyAccessToken } from '../../auth/accessToken';
import { loadAccessKey } from '../../auth/accessKey';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { loadConfig } from '../../../config';
import { createApp } from '../../app';
import { TEST_EMBED_CONFIG } from '../../auth/testing';
import { DEMO_OFF_SWITCHES } from '../../../services/session/testing';
import { captureLogger } from '../../testing';
import { ACTIONS } from '../../../policies/policies';

const NOW = new Date('2026-11-20T12:00:00Z');
const NOTHING_ALLOWED: Record<string, boolean> = {
  ...Object.fromEntries(ACTIONS.map((action) => [action, false])),
  'segments.view': false,
  'segments.edit': false,
  'segments.publish': false,
  'alerts.manage': false,
  'scores.recompute': false,
  'reports.segments': false,
  'reports.model': false,
  'orchestrations.view': false,
  'orchestrations.manage': false,
  'orchestrations.restricted_regions': false,
  'contacts.acquire': false,
};

describe.each(testStoreTargets())('the standalone sign-in on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  const app = (env: NodeJS.ProcessEnv) =>
    createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
      demoSignIn: loadConfig(env, '/srv/signalfit').demoSignIn,
    });

  it('signs a visitor of a local trial in as the demo Admin', async () => {
    const local = app({});
    expect((await request(local).get('/api/session')).body).toEqual({
      demo: true,
      user: null,
      signInMethods: [{ id: 'demo', label: 'Try the demo', url: '/api/session/demo' }],
      can: NOTHING_ALLOWED,
    });
    const res = await request(local).post('/api/session/demo');
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).toMatchObject({
      demo: true,
      user: { name: 'Demo user', role: 'Admin' },
      expiresIn: 900,
    });
    const access = await verifyAccessToken(res.body.accessToken, await loadAccessKey(db), NOW);
    expect(access).toMatchObject({ role: 'Admin', userId: 'demo', perms: [], record: null });
  });

  it.each(DEMO_OFF_SWITCHES)(
    'refuses demo sign-in with %s, and says why and how to configure access',
    async (_label, env, reason) => {
      const deployed = app(env);
      const options = await request(deployed).get('/api/session');
      expect(options.body.demo).toBe(false);
      expect(options.body.help).toContain('Demo sign-in is off because');
      expect(options.body.help).toContain(reason);
      const res = await request(deployed).post('/api/session/demo');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.body.error.message).toContain(reason);
      expect(res.body.accessToken).toBeUndefined();
    },
  );

  it('refuses demo sign-in when the app is built without a decision (the safe default)', async () => {
    const bare = createApp({ db, logger: captureLogger().logger, version: 't' });
    expect((await request(bare).post('/api/session/demo')).status).toBe(403);
  });

  it.each([
    [
      'Admin',
      {
        'segments.view': true,
        'segments.edit': true,
        'segments.publish': true,
        'alerts.manage': true,
        'scores.recompute': true,
        'reports.segments': true,
        'reports.model': true,
        'orchestrations.view': true,
        'orchestrations.manage': true,
        'orchestrations.restricted_regions': true,
        'contacts.acquire': true,
      },
    ],
    [
      'Marketing',
      {
        'segments.view': true,
        'segments.edit': true,
        'segments.publish': false,
        'alerts.manage': true,
        'scores.recompute': false,
        'reports.segments': true,
        'reports.model': true,
        'orchestrations.view': true,
        'orchestrations.manage': false,
        'orchestrations.restricted_regions': false,
        'contacts.acquire': false,
      },
    ],
    [
      'View Only',
      {
        ...NOTHING_ALLOWED,
        'accounts.view': true,
        'models.view': true,
        'segments.view': true,
        'reports.segments': true,
        'reports.model': true,
        'orchestrations.view': true,
      },
    ],
  ] as const)('tells a signed-in %s user what it may do (can)', async (role, expected) => {
    const token = await issueAccessToken(
      { orgId: 'o', userId: 'u', name: role, email: null, perms: [], record: null, accountId: null, role },
      await loadAccessKey(db),
      NOW,
    );
    const res = await request(app({})).get('/api/session').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ email: null, name: role, role });
    // Every action is answered; those listed here as the matrix says.
    expect(Object.keys(res.body.can).sort()).toEqual([...ACTIONS].sort());
    expect(res.body.can).toMatchObject(expected);
  });

  it('refuses an invalid bearer on GET /api/session (401) rather than answer for nobody', async () => {
    const res = await request(app({})).get('/api/session').set('Authorization', 'Bearer not.a.token');
    expect(res.status).toBe(401);
  });
});
