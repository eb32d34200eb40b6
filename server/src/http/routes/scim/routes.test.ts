import request from 'supertest';
import type { Express } from 'express';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { captureLogger } from '../../testing';
import { createApiKey } from '../../../services/apikeys/apiKeys';
import { OPERATOR } from '../../../policies/policies';
import { findUserByEmail } from '../../../services/users/users';
import type { TestProvider } from '../../../../test/oidcProvider/provider';
import { providerAndConfig, signInThrough, tokenFor } from '../session/testing';

jest.setTimeout(30_000);

const TOKEN = 'scim-token-of-at-least-32-characters-0123';
const SCIM = 'application/scim+json';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The three ways identity providers deactivate a user with PATCH. */
const DEACTIVATIONS: [form: string, body: object][] = [
  ['RFC 7644', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] }],
  ['Okta', { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] }],
  [
    'Microsoft Entra ID',
    { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
  ],
];

describe.each(testStoreTargets())('SCIM 2.0 provisioning on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let provider: TestProvider;
  let app: Express;

  beforeAll(async () => {
    const started = await providerAndConfig({});
    provider = started.provider;
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      oidc: started.oidc,
      scimToken: TOKEN,
    });
  });
  afterAll(() => provider?.close());

  const scim = {
    get: (path: string) => request(app).get(`/scim/v2${path}`).set('Authorization', `Bearer ${TOKEN}`),
    post: (path: string, body: object) =>
      request(app)
        .post(`/scim/v2${path}`)
        .set('Authorization', `Bearer ${TOKEN}`)
        .type(SCIM)
        .send(JSON.stringify(body)),
    put: (path: string, body: object) =>
      request(app)
        .put(`/scim/v2${path}`)
        .set('Authorization', `Bearer ${TOKEN}`)
        .type(SCIM)
        .send(JSON.stringify(body)),
    patch: (path: string, body: object) =>
      request(app)
        .patch(`/scim/v2${path}`)
        .set('Authorization', `Bearer ${TOKEN}`)
        .type(SCIM)
        .send(JSON.stringify(body)),
    delete: (path: string) => request(app).delete(`/scim/v2${path}`).set('Authorization', `Bearer ${TOKEN}`),
  };
  const newUser = (email: string, extra: object = {}) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: email,
    name: { givenName: 'Given', familyName: 'Family' },
    emails: [{ value: email, primary: true, type: 'work' }],
    active: true,
    ...extra,
  });

  it('needs the SCIM token, compared whole; without the setting SCIM does not exist', async () => {
    for (const header of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`]) {
      const res = request(app).get('/scim/v2/Users');
      const answer = await (header ? res.set('Authorization', header) : res);
      expect(answer.status).toBe(401);
      expect(answer.headers['content-type']).toBe('application/scim+json; charset=utf-8');
      expect(answer.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
      });
    }
    const off = createApp({ db, logger: captureLogger().logger, version: 't' });
    const res = await request(off).get('/scim/v2/Users').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(404);
    expect(res.body.status).toBe('404');
  });

  it('creates a user as View Only (201), refuses a taken userName (409 uniqueness), gets and lists it', async () => {
    const created = await scim.post('/Users', newUser('Gil@Example.com', { externalId: 'okta-00u1' }));
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    const id = created.body.id as string;
    expect(created.headers.location).toMatch(new RegExp(`/scim/v2/Users/${id}$`));
    expect(created.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'gil@example.com',
      externalId: 'okta-00u1',
      name: { givenName: 'Given', familyName: 'Family', formatted: 'Given Family' },
      active: true,
      meta: { resourceType: 'User' },
    });
    expect((await findUserByEmail(db, 'gil@example.com'))!.role).toBe('View Only');
    const [entry] = await db.query('SELECT action, actor, actor_kind FROM audit_log WHERE target_id = $1', [
      id,
    ]);
    expect(entry).toEqual({ action: 'user.create', actor: 'SCIM provisioning', actor_kind: 'scim' });

    const again = await scim.post('/Users', newUser('GIL@example.com'));
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
      detail: expect.stringContaining('gil@example.com'),
    });

    expect((await scim.get(`/Users/${id}`)).body.userName).toBe('gil@example.com');
    expect((await scim.get('/Users/usr_missing')).status).toBe(404);
    const byName = await scim.get('/Users').query({ filter: 'userName eq "GIL@example.com"' });
    expect(byName.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 1,
      startIndex: 1,
      itemsPerPage: 1,
    });
    expect(byName.body.Resources[0].id).toBe(id);
    expect(
      (await scim.get('/Users').query({ filter: 'externalId eq "okta-00u1"' })).body.Resources[0].id,
    ).toBe(id);
    expect(
      (await scim.get('/Users').query({ filter: 'userName eq "nobody@example.com"' })).body,
    ).toMatchObject({
      totalResults: 0,
      Resources: [],
    });
    const bad = await scim.get('/Users').query({ filter: 'name.givenName co "G"' });
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidFilter');
  });

  it('pages the list with startIndex and count (1-based)', async () => {
    for (const email of ['page1@example.com', 'page2@example.com', 'page3@example.com'])
      expect((await scim.post('/Users', newUser(email))).status).toBe(201);
    const all = (await scim.get('/Users')).body;
    const page = (await scim.get('/Users').query({ startIndex: 2, count: 2 })).body;
    expect(page.totalResults).toBe(all.totalResults);
    expect(page.startIndex).toBe(2);
    expect(page.itemsPerPage).toBe(2);
    expect(page.Resources.map((u: { id: string }) => u.id)).toEqual(
      all.Resources.slice(1, 3).map((u: { id: string }) => u.id),
    );
  });

  it('replaces a user with PUT, and PATCHes names in the Entra form, ignoring attributes it does not keep', async () => {
    const id = (await scim.post('/Users', newUser('hal@example.com'))).body.id as string;
    await db.run("UPDATE users SET role = 'Sales' WHERE id = $1", [id]);
    const put = await scim.put(
      `/Users/${id}`,
      newUser('hal.new@example.com', {
        externalId: 'ext-hal',
        name: { givenName: 'Hal', familyName: 'Jordan' },
      }),
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      userName: 'hal.new@example.com',
      externalId: 'ext-hal',
      name: { formatted: 'Hal Jordan' },
    });
    const patched = await scim.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'name.givenName', value: 'Harold' },
        { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555' },
        {
          op: 'Replace',
          path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
          value: 'Sales',
        },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toEqual({ givenName: 'Harold', familyName: 'Jordan', formatted: 'Hal Jordan' });
    // SCIM keeps the role the service decided.
    expect((await findUserByEmail(db, 'hal.new@example.com'))!.role).toBe('Sales');
    const badOp = await scim.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'move', path: 'active' }],
    });
    expect(badOp.status).toBe(400);
    expect(badOp.body.scimType).toBe('invalidValue');
  });

  it('answers the discovery resources', async () => {
    const config = await scim.get('/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true },
    });
    expect((await scim.get('/ResourceTypes')).body.Resources[0]).toMatchObject({
      id: 'User',
      endpoint: '/Users',
    });
    expect((await scim.get('/Schemas')).body.Resources[0].id).toBe(
      'urn:ietf:params:scim:schemas:core:2.0:User',
    );
  });

  it('a SCIM user with the same email is who signs in with OIDC: one user, the stored role', async () => {
    const id = (await scim.post('/Users', newUser('ivy@example.com'))).body.id as string;
    await db.run("UPDATE users SET role = 'Marketing' WHERE id = $1", [id]);
    provider.setAccount('sub-ivy', {
      email: 'ivy@example.com',
      email_verified: true,
      name: 'Ivy',
      groups: [],
    });
    const { session } = await signInThrough(app, provider, 'sub-ivy');
    const token = await tokenFor(app, session!);
    expect(token.status).toBe(200);
    expect(token.body.user).toEqual({ email: 'ivy@example.com', name: 'Given Family', role: 'Marketing' });
    expect((await db.query("SELECT id FROM users WHERE lower(email) = 'ivy@example.com'")).length).toBe(1);
    expect((await findUserByEmail(db, 'ivy@example.com'))!.id).toBe(id);
  });

  it('a SCIM user whose externalId is the ID token subject is who signs in, whatever email the token has', async () => {
    const id = (await scim.post('/Users', newUser('jo@example.com', { externalId: 'sub-jo' }))).body
      .id as string;
    provider.setAccount('sub-jo', {
      email: 'jo.alias@example.com',
      email_verified: true,
      name: 'Jo',
      groups: [],
    });
    const { session } = await signInThrough(app, provider, 'sub-jo');
    expect((await tokenFor(app, session!)).body.user.email).toBe('jo@example.com');
    expect((await findUserByEmail(db, 'jo@example.com'))!).toMatchObject({ id, oidcSubject: 'sub-jo' });
    expect(await findUserByEmail(db, 'jo.alias@example.com')).toBeNull();
  });

  it.each(DEACTIVATIONS)(
    'deactivation in the %s form: the open session is refused at its next request, and signing in again too',
    async (form, body) => {
      const email = `deact.${form.replace(/\W/g, '').toLowerCase()}@example.com`;
      const sub = `sub-${email}`;
      const id = (await scim.post('/Users', newUser(email, { externalId: sub }))).body.id as string;
      provider.setAccount(sub, { email, email_verified: true, name: 'To Go', groups: [] });
      const { session } = await signInThrough(app, provider, sub);
      const bearer = `Bearer ${(await tokenFor(app, session!)).body.accessToken}`;
      const key = (await createApiKey(db, OPERATOR, { name: `key of ${form}`, role: 'Sales', user: email }))
        .key;
      expect((await request(app).get('/api/accounts').set('Authorization', bearer)).status).toBe(200);
      expect((await request(app).get('/api/accounts').set('Authorization', `Bearer ${key}`)).status).toBe(
        200,
      );

      const res = await scim.patch(`/Users/${id}`, body);
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
      const user = (await findUserByEmail(db, email))!;
      expect(user.active).toBe(false);
      expect(user.deactivatedAt).not.toBeNull();
      const [entry] = await db.query<{ actor_kind: string; counts: { sessions_revoked: number } }>(
        "SELECT actor_kind, counts FROM audit_log WHERE target_id = $1 AND action = 'user.deactivate'",
        [id],
      );
      expect(entry).toEqual({ actor_kind: 'scim', counts: { sessions_revoked: 1 } });

      expect((await request(app).get('/api/accounts').set('Authorization', bearer)).status).toBe(401);
      expect((await request(app).get('/api/accounts').set('Authorization', `Bearer ${key}`)).status).toBe(
        401,
      );
      expect((await tokenFor(app, session!)).status).toBe(401);
      const again = await signInThrough(app, provider, sub);
      expect(again.session).toBeNull();
      expect(new URL(again.callback.headers.location!, 'http://app').searchParams.get('sign_in_error')).toBe(
        `${email} is deactivated in Signalfit: ask an Admin`,
      );
    },
  );

  it('deletes a user (204): sessions gone, owned API keys never work again', async () => {
    const email = 'kim@example.com';
    const id = (await scim.post('/Users', newUser(email, { externalId: 'sub-kim' }))).body.id as string;
    provider.setAccount('sub-kim', { email, email_verified: true, name: 'Kim', groups: [] });
    const { session } = await signInThrough(app, provider, 'sub-kim');
    const bearer = `Bearer ${(await tokenFor(app, session!)).body.accessToken}`;
    const key = (await createApiKey(db, OPERATOR, { name: 'kim key', role: 'Admin', user: email })).key;

    expect((await scim.delete(`/Users/${id}`)).status).toBe(204);
    expect((await scim.get(`/Users/${id}`)).status).toBe(404);
    expect(await db.query('SELECT id FROM user_sessions WHERE user_id = $1', [id])).toEqual([]);
    expect(await db.query("SELECT owner_deleted FROM api_keys WHERE name = 'kim key'")).toEqual([
      { owner_deleted: true },
    ]);
    expect((await request(app).get('/api/accounts').set('Authorization', bearer)).status).toBe(401);
    expect((await request(app).get('/api/accounts').set('Authorization', `Bearer ${key}`)).status).toBe(401);
    const [entry] = await db.query(
      "SELECT actor_kind, counts FROM audit_log WHERE target_id = $1 AND action = 'user.delete'",
      [id],
    );
    expect(entry).toEqual({ actor_kind: 'scim', counts: { sessions_deleted: 1, api_keys_disabled: 1 } });
    expect((await scim.delete(`/Users/${id}`)).status).toBe(404);
  });
});
