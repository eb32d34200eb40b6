import { z } from 'zod';
import { MODEL_KINDS } from '../../../domain/scoring/modelCodec';
import { MODEL_STATES } from '../../../services/models/versionStore';
import { BEARER_ERRORS, errorAnswer, isoDay, isoInstant, type ApiOperation } from '../openapi/operation';

/** `:id` of a model version (the actions act on every candidate version of its training). */
export const modelIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be the numeric id of a model version (see GET /api/models)')
    .transform(Number),
});

/** `POST /api/models/train`: trains on the facts before `asOf` (default: today, UTC). */
export const trainBody = z.strictObject({ asOf: isoDay.optional() });

/** The days a postponement may add to the roll-out day (docs/models.md). */
export const POSTPONE_DAYS = { min: 1, max: 90, default: 14 } as const;

/** `POST /api/models/:id/postpone`: `days` (default 14). */
export const postponeBody = z.strictObject({
  days: z.number().int().min(POSTPONE_DAYS.min).max(POSTPONE_DAYS.max).optional(),
});

export const COMPARE_ACCOUNT_KINDS = ['stage', 'fit', 'becoming_qualified', 'stopping_qualified'] as const;

/**
 * `GET /api/models/compare/accounts`: the accounts behind one figure of the comparison — a cell of
 * a transition matrix (`stage` or `fit`, `from` → `to`), or those the candidate would make or stop
 * being qualified.
 */
