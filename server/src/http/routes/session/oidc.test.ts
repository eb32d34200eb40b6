import request from 'supertest';
import type { Express } from 'express';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { captureLogger } from '../../testing';
import type { TestProvider } from '../../../../test/oidcProvider/provider';
import { providerAndConfig, setCookie, signInThrough, tokenFor } from './testing';
import { createOidcClient } from '../../../integrations/oidc/client';
import { findUserByEmail } from '../../../services/users/users';
import { verifyAccessToken } from '../../auth/accessToken';
import { loadAccessKey } from '../../auth/accessKey';

jest.setTimeout(30_000);

const ACCOUNTS = {
  'sub-ana': {
    email: 'Ana@Example.com',
    email_verified: true,
    name: 'Ana Admin',
    groups: ['everyone', 'sf-admins'],
  },
  'sub-bo': { email: 'bo@example.com', email_verified: true, name: 'Bo Viewer', groups: 'everyone' },
  'sub-cy': {
    email: 'cy@example.com',
    email_verified: true,
    name: 'Cy Ops',
    groups: ['sf-ops', 'sf-admins'],
  },
  'sub-dee': { email: 'dee@example.com', email_verified: true, name: 'Dee', groups: [] },
};
const ROLE_MAP: [string, 'Admin' | 'Operations'][] = [
  ['sf-ops', 'Operations'],
  ['sf-admins', 'Admin'],
];

