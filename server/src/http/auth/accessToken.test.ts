import { SignJWT } from 'jose';
import { issueAccessToken, verifyAccessToken, type Access } from './accessToken';
import { assertMayReadAccount } from './requireAccess';

const key = new TextEncoder().encode('a-test-access-key-of-at-least-32-bytes');
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
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('signalfit')
      .setAudience('signalfit-dashboard')
      .setSubject(panelUser.userId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .sign(key);
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
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('signalfit')
      .setAudience('signalfit-dashboard')
      .setSubject('u')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .sign(key);
    await expect(verifyAccessToken(token, key, now)).rejects.toMatchObject({ code: 'unauthorized' });
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
