import request from 'supertest';
import type { Express } from 'express';
import { SlackStandIn } from '../../../../test/slackStandIn/standIn';
import type { Role } from '../../../domain/vocabulary';
import { TEST_SECRET_KEY, insertSegment } from '../../../services/alerts/testing';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import type { AppError } from '../../../errors';
import { OPERATOR } from '../../../policies/policies';
import { createSubscription } from '../../../services/alerts/createSubscription';
import { loadAccessKey } from '../../auth/accessKey';
import { issueAccessToken } from '../../auth/accessToken';
import { TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-11-20T12:00:00Z');

describe.each(testStoreTargets())('alert routes on $name', (target) => {
  let db: Db;
  let app: Express;
  let slack: SlackStandIn;
  let logs: ReturnType<typeof captureLogger>;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    slack = await new SlackStandIn().start();
    await insertSegment(db, 'Hot accounts');
    logs = captureLogger();
    const deps = { db, logger: logs.logger, version: 't', embed: TEST_EMBED_CONFIG, now: () => NOW };
    app = createApp({ ...deps, secretKey: TEST_SECRET_KEY, publicUrl: 'https://signalfit.example.com' });
  });
  afterAll(async () => {
    await slack.close();
  });

  const bearer = async (role: Role) =>
    `Bearer ${await issueAccessToken(
      {
        orgId: 'o',
        userId: `u-${role}`,
        name: `A ${role}`,
        email: `${role.replace(' ', '')}@example.com`,
        perms: [],
        record: null,
        accountId: null,
        role,
      },
      await loadAccessKey(db, TEST_SECRET_KEY),
      NOW,
    )}`;

  it('subscribes with a webhook shown masked, lists it, posts a test message, deletes it', async () => {
    const webhook = slack.newWebhook();
    const created = await request(app)
      .post('/api/alerts')
      .set('Authorization', await bearer('Marketing'))
      .send({ segment: 'hot accounts', event: 'became_qualified', slackWebhookUrl: webhook });
    expect(created.status).toBe(201);
    const { subscription } = created.body;
    const secret = webhook.split('/').pop()!;
    expect(subscription).toMatchObject({
      segment: { name: 'Hot accounts' },
      event: 'became_qualified',
      digest: 'immediate',
      createdBy: 'Marketing@example.com',
    });
    expect(subscription.slackWebhook).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/services\/T…\/B…\/…[0-9a-f]{4}$/);
    expect(subscription.slackWebhook.endsWith(secret.slice(-4))).toBe(true);
    // The URL is stored sealed: neither it nor its secret part is in the row.
    const [row] = await db.query<{ webhook_sealed: string }>(
      'SELECT webhook_sealed FROM alert_subscriptions WHERE id = $1',
      [subscription.id],
    );
    expect(row!.webhook_sealed).not.toContain(secret);
    expect(Buffer.from(row!.webhook_sealed, 'base64').toString('latin1')).not.toContain(secret);

    const list = await request(app)
      .get('/api/alerts')
      .set('Authorization', await bearer('View Only'));
    expect(list.status).toBe(200);
    expect(list.body.subscriptions).toEqual([subscription]);
    expect(list.body.recent).toEqual([]);

    const test = await request(app)
      .post(`/api/alerts/${subscription.id}/test`)
      .set('Authorization', await bearer('Admin'));
    expect(test.status).toBe(200);
    expect(test.body).toEqual({ sent: true });
    const [message] = slack.accepted(webhook);
    expect(message!.blocks![0]!.text!.text).toBe('Signalfit test message · Hot accounts');
    expect(message!.blocks![1]!.text!.text).toContain('<https://signalfit.example.com|open Signalfit>');

    slack.fail(webhook, { status: 410, body: 'channel_is_archived' });
    const refused = await request(app)
      .post(`/api/alerts/${subscription.id}/test`)
      .set('Authorization', await bearer('Admin'));
    expect(refused.status).toBe(502);
    expect(refused.body.error).toEqual({
      code: 'slack_unavailable',
      message: 'Slack refused the message: 410 channel_is_archived',
      details: { status: 410 },
    });

    const deleted = await request(app)
      .delete(`/api/alerts/${subscription.id}`)
      .set('Authorization', await bearer('Operations'));
    expect(deleted.status).toBe(204);
    const again = await request(app)
      .delete(`/api/alerts/${subscription.id}`)
      .set('Authorization', await bearer('Operations'));
    expect(again.status).toBe(404);
    // Nothing secret in the logs.
    expect(logs.text()).not.toContain(secret);
  });

  it('subscribes without a webhook (in-app only) by segment id, as a daily digest; its test message is refused', async () => {
    const [segment] = await db.query<{ id: string }>(`SELECT id FROM segments WHERE name = 'Hot accounts'`);
    const created = await request(app)
      .post('/api/alerts')
      .set('Authorization', await bearer('Admin'))
      .send({ segment: Number(segment!.id), event: 'stage_advanced', digest: 'daily' });
    expect(created.status).toBe(201);
    expect(created.body.subscription).toMatchObject({
      digest: 'daily',
      slackWebhook: null,
      event: 'stage_advanced',
    });
    const test = await request(app)
      .post(`/api/alerts/${created.body.subscription.id}/test`)
      .set('Authorization', await bearer('Admin'));
    expect(test.status).toBe(400);
    expect(test.body.error.message).toContain('has no Slack webhook');
  });

  it.each(['Sales', 'Insights', 'View Only'] as const)(
    'refuses %s a subscription (403), a test message and a delete',
    async (role) => {
      const auth = await bearer(role);
      const res = await request(app)
        .post('/api/alerts')
        .set('Authorization', auth)
        .send({ segment: 'Hot accounts', event: 'entered_segment' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('managing alerts is for the Admin, Operations, Marketing roles');
      expect((await request(app).post('/api/alerts/1/test').set('Authorization', auth)).status).toBe(403);
      expect((await request(app).delete('/api/alerts/1').set('Authorization', auth)).status).toBe(403);
    },
  );

  it.each([
    ['ftp://hooks.slack.com/services/T1/B2/abc', 'slackWebhookUrl: must be an https:// URL'],
    [
      'http://hooks.slack.com/services/T1/B2/abc',
      'slackWebhookUrl: must be an https:// URL (plain http is allowed only for localhost, for a local test server)',
    ],
    ['not a url', 'slackWebhookUrl: is not a URL'],
    [
      'https://user:pw@hooks.slack.com/services/T1/B2/abc',
      'slackWebhookUrl: must not carry a user name or password',
    ],
  ])('refuses the webhook %s with 400 naming the field', async (url, message) => {
    const res = await request(app)
      .post('/api/alerts')
      .set('Authorization', await bearer('Admin'))
      .send({ segment: 'Hot accounts', event: 'entered_segment', slackWebhookUrl: url });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toContain(message);
    expect(res.body.error.details).toEqual([{ path: ['slackWebhookUrl'], message: expect.any(String) }]);
  });

  it('refuses a bad event, an unknown segment, and a webhook when no SIGNALFIT_SECRET_KEY is set', async () => {
    const auth = await bearer('Admin');
    const badEvent = await request(app)
      .post('/api/alerts')
      .set('Authorization', auth)
      .send({ segment: 'Hot accounts', event: 'qualified' });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.error.details[0].path).toEqual(['event']);
    const unknown = await request(app)
      .post('/api/alerts')
      .set('Authorization', auth)
      .send({ segment: 'Cold', event: 'entered_segment' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('no segment "Cold"');
    // The service refuses a webhook it could not seal (the route passes SIGNALFIT_SECRET_KEY on).
    const keyNeeded = await createSubscription(db, {
      actor: OPERATOR,
      segment: 'Hot accounts',
      event: 'entered_segment',
      slackWebhookUrl: slack.newWebhook(),
      digest: 'immediate',
      secretKey: null,
    }).catch((error: AppError) => error);
    expect(keyNeeded).toMatchObject({ code: 'config_invalid' });
    expect((keyNeeded as AppError).message).toContain('SIGNALFIT_SECRET_KEY is not set: set it');
  });
});
