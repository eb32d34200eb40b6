import { connectSalesforce } from '../../integrations/salesforce/client';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { SlackStandIn } from '../../../test/slackStandIn/standIn';
import { sealWebhook } from '../alerts/webhookCipher';
import { setCredits } from '../credits/credits';
import { sendFailedRunAlert } from './orchestrationAlerts';
import { findOrchestration } from './orchestrationRecords';
import type { RunDeps } from './runContext';
import { runNow } from './runOrchestration';
import { insertOrchestration, MARKET_ROWS, MemoryProvider, NOW, seedRunMarket } from './runTesting';

jest.setTimeout(60_000);

const SECRET_KEY = 'a-test-secret-key-of-at-least-32-characters';

describe.each(testStoreTargets())('the failed-run alert on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let slack: SlackStandIn;
  let webhook: string;
  let org: SalesforceStandIn;
  let refusing: RunDeps['salesforce'];
  let base: RunDeps;

  beforeAll(async () => {
    slack = await new SlackStandIn({ minIntervalMs: 0 }).start();
    webhook = slack.newWebhook();
    const { segmentId, providerId } = await seedRunMarket(db);
    // Two subscriptions to one channel: the channel gets the alert once.
    for (let i = 0; i < 2; i += 1) {
      const [sub] = await db.query<{ id: string }>(
        `INSERT INTO alert_subscriptions (segment_id, event) VALUES ($1, 'became_qualified') RETURNING id`,
        [segmentId],
      );
      await db.run('UPDATE alert_subscriptions SET webhook_sealed = $2 WHERE id = $1', [
        sub!.id,
        sealWebhook(SECRET_KEY, Number(sub!.id), webhook),
      ]);
    }
    const campaign = {
      type: 'salesforce_campaign' as const,
      campaignId: '701000000000001AAA',
      create: 'lead' as const,
    };
    await insertOrchestration(db, { name: 'Unconfigured', segmentId, providerId, target: campaign });
    await insertOrchestration(db, { name: 'Refused', segmentId, providerId, target: campaign });
    await insertOrchestration(db, { name: 'Fine', segmentId, providerId });
    await setCredits({ db, allowance: 100, actor: OPERATOR });
    let settings;
    ({ standIn: org, settings } = await startStandIn());
    refusing = () => connectSalesforce({ ...settings, clientId: 'not-the-connected-app' });
    const provider = new MemoryProvider(MARKET_ROWS);
    base = { db, now: () => NOW, secretKey: SECRET_KEY, openProvider: async () => provider };
  });
  afterAll(async () => {
    await slack.close();
    org.close();
  });

  const run = async (name: string, deps: RunDeps) =>
    runNow(deps, { orchestration: await findOrchestration(db, name), trigger: 'manual', actor: OPERATOR });
  const texts = () => slack.accepted(webhook).map((m) => m.text);

  it('a run whose Salesforce is not configured fails with its message, and the channel gets one alert', async () => {
    const failed = await run('Unconfigured', { ...base, salesforce: null });
    expect(failed.state).toBe('failed');
    expect(failed.message).toMatch(/^Salesforce is not configured: set SALESFORCE_CLIENT_ID/);
    expect(texts()).toEqual([`Orchestration "Unconfigured" failed (run ${failed.id}): ${failed.message}`]);
    // The alert step again (a rerun of it) sends nothing.
    expect(await sendFailedRunAlert(base, failed.id)).toEqual({ sent: 0, errors: [] });
    expect(slack.requestsTo(webhook)).toHaveLength(1);
  });

  it('a run whose Salesforce refuses the login fails with the refusal, one alert', async () => {
    const before = slack.requestsTo(webhook).length;
    const failed = await run('Refused', { ...base, salesforce: refusing });
    expect(failed.state).toBe('failed');
    expect(failed.message).toMatch(/^Salesforce login \(JWT bearer\) at http:\S+ failed: invalid_grant/);
    expect(slack.requestsTo(webhook).length - before).toBe(1);
    expect(texts().at(-1)).toBe(`Orchestration "Refused" failed (run ${failed.id}): ${failed.message}`);
    expect(await sendFailedRunAlert(base, failed.id)).toEqual({ sent: 0, errors: [] });
  });

  it('a successful run sends nothing', async () => {
    const before = slack.requestsTo(webhook).length;
    const done = await run('Fine', base);
    expect(done.state).toBe('complete');
    expect(await sendFailedRunAlert(base, done.id)).toEqual({ sent: 0, errors: [] });
    expect(slack.requestsTo(webhook).length).toBe(before);
  });
});
