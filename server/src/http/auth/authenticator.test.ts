import type { Express } from 'express';
import request from 'supertest';
import { OPERATOR } from '../../policies/policies';
import { createApiKey } from '../../services/apikeys/apiKeys';
import { createUser, deactivateUser, setUserRole } from '../../services/users/manageUsers';
import type { User } from '../../services/users/users';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { createApp } from '../app';
import { captureLogger } from '../testing';
import { loadAccessKey } from './accessKey';
import { issueAccessToken } from './accessToken';
import { authenticator } from './authenticator';
import { TEST_EMBED_CONFIG } from './testing';

const NOW = new Date('2026-12-01T09:00:00Z');
const SESSION_ENDS = new Date('2026-12-01T21:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe.each(testStoreTargets())('the authenticator on $name', (target) => {
  let db: Db;
  let clock = NOW;
  let app: Express;
  let ana: User;
  let sessions = 0;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(() => {
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => clock,
    });
  });
  beforeEach(async () => {
    clock = NOW;
    ana = await createUser(db, OPERATOR, { email: 'ana@example.com', name: 'Ana', role: 'Marketing' }, NOW);
  });
  afterEach(async () => {
    await db.exec(
      'DELETE FROM api_keys; DELETE FROM user_sessions; DELETE FROM users; DELETE FROM audit_log;',
    );
  });

  /** A signed-in session of `user` and the access token the sign-in would give (claims as signed then). */
  async function signIn(user: User): Promise<{ sessionId: string; token: string }> {
    sessions += 1;
    const sessionId = `ses_${sessions}`;
    await db.query(
      'INSERT INTO user_sessions (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [sessionId, user.id, NOW, SESSION_ENDS],
    );
    const token = await issueAccessToken(
      {
        orgId: 'signalfit',
        userId: user.id,
        name: user.name,
        email: user.email,
        perms: [],
        record: null,
        accountId: null,
        role: user.role,
        kind: 'user',
        sessionId,
      },
      await loadAccessKey(db),
      NOW,
    );
    return { sessionId, token };
  }

  const get = (path: string, token: string) => request(app).get(path).set('Authorization', `Bearer ${token}`);

  it("takes a live session's user as they are now: a role change applies at the next request", async () => {
    const { token, sessionId } = await signIn(ana);
    const authenticate = authenticator(db).authenticate;
    expect(await authenticate(token, later(1))).toEqual({
      orgId: 'signalfit',
      userId: ana.id,
      name: 'Ana',
      email: 'ana@example.com',
      perms: [],
      record: null,
      accountId: null,
      role: 'Marketing',
      kind: 'user',
      sessionId,
    });
    // Marketing may view segments, not users.
    expect((await get('/api/segments', token)).status).toBe(200);
    expect((await get('/api/users', token)).status).toBe(403);
    await setUserRole(db, OPERATOR, ana.id, 'Admin', later(2));
    expect((await authenticate(token, later(3))).role).toBe('Admin');
    expect((await get('/api/users', token)).status).toBe(200);
    await setUserRole(db, OPERATOR, ana.id, 'View Only', later(4));
    const refused = await get('/api/users', token);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('refuses a revoked session, an expired session and a deactivated user at the next request', async () => {
    const signedOut = await signIn(ana);
    const expired = await signIn(ana);
    const live = await signIn(ana);
    await db.query('UPDATE user_sessions SET revoked_at = $2 WHERE id = $1', [signedOut.sessionId, later(1)]);
    await db.query('UPDATE user_sessions SET expires_at = $2 WHERE id = $1', [expired.sessionId, later(2)]);
    clock = later(5);
    for (const token of [signedOut.token, expired.token]) {
      const res = await get('/api/segments', token);
      expect([res.status, res.body.error]).toEqual([
        401,
        {
          code: 'unauthorized',
          message:
            'your sign-in session has ended (signed out, expired, or the user was deactivated): sign in again',
        },
      ]);
    }
    expect((await get('/api/segments', live.token)).status).toBe(200);
    await deactivateUser(db, OPERATOR, ana.id, later(6));
    clock = later(7);
    expect((await get('/api/segments', live.token)).status).toBe(401);
  });

  it('refuses a session token naming another user than its session', async () => {
    const bo = await createUser(db, OPERATOR, { email: 'bo@example.com', role: 'Admin' }, NOW);
    const { sessionId } = await signIn(bo);
    const forged = await issueAccessToken(
      {
        orgId: 'signalfit',
        userId: ana.id,
        name: null,
        email: null,
        perms: [],
        record: null,
        accountId: null,
        role: 'Marketing',
        kind: 'user',
        sessionId,
      },
      await loadAccessKey(db),
      NOW,
    );
    await expect(authenticator(db).authenticate(forged, later(1))).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('accepts API keys as bearers on every route, with the role of the key', async () => {
    const { key } = await createApiKey(db, OPERATOR, { name: 'etl', role: 'Admin' }, NOW);
    const res = await get('/api/users', key);
    expect(res.status).toBe(200);
    expect(res.body.users.map((u: { email: string }) => u.email)).toEqual(['ana@example.com']);
    const bare = await request(app).get('/api/users');
    expect([bare.status, bare.body.error.code]).toEqual([401, 'unauthorized']);
    const unknown = await get('/api/segments', 'sfk_notakey');
    expect([unknown.status, unknown.body.error.message]).toEqual([
      401,
      'unknown API key: check that it was copied whole, or ask an Admin for a new one',
    ]);
  });

  it('leaves tokens without a session (panel, older tokens) as they were signed', async () => {
    const token = await issueAccessToken(
      {
        orgId: 'o',
        userId: 'u-1',
        name: 'Panel user',
        email: null,
        perms: ['Signalfit_Access'],
        record: null,
        accountId: null,
        role: null,
      },
      await loadAccessKey(db),
      NOW,
    );
    expect(await authenticator(db).authenticate(token, later(1))).toMatchObject({
      userId: 'u-1',
      role: null,
      perms: ['Signalfit_Access'],
    });
  });
});
