/**
 * `signalfit alerts add|list` and the alerts of `signalfit score`, as a black box: the real bin
 * against a store and a local Slack webhook stand-in. A score run killed (SIGKILL) while Slack
 * holds its message unanswered is run again: the message is not sent twice, and shows unconfirmed.
 */
import { SlackStandIn } from '../../test/slackStandIn/standIn';
import { OPERATOR } from '../policies/policies';
import { createSubscription } from '../services/alerts/createSubscription';
import { insertAccounts, insertRun, insertSegment, TEST_SECRET_KEY } from '../services/alerts/testing';
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore } from '../store/testing';
import { cliEnv, collect, linesOf, runCli, spawnCli } from './testing';

jest.setTimeout(180_000);

describe.each(processStoreTargets('alerts-cli'))('signalfit alerts on $name', (factory) => {
  let store: ProcessStore;
  let slack: SlackStandIn;
  beforeAll(async () => {
    slack = await new SlackStandIn().start();
    store = await factory.create();
    await store.use(async (db) => {
      await migrate(db);
      await insertSegment(db, 'Hot accounts');
    });
  });
  afterAll(async () => {
    await store?.dispose();
    await slack?.close();
  });

  const env = (extra: Record<string, string | undefined> = {}) =>
    cliEnv({ ...store.env, SIGNALFIT_SECRET_KEY: TEST_SECRET_KEY, ...extra });

  it('adds subscriptions (printing the id), lists them with the webhook masked, and refuses bad input naming it', async () => {
    const webhook = slack.newWebhook();
    const added = await runCli(
      [
        'alerts',
        'add',
        '--segment',
        'hot accounts',
        '--event',
        'became_qualified',
        '--slack-webhook',
        webhook,
      ],
      env(),
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^\d+\n$/);
    const inApp = await runCli(
      ['alerts', 'add', '--segment', 'Hot accounts', '--event', 'entered_segment', '--digest', 'daily'],
      env(),
    );
    expect(inApp.code).toBe(0);

    const listed = await runCli(['alerts', 'list', '--json'], env());
    expect(listed.code).toBe(0);
    const list = JSON.parse(listed.stdout) as { subscriptions: Record<string, unknown>[]; recent: unknown[] };
    expect(list.subscriptions).toEqual([
      expect.objectContaining({
        id: Number(added.stdout),
        segment: expect.objectContaining({ name: 'Hot accounts' }),
        event: 'became_qualified',
        digest: 'immediate',
        slackWebhook: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/services\/T…\/B…\/…[0-9a-f]{4}$/),
        createdBy: 'command line',
      }),
      expect.objectContaining({ event: 'entered_segment', digest: 'daily', slackWebhook: null }),
    ]);
    expect(listed.stdout).not.toContain(webhook.split('/').pop()!);
    const text = await runCli(['alerts', 'list'], env());
    expect(linesOf(text.stdout)[0]).toMatch(/^id\s+segment\s+event\s+delivery\s+slack webhook\s+created$/);
    expect(text.stdout).toContain('in app only');

    const insecure = await runCli(
      [
        'alerts',
        'add',
        '--segment',
        'Hot accounts',
        '--event',
        'stage_advanced',
        '--slack-webhook',
        'http://hooks.slack.com/services/T1/B2/c',
      ],
      env(),
    );
    expect(insecure.code).toBe(1);
    expect(insecure.stderr).toBe(
      'signalfit: --slack-webhook: must be an https:// URL (plain http is allowed only for localhost, for a local test server)\n',
    );
    const keyless = await runCli(
      ['alerts', 'add', '--segment', 'Hot accounts', '--event', 'stage_advanced', '--slack-webhook', webhook],
      env({ SIGNALFIT_SECRET_KEY: undefined }),
    );
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toContain('SIGNALFIT_SECRET_KEY is not set: set it');
    const unknown = await runCli(['alerts', 'add', '--segment', 'Cold', '--event', 'stage_advanced'], env());
    expect(unknown.stderr).toContain('no segment "Cold"');
    const badEvent = await runCli(
      ['alerts', 'add', '--segment', 'Hot accounts', '--event', 'qualified'],
      env(),
    );
    expect(badEvent.code).toBe(1);
    expect(badEvent.stderr).toContain('became_qualified, stage_advanced, entered_segment');
  });

  it('sends due alerts before `signalfit score` exits; killed mid-POST and run again, it sends nothing twice', async () => {
    const webhook = slack.newWebhook();
    await store.use(async (db) => {
      await insertAccounts(db, [
        { id: 'A1', name: 'Acme' },
        { id: 'A2', name: 'Globex' },
      ]);
      const run = await insertRun(db, '2026-11-18', [
        { accountId: 'A1', stage: 'Decision', fit: 'Strong', intent: 80 },
        { accountId: 'A2', stage: 'Purchase', fit: 'Strong', intent: 90 },
      ]);
      const subscription = await createSubscription(db, {
        actor: OPERATOR,
        segment: 'Hot accounts',
        event: 'became_qualified',
        slackWebhookUrl: webhook,
        digest: 'immediate',
        secretKey: TEST_SECRET_KEY,
      });
      // Alerts an earlier send left waiting (Slack was rate limiting): the next run sends them.
      for (const [account, intent] of [
        ['A1', 80],
        ['A2', 90],
      ] as const) {
        await db.run(
          `INSERT INTO alert_deliveries (subscription_id, account_id, event, run_day, run_id, segment_id, details, state)
           SELECT $1, $2, 'became_qualified', '2026-11-18', $3, segment_id, $4, 'pending' FROM alert_subscriptions WHERE id = $1`,
          [
            subscription.id,
            account,
            run,
            JSON.stringify({ name: account === 'A1' ? 'Acme' : 'Globex', intentScore: intent }),
          ],
        );
      }
    });
    slack.hang();
    const child = spawnCli(['score', '--as-of', '2026-11-19'], env());
    let exited = false;
    const ended = collect(child, 120_000).finally(() => (exited = true));
    // Until Slack holds the message; a run that ends first (it failed) is reported below, not waited on.
    while (slack.requestsTo(webhook).length === 0 && !exited) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (exited) throw new Error(`signalfit score ended before it sent: ${JSON.stringify(await ended)}`);
    child.kill('SIGKILL');
    expect((await ended).signal).toBe('SIGKILL');
    slack.release();

    const rerun = await runCli(['score', '--as-of', '2026-11-19'], env());
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect(linesOf(rerun.stdout).at(-1)).toBe('alerts: 0 new, 0 sent in 0 messages, 0 failed, 2 unconfirmed');
    expect(slack.requestsTo(webhook)).toHaveLength(1);
    const listed = JSON.parse((await runCli(['alerts', 'list', '--json'], env())).stdout) as {
      recent: { accountId: string; state: string }[];
    };
    expect(listed.recent.map((r) => `${r.accountId} ${r.state}`).sort()).toEqual([
      'A1 unconfirmed',
      'A2 unconfirmed',
    ]);
  });
});
