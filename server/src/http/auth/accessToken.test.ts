import express from 'express';
import { SignJWT } from 'jose';
import request from 'supertest';
import { errorHandler } from '../errors';
import type { AccessKey } from './accessKey';
import { issueAccessToken, verifyAccessToken, type Access } from './accessToken';
import { accessOf, assertMayReadAccount, requireAccess } from './requireAccess';

const key: AccessKey = {
  id: 'k1',
  secret: new TextEncoder().encode('a-test-access-key-of-at-least-32-bytes'),
};
const now = new Date('2026-11-23T12:00:00Z');
const panelUser: Access = {
  orgId: '00D000000000001AAA',
  userId: '005000000000001AAA',
  name: 'Rita Rep',
  email: 'rita@example.com',
  perms: ['Signalfit_Access'],
  record: { id: '001000000000001AAA', objectApiName: 'Account' },
  accountId: 'A1',
  role: null,
};

describe('access tokens', () => {
  it('carries the standalone role through issue and verify', async () => {
    const standalone: Access = { ...panelUser, record: null, accountId: null, role: 'Operations' };
    const token = await issueAccessToken(standalone, key, now);
    expect(await verifyAccessToken(token, key, now)).toEqual(standalone);
  });

  it('reads a token without a role claim as a panel user', async () => {
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({
      org: panelUser.orgId,
      name: null,
      email: null,
      perms: [],
      rec: null,
      acc: 'A1',
    })
      .setProtectedHeader({ alg: 'HS256', kid: key.id })
      .setIssuer('signalfit')
      .setAudience('signalfit-dashboard')
      .setSubject(panelUser.userId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .sign(key.secret);
    expect((await verifyAccessToken(token, key, now)).role).toBeNull();
  });

  it('refuses a role outside the list', async () => {
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({
      org: 'o',
      name: null,
      email: null,
      perms: [],
      rec: null,
      acc: null,
      role: 'Root',
    })
      .setProtectedHeader({ alg: 'HS256', kid: key.id })
      .setIssuer('signalfit')
      .setAudience('signalfit-dashboard')
      .setSubject('u')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .sign(key.secret);
    await expect(verifyAccessToken(token, key, now)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('picks the key a token names, and refuses a token naming no key it knows', async () => {
    const next: AccessKey = {
      id: 'k2',
      secret: new TextEncoder().encode('the-next-access-key-of-32-bytes-at-least'),
    };
    const lookup = async (id: string) => [key, next].find((k) => k.id === id);
    expect(await verifyAccessToken(await issueAccessToken(panelUser, key, now), lookup, now)).toEqual(
      panelUser,
    );
    expect(await verifyAccessToken(await issueAccessToken(panelUser, next, now), lookup, now)).toEqual(
      panelUser,
    );
    const unknown = await issueAccessToken(panelUser, { ...next, id: 'k3' }, now);
    await expect(verifyAccessToken(unknown, lookup, now)).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('assertMayReadAccount', () => {
  it('limits a panel user to the account of the record', () => {
    expect(() => assertMayReadAccount(panelUser, 'A1')).not.toThrow();
    expect(() => assertMayReadAccount(panelUser, 'A2')).toThrow(/another record/);
  });

  it('lets a panel user with Signalfit_Admin and every standalone user read any account', () => {
    expect(() => assertMayReadAccount({ ...panelUser, perms: ['Signalfit_Admin'] }, 'A2')).not.toThrow();
    expect(() => assertMayReadAccount({ ...panelUser, role: 'View Only' }, 'A2')).not.toThrow();
  });
});

describe('requireAccess', () => {
  const appAt = (clock: { now: Date }) => {
    const app = express();
    app.get(
      '/me',
      requireAccess(
        { signingKey: async () => key, verificationKey: async (id) => (id === key.id ? key : undefined) },
        () => clock.now,
      ),
      (_req, res) => {
        res.json(accessOf(res));
      },
    );
    app.use(errorHandler);
    return app;
  };

  it('verifies a token once and still refuses it from the moment it expires', async () => {
    const clock = { now };
    const app = appAt(clock);
    const token = await issueAccessToken(panelUser, key, now, 60);
    expect((await request(app).get('/me').set('Authorization', `Bearer ${token}`)).body).toEqual(panelUser);
    clock.now = new Date(now.getTime() + 59_999);
    expect((await request(app).get('/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    clock.now = new Date(now.getTime() + 60_000);
    const expired = await request(app).get('/me').set('Authorization', `Bearer ${token}`);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('access_token_expired');
  });

  it('keeps refusing a token with a bad signature', async () => {
    const app = appAt({ now });
    const token = await issueAccessToken(
      panelUser,
      { id: key.id, secret: new TextEncoder().encode('x'.repeat(40)) },
      now,
    );
    for (let i = 0; i < 2; i++) {
      const res = await request(app).get('/me').set('Authorization', `Bearer ${token}`);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });
});
