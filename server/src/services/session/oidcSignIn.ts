import * as oidc from 'openid-client';
import { AppError } from '../../errors';
import type { Role } from '../../domain/vocabulary';
import type { IdentityClaims, OidcClient } from '../../integrations/oidc/client';
import type { OidcConfig } from '../../integrations/oidc/env';
import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { insertUser } from '../users/insertUser';
import { USER_COLUMNS, userOf, type User } from '../users/users';
import { openSession } from './userSessions';

/** How long a visitor has between the redirect to the provider and its callback. */
export const SIGN_IN_REQUEST_MINUTES = 10;
/** The role of a user created at first sign-in when the role map names none (the reference's default). */
export const DEFAULT_ROLE: Role = 'View Only';

/**
 * Starts a sign-in: a fresh state, nonce and PKCE verifier are stored (any instance can take the
 * callback; requests older than SIGN_IN_REQUEST_MINUTES are deleted on the way) and the
 * provider's authorization URL is returned with the state, which the caller also binds to the
 * browser.
 */
export async function startOidcSignIn(
  db: Db,
  client: OidcClient,
  props: { returnTo: string | null; now: Date },
): Promise<{ url: URL; state: string }> {
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const url = await client.authorizationUrl({ state, nonce, codeVerifier });
  await db.run('DELETE FROM oidc_sign_in_requests WHERE created_at < $1', [requestCutoff(props.now)]);
  await db.query(
    'INSERT INTO oidc_sign_in_requests (state, nonce, code_verifier, return_to, created_at) VALUES ($1, $2, $3, $4, $5)',
    [state, nonce, codeVerifier, props.returnTo, props.now],
  );
  return { url, state };
}

export interface CompletedSignIn {
  user: User;
  /** The session cookie's secret (only its hash is stored). */
  sessionSecret: string;
  sessionExpiresAt: Date;
  /** Where the app goes next (a same-origin path), or null for the accounts list. */
  returnTo: string | null;
}

/**
 * Completes a sign-in from the provider's redirect to the callback: the request of `state` is
 * taken (once), the code exchanged and the ID token validated by the library, then the user is
 * found or created (docs/sign-in.md "Who is who"), refused when deactivated, given the role map's
 * role when it names one, and a session opened. Every refusal is `unauthorized` with a message
 * for the person signing in.
 */
export async function completeOidcSignIn(
  db: Db,
  client: OidcClient,
  props: {
    callbackUrl: URL;
    /** The state bound to the browser at the start (cookie); null when the browser sent none. */
    browserState: string | null;
    config: Pick<OidcConfig, 'roleMap'>;
    now: Date;
  },
): Promise<CompletedSignIn> {
  const { callbackUrl, now } = props;
  const state = callbackUrl.searchParams.get('state');
  if (!state) throw new AppError('unauthorized', 'the sign-in answer has no state: start again');
  const [request] = await db.query<{
    nonce: string;
    code_verifier: string;
    return_to: string | null;
    created_at: Date;
  }>(
    'DELETE FROM oidc_sign_in_requests WHERE state = $1 RETURNING nonce, code_verifier, return_to, created_at',
    [state],
  );
  if (!request || props.browserState !== state)
    throw new AppError(
      'unauthorized',
      'this sign-in was not started in this browser, or was already used: start again',
    );
  if (new Date(request.created_at) < requestCutoff(now))
    throw new AppError(
      'unauthorized',
      `this sign-in took longer than ${SIGN_IN_REQUEST_MINUTES} minutes: start again`,
    );
  const providerError = callbackUrl.searchParams.get('error');
  if (providerError) {
    const description = callbackUrl.searchParams.get('error_description');
    throw new AppError(
      'unauthorized',
      `the identity provider refused the sign-in: ${providerError}${description ? ` (${description})` : ''}`,
    );
  }
  const identity = await client.exchange(
    callbackUrl,
    { state, nonce: request.nonce, codeVerifier: request.code_verifier },
    now,
  );
  const mappedRole = roleFromMap(props.config.roleMap, identity.roleValues);
  return db.transaction(async (tx) => {
    const user = await signInUser(tx, identity, mappedRole, now);
    const session = await openSession(tx, user.id, now);
    return {
      user,
      sessionSecret: session.secret,
      sessionExpiresAt: session.expiresAt,
      returnTo: request.return_to,
    };
  });
}

