import { z } from 'zod';
import { ROLES } from '../../../domain/vocabulary';
import { ACTIONS, type Action } from '../../../policies/policies';
import { errorAnswer, type ApiOperation } from '../openapi/operation';

/** `GET /api/session`: how a visitor can sign in. */
export const sessionResponse = z.strictObject({
  demo: z.boolean(),
  signInMethods: z.array(z.string()),
  /** When demo sign-in is off: why, and how to configure access. */
  help: z.string().optional(),
  /** Each action of policies.ts: whether the user of the bearer sent may do it (all false without one). */
  can: z.strictObject(
    Object.fromEntries(ACTIONS.map((action) => [action, z.boolean()])) as Record<Action, z.ZodBoolean>,
  ),
});

/** `POST /api/session/demo`: a demo Admin's access token. */
export const demoSessionResponse = z.strictObject({
  accessToken: z.string(),
  expiresIn: z.number().int().positive(),
  user: z.strictObject({ name: z.string(), role: z.enum(ROLES) }),
  demo: z.literal(true),
});

export const sessionOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/session',
    tag: 'session',
    summary:
      'How a visitor of the standalone app can sign in (demo or not, and if not, how to set access up), and what the signed-in user may do',
    description:
      'Sent with a bearer access token, `can` says for each action of policies.ts (segments.view, segments.edit, segments.publish, alerts.manage, scores.recompute, reports.segments, reports.model, orchestrations.view, orchestrations.manage, orchestrations.restricted_regions, contacts.acquire) whether its user may do it; without one every action is false. An expired or invalid token is refused (401).',
    auth: 'none',
    responses: { 200: { description: 'the sign-in methods', schema: sessionResponse } },
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
];
