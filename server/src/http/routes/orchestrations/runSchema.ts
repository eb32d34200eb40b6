import { z } from 'zod';
import {
  RECORD_OUTCOMES,
  RUN_STATES,
  RUN_TRIGGERS,
  SKIP_REASONS,
} from '../../../domain/orchestrations/vocabulary';
import { BEARER_ERRORS, errorAnswer, isoInstant, type ApiOperation } from '../openapi/operation';

import { orchestrationParams } from './schema';

export { orchestrationParams };
/** `:runId`: a run's id (and `:id`, the orchestration's id or name). */
export const runParams = z.object({
  id: z.string().trim().min(1).max(200),
  runId: z.string().regex(/^\d+$/, 'a run id is a number').transform(Number),
});
export const repushBody = z.strictObject({ runId: z.number().int().positive().optional() });
export const recordsQuery = z.strictObject({ outcome: z.enum(RECORD_OUTCOMES).optional() });

const nullableText = z.string().nullable();

export const runView = z.strictObject({
  id: z.number().int(),
  trigger: z.enum(RUN_TRIGGERS),
  state: z.enum(RUN_STATES),
  requestedBy: nullableText,
  queuedAt: isoInstant,
  startedAt: isoInstant.nullable(),
  finishedAt: isoInstant.nullable(),
  counts: z.strictObject({
    purchased: z.number().int(),
    pushed: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
  }),
  message: nullableText,
});

const candidateView = z.strictObject({
  provider_id: z.string(),
  email: nullableText,
  first_name: nullableText,
  last_name: nullableText,
  title: nullableText,
  job_level: nullableText,
  job_function: nullableText,
  country: nullableText,
  email_confidence: nullableText,
  cost: z.number(),
  account_id: z.string(),
  account_name: nullableText,
  why: z.string(),
});

const audienceView = z.strictObject({
  person_id: z.string(),
  email: nullableText,
  first_name: nullableText,
  last_name: nullableText,
  title: nullableText,
  account_id: z.string(),
  account_name: nullableText,
  why: z.string(),
});

const creditView = z.strictObject({
  allowance: z.number(),
  period: z.string(),
  allowOverage: z.boolean(),
  periodStart: isoInstant,
  periodEnd: isoInstant,
  used: z.number(),
  balance: z.number(),
  overage: z.number(),
});

export const previewResponse = z.strictObject({
  sample: z.union([z.array(candidateView), z.array(audienceView)]),
  counts: z.strictObject({
    accounts: z.number().int(),
    accountsWithCandidates: z.number().int(),
    candidates: z.number().int(),
    toBuy: z.number().int(),
    cost: z.number(),
    skipped: z.strictObject(
      Object.fromEntries(SKIP_REASONS.map((reason) => [reason, z.number().int()])) as Record<
        (typeof SKIP_REASONS)[number],
        z.ZodNumber
      >,
    ),
  }),
  credits: creditView.nullable(),
});

export const runResponse = z.strictObject({ run: runView });
export const runListResponse = z.strictObject({ runs: z.array(runView) });
export const runDetailResponse = z.strictObject({
  run: runView,
  records: z.array(
    z.strictObject({
      provider_id: nullableText,
      person_id: nullableText,
      email: nullableText,
      first_name: nullableText,
      last_name: nullableText,
      title: nullableText,
      account_id: nullableText,
      account_name: nullableText,
      outcome: z.enum(RECORD_OUTCOMES),
      reason: nullableText,
      error: nullableText,
      target_id: nullableText,
    }),
  ),
});

const VIEW_ERRORS = {
  ...BEARER_ERRORS,
  403: errorAnswer('the user has no role that may view orchestrations'),
  404: errorAnswer('no orchestration (or run) with this id or name'),
};
const MANAGE_ERRORS = {
  ...BEARER_ERRORS,
  403: errorAnswer('the user has no role that may run orchestrations (Admin, Operations)'),
  404: errorAnswer('no orchestration (or run) with this id or name'),
  409: errorAnswer('a run of the orchestration is under way, or another kind of run is queued (`conflict`)'),
};
const PREVIEW_ERRORS = {
  ...VIEW_ERRORS,
  400: errorAnswer('the orchestration has no provider (`invalid_orchestration`)'),
  502: errorAnswer('the provider refused or could not be reached (`provider_unavailable`)'),
};

const TAG = 'orchestrations';

export const orchestrationRunOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/orchestrations/:id/preview',
    tag: TAG,
    summary: 'What a run would buy or push now: up to 100 samples with why, the counts and the credits',
    description:
      'Buys nothing, charges nothing, creates nothing, writes nothing (docs/orchestration-runs.md "Preview").',
    auth: 'bearer',
    params: orchestrationParams,
    responses: { 200: { description: 'the preview', schema: previewResponse }, ...PREVIEW_ERRORS },
  },
  {
    method: 'get',
    path: '/api/orchestrations/:id/preview/candidates.csv',
    tag: TAG,
    summary: 'Every candidate of the preview (bought, or cut by the per-account cap), with why',
    auth: 'bearer',
    params: orchestrationParams,
    responses: { 200: { description: 'the candidates file', mediaType: 'text/csv' }, ...PREVIEW_ERRORS },
  },
  {
    method: 'get',
    path: '/api/orchestrations/:id/preview/accounts.csv',
    tag: TAG,
    summary: 'Every account the preview considered, with its candidates and why it was skipped',
    auth: 'bearer',
    params: orchestrationParams,
    responses: { 200: { description: 'the accounts file', mediaType: 'text/csv' }, ...PREVIEW_ERRORS },
  },
  {
    method: 'post',
    path: '/api/orchestrations/:id/run',
    tag: TAG,
    summary: 'Queues a run (Run now) and answers at once; the service executes it',
    auth: 'bearer',
    params: orchestrationParams,
    responses: { 202: { description: 'the queued run', schema: runResponse }, ...MANAGE_ERRORS },
  },
  {
    method: 'post',
    path: '/api/orchestrations/:id/repush',
    tag: TAG,
    summary: 'Queues a re-push of the purchased-not-pushed and failed records (of one run with runId)',
    auth: 'bearer',
    params: orchestrationParams,
    body: repushBody,
    responses: { 202: { description: 'the queued run', schema: runResponse }, ...MANAGE_ERRORS },
  },
  {
    method: 'get',
    path: '/api/orchestrations/:id/runs',
    tag: TAG,
    summary: "The orchestration's runs, newest first",
    auth: 'bearer',
    params: orchestrationParams,
    responses: { 200: { description: 'the runs', schema: runListResponse }, ...VIEW_ERRORS },
  },
  {
    method: 'get',
    path: '/api/orchestrations/:id/runs/:runId',
    tag: TAG,
    summary: 'One run and its records (?outcome= keeps one outcome)',
    auth: 'bearer',
    params: runParams,
    query: recordsQuery,
    responses: { 200: { description: 'the run and its records', schema: runDetailResponse }, ...VIEW_ERRORS },
  },
  {
    method: 'get',
    path: '/api/orchestrations/:id/runs/:runId/records.csv',
    tag: TAG,
    summary: "A run's records as CSV (the CSV target's download)",
    auth: 'bearer',
    params: runParams,
    responses: { 200: { description: 'the records file', mediaType: 'text/csv' }, ...VIEW_ERRORS },
  },
];
