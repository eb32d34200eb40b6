import { z } from 'zod';
import { SIGNAL_CATEGORIES, SIGNAL_KINDS } from '../../../domain/reports/modelInsightsSignals';
import { BUYING_STAGES, ENGAGEMENT_GRADES, FIT_BANDS } from '../../../domain/vocabulary';
import { BEARER_ERRORS, errorAnswer, isoDay, type ApiOperation } from '../openapi/operation';

/** GET /api/reports/model-insights?month=YYYY-MM (the service checks the month itself). */
export const modelInsightsQuery = z.strictObject({ month: z.string().trim().max(20).optional() });

/** A fraction, a lift or null (a zero denominator: docs/reports.md "Model insights"). */
const rate = z.number().nullable();
const perKey = <K extends readonly [string, ...string[]], V extends z.ZodType>(keys: K, value: V) =>
  z.strictObject(Object.fromEntries(keys.map((key) => [key, value])) as Record<K[number], V>);

const stageRow = z.strictObject({
  accounts: z.number().int(),
  share: rate,
  converters: z.number().int(),
  converter_share: rate,
  conversion: rate,
  baseline: rate,
  lift: rate,
  opportunities: z.number().int(),
  opportunity_share: rate,
});
const wins = {
  winners: z.number().int(),
  win_conversion: rate,
  win_baseline: rate,
  win_lift: rate,
};
const fitRow = z.strictObject({
  accounts: z.number().int(),
  share: rate,
  converters: z.number().int(),
  conversion: rate,
  baseline: rate,
  lift: rate,
  ...wins,
  opportunities: z.number().int(),
  opportunity_share: rate,
  won_opportunities: z.number().int(),
  won_opportunity_share: rate,
});
const gradeShape = {
  people: z.number().int(),
  share: rate,
  converted: z.number().int(),
  conversion: rate,
  baseline: rate,
  lift: rate,
};
const signalRow = z.strictObject({
  category: z.enum(Object.keys(SIGNAL_CATEGORIES) as [keyof typeof SIGNAL_CATEGORIES]),
  kind: z.enum(SIGNAL_KINDS),
  signal: z.string(),
  count: z.number().int(),
  conversions: z.number().int(),
  rate,
  baseline: rate,
  lift: rate,
  category_coverage: rate,
  conversion_coverage: rate,
});

/** The accounts' part of a backtest: model insights, and each side of the model comparison. */
export const accountBacktest = {
  account_behavior: perKey(BUYING_STAGES, stageRow),
  identification_rate: rate,
  auc: rate,
  auc_ci: z.tuple([z.number(), z.number()]).nullable(),
  account_fit: perKey(FIT_BANDS, fitRow),
};

/** The JSON of `signalfit report model-insights --json`. */
export const modelInsightsResponse = z.strictObject({
  parameters: z.strictObject({
    month: z.string(),
    window: z.strictObject({ start: isoDay, end: isoDay }),
  }),
  run: z.strictObject({ runId: z.number().int(), asOf: isoDay }),
  notes: z.array(z.string()),
  ...accountBacktest,
  contact_behavior: perKey(ENGAGEMENT_GRADES, z.strictObject(gradeShape)),
  contact_fit: perKey(FIT_BANDS, z.strictObject({ ...gradeShape, ...wins })),
  signals: z.array(signalRow),
});

export const modelInsightsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/reports/model-insights',
    tag: 'reports',
    summary:
      'The model insights backtest of one month (the JSON of `signalfit report model-insights --json`)',
    description:
      'Scores of the run as of the first day of `month` (scored first when missing, said in `notes`), relevant opportunities opened in the three months from that day, signals from the facts before it. Default month: three months before the current one. Definitions: docs/reports.md "Model insights".',
    auth: 'bearer',
    query: modelInsightsQuery,
    responses: {
      200: { description: 'the report', schema: modelInsightsResponse },
      400: errorAnswer('`month` is not YYYY-MM, or is after the current month (`bad_request`)'),
      ...BEARER_ERRORS,
      403: errorAnswer('the user has no role that may read the model report (Sales, Insights)'),
    },
  },
];
