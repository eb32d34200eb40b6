import { z } from 'zod';
import { BEARER_ERRORS, errorAnswer, isoInstant, type ApiOperation } from '../openapi/operation';

const RUN_KINDS = ['salesforce_sync', 'salesforce_writeback', 'daily'] as const;

export const runsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** A run id: the page of runs older than it. */
    before: z.coerce.number().int().min(1).optional(),
    kind: z.enum(RUN_KINDS).optional(),
  })
  .strict();

/** `GET /api/admin/runs`: a page of runs, latest first. */
export const runsResponse = z.strictObject({
  runs: z.array(
    z.strictObject({
      id: z.number().int(),
      kind: z.enum(RUN_KINDS),
      trigger: z.string(),
      status: z.enum(['running', 'complete', 'paused', 'failed']),
      startedAt: isoInstant,
      finishedAt: isoInstant.nullable(),
      counts: z.record(z.string(), z.unknown()),
      errors: z.array(z.unknown()),
    }),
  ),
  nextBefore: z.number().int().nullable(),
});

export const adminOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/runs',
    tag: 'admin',
    summary: 'The sync, write-back and daily runs, latest first, with status, counts and errors',
    description:
      'For users with the Signalfit_Admin permission. `nextBefore` is the `before` of the next page.',
    auth: 'bearer',
    query: runsQuery,
    responses: {
      200: { description: 'a page of runs', schema: runsResponse },
      400: errorAnswer('a query parameter is not valid (`validation_failed`)'),
      ...BEARER_ERRORS,
      403: errorAnswer(
        "the role may not manage integration settings (`settings.manage`: Admin, Operations, or the panel's Signalfit_Admin)",
      ),
    },
  },
];
