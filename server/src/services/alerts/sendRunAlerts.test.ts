/**
 * Alerts end to end against a local Slack webhook stand-in, on both stores: the events of a run
 * with exact account lists, never twice (rerun, second run of the day, a send cut off after the
 * claim or mid-POST), 429 absorbed, one message a second per webhook, refusals, the daily digest,
 * the splitting of a large batch and the in-app list.
 */
import { SlackStandIn, type SlackPayload } from '../../../test/slackStandIn/standIn';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { createSubscription } from './createSubscription';
import { listAlerts } from './listAlerts';
import { createRecomputer } from '../recompute/recomputer';
import { sendRunAlerts, type SendRunAlertsProps } from './sendRunAlerts';
import {
  deliveries,
  insertAccounts,
  insertRun,
  insertSegment,
  recordMembers,
  TEST_SECRET_KEY,
  type TestScore,
} from './testing';

jest.setTimeout(60_000);

const DAY1 = '2026-11-18';
const DAY2 = '2026-11-19';
const ON_DAY2 = new Date('2026-11-19T08:00:00Z');
const PUBLIC_URL = 'https://signalfit.example.com';

/** The account names of a message, in its order. */
function namesIn(message: SlackPayload): string[] {
  return (message.blocks ?? [])
    .filter((b) => b.type === 'section')
    .map((b) => {
      const title = b.text!.text.split('\n')[0]!.slice(1, -1);
      return title.startsWith('<') ? title.slice(title.indexOf('|') + 1, -1) : title;
    });
}

const score = (
  accountId: string,
  stage: TestScore['stage'],
  fit: TestScore['fit'],
  intent: number,
): TestScore => ({
  accountId,
  stage,
  fit,
  intent,
  reasons: {
    intent: [
      { text: 'Researched "code security" 4 times', weight: 1.2 },
      { text: 'Few web visits', weight: -0.4 },
    ],
    profile: [{ text: 'Industry: Software', weight: 0.8 }],
  },
});

