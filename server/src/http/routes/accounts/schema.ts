import { z } from 'zod';
import { ACTIVITY_CLASSES } from '../../../domain/canonical';
import { BUYING_STAGES, ENGAGEMENT_GRADES, FIT_BANDS, REACH_LEVELS } from '../../../domain/vocabulary';
import { BEARER_ERRORS, errorAnswer, isoDay, isoInstant, type ApiOperation } from '../openapi/operation';

/** A record id in a path: a canonical id or a Salesforce 15- or 18-character id. */
export const recordIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
});

export const profileFit = z.enum(FIT_BANDS);
export const engagementGrade = z.enum(ENGAGEMENT_GRADES);
export const activityClass = z.enum(Object.keys(ACTIVITY_CLASSES) as [keyof typeof ACTIVITY_CLASSES]);

/** One signal behind a score; a positive weight raised it, a negative one lowered it. */
export const reason = z.strictObject({ text: z.string(), weight: z.number() });

const personSummary = z.strictObject({
  id: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  kind: z.enum(['contact', 'lead']),
  optedOut: z.boolean(),
  persona: z.string().nullable(),
  engagementGrade: engagementGrade.nullable(),
  engagementScore: z.number().int().nullable(),
  profileFit: profileFit.nullable(),
  lastActivityAt: isoInstant.nullable(),
});

/** `GET /api/accounts/:id/intelligence`: the account view. */
export const accountIntelligenceResponse = z.strictObject({
  account: z.strictObject({
    id: z.string(),
    name: z.string().nullable(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    employees: z.number().int().nullable(),
    country: z.string().nullable(),
  }),
  scores: z
    .strictObject({
      asOf: isoDay,
      modelVersion: z.string().nullable(),
      profileFit: profileFit.nullable(),
      profileScore: z.number().int().min(0).max(100).nullable(),
      intentScore: z.number().int().min(0).max(100).nullable(),
      buyingStage: z.enum(BUYING_STAGES).nullable(),
      reach: z.enum(REACH_LEVELS),
      qualified: z.boolean(),
      qualifiedSince: isoDay.nullable(),
      reasons: z.strictObject({
        profile: z.array(reason),
        intent: z.array(reason),
        reach: z.array(reason),
      }),
    })
    .nullable(),
  researchTrend: z.strictObject({
    from: isoDay,
    to: isoDay,
    keywords: z.array(
      z.strictObject({ keyword: z.string(), total: z.number().int(), daily: z.array(z.number().int()) }),
    ),
  }),
  activity: z.array(
    z.strictObject({
      class: activityClass,
      count: z.number().int(),
      lastAt: isoInstant.nullable(),
      sources: z.array(z.strictObject({ source: z.string(), count: z.number().int(), lastAt: isoInstant })),
    }),
  ),
  personaMap: z.strictObject({
    personas: z.array(
      z.strictObject({
        persona: z.string(),
        people: z.array(personSummary),
        total: z.number().int(),
        gap: z.enum(['no_one_known', 'no_one_engaged']).nullable(),
      }),
    ),
    unassigned: z.number().int(),
  }),
  /** The segments the account is a member of in the current run, by name. */
  segments: z.array(z.strictObject({ id: z.number().int(), name: z.string(), published: z.boolean() })),
});

export const accountOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/accounts/:id/intelligence',
    tag: 'accounts',
    summary: 'The account view: scores, reasons, research trend, activity, persona map and segments',
    description:
      'Scores come from the current run (`scores` is null until a run scored the account). `id` is the canonical id or a Salesforce 15- or 18-character id.',
    auth: 'bearer',
    params: recordIdParams,
    responses: {
      200: { description: 'the account view', schema: accountIntelligenceResponse },
      400: errorAnswer('the id is not a record id'),
      ...BEARER_ERRORS,
      403: errorAnswer("the user may not read this account (not the panel's record, no admin permission)"),
      404: errorAnswer('no account with this id'),
    },
  },
];
