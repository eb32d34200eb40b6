import { SlackStandIn } from '../../../test/slackStandIn/standIn';
import { addDays } from '../../domain/dates';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { createSubscription } from '../alerts/createSubscription';
import { insertSegment, TEST_SECRET_KEY } from '../alerts/testing';
import { seedDemoMarket } from '../demo/seedDemoMarket';
import { scoreStore } from '../scoring/scoreStore';
import { pendingCandidate } from './lifecycle';
import { webhookNotify } from './notices';
import { rolloutStep, type RolloutReport } from './rollout';
import { activeVersionIds, type VersionIds } from './versionStore';

/**
 * The daily job's models step with an injected clock, on both stores: retraining when 30 days
 * have passed, the announcement on day 0 to every alert webhook once, reminders on days 6 and 12,
 * the roll-out on day 14 (the versions it replaces retired), and nothing sent twice.
 */
jest.setTimeout(120_000);

const FIRST_DAY = '2026-10-01';
const at = (day: string) => new Date(`${day}T02:00:00Z`);

describe.each(testStoreTargets())('the models step of the daily job on $name', (target) => {
  let db: Db;
  let slack: SlackStandIn;
  let webhookA: string;
  let webhookB: string;
  let first: VersionIds;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    slack = await new SlackStandIn({ minIntervalMs: 0 }).start();
    await seedDemoMarket({ db, seed: 5, accounts: 250, endDate: new Date('2026-11-01T00:00:00Z') });
    await scoreStore(db, { asOf: new Date(`${FIRST_DAY}T00:00:00Z`) });
    first = (await activeVersionIds(db))!;
    // A low bar: the candidate trained on the schedule is not worse.
    await db.run(`UPDATE model_versions SET auc = 0.5, identification_rate = 0 WHERE kind = 'intent'`);
    await insertSegment(db, 'Hot accounts');
    webhookA = slack.newWebhook();
    webhookB = slack.newWebhook();
    const subscribe = (event: 'became_qualified' | 'stage_advanced', url: string | null) =>
      createSubscription(db, {
        actor: OPERATOR,
        segment: 'Hot accounts',
        event,
        slackWebhookUrl: url,
        digest: 'immediate',
        secretKey: TEST_SECRET_KEY,
      });
    await subscribe('became_qualified', webhookA);
    await subscribe('stage_advanced', webhookA); // the same channel is told once
    await subscribe('became_qualified', webhookB);
    await subscribe('stage_advanced', null); // in-app only
  }, 180_000);

  afterAll(() => slack.close());

  const notify = () =>
    webhookNotify(db, {
      secretKey: TEST_SECRET_KEY,
      outbound: { timeoutMs: 5000, retries: 0 },
      slack: { minIntervalMs: 0 },
    });

  it('announces on day 0, reminds on days 6 and 12, rolls out on day 14, and sends nothing twice', async () => {
    const reports = new Map<string, RolloutReport>();
    let day = addDays(FIRST_DAY, 1);
    while (day <= '2026-11-20') {
      reports.set(day, await rolloutStep(db, { now: at(day), notify: notify() }));
      if (day === '2026-11-06') {
        // A second run the same day (a rerun of the daily job) sends no second reminder.
        const again = await rolloutStep(db, { now: at(day), notify: notify() });
        expect(again.notices).toMatchObject({ announced: 0, reminded: 0, messages: 0 });
      }
      day = addDays(day, 1);
    }
    const eventful = [...reports].filter(
      ([, r]) => r.rolledOut !== null || r.trained !== null || r.notices.announced + r.notices.reminded > 0,
    );
    expect(
      eventful.map(([d, r]) => [
        d,
        r.trained?.state ?? null,
        r.notices.announced,
        r.notices.reminded,
        r.rolledOut !== null,
      ]),
    ).toEqual([
      ['2026-10-31', 'candidate', 1, 0, false],
      ['2026-11-06', null, 0, 1, false],
      ['2026-11-12', null, 0, 1, false],
      ['2026-11-14', null, 0, 0, true],
    ]);
    const trained = reports.get('2026-10-31')!.trained!;
    expect(trained.rolloutOn).toBe('2026-11-14');
    expect(reports.get('2026-10-31')!.notices).toMatchObject({ messages: 2, failed: 0, errors: [] });

    // Each webhook got each notice once.
    for (const webhook of [webhookA, webhookB]) {
      const texts = slack.accepted(webhook).map((message) => message.text);
      expect(texts).toHaveLength(3);
      expect(texts[0]).toMatch(
        /^Model update: candidate trained on 2026-10-31 rolls out on 2026-11-14 \(AUC 0\.\d{3} vs 0\.500, /,
      );
      expect(texts[1]).toMatch(
        /^Model update \(reminder\): candidate trained on 2026-10-31 rolls out on 2026-11-14/,
      );
      expect(texts[2]).toBe(texts[1]);
      expect(slack.requestsTo(webhook)).toHaveLength(3);
    }

    // Rolled out: the trained versions active, the first ones retired by the schedule.
    const active = (await activeVersionIds(db))!;
    const trainedIds = await db.query<{ id: number }>(
      'SELECT id::int AS id FROM model_versions WHERE training_id = $1 ORDER BY id',
      [trained.trainingId],
    );
    expect(Object.values(active).sort((a, b) => a - b)).toEqual(trainedIds.map((row) => row.id));
    const retired = await db.query<{ state: string; action: string; actor: string }>(
      `SELECT v.state, e.action, e.actor FROM model_versions v
         JOIN model_version_events e ON e.version_id = v.id AND e.to_state = v.state
        WHERE v.id = ANY($1::bigint[]) ORDER BY v.id`,
      [Object.values(first)],
    );
    expect(retired).toEqual(Array(4).fill({ state: 'retired', action: 'rollout', actor: 'schedule' }));
    expect(await pendingCandidate(db)).toBeNull();
    const audit = await db.query<{ action: string; actor: string }>(
      `SELECT action, actor FROM audit_log WHERE action LIKE 'models.%' OR action = 'slack.message' ORDER BY id`,
    );
    expect(audit.map((row) => `${row.action} ${row.actor}`)).toEqual([
      'models.train schedule', // the first run
      'models.train schedule',
      'slack.message schedule',
      'slack.message schedule',
      'slack.message schedule',
      'models.rollout schedule',
    ]);
  });
});
