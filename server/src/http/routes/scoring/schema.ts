import { z } from 'zod';
import { RECOMPUTE_STEPS } from '../../../services/recompute/recomputer';
import { BEARER_ERRORS, errorAnswer, isoDay, isoInstant, type ApiOperation } from '../openapi/operation';

const recomputeStatus = z.strictObject({
  state: z.enum(['idle', 'running', 'done', 'failed']),
  step: z.enum(RECOMPUTE_STEPS).nullable(),
  stepsDone: z.number().int(),
  stepsTotal: z.number().int(),
  startedAt: isoInstant.nullable(),
  finishedAt: isoInstant.nullable(),
  startedBy: z.string().nullable(),
  runId: z.number().int().nullable(),
  error: z.string().nullable(),
});

/** `GET /api/scoring/status`. */
export const scoringStatusResponse = z.strictObject({
  lastRun: z
    .strictObject({
      id: z.number().int(),
      asOf: isoDay,
      modelVersion: z.string().nullable(),
      finishedAt: isoInstant.nullable(),
      accounts: z.number().int().nullable(),
    })
    .nullable(),
  recompute: recomputeStatus,
  mayRecompute: z.boolean(),
});

/** `POST /api/scoring/recompute`. */
export const recomputeResponse = z.strictObject({ recompute: recomputeStatus });

export const scoringOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/scoring/status',
    tag: 'scoring',
    summary: 'The current scoring run and the recompute under way, with its progress',
    auth: 'bearer',
    responses: { 200: { description: 'the status', schema: scoringStatusResponse }, ...BEARER_ERRORS },
  },
  {
    method: 'post',
    path: '/api/scoring/recompute',
    tag: 'scoring',
    summary: 'Scores the store now, in the background (Admin and Operations roles)',
    auth: 'bearer',
    responses: {
      202: { description: 'the recompute started', schema: recomputeResponse },
      ...BEARER_ERRORS,
      403: errorAnswer('the role may not recompute (`scores.recompute`: Admin, Operations)'),
      409: errorAnswer('a recompute is already running (`conflict`)'),
    },
  },
];
