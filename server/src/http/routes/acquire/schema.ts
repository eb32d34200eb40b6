import { z } from 'zod';
import { EMAIL_CONFIDENCES, SKIP_REASONS } from '../../../domain/orchestrations/vocabulary';
import { recordIdParams } from '../accounts/schema';
import { BEARER_ERRORS, errorAnswer, type ApiOperation } from '../openapi/operation';

export const acquireParams = recordIdParams;

const personaName = z.string().trim().min(1).max(200);

/** `GET /api/accounts/:id/acquire?persona=`: without a persona, every title passes. */
export const acquireQuery = z.strictObject({ persona: personaName.optional() });

/** `POST /api/accounts/:id/acquire`: the candidate's provider_id, and the persona it was offered for. */
export const acquireBody = z.strictObject({
  providerId: z.string().trim().min(1).max(255),
  persona: personaName.optional(),
});

const candidate = z.strictObject({
  provider_id: z.string(),
  email: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  title: z.string().nullable(),
  job_level: z.string().nullable(),
  job_function: z.string().nullable(),
  country: z.string().nullable(),
  email_confidence: z.enum(EMAIL_CONFIDENCES).nullable(),
  cost: z.number(),
  account_id: z.string(),
  account_name: z.string().nullable(),
  why: z.string(),
});

export const acquireCandidatesResponse = z.strictObject({
  provider: z.strictObject({ id: z.number().int(), name: z.string() }).nullable(),
  persona: z.string().nullable(),
  candidates: z.array(candidate),
});

export const acquireResponse = z.union([
  z.strictObject({ outcome: z.literal('pushed'), target_id: z.string() }),
  z.strictObject({ outcome: z.literal('purchased'), target_id: z.null() }),
  z.strictObject({ outcome: z.literal('skipped'), reason: z.enum(SKIP_REASONS), target_id: z.null() }),
  z.strictObject({ outcome: z.literal('failed'), target_id: z.null(), error: z.string() }),
]);

const REFUSED = errorAnswer(
  'a role other than Admin, Operations or Sales, a panel user without Signalfit_Sales_Actions, or a panel opened for another account (`forbidden`)',
);

export const acquireOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/accounts/:id/acquire',
    tag: 'orchestrations',
    summary: 'The panel\'s "find more people like this": up to 10 people the provider offers at the account',
    description:
      'The provider is SIGNALFIT_PANEL_PROVIDER, else the only provider (`provider: null` and no candidates when there is none). Candidates are chosen as an orchestration chooses them: people already known, opted out or in a restricted region are left out; the persona (of the persona map) filters the titles. Buys nothing.',
    auth: 'bearer',
    params: acquireParams,
    query: acquireQuery,
    responses: {
      200: { description: 'the provider and the candidates, best first', schema: acquireCandidatesResponse },
      400: errorAnswer('a bad query (`validation_failed`)'),
      ...BEARER_ERRORS,
      403: REFUSED,
      404: errorAnswer('no such account, or no such persona (`not_found`)'),
    },
  },
  {
    method: 'post',
    path: '/api/accounts/:id/acquire',
    tag: 'orchestrations',
    summary: 'Buys one offered person and creates them in Salesforce (source type Sales Intelligence)',
    description:
      'The selection runs again: a person who is no longer a candidate is `skipped` with the reason. The purchase is charged once; without Salesforce configured the answer is `purchased`. Asked again for the same person, nothing is bought or created twice: the first call is finished and answered again.',
    auth: 'bearer',
    params: acquireParams,
    body: acquireBody,
    responses: {
      200: { description: 'what was done', schema: acquireResponse },
      400: errorAnswer(
        'a bad body (`validation_failed`), or no provider is set for the panel (`bad_request`)',
      ),
      ...BEARER_ERRORS,
      403: REFUSED,
      404: errorAnswer(
        'no such account or persona, or the provider offers no such person there (`not_found`)',
      ),
    },
  },
];
