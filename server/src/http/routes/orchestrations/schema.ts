import { z } from 'zod';
import {
  ORCHESTRATION_GOALS,
  RUN_STATES,
  RUN_TRIGGERS,
  SALESFORCE_CREATE,
  WEEKDAYS,
} from '../../../domain/orchestrations/vocabulary';
import { ORCHESTRATION_CHANGE_ACTIONS } from '../../../services/orchestrations/orchestrationChanges';
import { orchestrationInput, orchestrationPatch } from '../../../services/orchestrations/orchestrationInput';
import { BEARER_ERRORS, errorAnswer, isoInstant, type ApiOperation } from '../openapi/operation';

/** `:id`: an orchestration's numeric id or its name (any case; URL-encoded). */
export const orchestrationParams = z.object({ id: z.string().trim().min(1).max(200) });

const named = z.strictObject({ id: z.number().int(), name: z.string() });

/** A run as the API shows it (orchestrationRecords.RunView). */
export const runView = z.strictObject({
  id: z.number().int(),
  trigger: z.enum(RUN_TRIGGERS),
  state: z.enum(RUN_STATES),
  requestedBy: z.string().nullable(),
  queuedAt: isoInstant,
  startedAt: isoInstant.nullable(),
  finishedAt: isoInstant.nullable(),
  counts: z.strictObject({
    purchased: z.number().int(),
    pushed: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
  }),
  message: z.string().nullable(),
});

/** An orchestration as the API shows it (orchestrationView.OrchestrationView). */
export const orchestrationView = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  goal: z.enum(ORCHESTRATION_GOALS),
  segment: named,
  provider: named.nullable(),
  target: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('salesforce_campaign'),
      campaignId: z.string(),
      create: z.enum(SALESFORCE_CREATE),
    }),
    z.strictObject({ type: z.literal('outreach_sequence'), sequenceId: z.string(), mailboxId: z.string() }),
    z.strictObject({ type: z.literal('csv') }),
  ]),
  filters: z
    .record(z.string(), z.unknown())
    .describe('the filters of o.json, as given (docs/orchestrations.md)'),
  audience: z.record(z.string(), z.unknown()).describe('the audience filters of o.json, as given'),
  schedule: z.union([z.enum(['manual', 'daily']), z.strictObject({ weekly: z.enum(WEEKDAYS) })]),
  cooldownDays: z.number().int().min(0),
  owner: z.string().nullable(),
  ownerUserId: z.string().nullable(),
  version: z.number().int().min(1),
  createdAt: isoInstant,
  createdBy: z.string().nullable(),
  updatedAt: isoInstant,
  updatedBy: z.string().nullable(),
  state: z.enum(['idle', 'queued', 'running']),
  lastRun: runView.nullable(),
  nextRunAt: isoInstant.nullable(),
});

export const orchestrationResponse = z.strictObject({ orchestration: orchestrationView });
export const orchestrationListResponse = z.strictObject({ orchestrations: z.array(orchestrationView) });
export const orchestrationDetailResponse = z.strictObject({
  orchestration: orchestrationView,
  changes: z.array(
    z.strictObject({
      version: z.number().int(),
      action: z.enum(ORCHESTRATION_CHANGE_ACTIONS),
      changedBy: z.string().nullable(),
      changedAt: isoInstant,
      oldValue: z.unknown(),
      newValue: z.unknown(),
    }),
  ),
});

const VIEW_ERRORS = {
  ...BEARER_ERRORS,
  403: errorAnswer(
    'the user has no role that may view orchestrations (Admin, Operations, Marketing, View Only)',
  ),
};
const MANAGE_ERRORS = {
  ...BEARER_ERRORS,
  403: errorAnswer(
    'the user has no role that may manage orchestrations (Admin, Operations), whatever the body; or allows restricted regions without the Admin role',
  ),
};
const NOT_FOUND = { 404: errorAnswer('no orchestration with this id or name') };
const INVALID = errorAnswer(
  'a bad definition (`invalid_orchestration`, `details.path` such as `filters.titles[1].levels[0]`): a field that is missing, unknown or of the wrong kind, an unknown segment, provider or target type',
);

export const orchestrationOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/orchestrations',
    tag: 'orchestrations',
    summary: 'Every orchestration, by name, with its state, last run and next scheduled run',
    auth: 'bearer',
    responses: {
      200: { description: 'the orchestrations', schema: orchestrationListResponse },
      ...VIEW_ERRORS,
    },
  },
  {
    method: 'post',
    path: '/api/orchestrations',
    tag: 'orchestrations',
    summary:
      'Creates an orchestration (o.json, as `signalfit orchestrations create --file`), owned by its creator',
    description:
      'Nothing runs until Run now or the schedule. `filters.allowRestrictedRegions: true` is for the Admin role and is recorded in the history as its own change.',
    auth: 'bearer',
    body: orchestrationInput,
    responses: {
      201: { description: 'the new orchestration', schema: orchestrationResponse },
      400: INVALID,
      ...MANAGE_ERRORS,
      409: errorAnswer('an orchestration with this name (whatever its case) exists'),
    },
  },
  {
    method: 'get',
    path: '/api/orchestrations/:id',
    tag: 'orchestrations',
    summary: 'One orchestration with its history of changes (who, when, old and new value)',
    auth: 'bearer',
    params: orchestrationParams,
    responses: {
      200: {
        description: 'the orchestration and its changes, oldest first',
        schema: orchestrationDetailResponse,
      },
      ...VIEW_ERRORS,
      ...NOT_FOUND,
    },
  },
  {
    method: 'patch',
    path: '/api/orchestrations/:id',
    tag: 'orchestrations',
    summary: 'Changes an orchestration: each field of o.json given replaces the stored one whole',
    description:
      'The result is checked like a new definition. A change bumps the version and is recorded with the old and new value of each field.',
    auth: 'bearer',
    params: orchestrationParams,
    body: orchestrationPatch,
    responses: {
      200: { description: 'the orchestration as changed', schema: orchestrationResponse },
      400: INVALID,
      ...MANAGE_ERRORS,
      ...NOT_FOUND,
      409: errorAnswer('the new name is taken'),
    },
  },
  {
    method: 'delete',
    path: '/api/orchestrations/:id',
    tag: 'orchestrations',
    summary: 'Deletes an orchestration with its runs; its history of changes and its purchases stay',
    auth: 'bearer',
    params: orchestrationParams,
    responses: {
      204: { description: 'deleted', empty: true },
      ...MANAGE_ERRORS,
      ...NOT_FOUND,
      409: errorAnswer('one of its runs is queued or running'),
    },
  },
];
