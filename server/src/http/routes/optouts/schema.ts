import { z } from 'zod';
import { BEARER_ERRORS, errorAnswer, isoDay, isoInstant, type ApiOperation } from '../openapi/operation';

const value = z.string().max(1000);

/** `{ email }` or `{ domain }` (one of them), and on POST an optional reason. */
export const optOutTargetBody = z.union([
  z.strictObject({ email: value, reason: z.string().max(2000).optional() }),
  z.strictObject({ domain: value, reason: z.string().max(2000).optional() }),
]);

export const deleteOptOutBody = z.union([
  z.strictObject({ email: value }),
  z.strictObject({ domain: value }),
]);

export const listOptOutsQuery = z.strictObject({
  q: z.string().max(200).optional(),
  kind: z.enum(['email', 'domain']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const reportQuery = z.strictObject({
  since: isoDay.optional(),
  until: isoDay.optional(),
});

const entrySchema = z.strictObject({
  kind: z.enum(['email', 'domain']),
  value: z.string(),
  source: z.string(),
  reason: z.string().nullable(),
  createdAt: isoInstant,
  createdBy: z.string(),
});

export const listOptOutsResponse = z.strictObject({ entries: z.array(entrySchema), total: z.number().int() });
export const addOptOutResponse = z.strictObject({ entry: entrySchema, added: z.boolean() });
export const importOptOutsResponse = z.strictObject({
  rows: z.number().int(),
  added: z.number().int(),
  already: z.number().int(),
  bad: z.number().int(),
  badRows: z.array(z.strictObject({ line: z.number().int(), value: z.string(), reason: z.string() })),
});
export const deleteOptOutResponse = z.strictObject({ entry: entrySchema });

const place = z.enum([
  'outreach_enrollment',
  'orchestration_record',
  'orchestration_audience',
  'salesforce_campaign_member',
  'salesforce_lead',
  'salesforce_contact',
  'purchase',
]);

export const reportResponse = z.strictObject({
  since: isoInstant,
  until: isoInstant,
  newOptOuts: z.strictObject({
    listEmails: z.number().int(),
    listDomains: z.number().int(),
    people: z.number().int(),
    list: z.array(entrySchema),
    flagged: z.array(
      z.strictObject({
        id: z.string(),
        kind: z.enum(['contact', 'lead']),
        email: z.string().nullable(),
        accountId: z.string(),
        optedOutAt: isoInstant,
      }),
    ),
  }),
  stillPresent: z.strictObject({
    total: z.number().int(),
    byPlace: z.record(place, z.number().int()),
    records: z.array(
      z.strictObject({
        email: z.string(),
        place,
        target: z.string().nullable(),
        ref: z.string().nullable(),
        pushedAt: isoInstant,
        rule: z.enum(['contact', 'lead', 'list_email', 'list_domain']),
        why: z.string(),
      }),
    ),
  }),
});

const REFUSED = {
  ...BEARER_ERRORS,
  403: errorAnswer('the role may not manage the opt-out list (Admin and Operations may)'),
};

export const optOutOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/optouts',
    tag: 'opt-outs',
    summary: 'The central opt-out list, newest first, one page (Admin and Operations roles)',
    description: '`q` finds entries whose value contains it (any case); `total` counts every match.',
    auth: 'bearer',
    query: listOptOutsQuery,
    responses: {
      200: { description: 'one page of the list', schema: listOptOutsResponse },
      400: errorAnswer('a bad kind, limit or offset (`validation_failed`)'),
      ...REFUSED,
    },
  },
  {
    method: 'post',
    path: '/api/optouts',
    tag: 'opt-outs',
    summary: 'Adds an address or a domain, or imports a CSV (Admin and Operations roles)',
    description:
      'JSON `{ "email" }` or `{ "domain" }` (and an optional `reason`) adds one entry: 201 when added, 200 with `added: false` when the list holds it already. A `text/csv` body (header naming `email` and/or `domain`, any case; optional `source` and `reason`; 5 MB at most) imports every row: each bad row is reported with its line and reason (`empty`, `malformed email`, `malformed domain`) and the good rows are kept. Domains are normalized (`https://www.Example.com/x` → `example.com`); an opted-out domain covers its subdomains.',
    auth: 'bearer',
    body: optOutTargetBody,
    rawBody: {
      mediaType: 'text/csv',
      description: 'an opt-out file: a header line, then one row per address or domain',
    },
    responses: {
      200: {
        description: 'the import counts and bad rows (CSV), or the entry the list held (JSON)',
        schema: z.union([importOptOutsResponse, addOptOutResponse]),
      },
      201: { description: 'the entry added', schema: addOptOutResponse },
      400: errorAnswer(
        'a malformed email or domain, or a file naming neither column (`validation_failed`, `bad_request`)',
      ),
      413: errorAnswer('a file over 5 MB'),
      ...REFUSED,
    },
  },
  {
    method: 'delete',
    path: '/api/optouts',
    tag: 'opt-outs',
    summary: 'Removes an address or a domain from the list (Admin and Operations roles)',
    description:
      'The body is JSON `{ "email" }` or `{ "domain" }`, normalized as on POST. The people\'s own opt-out flag is not touched.',
    auth: 'bearer',
    body: deleteOptOutBody,
    responses: {
      200: { description: 'the entry removed', schema: deleteOptOutResponse },
      400: errorAnswer('a malformed email or domain (`validation_failed`)'),
      404: errorAnswer('the list holds no such entry (`not_found`)'),
      ...REFUSED,
    },
  },
  {
    method: 'get',
    path: '/api/optouts.csv',
    tag: 'opt-outs',
    summary: 'The whole list as CSV (Admin and Operations roles)',
    description:
      'Columns `email,domain,source,reason,created_at,created_by`, one of email and domain filled per row; POST it back as `text/csv` and it imports unchanged.',
    auth: 'bearer',
    responses: { 200: { description: 'the list', mediaType: 'text/csv' }, ...REFUSED },
  },
  {
    method: 'get',
    path: '/api/optouts/report',
    tag: 'opt-outs',
    summary:
      'The opt-out report: new opt-outs in a period, and opted-out addresses still in pushed audiences',
    description:
      '`since` and `until` are UTC days, midnight, `until` excluded. Defaults: `until` now, `since` 7 days before `until`. The still-present records cover every opted-out address, whenever it opted out.',
    auth: 'bearer',
    query: reportQuery,
    responses: {
      200: { description: 'the report', schema: reportResponse },
      400: errorAnswer('a day that is not YYYY-MM-DD, or since after until (`validation_failed`)'),
      ...REFUSED,
    },
  },
];
