import { z } from 'zod';
import { PROVIDER_TYPES } from '../../../domain/orchestrations/vocabulary';
import { BEARER_ERRORS, errorAnswer, isoInstant, type ApiOperation } from '../openapi/operation';

/**
 * POST /api/providers: a csv provider only. Its folder is on the service's machine (give an
 * absolute path); an http provider carries a token, which is added from the command line.
 */
export const addProviderBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  type: z.literal('csv'),
  dir: z.string().trim().min(1).max(4096),
});

const provider = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(PROVIDER_TYPES),
  settings: z.union([z.strictObject({ dir: z.string() }), z.strictObject({ url: z.string() })]),
  createdAt: isoInstant,
  createdBy: z.string().nullable(),
});

export const providerListResponse = z.strictObject({ providers: z.array(provider) });
export const addProviderResponse = z.strictObject({
  provider,
  report: z.strictObject({
    rows: z.number().int(),
    bad: z.array(z.strictObject({ line: z.number().int(), reason: z.string() })),
  }),
});

export const providerOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/providers',
    tag: 'orchestrations',
    summary: 'Every contact-data provider, by name (tokens are never shown)',
    auth: 'bearer',
    responses: {
      200: { description: 'the providers', schema: providerListResponse },
      ...BEARER_ERRORS,
      403: errorAnswer('the user has no role that may view orchestrations'),
    },
  },
  {
    method: 'post',
    path: '/api/providers',
    tag: 'orchestrations',
    summary: "Adds a csv provider: a folder on the service's machine holding provider_contacts.csv",
    description:
      'The file is read and checked first; the provider is stored when the file can be read, and every bad row is reported with its line (the header is line 1) and reason (bad rows are never offered). An http provider is added with `signalfit providers add --type http` (docs/providers.md).',
    auth: 'bearer',
    body: addProviderBody,
    responses: {
      201: { description: 'the provider and the check of its file', schema: addProviderResponse },
      400: errorAnswer(
        'a bad field (`validation_failed`), or a folder or file that cannot be read or a header without a required column (`invalid_provider`): nothing stored',
      ),
      ...BEARER_ERRORS,
      403: errorAnswer('adding providers is for the Admin and Operations roles'),
      409: errorAnswer('a provider with this name (whatever its case) exists'),
    },
  },
];
