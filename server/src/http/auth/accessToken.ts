import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { AppError } from '../../errors';
import { RECORD_OBJECTS, type EmbedIdentity } from './embedToken';
import type { AccessKey } from './accessKey';
import { ROLES, type Role } from '../../domain/vocabulary';
import { ACTOR_KINDS, type ActorKind } from '../../policies/policies';

const ISSUER = 'signalfit';
const AUDIENCE = 'signalfit-dashboard';
/** How long the dashboard may call the API with one access token before it asks for a new embed token. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** The id of the one signing key of earlier versions, whose tokens carry no `kid`. */
export const LEGACY_ACCESS_KEY_ID = 'dashboard';

/** The key a token names (its `kid`), if the service may still accept tokens signed with it. */
export type AccessKeyLookup = (id: string) => Promise<AccessKey | undefined>;

/** What an access token lets its holder see (the dashboard keeps it in memory only). */
export interface Access {
  orgId: string;
  userId: string;
  name: string | null;
  email: string | null;
  perms: string[];
  record: EmbedIdentity['record'];
  /** The store's account the record belongs to (the account itself, or a person's account). */
  accountId: string | null;
  /** The standalone app's role; null for a user who came through the Salesforce panel. */
  role: Role | null;
  /** What signed in (policies.ts ActorKind); absent on tokens of earlier versions. */
  kind?: ActorKind;
  /**
   * The standalone app's sign-in session (user_sessions.id) the token was issued for: each
   * request checks that the session is live and its user active, and takes the user's role now.
   */
  sessionId?: string | null;
}

const accessClaims = z.object({
  sub: z.string(),
  org: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  perms: z.array(z.string()),
  rec: z.object({ id: z.string(), obj: z.enum(RECORD_OBJECTS) }).nullable(),
  acc: z.string().nullable(),
  role: z.enum(ROLES).nullable().default(null),
  knd: z.enum(ACTOR_KINDS).optional(),
  sid: z.string().nullable().optional(),
  exp: z.number(),
});

export async function issueAccessToken(
  access: Access,
  key: AccessKey,
  now: Date,
  ttlSeconds = ACCESS_TOKEN_TTL_SECONDS,
): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({
    org: access.orgId,
    name: access.name,
    email: access.email,
    perms: access.perms,
    rec: access.record ? { id: access.record.id, obj: access.record.objectApiName } : null,
    acc: access.accountId,
    role: access.role,
    ...(access.kind ? { knd: access.kind } : {}),
    ...(access.sessionId ? { sid: access.sessionId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.id })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(access.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(key.secret);
}

/** Checks a bearer access token; `access_token_expired` tells the dashboard to get a fresh embed token. */
export async function verifyAccessToken(
  token: string,
  keys: AccessKey | AccessKeyLookup,
  now: Date,
): Promise<Access> {
  return (await verifyAccessTokenExpiry(token, keys, now)).access;
}

export const accessTokenExpired = () =>
  new AppError('access_token_expired', 'access token has expired: open the panel again');

/** verifyAccessToken, also telling when the token expires (milliseconds since the epoch). */
export async function verifyAccessTokenExpiry(
  token: string,
  keys: AccessKey | AccessKeyLookup,
  now: Date,
): Promise<{ access: Access; expiresAtMs: number }> {
  const lookup: AccessKeyLookup =
    typeof keys === 'function' ? keys : async (id) => (id === keys.id ? keys : undefined);
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(
      token,
      async (header) => {
        // A key retired longer than a token lives is gone: its tokens are refused like forged ones.
        const key = await lookup(header.kid ?? LEGACY_ACCESS_KEY_ID);
        if (!key) throw new AppError('unauthorized', 'access token is signed with an unknown key');
        return key.secret;
      },
      {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: now,
      },
    ));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw accessTokenExpired();
    throw new AppError('unauthorized', 'access token is not valid');
  }
  const claims = accessClaims.safeParse(payload);
  if (!claims.success) throw new AppError('unauthorized', 'access token is not valid');
  const c = claims.data;
  const access: Access = {
    orgId: c.org,
    userId: c.sub,
    name: c.name,
    email: c.email,
    perms: c.perms,
    record: c.rec ? { id: c.rec.id, objectApiName: c.rec.obj } : null,
    accountId: c.acc,
    role: c.role,
    ...(c.knd ? { kind: c.knd } : {}),
    ...(c.sid ? { sessionId: c.sid } : {}),
  };
  return { access, expiresAtMs: c.exp * 1000 };
}