export const compareAccountsQuery = z.strictObject({
  kind: z.enum(COMPARE_ACCOUNT_KINDS),
  from: z.string().trim().min(1).max(40).optional(),
  to: z.string().trim().min(1).max(40).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const kind = z.enum(MODEL_KINDS);
const state = z.enum(MODEL_STATES);
const figure = z.number().nullable();

/** One version as `GET /api/models` and `signalfit models list --json` give it. */
export const modelListRow = z.strictObject({
  id: z.number().int(),
  kind,
  training_id: z.number().int(),
  trained_as_of: isoDay,
  state,
  method: z.string().nullable(),
  auc: figure,
  auc_ci: z.tuple([z.number(), z.number()]).nullable(),
  identification_rate: figure,
  created_at: isoInstant,
  state_changed_at: isoInstant,
  state_changed_by: z.string(),
  rollout_on: isoDay.nullable(),
});

/** A version as the actions answer it (services/models/versionStore.ts ModelVersionRow). */
export const modelVersion = z.strictObject({
  id: z.number().int(),
  training_id: z.number().int(),
  kind,
  engine_version: z.string(),
  trained_as_of: isoDay,
  training: z.record(z.string(), z.unknown()),
  method: z.string().nullable(),
  backtest: z.record(z.string(), z.unknown()).nullable(),
  auc: figure,
  identification_rate: figure,
  state,
  state_changed_at: isoInstant,
  state_changed_by: z.string(),
  created_at: isoInstant,
});

/** The score run an action rescored (the current run's day, with the versions now active). */
const rescored = z.strictObject({ runId: z.number().int(), asOf: isoDay }).nullable();

export const listModelsResponse = z.array(modelListRow);

export const pendingResponse = z
  .strictObject({
    trainingId: z.number().int(),
    trainedAsOf: isoDay,
    rolloutOn: isoDay,
    announcedAt: isoInstant.nullable(),
    remindedAt: isoInstant.nullable(),
    versions: z.array(modelVersion),
  })
  .nullable();

export const trainResponse = z.strictObject({
  trainingId: z.number().int(),
  state: z.enum(['candidate', 'rejected']),
  rolloutOn: isoDay.nullable(),
  versions: z.array(modelVersion),
  reason: z.string(),
});

export const approveResponse = z.strictObject({
  trainingId: z.number().int(),
  activated: z.array(modelVersion),
  run: rescored,
});

export const postponeResponse = z.strictObject({ trainingId: z.number().int(), rolloutOn: isoDay });

export const rejectResponse = z.strictObject({
  trainingId: z.number().int(),
  rejected: z.array(modelVersion),
});

export const rollbackResponse = z.strictObject({
  restored: z.array(modelVersion),
  rolledBack: z.array(modelVersion),
  run: rescored,
});

/** `{ from: { to: count } }`. */
const matrix = z.record(z.string(), z.record(z.string(), z.number().int()));
const part = z.record(z.string(), z.unknown());

export const compareResponse = z.strictObject({
  active: part.nullable(),
  candidate: part.nullable(),
  metrics: part.nullable(),
  qualified_impact: part.nullable(),
  transitions: z.strictObject({ stage: matrix, fit: matrix }).nullable(),
});

export const compareAccountsResponse = z.strictObject({
  total: z.number().int(),
  accounts: z.array(part),
});

const READ_REFUSED = {
  ...BEARER_ERRORS,
  403: errorAnswer('the role may not see the models (Sales, Insights)'),
};
const MANAGE_REFUSED = {
  ...BEARER_ERRORS,
  403: errorAnswer('the role may not manage the models (only Admin may; checked before the body)'),
};
const BAD_ID = errorAnswer('an id that is not a number, or a bad body (`validation_failed`)');
const NO_CANDIDATE = errorAnswer(
  'no model version of that id, or it has no candidate version in its training (`not_found`)',
);

export const modelOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/models',
    tag: 'models',
    summary: 'Every model version, newest first (the JSON of `signalfit models list --json`)',
    description:
      'One row per version: its kind, training, state (`active`, `candidate`, `rejected`, `retired`), method and its own figures (AUC with its 95 % interval, identification rate), and the roll-out day of a pending candidate. Definitions: docs/models.md.',
    auth: 'bearer',
    responses: { 200: { description: 'the versions', schema: listModelsResponse }, ...READ_REFUSED },
  },
  {
    method: 'get',
    path: '/api/models/pending',
    tag: 'models',
    summary: 'The candidate training waiting for its roll-out day, or null',
    description:
      'The newest training with candidate versions: when it was trained, the day it becomes active, when Admins were told and last reminded, and its versions.',
    auth: 'bearer',
    responses: {
      200: { description: 'the pending candidate, or null', schema: pendingResponse },
      ...READ_REFUSED,
    },
  },
  {
    method: 'get',
    path: '/api/models/compare',
    tag: 'models',
    summary: 'The candidate against the active versions (the JSON of `signalfit models compare --json`)',
    description:
      "Each side's figures, and the current run's day scored with the candidate against the current run: the qualified accounts gained and lost (`qualified_impact`) and the accounts moving between buying stages and fit bands (`transitions.stage`, `transitions.fit`: `{ from: { to: count } }`).",
    auth: 'bearer',
    responses: {
      200: { description: 'the comparison', schema: compareResponse },
      ...READ_REFUSED,
      404: errorAnswer('no candidate, or no active version or score run to compare it with (`not_found`)'),
    },
  },
  {
    method: 'get',
    path: '/api/models/compare/accounts',
    tag: 'models',
    summary: 'The accounts behind one figure of the comparison, one page',
    description:
      '`kind=stage` or `kind=fit` with `from` and `to`: the accounts of one cell of the transition matrix; `becoming_qualified` or `stopping_qualified`: those the candidate would make qualified or unqualified. `total` counts every one.',
    auth: 'bearer',
    query: compareAccountsQuery,
    responses: {
      200: { description: 'one page of accounts', schema: compareAccountsResponse },
      400: errorAnswer('an unknown kind, or a bad limit or offset (`validation_failed`)'),
      ...READ_REFUSED,
      404: errorAnswer('nothing to compare (`not_found`)'),
    },
  },
  {
    method: 'post',
    path: '/api/models/train',
    tag: 'models',
    summary: 'Trains new candidate versions from the facts before a day (Admin role)',
    description:
      'The body is optional: `{ "asOf": "YYYY-MM-DD" }` (default today, UTC). A candidate not worse than the active versions is announced and becomes active on `rolloutOn`; a worse one is stored `rejected` with its figures, and `reason` says why. The request waits for the training.',
    auth: 'bearer',
    body: trainBody,
    responses: {
      200: { description: 'the training and its versions', schema: trainResponse },
      400: errorAnswer('a day that is not YYYY-MM-DD (`validation_failed`)'),
      ...MANAGE_REFUSED,
      409: errorAnswer('scoring or another training is under way (`conflict`)'),
    },
  },
  {
    method: 'post',
    path: '/api/models/:id/approve',
    tag: 'models',
    summary: "Makes the candidate versions of the id's training active now (Admin role)",
    description:
      "The previous active versions retire, and the current run's day is rescored with the new ones at once (`run`, null when the store has no run yet).",
    auth: 'bearer',
    params: modelIdParams,
    responses: {
      200: { description: 'the versions made active, and the run rescored', schema: approveResponse },
      400: BAD_ID,
      ...MANAGE_REFUSED,
      404: NO_CANDIDATE,
      409: errorAnswer('scoring is under way (`conflict`)'),
    },
  },
  {
    method: 'post',
    path: '/api/models/:id/postpone',
    tag: 'models',
    summary: "Moves the roll-out day of the id's candidate training later (Admin role)",
    description: '`{ "days": N }`, 1 to 90 (default 14), added to the roll-out day.',
    auth: 'bearer',
    params: modelIdParams,
    body: postponeBody,
    responses: {
      200: { description: 'the new roll-out day', schema: postponeResponse },
      400: errorAnswer(
        'an id that is not a number, or days not a whole number from 1 to 90 (`validation_failed`)',
      ),
      ...MANAGE_REFUSED,
      404: NO_CANDIDATE,
    },
  },
  {
    method: 'post',
    path: '/api/models/:id/reject',
    tag: 'models',
    summary: "Rejects the candidate versions of the id's training (Admin role)",
    auth: 'bearer',
    params: modelIdParams,
    responses: {
      200: { description: 'the versions rejected', schema: rejectResponse },
      400: BAD_ID,
      ...MANAGE_REFUSED,
      404: NO_CANDIDATE,
    },
  },
  {
    method: 'post',
    path: '/api/models/rollback',
    tag: 'models',
    summary: 'Rolls every kind back to the version active before the current one (Admin role)',
    description:
      "The active versions become `rejected` (rolled back), the previous ones active again, and the current run's day is rescored with them at once (`run`).",
    auth: 'bearer',
    responses: {
      200: {
        description: 'the versions restored and rolled back, and the run rescored',
        schema: rollbackResponse,
      },
      ...MANAGE_REFUSED,
      409: errorAnswer('no version to roll back to, or scoring is under way (`conflict`)'),
    },
  },
];
