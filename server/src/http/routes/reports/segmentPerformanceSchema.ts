import { z } from 'zod';
import { DRILL_DOWN_TABLES } from '../../../services/reports/segmentPerformanceAccounts';
import { BEARER_ERRORS, errorAnswer, isoDay, type ApiOperation } from '../openapi/operation';

const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

/** GET /api/reports/segment-performance: months are checked by the use case (400 `bad_request` naming the parameter). */
export const segmentPerformanceQuery = z.strictObject({
  segments: z.string().trim().min(1, 'name at least one segment (id or name)').max(2000),
  type: z.enum(['stage', 'engagement']).optional(),
  baseline: z.string().max(20).optional(),
  analysis: z.string().max(20).optional(),
  cohort: z.enum(['today', 'baseline', 'analysis']).optional(),
  excludeZeroAmount: flag,
  excludeIrrelevant: flag,
});

export const segmentPerformanceAccountsQuery = segmentPerformanceQuery.extend({
  table: z.enum(DRILL_DOWN_TABLES),
  key: z.string().trim().min(1).max(200),
});

const timeframe = z.strictObject({ from: z.string(), to: z.string(), start: isoDay, end: isoDay });
const nullableNumber = z.number().nullable();
const cell = z.strictObject({
  accounts: z.number().int(),
  pipeline_count: nullableNumber,
  pipeline_amount: nullableNumber,
  won_count: nullableNumber,
  won_amount: nullableNumber,
});
const activityLine = z.strictObject({
  panel: z.string(),
  metric: z.string(),
  source: z.string().optional(),
  baseline_accounts: z.number().int(),
  analysis_accounts: z.number().int(),
  change_pct: nullableNumber,
  pipeline_amount: z.number(),
  won_amount: z.number(),
});
const run = z.strictObject({ runId: z.number().int(), asOf: isoDay });

export const segmentPerformanceResponse = z.strictObject({
  parameters: z.strictObject({
    segments: z.array(z.strictObject({ id: z.number().int(), name: z.string() })),
    type: z.enum(['stage', 'engagement']),
    baseline: timeframe,
    analysis: timeframe,
    cohort: z.enum(['today', 'baseline', 'analysis']),
    options: z.strictObject({ exclude_zero_amount: z.boolean(), exclude_irrelevant: z.boolean() }),
  }),
  runs: z.strictObject({ baseline: run, analysis: run }),
  summary: z.strictObject({
    accounts: z.number().int(),
    increased: z.number().int(),
    decreased: z.number().int(),
    unchanged: z.number().int(),
    pipeline_count: z.number().int(),
    pipeline_amount: z.number(),
    won_count: z.number().int(),
    won_amount: z.number(),
  }),
  distribution: z.record(z.string(), z.strictObject({ baseline: cell, analysis: cell })),
  movement: z.record(z.string(), z.record(z.string(), z.number().int())).optional(),
  activities: z.array(activityLine),
  activities_by_type: z.array(activityLine),
  notes: z.array(z.string()),
});

export const segmentPerformanceAccountsResponse = z.strictObject({
  total: z.number().int(),
  accounts: z.array(
    z.strictObject({ id: z.string(), name: z.string().nullable(), domain: z.string().nullable() }),
  ),
});

const REPORT_ERRORS = {
  ...BEARER_ERRORS,
  400: errorAnswer(
    'a bad month or range, an analysis timeframe not after the baseline or not over yet, an unknown segment, or a cohort over 100,000 accounts (`bad_request`); a bad type, cohort or option (`validation_failed`)',
  ),
  403: errorAnswer('the user has no role that may read segment performance reports'),
};

export const segmentPerformanceOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/reports/segment-performance',
    tag: 'reports',
    summary: 'The segment performance report (buying-stage or engagement analysis) of docs/reports.md',
    description:
      'The same object as `signalfit report segment-performance --json`. Defaults: type stage, cohort analysis, baseline two months ago and analysis last month. A timeframe without any score run gets one as of its end first (said in `notes`).',
    auth: 'bearer',
    query: segmentPerformanceQuery,
    responses: { 200: { description: 'the report', schema: segmentPerformanceResponse }, ...REPORT_ERRORS },
  },
  {
    method: 'get',
    path: '/api/reports/segment-performance/accounts',
    tag: 'reports',
    summary: 'The accounts behind one number of the report (first 500 by name, with the total)',
    description:
      'Keys: summary `accounts|increased|decreased|unchanged|pipeline|won`; distribution `<baseline|analysis>.<stage or state>`; movement `<from>.<to>`; activities `<baseline|analysis>.<panel>.<metric>[.<source>]`.',
    auth: 'bearer',
    query: segmentPerformanceAccountsQuery,
    responses: {
      200: { description: 'the accounts', schema: segmentPerformanceAccountsResponse },
      ...REPORT_ERRORS,
    },
  },
];
