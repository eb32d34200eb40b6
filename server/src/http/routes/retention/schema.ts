import { z } from 'zod';
import { retentionChanges } from '../../../services/retention/retentionSettings';
import { BEARER_ERRORS, errorAnswer, type ApiOperation } from '../openapi/operation';

/** `PUT /api/retention`: any subset of the classes; a number of days (runs), or null to keep everything. */
export const putRetentionBody = retentionChanges;

export const retentionResponse = z.strictObject({
  retention: z.strictObject({
    activitiesDays: z.number().int().nullable(),
    outboundDays: z.number().int().nullable(),
    scoreRuns: z.number().int().nullable(),
    auditDays: z.number().int().nullable(),
  }),
});

export const retentionOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/retention',
    tag: 'admin',
    summary: 'How long each class of data is kept (Admin role)',
    description:
      'Null keeps the class for ever (the default). The daily job deletes what is older: activities by `occurred_at`, outbound logs (Outreach enrolment attempts and answers, alert deliveries) by their time, score runs beyond the latest N complete ones, audit entries by `at`.',
    auth: 'bearer',
    responses: {
      200: { description: 'the settings', schema: retentionResponse },
      ...BEARER_ERRORS,
      403: errorAnswer('the role may not manage retention'),
    },
  },
  {
    method: 'put',
    path: '/api/retention',
    tag: 'admin',
    summary: 'Changes retention classes (Admin role); recorded as `retention.update`',
    auth: 'bearer',
    body: putRetentionBody,
    responses: {
      200: { description: 'the settings now', schema: retentionResponse },
      400: errorAnswer(
        'a value that is not a whole number of at least 1, or an unknown class (`validation_failed`)',
      ),
      ...BEARER_ERRORS,
      403: errorAnswer('the role may not manage retention (checked before the body)'),
    },
  },
];
