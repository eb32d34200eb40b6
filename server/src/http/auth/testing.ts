import { randomBytes, type KeyObject } from 'node:crypto';
import type { Express } from 'express';
import { SignJWT } from 'jose';
import request from 'supertest';
import type { EmbedConfig } from '../../embedConfig';
import { DEFAULT_ALLOWED_ORIGINS } from './allowedOrigins';
import { toSalesforceId18 } from '../../domain/salesforceId';
import type { Role } from '../../domain/vocabulary';
import type { Db } from '../../store/db';
import { loadAccessKey } from './accessKey';
import { issueAccessToken } from './accessToken';

/** Test signing material and a minter that follows the embed token contract (docs/http-api.md). */
export const TEST_EMBED_SECRET = 'test-embed-secret-of-at-least-32-characters!';
export const TEST_ORG_ID = toSalesforceId18('00D000000000001');
export const TEST_USER_ID = '005000000000001AAA';

export interface EmbedClaims {
  iss?: string;
  sub?: string;
  aud?: string;
  rid?: string | null;
  obj?: string | null;
  name?: string;
  email?: string;
  perms?: string[];
  iat?: number;
  exp?: number;
  jti?: string;
}

/** Signs claims (defaults: a valid Account token issued at `now`, living 60 s) with HS256 or RS256. */
export async function mintEmbedToken(
  options: {
    claims?: EmbedClaims;
    now?: Date;
    secret?: string;
    privateKey?: KeyObject;
  } = {},
): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims = {
    iss: TEST_ORG_ID,
    sub: TEST_USER_ID,
    aud: 'signalfit',
    rid: null,
    obj: null,
    name: 'Rita Rep',
    email: 'rita@example.com',
    perms: ['Signalfit_Access'],
    iat,
    exp: iat + 60,
    jti: randomBytes(16).toString('hex'),
    ...options.claims,
  };
  const jwt = new SignJWT(claims);
  if (options.privateKey)
    return jwt.setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(options.privateKey);
  return jwt
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(options.secret ?? TEST_EMBED_SECRET));
}

/** An access token for `claims`, obtained the way the dashboard does: through the exchange. */
export async function accessTokenFor(app: Express, claims: EmbedClaims = {}, now?: Date): Promise<string> {
  const res = await request(app)
    .post('/api/embed/exchange')
    .send({ token: await mintEmbedToken({ claims, now }) });
  if (res.status !== 200) throw new Error(`exchange failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { accessToken: string }).accessToken;
}

/** The embed settings of the tests: the HS256 test secret, the test org, the default origins. */
export const TEST_EMBED_CONFIG: EmbedConfig = {
  secret: new TextEncoder().encode(TEST_EMBED_SECRET),
  orgId: TEST_ORG_ID,
  allowedOrigins: DEFAULT_ALLOWED_ORIGINS,
};

/**
 * The Authorization header of a standalone-app user of each role (`A <role>`, user id
 * `u-<role>`, no permissions), signed with the store's access key; null: a user without a role.
 */
export async function roleHeaders(
  db: Db,
  roles: readonly (Role | null)[],
  now: Date,
): Promise<(role: Role | null) => { Authorization: string }> {
  const tokens = new Map<Role | null, string>();
  const key = await loadAccessKey(db);
  for (const role of roles) {
    const claims = {
      orgId: 'o',
      userId: `u-${role ?? 'none'}`,
      name: role ? `A ${role}` : 'A user without a role',
      email: null,
      perms: [],
      record: null,
    };
    tokens.set(role, await issueAccessToken({ ...claims, accountId: null, role }, key, now));
  }
  return (role) => {
    const token = tokens.get(role);
    if (!token) throw new Error(`no token was made for the role ${role}`);
    return { Authorization: `Bearer ${token}` };
  };
}
