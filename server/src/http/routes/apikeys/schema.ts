import { z } from 'zod';
import { ROLES } from '../../../domain/vocabulary';
import { BEARER_ERRORS, errorAnswer, isoInstant, type ApiOperation } from '../openapi/operation';

/** `POST /api/apikeys`. */
export const createApiKeyBody = z.strictObject({
  name: z.string().trim().min(1, 'name the key after the integration that uses it').max(100),
  role: z.enum(ROLES),
  /** The owning user's email; absent or null: a service key. */
  user: z
    .email({ error: "give the owning user's email, or leave it out for a service key" })
    .nullable()
    .optional(),
});

/** `:id` of an API key (key_…); its name is accepted too. */
export const apiKeyIdParams = z.strictObject({
  id: z.string().trim().min(1, 'give the id or the name of an API key').max(100),
});

export const apiKeyJson = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  user: z.string().nullable(),
  prefix: z.string(),
  createdAt: isoInstant,
  createdBy: z.string(),
  lastUsedAt: isoInstant.nullable(),
  revokedAt: isoInstant.nullable(),
});

export const apiKeyListResponse = z.strictObject({ apiKeys: z.array(apiKeyJson) });
export const createApiKeyResponse = z.strictObject({
  key: z.string().startsWith('sfk_'),
  apiKey: apiKeyJson,
});
export const revokeApiKeyResponse = z.strictObject({ apiKey: apiKeyJson });

const NOT_ADMIN = errorAnswer('the role may not manage API keys (Admin only), whatever the body');

export const apiKeyOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/apikeys',
    tag: 'access',
    summary: 'Every API key, live ones first (never the key itself) (Admin)',
    auth: 'bearer',
    responses: {
      200: { description: 'the keys', schema: apiKeyListResponse },
      ...BEARER_ERRORS,
      403: NOT_ADMIN,
    },
  },
  {
    method: 'post',
    path: '/api/apikeys',
    tag: 'access',
    summary: 'Creates an API key with a role, optionally owned by a user (Admin)',
    description:
      'The answer holds the key (`sfk_…`) once: the service keeps only its SHA-256 and its first 12 characters. Send it as `Authorization: Bearer sfk_…`. A key owned by a user stops working while the user is deactivated; a key without one is a service key. Recorded in the audit log (`apikey.create`).',
    auth: 'bearer',
    body: createApiKeyBody,
    responses: {
      201: { description: 'the key, shown this once, and its record', schema: createApiKeyResponse },
      400: errorAnswer('a bad name, role or user email (`validation_failed`)'),
      ...BEARER_ERRORS,
      403: NOT_ADMIN,
      404: errorAnswer('no user with this email'),
      409: errorAnswer('a live key already has this name, or the owner is deactivated (`conflict`)'),
    },
  },
  {
    method: 'delete',
    path: '/api/apikeys/:id',
    tag: 'access',
    summary: 'Revokes an API key by id or name: it is refused from the next request (Admin)',
    description: 'The key stays listed with `revokedAt`. Recorded in the audit log (`apikey.revoke`).',
    auth: 'bearer',
    params: apiKeyIdParams,
    responses: {
      200: { description: 'the revoked key', schema: revokeApiKeyResponse },
      ...BEARER_ERRORS,
      403: NOT_ADMIN,
      404: errorAnswer('no key with this id, and no live key with this name'),
      409: errorAnswer('the key is already revoked (`conflict`)'),
    },
  },
];