/** The role of the map's first entry (in the order written) whose claim value the user has. */
export function roleFromMap(map: OidcConfig['roleMap'], values: readonly string[]): Role | null {
  return map.find(([claimValue]) => values.includes(claimValue))?.[1] ?? null;
}

type UserRow = Parameters<typeof userOf>[0];

async function signInUser(
  db: Db,
  identity: IdentityClaims,
  mappedRole: Role | null,
  now: Date,
): Promise<User> {
  const existing = await findSignInUser(db, identity);
  if (existing) {
    if (!existing.active)
      throw new AppError('unauthorized', `${existing.email} is deactivated in Signalfit: ask an Admin`);
    const role = mappedRole ?? existing.role;
    const [row] = await db.query<UserRow>(
      `UPDATE users SET oidc_subject = $2, last_sign_in_at = $3, updated_at = $3, role = $4,
              name = COALESCE(name, $5)
        WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [existing.id, identity.sub, now, role, identity.name],
    );
    const user = userOf(row!);
    const actor = actorOf(user);
    if (role !== existing.role)
      await recordAudit(
        db,
        actor,
        {
          action: 'user.set_role',
          targetType: 'user',
          targetId: user.id,
          summary: `${user.email}'s role became ${role} (was ${existing.role}) from the identity provider's role map`,
        },
        now,
      );
    await recordAudit(
      db,
      actor,
      {
        action: 'user.sign_in',
        targetType: 'user',
        targetId: user.id,
        summary: `${user.email} signed in as ${role}`,
      },
      now,
    );
    return user;
  }
  if (!identity.email)
    throw new AppError(
      'unauthorized',
      'the identity provider sent no email address for you: ask your administrator to release the email claim to Signalfit',
    );
  if (!identity.emailVerified)
    throw new AppError('unauthorized', `the identity provider has not verified ${identity.email}`);
  const role = mappedRole ?? DEFAULT_ROLE;
  const user = await insertUser(
    db,
    { email: identity.email, name: identity.name, role, oidcSubject: identity.sub, lastSignInAt: now },
    now,
  );
  const actor = actorOf(user);
  await recordAudit(
    db,
    actor,
    {
      action: 'user.create',
      targetType: 'user',
      targetId: user.id,
      summary: `${user.email} was added as ${role} at their first sign-in`,
    },
    now,
  );
  await recordAudit(
    db,
    actor,
    {
      action: 'user.sign_in',
      targetType: 'user',
      targetId: user.id,
      summary: `${user.email} signed in as ${role}`,
    },
    now,
  );
  return user;
}

/**
 * The user an ID token names: by the subject of an earlier sign-in, else by SCIM's externalId
 * (an identity provider may provision with the subject as externalId), else by the verified
 * email. An email match already linked to another subject is refused: two accounts at the
 * provider must not become one Signalfit user.
 */
async function findSignInUser(db: Db, identity: IdentityClaims): Promise<User | null> {
  const bySubject = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE oidc_subject = $1`, [
    identity.sub,
  ]);
  if (bySubject[0]) return userOf(bySubject[0]);
  const byExternalId = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE external_id = $1`, [
    identity.sub,
  ]);
  if (byExternalId[0]) return userOf(byExternalId[0]);
  if (!identity.email || !identity.emailVerified) return null;
  const byEmail = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = $1`, [
    identity.email,
  ]);
  const user = byEmail[0] ? userOf(byEmail[0]) : null;
  if (user?.oidcSubject && user.oidcSubject !== identity.sub)
    throw new AppError(
      'unauthorized',
      `${identity.email} is already linked to another account at the identity provider: ask an Admin`,
    );
  return user;
}

function actorOf(user: User): Actor {
  return { userId: user.id, kind: 'user', email: user.email, name: user.name, role: user.role };
}

function requestCutoff(now: Date): Date {
  return new Date(now.getTime() - SIGN_IN_REQUEST_MINUTES * 60_000);
}
