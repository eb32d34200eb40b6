import { z } from 'zod';
import { MAX_PEOPLE_PER_ENROLLMENT } from '../../../services/outreach/enrollPeople';
import { BEARER_ERRORS, errorAnswer, isoInstant, type ApiOperation } from '../openapi/operation';

const recordId = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** Outreach ids are integers; the API takes them as JSON numbers or strings of digits. */
const outreachId = z
  .union([
    z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    z.string().regex(/^\d{1,15}$/, 'must be an Outreach id (digits)'),
  ])
  .transform(String);

export const enrollmentBody = z.strictObject({
  people: z.array(recordId).min(1).max(MAX_PEOPLE_PER_ENROLLMENT),
  sequenceId: outreachId,
  mailboxId: outreachId,
  /** Display only (the enrollment history); Outreach is not asked for it. */
  sequenceName: z.string().max(200).optional(),
});

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
});

export const historyQuery = z.strictObject({ personId: recordId });

export const sequencesQuery = z.strictObject({ search: z.string().max(200).optional() });

export const connectQuery = z.object({ ticket: z.string().min(1).max(200) });

export const callbackQuery = z.object({
  code: z.string().min(1).max(2000).optional(),
  state: z.string().min(1).max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

export const statusResponse = z.strictObject({
  configured: z.boolean(),
  connected: z.boolean(),
  mayEnroll: z.boolean(),
  outreachEmail: z.string().nullable(),
  connectedAt: isoInstant.nullable(),
});

export const connectTicketResponse = z.strictObject({
  connectUrl: z.string(),
  expiresInSeconds: z.number().int().positive(),
});

export const disconnectResponse = z.strictObject({ disconnected: z.boolean() });

export const sequencesResponse = z.strictObject({
  sequences: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      enabled: z.boolean(),
      sequenceType: z.string().nullable(),
      shareType: z.string().nullable(),
    }),
  ),
});

export const mailboxesResponse = z.strictObject({
  mailboxes: z.array(
    z.strictObject({
      id: z.string(),
      email: z.string().nullable(),
      userId: z.string().nullable(),
      sendDisabled: z.boolean(),
    }),
  ),
  defaultMailboxId: z.string().nullable(),
});

const ENROLLMENT_RESULTS = [
  'enrolled',
  'already_enrolled',
  'person_opted_out',
  'person_has_no_email',
  'person_not_found',
  'outreach_validation_failed',
  'outreach_rate_limited',
] as const;

export const enrollmentResponse = z.strictObject({
  sequenceId: z.string(),
  mailboxId: z.string(),
  results: z.array(
    z.strictObject({
      personId: z.string(),
      canonicalId: z.string().nullable(),
      name: z.string().nullable(),
      result: z.enum(ENROLLMENT_RESULTS),
      prospectId: z.string().optional(),
      sequenceStateId: z.string().optional(),
      detail: z.string().optional(),
      retryAt: isoInstant.optional(),
    }),
  ),
  counts: z.partialRecord(z.enum(ENROLLMENT_RESULTS), z.number().int()),
});

export const historyResponse = z.strictObject({
  personId: z.string(),
  attempts: z.array(
    z.strictObject({
      attemptedAt: isoInstant,
      by: z.string().nullable(),
      byUserId: z.string(),
      sequenceId: z.string(),
      sequenceName: z.string().nullable(),
      mailboxId: z.string(),
      result: z.string(),
      prospectId: z.string().nullable(),
      sequenceStateId: z.string().nullable(),
      detail: z.string().nullable(),
    }),
  ),
});

const NOT_CONFIGURED = errorAnswer('Outreach is not configured on this service (`outreach_not_configured`)');
const MAY_NOT_ENROLL = errorAnswer(
  "the user may not enroll people (`outreach.enroll`: Admin, Operations, Sales, or the panel's Signalfit_Sales_Actions)",
);
const OUTREACH_FAILED = {
  429: errorAnswer(
    'Outreach is rate-limiting this user past the wait bound (`outreach_rate_limited`, `details.retryAt`)',
  ),
  502: errorAnswer('Outreach refused the call or could not be reached (`outreach_unavailable`)'),
};

