import { z } from 'zod';
import { ROLES } from '../../../domain/vocabulary';
import { BEARER_ERRORS, errorAnswer, isoInstant, type ApiOperation } from '../openapi/operation';

/** `POST /api/users`. */
export const createUserBody = z.strictObject({
  email: z.email({ error: 'give the email address the person signs in with' }).max(320),
  name: z.string().trim().max(200).nullable().optional(),
  role: z.enum(ROLES),
});

/** `:id` of a user: their id (usr_…) or email. */
export const userIdParams = z.strictObject({
  id: z.string().trim().min(1, 'give the id or the email of a user').max(320),
});

/** `PATCH /api/users/:id`: the fields to change, at least one. */
export const updateUserBody = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    active: z.boolean().optional(),
    name: z.string().trim().max(200).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one of role, active, name');

export const userJson = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  active: z.boolean(),
  externalId: z.string().nullable(),
  lastSignInAt: isoInstant.nullable(),
  createdAt: isoInstant,
  deactivatedAt: isoInstant.nullable(),
});

export const userListResponse = z.strictObject({ users: z.array(userJson) });
export const userResponse = z.strictObject({ user: userJson });

const NOT_ADMIN = errorAnswer('the role may not manage users (Admin only), whatever the body');

export const userOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/users',
    tag: 'access',
    summary: 'Every user of the standalone app, by email (Admin)',
    auth: 'bearer',
    responses: {
      200: { description: 'the users', schema: userListResponse },
      ...BEARER_ERRORS,
      403: NOT_ADMIN,
    },
  },
  {
    method: 'post',
    path: '/api/users',
    tag: 'access',
    summary: 'Adds a user with a role (Admin)',
    description:
      'The user signs in through the configured OIDC provider with this email; the email is stored lowercased and is unique whatever its case. Recorded in the audit log (`user.create`).',
    auth: 'bearer',
    body: createUserBody,
    responses: {
      201: { description: 'the user', schema: userResponse },
      400: errorAnswer('a bad email, name or role (`validation_failed`, naming the field)'),
      ...BEARER_ERRORS,
      403: NOT_ADMIN,
      409: errorAnswer('a user with this email already exists (`conflict`)'),
    },
  },
  {
    method: 'patch',
    path: '/api/users/:id',
    tag: 'access',
    summary: "Changes a user's role or name, or deactivates or reactivates them (Admin)",
    description:
      "A role change takes effect at the user's next request. Deactivation revokes their sign-in sessions at once, refuses their next sign-in and stops the API keys they own. An Admin cannot change their own role or deactivate themselves. Each change is recorded in the audit log (`user.set_role`, `user.rename`, `user.deactivate`, `user.reactivate`).",
    auth: 'bearer',
    params: userIdParams,
    body: updateUserBody,
    responses: {
      200: { description: 'the user as changed', schema: userResponse },
      400: errorAnswer('a bad role, name or active flag, or nothing to change (`validation_failed`)'),
      ...BEARER_ERRORS,
      403: NOT_ADMIN,
      404: errorAnswer('no user with this id or email'),
      409: errorAnswer('an Admin changing their own role or deactivating themselves (`conflict`)'),
    },
  },
];
