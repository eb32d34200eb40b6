import { z } from 'zod';
import { BUYING_STAGES, FIT_BANDS, REACH_LEVELS } from '../../../domain/vocabulary';
import { SORT_COLUMNS, type ListCursor } from '../../../services/accounts/listAccounts';
import { BEARER_ERRORS, errorAnswer, isoDay, type ApiOperation } from '../openapi/operation';

/** A list filter: `fit=Strong,Moderate` or `fit=Strong&fit=Moderate`. */
const listOf = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess(
    (value) =>
      (Array.isArray(value) ? value : [value])
        .flatMap((v) => String(v).split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    z.array(item).min(1).max(50),
  );

const cursorShape = z
  .object({
    sort: z.enum(SORT_COLUMNS),
    dir: z.enum(['asc', 'desc']),
    phase: z.union([z.literal(1), z.literal(2)]),
    key: z.union([z.string().max(1000), z.number().int(), z.null()]),
    id: z.string().min(1).max(255),
  })
  .strict();

/** `cursor`: the opaque `nextCursor` of the previous page (base64url of JSON). */
const cursor = z
  .string()
  .max(2000)
  .transform((text, ctx): ListCursor => {
    try {
      const decoded = cursorShape.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
      if (decoded.success) return decoded.data;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'not a cursor of this list: pass nextCursor back unchanged' });
    return z.NEVER;
  });

export function encodeCursor(value: ListCursor): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

const filters = {
  fit: listOf(z.enum(FIT_BANDS)).optional(),
  stage: listOf(z.enum(BUYING_STAGES)).optional(),
  qualified: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  industry: listOf(z.string().max(200)).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  /** Members of this segment (its id) in the current run. */
  segment: z.coerce.number().int().positive().optional(),
  sort: z.enum(SORT_COLUMNS).default('intent'),
  dir: z.enum(['asc', 'desc']).default('desc'),
};

/** `GET /api/accounts`: sort, direction, filters, search, page size and cursor. */
export const listQuery = z
  .object({
    ...filters,
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: cursor.optional(),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.cursor && (query.cursor.sort !== query.sort || query.cursor.dir !== query.dir)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: 'the cursor belongs to another sort: start again without it',
      });
    }
  });

/** `GET /api/accounts/export.csv`: the same view as the list, every page. */
export const exportQuery = z.object(filters).strict();

const listRow = z.strictObject({
  id: z.string(),
  name: z.string().nullable(),
  domain: z.string().nullable(),
  industry: z.string().nullable(),
  employees: z.number().int().nullable(),
  profileFit: z.enum(FIT_BANDS).nullable(),
  profileScore: z.number().int().nullable(),
  intentScore: z.number().int().nullable(),
  buyingStage: z.enum(BUYING_STAGES).nullable(),
  reach: z.enum(REACH_LEVELS).nullable(),
  qualified: z.boolean().nullable(),
  qualifiedSince: isoDay.nullable(),
});

/** `GET /api/accounts`: one page of the list. */
export const accountListResponse = z.strictObject({
  accounts: z.array(listRow),
  count: z.number().int().nullable(),
  countCapped: z.boolean(),
  nextCursor: z.string().nullable(),
  run: z.strictObject({ asOf: isoDay, modelVersion: z.string().nullable() }).nullable(),
});

export const industriesResponse = z.strictObject({ industries: z.array(z.string()) });

const LIST_ERRORS = {
  ...BEARER_ERRORS,
  403: errorAnswer('the list is for signed-in app users and Signalfit admins'),
};

export const accountListOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/accounts',
    tag: 'accounts',
    summary: 'One page of the accounts list, with the count of matches and the next cursor',
    description:
      "List filters take several values as `fit=Strong,Moderate` or `fit=Strong&fit=Moderate`. `segment=<id>` limits the list to a segment's members in the current run. `cursor` is the previous page's `nextCursor`, with the same sort.",
    auth: 'bearer',
    query: listQuery,
    responses: {
      200: { description: 'one page', schema: accountListResponse },
      400: errorAnswer('a filter, the sort or the cursor is not valid (`validation_failed`)'),
      404: errorAnswer('no segment has the id given as `segment` (`not_found`)'),
      ...LIST_ERRORS,
    },
  },
  {
    method: 'get',
    path: '/api/accounts/industries',
    tag: 'accounts',
    summary: 'The values the industry filter offers',
    auth: 'bearer',
    responses: { 200: { description: 'the industries', schema: industriesResponse }, ...LIST_ERRORS },
  },
  {
    method: 'get',
    path: '/api/accounts/export.csv',
    tag: 'accounts',
    summary: 'The whole filtered and sorted list as CSV, streamed',
    auth: 'bearer',
    query: exportQuery,
    responses: {
      200: { description: 'CSV with a header line; formulas escaped as text', mediaType: 'text/csv' },
      400: errorAnswer('a filter or the sort is not valid (`validation_failed`)'),
      ...LIST_ERRORS,
      403: errorAnswer('the role may not export (`exports.csv`: every role but View Only)'),
    },
  },
];