export const outreachOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/outreach/status',
    tag: 'outreach',
    summary: "Whether Outreach is configured, the user's connection, and whether the user may enroll",
    auth: 'bearer',
    responses: { 200: { description: 'the status', schema: statusResponse }, ...BEARER_ERRORS },
  },
  {
    method: 'post',
    path: '/api/outreach/connect-ticket',
    tag: 'outreach',
    summary: "A one-time URL that starts connecting the user's Outreach account (opened in a popup)",
    auth: 'bearer',
    responses: {
      201: { description: 'the connect URL and how long it lives', schema: connectTicketResponse },
      ...BEARER_ERRORS,
      403: MAY_NOT_ENROLL,
      503: NOT_CONFIGURED,
    },
  },
  {
    method: 'get',
    path: '/api/outreach/connect',
    tag: 'outreach',
    summary: "Redirects to Outreach's consent page (the connect ticket is the credential)",
    auth: 'none',
    query: connectQuery,
    responses: {
      302: { description: "to Outreach's authorization page", redirect: true },
      400: errorAnswer('no ticket (`validation_failed`)'),
      401: errorAnswer('the ticket is unknown, used or expired (`unauthorized`)'),
      503: NOT_CONFIGURED,
    },
  },
  {
    method: 'get',
    path: '/api/outreach/callback',
    tag: 'outreach',
    summary: 'Where Outreach sends the user back: stores the connection and shows a small page',
    auth: 'none',
    query: callbackQuery,
    responses: {
      200: { description: 'Outreach is connected (a page that says so)', mediaType: 'text/html' },
      400: { description: 'Outreach was not connected, and why (a page)', mediaType: 'text/html' },
      502: { description: 'Outreach failed while connecting (a page)', mediaType: 'text/html' },
    },
  },
  {
    method: 'delete',
    path: '/api/outreach/connection',
    tag: 'outreach',
    summary: "Removes the user's Outreach connection",
    auth: 'bearer',
    responses: {
      200: { description: 'whether a connection was removed', schema: disconnectResponse },
      ...BEARER_ERRORS,
      503: NOT_CONFIGURED,
    },
  },
  {
    method: 'get',
    path: '/api/outreach/sequences',
    tag: 'outreach',
    summary: 'The Outreach sequences the user can see, optionally filtered by name',
    auth: 'bearer',
    query: sequencesQuery,
    responses: {
      200: { description: 'the sequences', schema: sequencesResponse },
      ...BEARER_ERRORS,
      403: MAY_NOT_ENROLL,
      409: errorAnswer('the user has not connected Outreach (`outreach_not_connected`)'),
      ...OUTREACH_FAILED,
      503: NOT_CONFIGURED,
    },
  },
  {
    method: 'get',
    path: '/api/outreach/mailboxes',
    tag: 'outreach',
    summary: "The user's Outreach mailboxes and the one to send from by default",
    auth: 'bearer',
    responses: {
      200: { description: 'the mailboxes', schema: mailboxesResponse },
      ...BEARER_ERRORS,
      403: MAY_NOT_ENROLL,
      409: errorAnswer('the user has not connected Outreach (`outreach_not_connected`)'),
      ...OUTREACH_FAILED,
      503: NOT_CONFIGURED,
    },
  },
  {
    method: 'post',
    path: '/api/outreach/enrollments',
    tag: 'outreach',
    summary: 'Enrolls people in a sequence: one result per person',
    description:
      'With an `Idempotency-Key` header, a repeated request answers the first answer again (`Idempotent-Replayed: true`).',
    auth: 'bearer',
    headers: idempotencyHeaders,
    body: enrollmentBody,
    responses: {
      200: { description: 'a result per person and the counts', schema: enrollmentResponse },
      400: errorAnswer('the body is not valid (`validation_failed`)'),
      ...BEARER_ERRORS,
      403: MAY_NOT_ENROLL,
      409: errorAnswer('not connected, or the same Idempotency-Key with another request'),
      ...OUTREACH_FAILED,
      503: NOT_CONFIGURED,
    },
  },
  {
    method: 'get',
    path: '/api/outreach/enrollments',
    tag: 'outreach',
    summary: "A person's enrollment attempts, newest first",
    auth: 'bearer',
    query: historyQuery,
    responses: {
      200: { description: 'the attempts', schema: historyResponse },
      400: errorAnswer('no personId (`validation_failed`)'),
      ...BEARER_ERRORS,
      403: errorAnswer("the user may not read this person's account"),
      404: errorAnswer('no contact or lead with this id'),
    },
  },
];
