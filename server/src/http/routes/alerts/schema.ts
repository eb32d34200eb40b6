import { z } from 'zod';
import { ALERT_DELIVERIES, ALERT_EVENTS } from '../../../domain/segments/definition';
import { BEARER_ERRORS, errorAnswer, isoDay, isoInstant, type ApiOperation } from '../openapi/operation';

/** `:id` of an alert subscription. */
export const subscriptionIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be the numeric id of an alert subscription')
    .transform(Number),
});

/** `POST /api/alerts`. */
export const createAlertBody = z.strictObject({
  segment: z.union([z.number().int().positive(), z.string().trim().min(1)], {
    error: 'give the segment id or name',
  }),
  event: z.enum(ALERT_EVENTS),
  slackWebhookUrl: z.string().trim().min(1).nullable().optional(),
  digest: z.enum(ALERT_DELIVERIES).default('immediate'),
});

const segmentRef = z.strictObject({ id: z.number().int(), name: z.string() });

export const alertSubscription = z.strictObject({
  id: z.number().int(),
  segment: segmentRef,
  event: z.enum(ALERT_EVENTS),
  digest: z.enum(ALERT_DELIVERIES),
  slackWebhook: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoInstant,
});

const recentAlert = z.strictObject({
  subscriptionId: z.number().int(),
  segment: segmentRef,
  event: z.enum(ALERT_EVENTS),
  accountId: z.string(),
  accountName: z.string().nullable(),
  runDay: isoDay,
  state: z.enum(['pending', 'unconfirmed', 'sent', 'failed', 'in_app']),
  error: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: isoInstant,
  sentAt: isoInstant.nullable(),
});

export const alertListResponse = z.strictObject({
  subscriptions: z.array(alertSubscription),
  recent: z.array(recentAlert),
});

export const createAlertResponse = z.strictObject({ subscription: alertSubscription });
export const testAlertResponse = z.strictObject({ sent: z.literal(true) });

export const alertOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/alerts',
    tag: 'alerts',
    summary: 'The alert subscriptions and the alerts of the last 30 days (the in-app alert list)',
    auth: 'bearer',
    responses: {
      200: {
        description: 'subscriptions (webhooks masked) and recent alerts, newest first',
        schema: alertListResponse,
      },
      ...BEARER_ERRORS,
      403: errorAnswer('no role that may view segments'),
    },
  },
  {
    method: 'post',
    path: '/api/alerts',
    tag: 'alerts',
    summary: 'Subscribes to the alerts of a segment (Admin, Operations and Marketing roles)',
    description:
      'Without `slackWebhookUrl` the alerts go to the in-app list only. The URL must be https (plain http only for a loopback host); it is stored encrypted with SIGNALFIT_SECRET_KEY and shown masked.',
    auth: 'bearer',
    body: createAlertBody,
    responses: {
      201: { description: 'the subscription', schema: createAlertResponse },
      400: errorAnswer('a bad event, digest or webhook URL (`validation_failed`, naming the field)'),
      ...BEARER_ERRORS,
      403: errorAnswer('the role may not manage alerts'),
      404: errorAnswer('no such segment'),
      500: errorAnswer('a webhook was given and SIGNALFIT_SECRET_KEY is not set (`config_invalid`)'),
    },
  },
  {
    method: 'delete',
    path: '/api/alerts/:id',
    tag: 'alerts',
    summary: 'Ends an alert subscription (Admin, Operations and Marketing roles)',
    auth: 'bearer',
    params: subscriptionIdParams,
    responses: {
      204: { description: 'deleted, with its alerts', empty: true },
      ...BEARER_ERRORS,
      403: errorAnswer('the role may not manage alerts'),
      404: errorAnswer('no such subscription'),
    },
  },
  {
    method: 'post',
    path: '/api/alerts/:id/test',
    tag: 'alerts',
    summary: "Posts a test message to the subscription's Slack webhook",
    auth: 'bearer',
    params: subscriptionIdParams,
    responses: {
      200: { description: 'Slack accepted the message', schema: testAlertResponse },
      400: errorAnswer('the subscription has no webhook (`bad_request`)'),
      ...BEARER_ERRORS,
      403: errorAnswer('the role may not manage alerts'),
      404: errorAnswer('no such subscription'),
      502: errorAnswer(
        "Slack refused the message or could not be reached (`slack_unavailable`, with Slack's reason)",
      ),
    },
  },
];
