import { z } from 'zod';
import { MAX_AUDIT_PAGE, DEFAULT_AUDIT_PAGE } from '../../../services/audit/listAudit';
import { parseIsoTimestamp } from '../../../services/import/fields';
import { BEARER_ERRORS, errorAnswer, isoInstant, type ApiOperation } from '../openapi/operation';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A day (YYYY-MM-DD, UTC) or an ISO 8601 instant. As `until`, a day includes the whole day
 * (the entries before the next midnight).
 */
const dayOrInstant = (field: 'since' | 'until') =>
  z
    .string()
    .trim()
    .transform((text, ctx) => {
      const at = parseIsoTimestamp(text);
      if (!at) {
        ctx.addIssue({
          code: 'custom',
          message: `give ${field} as a day (YYYY-MM-DD) or an ISO 8601 instant`,
        });
        return z.NEVER;
      }
      return field === 'until' && DAY.test(text) ? new Date(at.getTime() + 86_400_000) : at;
    });

/** The filters of `GET /api/audit` and `GET /api/audit.csv`. */
const filterFields = {
  since: dayOrInstant('since').optional(),
  until: dayOrInstant('until').optional(),
  /** The actor as the log names it: an email, an API key's name, `command line`, `schedule`. */
  actor: z.string().trim().min(1).max(320).optional(),
  /** An action (`segment.publish`) or a thing (`segment`: all its actions). */
  action: z
    .string()
    .trim()
    .regex(/^[a-z_]+(\.[a-z_]+)?$/, {
      message: 'give an action such as segment.publish, or a thing such as segment',
    })
    .optional(),
  targetType: z.string().trim().min(1).max(100).optional(),
};

export const auditCsvQuery = z.strictObject(filterFields);

export const auditQuery = z.strictObject({
  ...filterFields,
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(DEFAULT_AUDIT_PAGE),
  /** An entry id: the page of entries older than it (the `next` of the page before). */
  before: z.coerce.number().int().min(1).optional(),
});

export const auditEntrySchema = z.strictObject({
  id: z.number().int(),
  at: isoInstant,
  actor: z.string(),
  actorKind: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  summary: z.string(),
  counts: z.record(z.string(), z.number()),
});

export const auditResponse = z.strictObject({
  entries: z.array(auditEntrySchema),
  next: z.number().int().nullable(),
});

const REFUSALS = {
  400: errorAnswer('a bad date, action or limit, or an unknown parameter (`validation_failed`)'),
  ...BEARER_ERRORS,
  403: errorAnswer('the audit log is for the Admin role (checked before the query)'),
};

export const auditOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/audit',
    tag: 'access',
    summary: 'The audit log, newest first: who changed or sent what, when, with counts (Admin role)',
    description:
      'Filters: `since` and `until` (a day, YYYY-MM-DD, or an instant; `until` as a day includes that day), `actor`, `action` (an action, or a thing for all its actions), `targetType`. A page holds `limit` entries (default 100, at most 1000); `next` is the `before` of the next page, null on the last. Actions: docs/audit-log.md.',
    auth: 'bearer',
    query: auditQuery,
    responses: {
      200: { description: 'a page of entries, newest first', schema: auditResponse },
      ...REFUSALS,
    },
  },
  {
    method: 'get',
    path: '/api/audit.csv',
    tag: 'access',
    summary: 'The audit log as a CSV download, with the filters of GET /api/audit (Admin role)',
    description:
      'Every entry the filters select, newest first, streamed. Columns: id, at, actor, actor_kind, action, target_type, target_id, summary, counts (JSON). A cell that a spreadsheet would run as a formula starts with a single quote.',
    auth: 'bearer',
    query: auditCsvQuery,
    responses: {
      200: { description: 'the CSV file', mediaType: 'text/csv' },
      ...REFUSALS,
    },
  },
];
