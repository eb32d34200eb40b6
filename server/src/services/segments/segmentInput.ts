import { z } from 'zod';
import { AppError } from '../../errors';

/**
 * The fields a person writes for a segment: the file of `segments create --file` and the body of
 * POST /api/segments (the same JSON), and the changes of PATCH /api/segments/:id and
 * `segments update`. The definition is checked by the use cases (checkDefinition.ts), which name
 * a problem by its bracket path.
 */
export const segmentName = z
  .string()
  .trim()
  .min(1, 'a segment needs a name')
  .max(120, 'a segment name is at most 120 characters')
  .refine((name) => !/^\d+$/.test(name), 'a name of digits only would read as an id: add a word')
  .refine((name) => !/\p{Cc}/u.test(name), 'a name holds no control characters (line breaks, tabs)');

const optionalText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} is at most ${max} characters`)
    .nullable()
    .transform((text) => (text === null || text === '' ? null : text));

export const segmentDescription = optionalText(2000, 'a description');
/** Free text; the app suggests the convention `Team - FY## Q# - Name`. */
export const segmentFolder = optionalText(200, 'a folder');

/** Trimmed, blanks dropped, each tag once whatever its case (the first spelling kept). */
export const segmentTags = z
  .array(z.string().trim().max(60, 'a tag is at most 60 characters'))
  .max(30, 'a segment has at most 30 tags')
  .transform((tags) => {
    const seen = new Set<string>();
    return tags.filter((tag) => {
      const key = tag.toLowerCase();
      if (tag === '' || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });

export const createSegmentInput = z.strictObject({
  name: segmentName,
  description: segmentDescription.optional(),
  folder: segmentFolder.optional(),
  tags: segmentTags.optional(),
  /** Inferred when absent: `crm` when the definition uses a `crm.` field, else `filter`. */
  kind: z.enum(['filter', 'crm', 'list']).optional(),
  definition: z.unknown(),
});
export type CreateSegmentInput = z.output<typeof createSegmentInput>;

export const updateSegmentInput = z
  .strictObject({
    name: segmentName.optional(),
    description: segmentDescription.optional(),
    folder: segmentFolder.optional(),
    tags: segmentTags.optional(),
    definition: z.unknown().optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'name at least one of name, description, folder, tags, definition',
  });
export type UpdateSegmentInput = z.output<typeof updateSegmentInput>;

/** Checks a segment file's JSON (the CLI's edge), naming the file and each problem. */
export function parseSegmentFile<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message,
  );
  throw new AppError('validation_failed', `${file}: ${problems.join('; ')}`);
}