describe.each(testStoreTargets())('single sign-on through a real OpenID provider on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let provider: TestProvider;
  let app: Express;
  /** The service's clock: real time, moved ahead by `skewMs` (the expired ID token case). */
  let skewMs = 0;
  const now = () => new Date(Date.now() + skewMs);

  beforeAll(async () => {
    const started = await providerAndConfig(ACCOUNTS, { roleMap: ROLE_MAP });
    provider = started.provider;
    app = createApp({ db, logger: captureLogger().logger, version: 't', now, oidc: started.oidc });
  });
  afterAll(() => provider?.close());
  afterEach(() => {
    skewMs = 0;
  });

  const auditOf = async (userId: string) =>
    (
      await db.query<{ action: string; actor_kind: string }>(
        'SELECT action, actor_kind FROM audit_log WHERE target_id = $1 ORDER BY id',
        [userId],
      )
    ).map((row) => `${row.action}:${row.actor_kind}`);

  it('signs a new user in with View Only when the map names no role, with a cookie the app trades for a bearer', async () => {
    const { callback, session } = await signInThrough(app, provider, 'sub-bo');
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/accounts');
    const cookie = setCookie(callback, 'signalfit_session')!.line;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\/api;/);
    expect(cookie).toMatch(/Max-Age=43200/);

    const user = (await findUserByEmail(db, 'bo@example.com'))!;
    expect(user).toMatchObject({ role: 'View Only', name: 'Bo Viewer', oidcSubject: 'sub-bo', active: true });
    expect(user.lastSignInAt).not.toBeNull();
    expect(await auditOf(user.id)).toEqual(['user.create:user', 'user.sign_in:user']);
    // The session row is the SHA-256 of the cookie's secret, never the secret itself.
    const secret = session!.split('=')[1]!;
    const [row] = await db.query<{ id: string }>('SELECT id FROM user_sessions WHERE user_id = $1', [
      user.id,
    ]);
    expect(row!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.id).not.toBe(secret);

    // Before the exchange the cookie alone tells GET /api/session who it is.
    const byCookie = await request(app).get('/api/session').set('Cookie', session!);
    expect(byCookie.body.user).toEqual({ email: 'bo@example.com', name: 'Bo Viewer', role: 'View Only' });

    const token = await tokenFor(app, session!);
    expect(token.status).toBe(200);
    expect(token.body.expiresIn).toBe(900);
    expect(token.body.user).toEqual({ email: 'bo@example.com', name: 'Bo Viewer', role: 'View Only' });
    const access = await verifyAccessToken(token.body.accessToken, await loadAccessKey(db), now());
    expect(access).toMatchObject({
      kind: 'user',
      userId: user.id,
      role: 'View Only',
      orgId: 'signalfit',
      sessionId: row!.id,
    });

    const bearer = `Bearer ${token.body.accessToken}`;
    const me = await request(app).get('/api/session').set('Authorization', bearer);
    expect(me.body.user).toEqual({ email: 'bo@example.com', name: 'Bo Viewer', role: 'View Only' });
    expect(me.body.signInMethods).toBeUndefined();
    expect(me.body.can['segments.view']).toBe(true);
    expect(me.body.can['segments.edit']).toBe(false);
    expect((await request(app).get('/api/accounts').set('Authorization', bearer)).status).toBe(200);
  });

  it('gives the first matching role of the map (in its order), at every sign-in', async () => {
    await signInThrough(app, provider, 'sub-ana');
    expect((await findUserByEmail(db, 'ana@example.com'))!.role).toBe('Admin');
    // Cy is in sf-ops and sf-admins: sf-ops comes first in the map.
    await signInThrough(app, provider, 'sub-cy');
    const cy = (await findUserByEmail(db, 'cy@example.com'))!;
    expect(cy.role).toBe('Operations');
    // An Admin changes Cy's role; the map names one for Cy, so it wins again at the next sign-in.
    await db.run("UPDATE users SET role = 'Sales' WHERE id = $1", [cy.id]);
    await signInThrough(app, provider, 'sub-cy');
    expect((await findUserByEmail(db, 'cy@example.com'))!.role).toBe('Operations');
    expect((await auditOf(cy.id)).filter((entry) => entry.startsWith('user.set_role'))).toEqual([
      'user.set_role:user',
    ]);
  });

  it('keeps the stored role when the map names none for the user (an Admin changed it)', async () => {
    await signInThrough(app, provider, 'sub-dee');
    const dee = (await findUserByEmail(db, 'dee@example.com'))!;
    expect(dee.role).toBe('View Only');
    await db.run("UPDATE users SET role = 'Marketing' WHERE id = $1", [dee.id]);
    const { session } = await signInThrough(app, provider, 'sub-dee');
    expect((await tokenFor(app, session!)).body.user.role).toBe('Marketing');
  });

  it('finds an existing user by email (lowercased) and links the subject', async () => {
    await db.query(
      "INSERT INTO users (id, email, name, role) VALUES ('usr_pre', 'eve@example.com', 'Eve', 'Insights')",
    );
    provider.setAccount('sub-eve', {
      email: 'EVE@example.com',
      email_verified: true,
      name: 'Eve E',
      groups: [],
    });
    const { session } = await signInThrough(app, provider, 'sub-eve');
    expect((await tokenFor(app, session!)).body.user).toEqual({
      email: 'eve@example.com',
      name: 'Eve',
      role: 'Insights',
    });
    expect((await findUserByEmail(db, 'eve@example.com'))!.oidcSubject).toBe('sub-eve');
    expect((await db.query('SELECT id FROM users WHERE lower(email) = $1', ['eve@example.com'])).length).toBe(
      1,
    );
  });

  it('goes back to a same-origin returnTo, and ignores any other', async () => {
    expect(
      (await signInThrough(app, provider, 'sub-bo', { returnTo: '/segments/s1?x=1' })).callback.headers
        .location,
    ).toBe('/segments/s1?x=1');
    for (const returnTo of ['https://evil.example/x', '//evil.example/x', '/\\evil.example'])
      expect((await signInThrough(app, provider, 'sub-bo', { returnTo })).callback.headers.location).toBe(
        '/accounts',
      );
  });

  const refusedWith = (callback: request.Response, words: RegExp) => {
    expect(callback.status).toBe(302);
    const location = new URL(callback.headers.location!, 'http://app');
    expect(location.pathname).toBe('/accounts');
    expect(location.searchParams.get('sign_in_error')).toMatch(words);
  };

  it('refuses a tampered state: no session, and the reason is shown', async () => {
    const sessionsBefore = await db.query('SELECT id FROM user_sessions');
    const { callback, session } = await signInThrough(app, provider, 'sub-bo', {
      tamper: (back) => back.searchParams.set('state', `${back.searchParams.get('state')}x`),
    });
    refusedWith(callback, /not started in this browser, or was already used/);
    expect(session).toBeNull();
    expect((await db.query('SELECT id FROM user_sessions')).length).toBe(sessionsBefore.length);
  });

  it('refuses a callback taken in another browser (no state cookie) and a callback replayed', async () => {
    const login = await request(app).get('/api/auth/oidc/login');
    const state = setCookie(login, 'signalfit_oidc_state')!.pair;
    const back = await provider.signIn(login.headers.location!, 'sub-bo');
    refusedWith(await request(app).get(`${back.pathname}${back.search}`), /not started in this browser/);
    // The request was used up by that attempt: the right browser cannot take it either now.
    refusedWith(
      await request(app).get(`${back.pathname}${back.search}`).set('Cookie', state),
      /already used/,
    );
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const { callback, session } = await signInThrough(app, provider, 'sub-bo', {
      tamper: async (back) => {
        await db.run("UPDATE oidc_sign_in_requests SET nonce = 'another-nonce' WHERE state = $1", [
          back.searchParams.get('state'),
        ]);
      },
    });
    refusedWith(callback, /ID token's nonce is not the one this sign-in sent/);
    expect(session).toBeNull();
  });

  it('refuses an expired ID token (the service clock is past its exp)', async () => {
    const { callback, session } = await signInThrough(app, provider, 'sub-bo', {
      // The provider's ID tokens live 60 s: five minutes later (still within the 10-minute
      // request) the token the provider issues now is expired by the service's clock.
      tamper: () => {
        skewMs = 5 * 60_000;
      },
    });
    refusedWith(callback, /the ID token has expired/);
    expect(session).toBeNull();
  });

  it('refuses a sign-in request older than 10 minutes, and cleans old ones up', async () => {
    const { callback } = await signInThrough(app, provider, 'sub-bo', {
      tamper: () => {
        skewMs = 11 * 60_000;
      },
    });
    refusedWith(callback, /longer than 10 minutes/);
    skewMs = 0;
    await db.query(
      "INSERT INTO oidc_sign_in_requests (state, nonce, code_verifier, created_at) VALUES ('stale', 'n', 'v', $1)",
      [new Date(Date.now() - 11 * 60_000)],
    );
    await request(app).get('/api/auth/oidc/login');
    expect(await db.query("SELECT state FROM oidc_sign_in_requests WHERE state = 'stale'")).toEqual([]);
  });

  it('refuses a deactivated user at sign-in', async () => {
    provider.setAccount('sub-fay', {
      email: 'fay@example.com',
      email_verified: true,
      name: 'Fay',
      groups: [],
    });
    await db.query(
      "INSERT INTO users (id, email, role, active, deactivated_at) VALUES ('usr_fay', 'fay@example.com', 'Sales', false, now())",
    );
    const { callback, session } = await signInThrough(app, provider, 'sub-fay');
    refusedWith(callback, /fay@example.com is deactivated/);
    expect(session).toBeNull();
  });

  it('signs out: the session ends, its bearer is refused at the next request, the cookie is cleared', async () => {
    const { session } = await signInThrough(app, provider, 'sub-bo');
    const bearer = `Bearer ${(await tokenFor(app, session!)).body.accessToken}`;
    expect((await request(app).get('/api/accounts').set('Authorization', bearer)).status).toBe(200);
    const out = await request(app)
      .post('/api/session/signout')
      .set('Cookie', session!)
      .set('X-Signalfit-Request', '1');
    expect(out.status).toBe(204);
    expect(setCookie(out, 'signalfit_session')!.line).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await request(app).get('/api/accounts').set('Authorization', bearer)).status).toBe(401);
    expect((await request(app).get('/api/session').set('Authorization', bearer)).status).toBe(401);
    expect((await tokenFor(app, session!)).status).toBe(401);
    const visitor = await request(app).get('/api/session').set('Cookie', session!);
    expect(visitor.body.user).toBeNull();
    expect(visitor.body.signInMethods).toEqual([
      { id: 'oidc', label: `Sign in with ${new URL(provider.issuer).host}`, url: '/api/auth/oidc/login' },
    ]);
  });

  it('ends a session after its 12 hours, and sweeps sessions over for a week at the next sign-in', async () => {
    const { session } = await signInThrough(app, provider, 'sub-bo');
    expect((await tokenFor(app, session!)).status).toBe(200);
    skewMs = 12 * 3600_000 + 1000;
    expect((await tokenFor(app, session!)).status).toBe(401);
    expect((await request(app).get('/api/session').set('Cookie', session!)).body.user).toBeNull();
    skewMs = 0;
    const bo = (await findUserByEmail(db, 'bo@example.com'))!;
    await db.query(
      "INSERT INTO user_sessions (id, user_id, created_at, expires_at) VALUES ('old', $1, $2, $3)",
      [bo.id, new Date(Date.now() - 9 * 86_400_000), new Date(Date.now() - 8 * 86_400_000)],
    );
    await signInThrough(app, provider, 'sub-bo');
    expect(await db.query("SELECT id FROM user_sessions WHERE id = 'old'")).toEqual([]);
  });

  it('guards the cookie routes against cross-site requests', async () => {
    const { session } = await signInThrough(app, provider, 'sub-bo');
    const fromElsewhere = await tokenFor(app, session!).set('Origin', 'https://evil.example');
    expect(fromElsewhere.status).toBe(403);
    const formPost = await request(app)
      .post('/api/session/token')
      .set('Cookie', session!)
      .type('form')
      .send('a=1');
    expect(formPost.status).toBe(403);
    expect((await tokenFor(app, session!).set('Origin', 'http://127.0.0.1:3999')).status).toBe(200);
    const signOutElsewhere = await request(app)
      .post('/api/session/signout')
      .set('Cookie', session!)
      .set('Origin', 'https://evil.example')
      .set('X-Signalfit-Request', '1');
    expect(signOutElsewhere.status).toBe(403);
    expect((await tokenFor(app, session!)).status).toBe(200);
  });

  it('refuses an ID token whose signature does not verify (changed on its way from the provider)', async () => {
    const started = await providerAndConfig(ACCOUNTS);
    try {
      // The token endpoint's answer with the ID token's signature changed by one character.
      const tampering: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (!String(input instanceof Request ? input.url : input).endsWith('/token')) return response;
        const body = (await response.json()) as { id_token: string };
        const last = body.id_token.slice(-2, -1) === 'A' ? 'B' : 'A';
        body.id_token = `${body.id_token.slice(0, -2)}${last}${body.id_token.slice(-1)}`;
        return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
      };
      const config = started.oidc.config;
      const forged = createApp({
        db,
        logger: captureLogger().logger,
        version: 't',
        now,
        oidc: { client: createOidcClient(config, { fetch: tampering as never }), config },
      });
      const { callback, session } = await signInThrough(forged, started.provider, 'sub-bo');
      refusedWith(callback, /signature/i);
      expect(session).toBeNull();
    } finally {
      await started.provider.close();
    }
  });

  it('sends the browser back with the reason when the provider cannot be reached', async () => {
    const config = {
      issuerUrl: 'http://127.0.0.1:9',
      clientId: 'c',
      clientSecret: 's',
      redirectUri: 'http://127.0.0.1:3999/api/auth/oidc/callback',
      roleClaim: 'groups',
      roleMap: [],
    };
    const down = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      oidc: { client: createOidcClient(config, { timeoutSeconds: 2 }), config },
    });
    const res = await request(down).get('/api/auth/oidc/login');
    expect(res.status).toBe(302);
    expect(new URL(res.headers.location!, 'http://app').searchParams.get('sign_in_error')).toBe(
      'the identity provider at http://127.0.0.1:9 could not be reached or described (fetch failed); try again later',
    );
    expect(setCookie(res, 'signalfit_oidc_state')).toBeNull();
  });

  it('answers 404 on its routes and lists no method when single sign-on is not configured', async () => {
    const bare = createApp({ db, logger: captureLogger().logger, version: 't' });
    expect((await request(bare).get('/api/auth/oidc/login')).status).toBe(404);
    expect((await request(bare).get('/api/auth/oidc/callback?state=x&code=y')).status).toBe(404);
    expect((await request(bare).get('/api/session')).body).toMatchObject({ user: null, signInMethods: [] });
  });
});
