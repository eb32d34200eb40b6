import { z } from 'zod';
import { BEARER_ERRORS, errorAnswer, isoInstant, type ApiOperation } from '../openapi/operation';

/** `PUT /api/credits`: the allowance, and optionally the period and whether overage is allowed. */
export const setCreditsBody = z.strictObject({
  allowance: z.number({ error: 'give the credits per period, a number' }).finite().min(0),
  period: z.enum(['month']).optional(),
  allowOverage: z.boolean().optional(),
});

export const creditViewSchema = z.strictObject({
  allowance: z.number(),
  period: z.enum(['month']),
  allowOverage: z.boolean(),
  periodStart: isoInstant,
  periodEnd: isoInstant,
  used: z.number(),
  balance: z.number(),
  overage: z.number(),
});

const creditEntrySchema = z.strictObject({
  chargedAt: isoInstant,
  amount: z.number(),
  purchaseId: z.number().int(),
  orchestrationId: z.number().int().nullable(),
  runId: z.number().int().nullable(),
  email: z.string(),
  note: z.string().nullable(),
});

export const creditsResponse = z.strictObject({
  credits: creditViewSchema.nullable(),
  entries: z.array(creditEntrySchema),
});

export const setCreditsResponse = z.strictObject({ credits: creditViewSchema });

export const creditOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/credits',
    tag: 'orchestrations',
    summary: "The credit balance of the current period and the ledger's last 50 charges",
    description:
      '`credits` is null while no allowance is set (then nothing is bought). Each purchase is charged once; `used` counts the charges of the period (UTC calendar month, `periodEnd` excluded).',
    auth: 'bearer',
    responses: {
      200: { description: 'the balance and the newest charges first', schema: creditsResponse },
      ...BEARER_ERRORS,
      403: errorAnswer('no role that may view orchestrations'),
    },
  },
  {
    method: 'put',
    path: '/api/credits',
    tag: 'orchestrations',
    summary: 'Sets the credit allowance (Admin and Operations roles)',
    description:
      '`period` and `allowOverage` keep their values when left out (at first: `month`, overage not allowed). Without overage, a run stops buying before the first purchase the balance cannot pay for.',
    auth: 'bearer',
    body: setCreditsBody,
    responses: {
      200: { description: 'the balance the allowance gives now', schema: setCreditsResponse },
      400: errorAnswer('a negative or missing allowance, or an unknown period (`validation_failed`)'),
      ...BEARER_ERRORS,
      403: errorAnswer('the role may not manage orchestrations'),
    },
  },
];
