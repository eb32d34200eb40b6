import { z } from 'zod';
import { SEGMENT_KINDS } from '../../../domain/segments/definition';
import {
  createSegmentInput,
  segmentFolder,
  segmentName,
  updateSegmentInput,
} from '../../../services/segments/segmentInput';
import { accountListResponse, exportQuery, listQuery } from '../accounts/listSchema';
import { BEARER_ERRORS, errorAnswer, isoDay, isoInstant, type ApiOperation } from '../openapi/operation';

/** `:id`: a segment's numeric id or its name (any case; URL-encoded). */
export const segmentParams = z.object({ id: z.string().trim().min(1).max(200) });

/** POST /api/segments: the JSON of `signalfit segments create --file`. */
export const createSegmentBody = createSegmentInput;
/** PATCH /api/segments/:id: any of name, description, folder, tags, definition. */
export const updateSegmentBody = updateSegmentInput;

/** POST /api/segments/preview: a definition being built (not saved). */
export const previewBody = z.strictObject({
  kind: z.enum(SEGMENT_KINDS).optional(),
  definition: z.unknown(),
  /** The segment being edited: a list segment previews its own list. */
  segmentId: z.number().int().positive().optional(),
});

/** POST /api/segments/upload?name=&folder=&append= with a text/csv body. */
export const uploadQuery = z.strictObject({
  name: segmentName,
  folder: segmentFolder.optional(),
  append: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

/** GET /api/segments/:id/accounts: the query of GET /api/accounts. */
export const segmentAccountsQuery = listQuery;
export const segmentExportQuery = exportQuery;

const segment = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  folder: z.string().nullable(),
  tags: z.array(z.string()),
  owner: z.string().nullable(),
  kind: z.enum(SEGMENT_KINDS),
  definition: z.record(z.string(), z.unknown()).nullable(),
  published: z.boolean(),
  publishedAt: isoInstant.nullable(),
  publishedBy: z.string().nullable(),
  version: z.number().int().min(1),
  createdAt: isoInstant,
  createdBy: z.string().nullable(),
  updatedAt: isoInstant,
  updatedBy: z.string().nullable(),
  members: z.number().int().nullable(),
  membersAsOf: isoDay.nullable(),
});

export const segmentResponse = z.strictObject({ segment });
export const segmentListResponse = z.strictObject({ segments: z.array(segment) });
export const segmentDetailResponse = z.strictObject({
  segment,
  history: z.array(
    z.strictObject({
      version: z.number().int(),
      action: z.enum(['created', 'updated', 'list_uploaded', 'published', 'unpublished', 'deleted']),
      changedBy: z.string().nullable(),
      changedAt: isoInstant,
      oldValue: z.unknown(),
      newValue: z.unknown(),
    }),
  ),
});
export const previewResponse = z.strictObject({
  runId: z.number().int().nullable(),
  asOf: isoDay.nullable(),
  count: z.number().int(),
  members: accountListResponse.shape.accounts,
});
export const uploadResponse = z.strictObject({
  segment,
  rows: z.number().int(),
  matched: z.number().int(),
  unmatched: z.array(z.strictObject({ line: z.number().int(), value: z.string(), reason: z.string() })),
});

const VIEW_ERRORS = { ...BEARER_ERRORS, 403: errorAnswer('the user has no role that may read segments') };
const EDIT_ERRORS = {
  ...BEARER_ERRORS,
  403: errorAnswer('the user has no role that may edit segments (View Only)'),
};
const NOT_FOUND = { 404: errorAnswer('no segment with this id or name') };
const INVALID = errorAnswer(
  'a bad definition (`invalid_segment`, `details.path` in bracket form such as `all[2].any[1]`: unknown field, wrong operator, wrong value, unknown segment, a cycle of references) or a bad field (`validation_failed`)',
);

