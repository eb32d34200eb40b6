import { z } from 'zod';
import { MODEL_KINDS } from '../../../domain/scoring/modelCodec';
import { BUYING_STAGES, FIT_BANDS } from '../../../domain/vocabulary';
import { MODEL_STATES } from '../../../services/models/versionStore';
import { BEARER_ERRORS, errorAnswer, isoDay, isoInstant, type ApiOperation } from '../openapi/operation';
import { accountBacktest } from '../reports/modelInsightsSchema';

/** `:id` of a model version (the actions act on every candidate version of its training). */
export const modelIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be the numeric id of a model version (see GET /api/models)')
    .transform(Number),
});

/** `POST /api/models/train`: trains on the facts before `asOf` (default: today, UTC). */
export const trainBody = z.strictObject({ asOf: isoDay.optional() });

/** `POST /api/models/:id/postpone`: `days`, 1 to 90 (default: the notice period, 14 days). */
export const postponeBody = z.strictObject({ days: z.number().int().min(1).max(90).optional() });

export const COMPARE_ACCOUNT_KINDS = ['stage', 'fit', 'becoming_qualified', 'stopping_qualified'] as const;

/**
 * `GET /api/models/compare/accounts`: the accounts behind one figure of the comparison — a cell of
 * a transition matrix (`stage` or `fit`: `from` the current run's value, `to` the candidate's,
 * `none` for none; one left out is a whole row or column), or those the candidate would make or
 * stop being qualified.
 */
