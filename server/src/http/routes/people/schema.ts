import { z } from 'zod';
import { activityClass, engagementGrade, profileFit, reason, recordIdParams } from '../accounts/schema';
import { BEARER_ERRORS, errorAnswer, isoDay, isoInstant, type ApiOperation } from '../openapi/operation';

/** `GET /api/people/:id`: the person view. */
export const personDetailResponse = z.strictObject({
  person: z.strictObject({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    title: z.string().nullable(),
    jobLevel: z.string().nullable(),
    jobFunction: z.string().nullable(),
    kind: z.enum(['contact', 'lead']),
    optedOut: z.boolean(),
  }),
  account: z.strictObject({ id: z.string(), name: z.string().nullable() }),
  scores: z
    .strictObject({
      asOf: isoDay,
      engagementScore: z.number().int(),
      engagementGrade,
      profileScore: z.number().int().nullable(),
      profileFit: profileFit.nullable(),
      persona: z.string().nullable(),
      reasons: z.strictObject({ engagement: z.array(reason), profile: z.array(reason) }),
    })
    .nullable(),
  recentActivity: z.array(
    z.strictObject({
      id: z.string(),
      occurredAt: isoInstant,
      type: z.string(),
      class: activityClass.nullable(),
      source: z.string().nullable(),
      keyword: z.string().nullable(),
      url: z.string().nullable(),
      campaign: z.string().nullable(),
    }),
  ),
});

export const peopleOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/people/:id',
    tag: 'people',
    summary: 'A contact or lead: engagement, fit, persona, reasons and the latest activities',
    auth: 'bearer',
    params: recordIdParams,
    responses: {
      200: { description: 'the person view', schema: personDetailResponse },
      400: errorAnswer('the id is not a record id'),
      ...BEARER_ERRORS,
      403: errorAnswer("the user may not read this person's account"),
      404: errorAnswer('no contact or lead with this id'),
    },
  },
];