export const segmentOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/segments',
    tag: 'segments',
    summary: 'Every segment, by name, with its member count in the current run',
    auth: 'bearer',
    responses: { 200: { description: 'the segments', schema: segmentListResponse }, ...VIEW_ERRORS },
  },
  {
    method: 'post',
    path: '/api/segments',
    tag: 'segments',
    summary: 'Creates a filter or CRM segment (the JSON of `signalfit segments create --file`)',
    description:
      'The definition is the filter language of docs/segments.md. `kind` is inferred when absent: `crm` when a `crm.` field is used, else `filter`. Its members in the current run are recorded at once.',
    auth: 'bearer',
    body: createSegmentBody,
    responses: {
      201: { description: 'the new segment', schema: segmentResponse },
      400: INVALID,
      ...EDIT_ERRORS,
      409: errorAnswer('a segment with this name (whatever its case) exists'),
    },
  },
  {
    method: 'post',
    path: '/api/segments/preview',
    tag: 'segments',
    summary: 'The live count and first 50 members of a definition being built (nothing is saved)',
    auth: 'bearer',
    body: previewBody,
    responses: { 200: { description: 'the preview', schema: previewResponse }, 400: INVALID, ...EDIT_ERRORS },
  },
  {
    method: 'post',
    path: '/api/segments/upload',
    tag: 'segments',
    summary:
      'Makes or replaces (or, with append=true, adds to) a list segment from a CSV of account ids or domains',
    description:
      'The body is `text/csv` with a header naming `account_id` or `domain` (any case). Up to 100,000 rows; every row that matches no account is reported with its line (the header is line 1), value and reason, and the good rows are kept.',
    auth: 'bearer',
    query: uploadQuery,
    rawBody: { mediaType: 'text/csv', description: 'the list: a header line, then one row per account' },
    responses: {
      200: { description: 'the list segment and the rows that did not match', schema: uploadResponse },
      400: errorAnswer(
        'no account_id or domain column, more than 100,000 rows, or a bad name: nothing stored',
      ),
      ...EDIT_ERRORS,
      409: errorAnswer('a filter or CRM segment has this name'),
    },
  },
  {
    method: 'get',
    path: '/api/segments/:id',
    tag: 'segments',
    summary: 'One segment with its history (who changed what, when, old and new value)',
    auth: 'bearer',
    params: segmentParams,
    responses: {
      200: { description: 'the segment and its history', schema: segmentDetailResponse },
      ...VIEW_ERRORS,
      ...NOT_FOUND,
    },
  },
  {
    method: 'patch',
    path: '/api/segments/:id',
    tag: 'segments',
    summary: "Changes a segment's name, description, folder, tags or definition",
    description: 'A new definition bumps the version and records the members again.',
    auth: 'bearer',
    params: segmentParams,
    body: updateSegmentBody,
    responses: {
      200: { description: 'the segment as changed', schema: segmentResponse },
      400: INVALID,
      ...EDIT_ERRORS,
      ...NOT_FOUND,
      409: errorAnswer('the new name is taken, or other segments refer to the old one'),
    },
  },
  {
    method: 'delete',
    path: '/api/segments/:id',
    tag: 'segments',
    summary: 'Deletes a segment (its history stays)',
    auth: 'bearer',
    params: segmentParams,
    responses: {
      204: { description: 'deleted', empty: true },
      ...EDIT_ERRORS,
      ...NOT_FOUND,
      409: errorAnswer('another segment refers to it, or an orchestration uses it'),
    },
  },
  {
    method: 'get',
    path: '/api/segments/:id/accounts',
    tag: 'segments',
    summary:
      "One page of the segment's members in the current run (the query and answer of GET /api/accounts)",
    auth: 'bearer',
    params: segmentParams,
    query: segmentAccountsQuery,
    responses: {
      200: { description: 'one page', schema: accountListResponse },
      400: errorAnswer('a filter, the sort or the cursor is not valid (`validation_failed`)'),
      ...VIEW_ERRORS,
      ...NOT_FOUND,
    },
  },
  {
    method: 'get',
    path: '/api/segments/:id/export.csv',
    tag: 'segments',
    summary: "The segment's members as CSV (the columns of GET /api/accounts/export.csv), streamed",
    auth: 'bearer',
    params: segmentParams,
    query: segmentExportQuery,
    responses: {
      200: { description: 'CSV with a header line; formulas escaped as text', mediaType: 'text/csv' },
      ...EDIT_ERRORS,
      ...NOT_FOUND,
    },
  },
  {
    method: 'post',
    path: '/api/segments/:id/publish',
    tag: 'segments',
    summary:
      "Publishes a segment: its name goes to its members' Signalfit_Segments__c at the next write-back",
    auth: 'bearer',
    params: segmentParams,
    responses: {
      200: { description: 'the segment', schema: segmentResponse },
      ...BEARER_ERRORS,
      403: errorAnswer('publishing is for the Admin and Operations roles'),
      ...NOT_FOUND,
    },
  },
  {
    method: 'post',
    path: '/api/segments/:id/unpublish',
    tag: 'segments',
    summary: 'Unpublishes a segment: its name leaves Salesforce at the next write-back',
    auth: 'bearer',
    params: segmentParams,
    responses: {
      200: { description: 'the segment', schema: segmentResponse },
      ...BEARER_ERRORS,
      403: errorAnswer('unpublishing is for the Admin and Operations roles'),
      ...NOT_FOUND,
    },
  },
];