describe.each(testStoreTargets())('alerts of a run on $name', (target) => {
  let db: Db;
  let slack: SlackStandIn;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    slack = await new SlackStandIn().start();
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(async () => {
    await db.exec(
      'DELETE FROM alert_deliveries; DELETE FROM alert_subscriptions; DELETE FROM segment_run_members; DELETE FROM segments; DELETE FROM score_runs; DELETE FROM accounts;',
    );
  });

  const send = (runId: number, extra: Partial<SendRunAlertsProps> = {}) =>
    sendRunAlerts(db, {
      runId,
      secretKey: TEST_SECRET_KEY,
      publicUrl: PUBLIC_URL,
      now: ON_DAY2,
      outbound: { timeoutMs: 5000, retries: 0 },
      ...extra,
    });

  const subscribe = (
    segment: string,
    event: 'became_qualified' | 'stage_advanced' | 'entered_segment',
    webhook: string | null,
    digest: 'immediate' | 'daily' = 'immediate',
  ) =>
    createSubscription(db, {
      actor: OPERATOR,
      segment,
      event,
      slackWebhookUrl: webhook,
      digest,
      secretKey: TEST_SECRET_KEY,
    });

  /**
   * Day 1: A1 Consideration, A2 qualified in Decision, A3 Awareness, A4 Decision with a weak fit;
   * members A1–A4. Day 2: A1 qualified in Decision, A2 Purchase, A3 Decision (weak), A4 unchanged,
   * A5 qualified in Purchase and new in the segment, A6 new in the segment (unscored on day 1),
   * A7 newly qualified but never a member.
   */
  async function twoDays(
    subscriptions: () => Promise<unknown>,
  ): Promise<{ segmentId: number; run1: number; run2: number }> {
    await insertAccounts(db, [
      { id: 'A1', name: 'Acme & Co' },
      { id: 'A2', name: 'Globex' },
      { id: 'A3', name: 'Initech' },
      { id: 'A4', name: 'Hooli' },
      { id: 'A5', name: 'Umbrella <Health>' },
      { id: 'A6', name: null },
      { id: 'A7', name: 'Outsider' },
    ]);
    const segmentId = await insertSegment(db, 'Hot accounts');
    const run1 = await insertRun(db, DAY1, [
      score('A1', 'Consideration', 'Strong', 40),
      score('A2', 'Decision', 'Strong', 70),
      score('A3', 'Awareness', 'Weak', 20),
      score('A4', 'Decision', 'Weak', 65),
      score('A5', 'Target', 'Moderate', 5),
      score('A7', 'Awareness', 'Strong', 10),
    ]);
    await recordMembers(db, run1, segmentId, ['A1', 'A2', 'A3', 'A4']);
    await subscriptions();
    const run2 = await insertRun(db, DAY2, [
      score('A1', 'Decision', 'Strong', 80),
      score('A2', 'Purchase', 'Strong', 90),
      score('A3', 'Decision', 'Weak', 60),
      score('A4', 'Decision', 'Weak', 66),
      score('A5', 'Purchase', 'Moderate', 95),
      score('A6', 'Consideration', 'Strong', 30),
      score('A7', 'Decision', 'Strong', 85),
    ]);
    await recordMembers(db, run2, segmentId, ['A1', 'A2', 'A3', 'A4', 'A5', 'A6']);
    return { segmentId, run1, run2 };
  }

  it('sends exactly one alert per account and event, compared with the run before the subscription, one message a second', async () => {
    const webhook = slack.newWebhook();
    const { run2 } = await twoDays(async () => {
      await subscribe('Hot accounts', 'became_qualified', webhook);
      await subscribe('hot ACCOUNTS', 'stage_advanced', webhook);
      await subscribe('Hot accounts', 'entered_segment', webhook);
    });
    const report = await send(run2);
    expect(report).toMatchObject({ raised: 8, sent: 8, messages: 3, failed: 0, deferred: 0, unconfirmed: 0 });
    const messages = slack.accepted(webhook);
    // Most intent first; the names escaped, as Slack asks.
    expect(messages.map(namesIn)).toEqual([
      ['Umbrella &lt;Health&gt;', 'Acme &amp; Co'],
      ['Umbrella &lt;Health&gt;', 'Globex', 'Acme &amp; Co', 'Initech'],
      ['Umbrella &lt;Health&gt;', 'A6'],
    ]);
    expect(messages[0]!.blocks![0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Hot accounts: 2 accounts became qualified' },
    });
    expect(messages[0]!.blocks![2]!.text!.text).toBe(
      '*<https://signalfit.example.com/accounts/A5|Umbrella &lt;Health&gt;>*\nFit: Moderate · Stage: Purchase · Intent: 95\nTop reason: Researched "code security" 4 times',
    );
    expect(messages[0]!.text).toBe(
      'Hot accounts: 2 accounts became qualified: Umbrella &lt;Health&gt;, Acme &amp; Co',
    );
    // One message a second to one webhook, measured where they arrive.
    const times = slack.requestsTo(webhook).map((r) => r.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(900);
    expect(slack.requestsTo(webhook).every((r) => r.status === 200)).toBe(true);

    // A rerun of the same run sends nothing.
    const again = await send(run2);
    expect(again).toMatchObject({ raised: 0, sent: 0, messages: 0 });
    expect(slack.requestsTo(webhook)).toHaveLength(3);

    // Later runs of the same day: A1 drops, then qualifies again: already alerted today, nothing sent.
    const dropped = await insertRun(db, DAY2, [score('A1', 'Consideration', 'Strong', 30)]);
    const segmentId = Number((await db.query<{ id: string }>('SELECT id FROM segments'))[0]!.id);
    await recordMembers(db, dropped, segmentId, ['A1']);
    expect(await send(dropped)).toMatchObject({ raised: 0, sent: 0 });
    const back = await insertRun(db, DAY2, [score('A1', 'Decision', 'Strong', 81)]);
    await recordMembers(db, back, segmentId, ['A1']);
    expect(await send(back)).toMatchObject({ raised: 0, sent: 0 });
    expect(slack.requestsTo(webhook)).toHaveLength(3);
    expect((await deliveries(db)).every((d) => d.state === 'sent' && d.run_day === DAY2)).toBe(true);
  });

  it('raises nothing for a run that is not after the subscription baseline, and nothing the baseline already had', async () => {
    const webhook = slack.newWebhook();
    const { run1, run2 } = await twoDays(async () => undefined);
    // Subscribed while day 2 is current: day 2 is its baseline.
    await subscribe('Hot accounts', 'became_qualified', webhook);
    expect(await send(run2)).toMatchObject({ raised: 0, sent: 0 });
    expect(await send(run1)).toMatchObject({ raised: 0, sent: 0 });
    expect(slack.requestsTo(webhook)).toHaveLength(0);
  });

  it('absorbs a 429: waits Retry-After, then the message goes once', async () => {
    const webhook = slack.newWebhook();
    const { run2 } = await twoDays(() => subscribe('Hot accounts', 'became_qualified', webhook));
    slack.fail(webhook, { status: 429, body: 'rate_limited', retryAfter: '1' });
    const report = await send(run2);
    expect(report).toMatchObject({ sent: 2, messages: 1, failed: 0 });
    const [limited, posted] = slack.requestsTo(webhook);
    expect([limited!.status, posted!.status]).toEqual([429, 200]);
    expect(posted!.at - limited!.at).toBeGreaterThanOrEqual(900);
    expect(slack.accepted(webhook)).toHaveLength(1);
  });

  it('keeps alerts pending when Slack asks for a wait past the bound, and sends them at the next send', async () => {
    const webhook = slack.newWebhook();
    const { run2 } = await twoDays(() => subscribe('Hot accounts', 'became_qualified', webhook));
    slack.fail(webhook, { status: 429, body: 'rate_limited', retryAfter: '3600' });
    const first = await send(run2);
    expect(first).toMatchObject({ sent: 0, deferred: 2, failed: 0 });
    expect(first.errors[0]).toContain('rate limiting');
    expect((await deliveries(db)).map((d) => d.state)).toEqual(['pending', 'pending']);
    const second = await send(run2);
    expect(second).toMatchObject({ sent: 2, messages: 1, deferred: 0 });
    expect(slack.accepted(webhook)).toHaveLength(1);
  });

  it('records a refusal with Slack’s reason and does not send it again', async () => {
    const webhook = slack.newWebhook();
    const { run2 } = await twoDays(() => subscribe('Hot accounts', 'stage_advanced', webhook));
    slack.fail(webhook, { status: 404, body: 'channel_not_found' });
    const report = await send(run2);
    expect(report).toMatchObject({ sent: 0, failed: 4 });
    const rows = await deliveries(db);
    expect(rows.map((d) => d.state)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(rows[0]!.error).toBe('Slack refused the message: 404 channel_not_found');
    expect(await send(run2)).toMatchObject({ sent: 0, failed: 0 });
    expect(slack.requestsTo(webhook)).toHaveLength(1);
  });

  it('never sends twice a message whose send was cut off after its alerts were claimed', async () => {
    const webhook = slack.newWebhook();
    const { run2 } = await twoDays(() => subscribe('Hot accounts', 'became_qualified', webhook));
    // The process dies between the claim's commit and the POST.
    await expect(
      send(run2, {
        beforePost: async () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect((await deliveries(db)).map((d) => d.state)).toEqual(['sending', 'sending']);
    const rerun = await send(run2);
    expect(rerun).toMatchObject({ raised: 0, sent: 0, unconfirmed: 2 });
    expect(slack.requestsTo(webhook)).toHaveLength(0);
    const list = await listAlerts(db, { actor: OPERATOR, now: new Date() });
    expect(list.recent.map((r) => [r.accountId, r.state])).toEqual([
      ['A1', 'unconfirmed'],
      ['A5', 'unconfirmed'],
    ]);
  });

  it('never sends twice a message that is mid-POST when another send starts', async () => {
    const webhook = slack.newWebhook();
    const { run2 } = await twoDays(() => subscribe('Hot accounts', 'became_qualified', webhook));
    slack.hang();
    const first = send(run2);
    while (slack.requestsTo(webhook).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    // Slack has the message and has not answered: a second send (a rerun, another instance) starts.
    const second = await send(run2);
    expect(second).toMatchObject({ sent: 0, unconfirmed: 2 });
    slack.release();
    expect(await first).toMatchObject({ sent: 2, messages: 1 });
    expect(slack.requestsTo(webhook)).toHaveLength(1);
    expect((await deliveries(db)).map((d) => d.state)).toEqual(['sent', 'sent']);
  });

  it('leaves a send that got no answer in time unconfirmed, never resent', async () => {
    const webhook = slack.newWebhook();
    const { run2 } = await twoDays(() => subscribe('Hot accounts', 'became_qualified', webhook));
    slack.hang();
    const report = await send(run2, { outbound: { timeoutMs: 300, retries: 2 } });
    slack.release();
    expect(report).toMatchObject({ sent: 0, unconfirmed: 2 });
    const rows = await deliveries(db);
    expect(rows.map((d) => d.state)).toEqual(['sending', 'sending']);
    expect(rows[0]!.error).toContain('did not answer within 300 ms');
    await send(run2);
    expect(slack.requestsTo(webhook)).toHaveLength(1);
  });

  it('collects a daily digest through the day and sends it once, the next day', async () => {
    const webhook = slack.newWebhook();
    const { run2 } = await twoDays(async () => {
      await subscribe('Hot accounts', 'stage_advanced', webhook, 'daily');
      await subscribe('Hot accounts', 'entered_segment', webhook, 'daily');
    });
    expect(await send(run2)).toMatchObject({ raised: 6, sent: 0, deferred: 0 });
    expect(slack.requestsTo(webhook)).toHaveLength(0);
    const nextDay = new Date('2026-11-20T02:00:00Z');
    expect(await send(run2, { now: nextDay })).toMatchObject({ sent: 6, messages: 2 });
    const digests = slack.accepted(webhook);
    expect(digests.map((m) => m.blocks![0]!.text!.text)).toEqual([
      'Daily digest · Hot accounts: 4 accounts reached Decision or Purchase',
      'Daily digest · Hot accounts: 2 accounts entered the segment',
    ]);
    expect(await send(run2, { now: nextDay })).toMatchObject({ sent: 0 });
    expect(slack.requestsTo(webhook)).toHaveLength(2);
  });

  it('splits a large batch into messages within Slack’s limits', async () => {
    const webhook = slack.newWebhook();
    const ids = Array.from({ length: 100 }, (_, i) => `B${String(i).padStart(3, '0')}`);
    await insertAccounts(
      db,
      ids.map((id) => ({ id, name: `Account ${id} ${'x'.repeat(300)}` })),
    );
    const segmentId = await insertSegment(db, 'Everyone');
    const run1 = await insertRun(db, DAY1, []);
    await recordMembers(db, run1, segmentId, []);
    await subscribe('Everyone', 'entered_segment', webhook);
    const long = 'y'.repeat(5000);
    const run2 = await insertRun(
      db,
      DAY2,
      ids.map((id, i) => ({
        ...score(id, 'Awareness', 'Weak', i % 100),
        reasons: { intent: [{ text: long, weight: 1 }] },
      })),
    );
    await recordMembers(db, run2, segmentId, ids);
    expect(await send(run2)).toMatchObject({ raised: 100, sent: 100, messages: 3 });
    const messages = slack.accepted(webhook);
    expect(messages.map((m) => m.blocks!.filter((b) => b.type === 'section').length)).toEqual([48, 48, 4]);
    expect(messages.map((m) => (m.blocks![1]!.elements![0] as { text: string }).text)).toEqual([
      'Segment *Everyone* · entered the segment · scores of 2026-11-19 · part 1 of 3',
      'Segment *Everyone* · entered the segment · scores of 2026-11-19 · part 2 of 3',
      'Segment *Everyone* · entered the segment · scores of 2026-11-19 · part 3 of 3',
    ]);
    for (const m of messages) {
      expect(m.blocks!.length).toBeLessThanOrEqual(50);
      for (const b of m.blocks!)
        if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    }
    // Every account exactly once.
    expect(messages.flatMap(namesIn).sort()).toEqual(
      ids.map((id) => `Account ${id} ${'x'.repeat(186)}…`).sort(),
    );
  });

  it('keeps the alerts of an in-app subscription in the list, sends nothing, and waits for the key of a sealed webhook', async () => {
    const webhook = slack.newWebhook();
    const { run2 } = await twoDays(async () => {
      await subscribe('Hot accounts', 'became_qualified', null);
      await subscribe('Hot accounts', 'entered_segment', webhook);
    });
    const report = await send(run2, { secretKey: null });
    expect(report).toMatchObject({ raised: 4, sent: 0, deferred: 2 });
    expect(report.errors[0]).toContain('set SIGNALFIT_SECRET_KEY');
    expect(slack.requestsTo(webhook)).toHaveLength(0);
    const list = await listAlerts(db, { actor: OPERATOR, now: new Date() });
    expect(list.subscriptions.map((s) => [s.event, s.slackWebhook === null])).toEqual([
      ['became_qualified', true],
      ['entered_segment', false],
    ]);
    expect(list.recent.map((r) => `${r.event} ${r.accountId} ${r.state} ${r.accountName}`).sort()).toEqual([
      'became_qualified A1 in_app Acme & Co',
      'became_qualified A5 in_app Umbrella <Health>',
      'entered_segment A5 pending Umbrella <Health>',
      'entered_segment A6 pending null',
    ]);
    expect(list.recent.find((r) => r.accountId === 'A1')!.details).toMatchObject({
      profileFit: 'Strong',
      buyingStage: 'Decision',
      intentScore: 80,
      topReason: 'Researched "code security" 4 times',
      previousBuyingStage: 'Consideration',
    });
    expect(await send(run2)).toMatchObject({ sent: 2, messages: 1 });
  });

  it("sends the alerts of a run that the app's recompute stored, and reports them", async () => {
    const webhook = slack.newWebhook();
    let run2 = 0;
    await twoDays(() => subscribe('Hot accounts', 'became_qualified', webhook)).then(
      (runs) => (run2 = runs.run2),
    );
    const reports: unknown[] = [];
    const recomputer = createRecomputer({
      db,
      now: () => ON_DAY2,
      // The scoring itself is not under test: the run twoDays stored stands for the one it makes.
      score: async () => ({ runId: run2 }),
      alerts: {
        secretKey: TEST_SECRET_KEY,
        publicUrl: null,
        outbound: { timeoutMs: 5000, retries: 0 },
        onReport: (report) => reports.push(report),
      },
    });
    await recomputer.start({ userId: 'ada', name: 'Ada', role: 'Admin' });
    await recomputer.settled();
    expect(recomputer.status()).toMatchObject({ state: 'done', runId: run2 });
    expect(reports).toEqual([expect.objectContaining({ runId: run2, raised: 2, sent: 2, messages: 1 })]);
    expect(slack.accepted(webhook).map(namesIn)).toEqual([
      ['Umbrella <Health>', 'Acme & Co'].map((n) =>
        n.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      ),
    ]);
  });
});