export const compareAccountsQuery = z.strictObject({
  kind: z.enum(COMPARE_ACCOUNT_KINDS),
  from: z.string().trim().min(1).max(40).optional(),
  to: z.string().trim().min(1).max(40).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
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

/**
 * The score run an action rescored (the current run's day, with the versions now active), and the
 * Salesforce write-back that followed it when Salesforce is configured; null: no run to rescore,
 * or the rescore failed (`rescoreError`: the state change stands, the next daily run scores with it).
 */
const rescored = z
  .strictObject({
    runId: z.number().int(),
    asOf: isoDay,
    writeback: z
      .strictObject({ status: z.enum(['complete', 'failed']), error: z.string().optional() })
      .optional(),
  })
  .nullable();
const rescoreError = z.string().optional();

export const listModelsResponse = z.array(modelListRow);

export const pendingResponse = z
  .strictObject({
    trainingId: z.number().int(),
    trainedAsOf: isoDay,
    rolloutOn: isoDay.nullable(),
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
  rescoreError,
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
  rescoreError,
});

/** `{ from: { to: count } }`: rows the current run's stage or fit, columns the candidate's (`none`: none). */
const matrix = z.record(z.string(), z.record(z.string(), z.number().int()));

/** One side of the comparison: its training and versions with their own figures. */
const comparedSide = z.strictObject({
  training_id: z.number().int(),
  trained_as_of: isoDay,
  versions: z.array(
    z.strictObject({
      id: z.number().int(),
      kind,
      method: z.string().nullable(),
      auc: figure,
      identification_rate: figure,
      state,
    }),
  ),
});

/** One side's backtest, with the model insights' definitions (docs/reports.md "Model insights"). */
const versionMetrics = z.strictObject(accountBacktest);

export const compareResponse = z.strictObject({
  active: comparedSide,
  candidate: comparedSide,
  metrics: z.strictObject({
    backtest: z.strictObject({
      scored_as_of: isoDay,
      outcomes_until: isoDay,
      accounts: z.number().int(),
      converters: z.number().int(),
      opportunities: z.number().int(),
      note: z.string(),
    }),
    active: versionMetrics,
    candidate: versionMetrics,
  }),
  qualified_impact: z.strictObject({
    day: isoDay,
    active_qualified: z.number().int(),
    candidate_qualified: z.number().int(),
    becoming_qualified: z.number().int(),
    stopping_qualified: z.number().int(),
    average_qualified_per_day: z.strictObject({
      active: z.number().nullable(),
      candidate: z.number().nullable(),
      days_sampled: z.array(isoDay),
    }),
  }),
  transitions: z.strictObject({ stage: matrix, fit: matrix }),
  compared_at: isoInstant,
});

/** An account's scores under one side; null on a side that did not score it. */
const accountState = z
  .strictObject({
    stage: z.enum(BUYING_STAGES).nullable(),
    fit: z.enum(FIT_BANDS).nullable(),
    intent_score: z.number().nullable(),
    profile_score: z.number().nullable(),
    qualified: z.boolean(),
  })
  .nullable();

export const compareAccountsResponse = z.strictObject({
  total: z.number().int(),
  accounts: z.array(
    z.strictObject({
      account_id: z.string(),
      name: z.string().nullable(),
      active: accountState,
      candidate: accountState,
    }),
  ),
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
const NO_VERSION = errorAnswer('no model version of that id (`not_found`)');
const NOT_CANDIDATE = errorAnswer('the version is not a candidate: active, rejected or retired (`conflict`)');

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
      404: errorAnswer('no candidate to compare (`not_found`)'),
      409: errorAnswer('no score run or no active versions yet: score first (`conflict`)'),
    },
  },
  {
    method: 'get',
    path: '/api/models/compare/accounts',
    tag: 'models',
    summary: 'The accounts behind one figure of the comparison, one page',
    description:
      "`kind=stage` or `kind=fit` with `from` (the current run's stage or fit) and `to` (the candidate's), `none` for none: the accounts of one cell of the transition matrix, a whole row without `to`, a whole column without `from`; `becoming_qualified` or `stopping_qualified`: those the candidate would make qualified or unqualified. Ordered by account id; `total` counts every one.",
    auth: 'bearer',
    query: compareAccountsQuery,
    responses: {
      200: { description: 'one page of accounts', schema: compareAccountsResponse },
      400: errorAnswer(
        'an unknown kind, a stage or fit `from` or `to` that is not one (`bad_request`), or a bad limit or offset (`validation_failed`)',
      ),
      ...READ_REFUSED,
      404: errorAnswer('no candidate to compare (`not_found`)'),
      409: errorAnswer('no score run or no active versions yet: score first (`conflict`)'),
    },
  },
  {
    method: 'post',
    path: '/api/models/train',
    tag: 'models',
    summary: 'Trains new candidate versions from the facts before a day (Admin role)',
    description:
      'The body is optional: `{ "asOf": "YYYY-MM-DD" }` (default today, UTC). A candidate not worse than the active versions becomes active on `rolloutOn` unless approved, postponed or rejected before (Admins are told); a worse one is stored `rejected` with its figures. `reason` says which and why. An older pending candidate is superseded (rejected). The request waits for the training.',
    auth: 'bearer',
    body: trainBody,
    responses: {
      200: { description: 'the training and its versions', schema: trainResponse },
      400: errorAnswer('a day that is not YYYY-MM-DD (`validation_failed`)'),
      ...MANAGE_REFUSED,
    },
  },
  {
    method: 'post',
    path: '/api/models/:id/approve',
    tag: 'models',
    summary: "Makes the candidate versions of the id's training active now (Admin role)",
    description:
      "The previous active versions retire, and the current run's day is rescored with the new ones at once: `run` is the new run (null when the store has no run yet, or when the rescore failed: `rescoreError` says why, the approval stands and the next daily run scores with the new versions).",
    auth: 'bearer',
    params: modelIdParams,
    responses: {
      200: { description: 'the versions made active, and the run rescored', schema: approveResponse },
      400: BAD_ID,
      ...MANAGE_REFUSED,
      404: NO_VERSION,
      409: NOT_CANDIDATE,
    },
  },
  {
    method: 'post',
    path: '/api/models/:id/postpone',
    tag: 'models',
    summary: "Moves the roll-out day of the id's candidate training later (Admin role)",
    description:
      '`{ "days": N }`, 1 to 90, added to the roll-out day (default: the notice period, `models.notice_days`, 14 days unless set).',
    auth: 'bearer',
    params: modelIdParams,
    body: postponeBody,
    responses: {
      200: { description: 'the new roll-out day', schema: postponeResponse },
      400: errorAnswer(
        'an id that is not a number, or days not a whole number from 1 to 90 (`validation_failed`)',
      ),
      ...MANAGE_REFUSED,
      404: NO_VERSION,
      409: NOT_CANDIDATE,
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
      404: NO_VERSION,
      409: NOT_CANDIDATE,
    },
  },
  {
    method: 'post',
    path: '/api/models/rollback',
    tag: 'models',
    summary: 'Rolls every kind back to the version active before the current one (Admin role)',
    description:
      "For each kind, the active version becomes `rejected` (rolled back) and the one active before it active again; the current run's day is rescored with them at once (`run`; `rescoreError` as for an approval).",
    auth: 'bearer',
    responses: {
      200: {
        description: 'the versions restored and rolled back, and the run rescored',
        schema: rollbackResponse,
      },
      ...MANAGE_REFUSED,
      409: errorAnswer('no earlier version of some kind to roll back to (`conflict`)'),
    },
  },
];
