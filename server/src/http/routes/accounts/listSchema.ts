import { z } from 'zod';
import { BUYING_STAGES, FIT_BANDS } from '../../../domain/vocabulary';
import { SORT_COLUMNS, type ListCursor } from '../../../services/accounts/listAccounts';

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
