import { z } from 'zod';
import { BEARER_ERRORS, errorAnswer, type ApiOperation } from '../openapi/operation';

export const stepParams = z.strictObject({ step: z.string().min(1) });

const stepSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  done: z.boolean(),
  at: z.string().nullable(),
  by: z.string().nullable(),
  detail: z.string().nullable(),
  command: z.string().nullable(),
  manual: z.boolean(),
});
export const checklistResponse = z.strictObject({ steps: z.array(stepSchema) });

export const offboardingOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/offboarding',
    tag: 'admin',
    summary: "The offboarding checklist's state (Admin role)",
    description:
      'One step per line of docs/offboarding.md: export, disconnect, Salesforce clean-up (done by their commands), opt-out review and credits (marked by an Admin), delete (command line only: after it there is no service to ask).',
    auth: 'bearer',
    responses: {
      200: { description: 'the steps in order', schema: checklistResponse },
      ...BEARER_ERRORS,
      403: errorAnswer('the role may not offboard'),
    },
  },
  {
    method: 'post',
    path: '/api/offboarding/:step',
    tag: 'admin',
    summary: 'Marks a manual step done (`opt-outs` or `credits`; Admin role)',
    auth: 'bearer',
    params: stepParams,
    responses: {
      200: { description: 'the checklist now', schema: checklistResponse },
      ...BEARER_ERRORS,
      403: errorAnswer('the role may not offboard'),
      404: errorAnswer('not a manual step (`not_found`)'),
    },
  },
];
