import { z } from 'zod';
import { ROLES } from '../../../domain/vocabulary';
import { ACTIONS, type Action } from '../../../policies/policies';
import { errorAnswer, isoInstant, type ApiOperation } from '../openapi/operation';

const signedInUser = z.strictObject({
  email: z.string().nullable(),
  name: z.string().nullable(),
  /** Null for a user of the Salesforce panel (its custom permissions decide). */
  role: z.enum(ROLES).nullable(),
});

/** `GET /api/session`: who is signed in and what they may do, or how a visitor can sign in. */
export const sessionResponse = z.strictObject({
  demo: z.boolean(),
  /** The signed-in user (from the bearer sent, or the sign-in cookie); null for a visitor. */
  user: signedInUser.nullable(),
  /** For a visitor: the ways to sign in, each a button of the sign-in page. */
  signInMethods: z
    .array(z.strictObject({ id: z.enum(['oidc', 'demo']), label: z.string(), url: z.string() }))
    .optional(),
  /** When demo sign-in is off: why, and how to configure access. */
  help: z.string().optional(),
  /** Each action of policies.ts: whether the signed-in user may do it (all false for a visitor). */
  can: z.strictObject(
    Object.fromEntries(ACTIONS.map((action) => [action, z.boolean()])) as Record<Action, z.ZodBoolean>,
  ),
});

/** `POST /api/session/token`: a bearer for the sign-in cookie's session. */
export const sessionTokenResponse = z.strictObject({
  accessToken: z.string(),
  /** Seconds: at most 15 minutes, and never past the session's end. */
  expiresIn: z.number().int().positive(),
  sessionExpiresAt: isoInstant,
  user: z.strictObject({ email: z.string(), name: z.string().nullable(), role: z.enum(ROLES) }),
});

/** `POST /api/session/demo`: a demo Admin's access token. */
export const demoSessionResponse = z.strictObject({
  accessToken: z.string(),
  expiresIn: z.number().int().positive(),
  user: z.strictObject({ name: z.string(), role: z.enum(ROLES) }),
  demo: z.literal(true),
});

const CSRF_NOTE =
  "Sent by the app with the `signalfit_session` cookie (credentials included), as JSON (`Content-Type: application/json`) or with an `X-Signalfit-Request` header; an `Origin` other than this service's is refused (403).";

export const sessionOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/session',
    tag: 'session',
    summary:
      'Who is signed in (`user`) and what they may do (`can`), or for a visitor `user: null` and the sign-in methods',
    description:
      'A bearer access token is checked as on every route (an expired, invalid or ended one is refused with 401); without one, the `signalfit_session` cookie tells who is signed in. `can` says for each action of policies.ts whether the user may do it; for a visitor every action is false. `demo` says whether demo sign-in is on; when it is off, `help` says why and how to configure access.',
    auth: 'none',
    responses: { 200: { description: 'the session', schema: sessionResponse } },
  },
  {
    method: 'post',
    path: '/api/session/token',
    tag: 'session',
    summary:
      "The sign-in cookie's session as a short-lived bearer access token (the app renews it before it expires)",
    description: CSRF_NOTE,
    auth: 'none',
    responses: {
      200: { description: 'the access token and the user', schema: sessionTokenResponse },
      401: errorAnswer('no sign-in cookie, or its session ended (signed out, expired, user deactivated)'),
      403: errorAnswer('a request from another origin, or neither JSON nor X-Signalfit-Request'),
    },
  },
  {
    method: 'post',
    path: '/api/session/signout',
    tag: 'session',
    summary:
      "Signs out: ends the cookie's session (its access tokens are refused from the next request) and clears the cookie",
    description: CSRF_NOTE,
    auth: 'none',
    responses: {
      204: { description: 'signed out (also when there was no session)', empty: true },
      403: errorAnswer('a request from another origin, or neither JSON nor X-Signalfit-Request'),
    },
  },
  {
    method: 'post',
    path: '/api/session/demo',
    tag: 'session',
    summary: "A demo Admin's access token, only while demo sign-in is on",
    auth: 'none',
    responses: {
      200: { description: 'the access token', schema: demoSessionResponse },
      403: errorAnswer('demo sign-in is off; the message says why and how to configure access'),
    },
  },
  {
    method: 'get',
    path: '/api/auth/oidc/login',
    tag: 'session',
    summary:
      'Starts single sign-on: redirects to the identity provider (authorization code with PKCE, state and nonce)',
    description:
      '`returnTo` (optional) is a path of this service to land on after the sign-in; anything else is ignored. Sets a short-lived `signalfit_oidc_state` cookie binding the sign-in to this browser.',
    auth: 'none',
    query: z.object({ returnTo: z.string().optional() }),
    responses: {
      302: {
        description:
          "to the provider's authorization endpoint; when the provider cannot be reached, to `/accounts?sign_in_error=<why>`",
        redirect: true,
      },
      404: errorAnswer('single sign-on is not configured'),
    },
  },
  {
    method: 'get',
    path: '/api/auth/oidc/callback',
    tag: 'session',
    summary:
      "The identity provider's redirect back: sets the `signalfit_session` cookie and goes to the app, or to `/accounts?sign_in_error=<why>`",
    description:
      "Refused (no session, redirected with the reason) when the state is unknown, used, older than 10 minutes or not this browser's, when the ID token is not valid (signature, issuer, audience, expiry, nonce), or when the user is deactivated.",
    auth: 'none',
    responses: {
      302: { description: 'to the app (signed in) or to its sign-in page with the reason', redirect: true },
      404: errorAnswer('single sign-on is not configured'),
    },
  },
];
