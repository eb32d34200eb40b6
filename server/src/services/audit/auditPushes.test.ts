/**
 * Every outbound push records one audit entry with what it sent (docs/audit-log.md): Outreach
 * enrolments (the panel's and an orchestration's), Salesforce campaign pushes and the score
 * write-back, provider purchases and Slack messages, each against its local stand-in on both stores.
 */
import type { Access } from '../../http/auth/accessToken';
import { OutreachClient } from '../../integrations/outreach/client';
import { connectSalesforce, type SalesforceSettings } from '../../integrations/salesforce/client';
import { DEFAULT_FIELD_MAPPING } from '../../integrations/salesforce/fieldMapping';
import { OPERATOR, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import type { OutreachStandIn } from '../../../test/outreachStandIn/standIn';
import { ALL_SCOPES, startOutreachStandIn } from '../../../test/outreachStandIn/testing';
import { seedOrg, type SeededOrg } from '../../../test/salesforceStandIn/fixtures';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { SlackStandIn } from '../../../test/slackStandIn/standIn';
import { createSubscription } from '../alerts/createSubscription';
import { deliverAlerts } from '../alerts/deliverAlerts';
import { sendTestMessage } from '../alerts/sendTestMessage';
import { TEST_SECRET_KEY } from '../alerts/testing';
import { pushToOutreach } from '../orchestrations/outreachPush';
import type { PushPerson } from '../orchestrations/push';
import { purchaseContacts } from '../orchestrations/purchaseContacts';
import { insertOrchestration, MemoryProvider, providerRow } from '../orchestrations/runTesting';
import { sendFailedRunAlert } from '../orchestrations/orchestrationAlerts';
import { pushToSalesforce, removeFromCampaign } from '../orchestrations/salesforcePush';
import { enrollPeople } from '../outreach/enrollPeople';
import { syncSalesforce } from '../salesforce/syncSalesforce';
import { insertScoreRun } from '../salesforce/testing';
import { writebackSalesforce } from '../salesforce/writebackSalesforce';
import { listAudit, type AuditView } from './listAudit';

// The real clients against their stand-ins, several jobs.
jest.setTimeout(60_000);

const NOW = new Date('2026-11-20T10:00:00Z');
const now = () => NOW;
const OLGA: Actor = { userId: 'u-olga', name: 'Olga', email: 'olga@example.com', role: 'Operations' };
/** A seller in the Salesforce panel (no role: the embed token's permissions). */
const SAM: Access = {
  orgId: '00D000000000001',
  userId: '005000000000001',
  name: 'Sam Seller',
  email: 'sam@example.com',
  perms: ['Signalfit_Access', 'Signalfit_Sales_Actions', 'Signalfit_Admin'],
  record: null,
  accountId: null,
  role: null,
};

function person(key: string, email: string): PushPerson {
  return {
    key,
    email,
    firstName: 'Pat',
    lastName: key.replace(/\W/g, '_'),
    title: 'Head of Security',
    accountId: 'A1',
    accountName: 'Globex',
    accountSalesforceId: null,
    country: 'US',
    existing: null,
    sourceType: 'Orchestration',
  };
}

type Expected = Pick<AuditView, 'actor' | 'actorKind' | 'action' | 'counts'> & Partial<AuditView>;

describe.each(testStoreTargets())('audit entries of the outbound pushes on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let outreach: OutreachStandIn;
  let outreachToken: string;
  let sequenceId: string;
  let mailboxId: string;
  let salesforce: SalesforceStandIn;
  let settings: SalesforceSettings;
  let org: SeededOrg;
  let campaign: string;
  let slack: SlackStandIn;

  beforeAll(async () => {
    ({ standIn: outreach } = await startOutreachStandIn({ now }));
    const userId = outreach.addUser('owner@example.com');
    mailboxId = outreach.addMailbox('owner@example.com', userId);
    sequenceId = outreach.addSequence('New buyers');
    outreachToken = outreach.issueToken(userId, ALL_SCOPES).accessToken;
    ({ standIn: salesforce, settings } = await startStandIn());
    org = seedOrg(salesforce);
    campaign = salesforce.insert('Campaign', { Name: 'Spring outreach', Type: 'Email' });
    slack = await new SlackStandIn().start();
    await db.exec(`
      INSERT INTO accounts (id, name, domain) VALUES ('A1', 'Globex', 'globex.test');
      INSERT INTO contacts (id, account_id, email, first_name, last_name, kind) VALUES
        ('C1', 'A1', 'ana@globex.test', 'Ana', 'Ray', 'contact'),
        ('C2', 'A1', 'ben@globex.test', 'Ben', 'Ode', 'contact'),
        ('C3', 'A1', 'no-mail@globex.test', 'Cy', 'Low', 'contact');
      -- Opted out on another record: the address is refused wherever it is sent.
      INSERT INTO contacts (id, account_id, email, kind, opted_out) VALUES
        ('C4', 'A1', 'no-mail@globex.test', 'lead', true),
        ('C5', 'A1', 'refused@globex.test', 'lead', true);
      INSERT INTO segments (name, kind, definition) VALUES ('Hot', 'filter', '{"all": []}');
      INSERT INTO credit_settings (id, allowance, period, allow_overage, updated_by) VALUES (1, 10, 'month', false, 'test');
    `);
  });
  afterAll(async () => {
    await outreach?.close();
    await salesforce?.close();
    await slack?.close();
  });

  const outreachClient = () =>
    new OutreachClient({ apiUrl: outreach.apiUrl, accessToken: () => Promise.resolve(outreachToken), now });

  async function lastId(): Promise<number> {
    const [row] = await db.query<{ id: string | null }>('SELECT max(id) AS id FROM audit_log');
    return Number(row?.id ?? 0);
  }

  /** Runs `push` and returns the entries it wrote, oldest first. */
  async function entriesOf(push: () => Promise<unknown>): Promise<AuditView[]> {
    const before = await lastId();
    await push();
    const { entries } = await listAudit(db, OPERATOR, { limit: 1000 });
    return entries.filter((e) => e.id > before).reverse();
  }

  const ROWS: { push: string; run: () => Promise<unknown>; entries: () => Expected[] }[] = [
    {
      push: "the panel's Outreach enrolment (two sent, one opted out)",
      run: () =>
        enrollPeople({
          db,
          client: outreachClient(),
          access: SAM,
          people: ['C1', 'C2', 'C3'],
          sequenceId,
          mailboxId,
          now,
        }),
      entries: () => [
        {
          actor: 'sam@example.com',
          actorKind: 'panel',
          action: 'outreach.enroll',
          targetType: 'outreach_sequence',
          targetId: sequenceId,
          counts: { people: 3, sent: 2, already_enrolled: 0, refused: 1, opted_out: 1, rate_limited: 0 },
        },
      ],
    },
    {
      push: "an orchestration's Outreach push",
      run: () =>
        pushToOutreach({
          db,
          client: outreachClient(),
          sequenceId,
          mailboxId,
          people: [person('purchase:1', 'new1@globex.test'), person('purchase:2', 'refused@globex.test')],
          actor: OPERATOR,
          audit: {
            targetType: 'orchestration_run',
            targetId: '7',
            label: 'for run 7 of orchestration "Buy"',
          },
          now,
        }),
      entries: () => [
        {
          actor: 'command line',
          actorKind: 'operator',
          action: 'outreach.enroll',
          targetType: 'orchestration_run',
          targetId: '7',
          counts: { people: 2, sent: 1, already_enrolled: 0, refused: 1, opted_out: 1, rate_limited: 0 },
        },
      ],
    },
    {
      push: 'a Salesforce campaign push (Leads created, members added)',
      run: async () =>
        pushToSalesforce({
          db,
          client: await connectSalesforce(settings),
          scope: 'orchestration:9',
          campaignId: campaign,
          create: 'lead',
          people: [
            person('purchase:11', 'lead1@globex.test'),
            person('purchase:12', 'lead2@globex.test'),
            person('purchase:13', 'refused@globex.test'),
          ],
          pollIntervalMs: 5,
          now,
          actor: OLGA,
        }),
      entries: () => [
        {
          actor: 'olga@example.com',
          actorKind: 'user',
          action: 'salesforce.campaign_push',
          targetType: 'salesforce_push',
          targetId: 'orchestration:9',
          counts: { people: 3, leads_created: 2, members: 2, failed: 1 },
        },
      ],
    },
    {
      push: 'removing people from a Salesforce campaign (those who left the segment)',
      run: async () =>
        removeFromCampaign({
          db,
          client: await connectSalesforce(settings),
          scope: 'orchestration:9:leavers',
          campaignId: campaign,
          personIds: ['purchase:11', 'purchase:nobody'],
          pollIntervalMs: 5,
          now,
          actor: OLGA,
        }),
      entries: () => [
        {
          actor: 'olga@example.com',
          actorKind: 'user',
          action: 'salesforce.campaign_remove',
          targetId: 'orchestration:9:leavers',
          counts: { people: 2, removed: 1, failed: 1 },
        },
      ],
    },
    {
      push: 'the Salesforce score write-back',
      run: async () => {
        const connect = (guard: Parameters<typeof connectSalesforce>[1]) =>
          connectSalesforce(settings, guard);
        const poll = { pollIntervalMs: 10, pollTimeoutMs: 5_000 };
        await syncSalesforce({
          db,
          connect,
          mapping: DEFAULT_FIELD_MAPPING,
          budgetPercent: 20,
          now: () => new Date('2026-01-08T00:00:00Z'),
          poll,
        });
        await insertScoreRun(
          db,
          '2026-01-07',
          [
            {
              account_id: org.acme,
              intent_score: 81,
              buying_stage: 'Decision',
              profile_score: 90,
              profile_fit: 'Strong',
              reach: 'High',
              qualified: true,
              qualified_since: '2026-01-06',
            },
          ],
          [
            {
              contact_id: org.ada,
              account_id: org.acme,
              engagement_score: 77,
              engagement_grade: 'A',
              profile_fit: 'Strong',
              persona: null,
            },
          ],
        );
        salesforce.rowErrors.set(org.ada, 'FIELD_CUSTOM_VALIDATION_EXCEPTION:refused:Signalfit_Persona__c');
        await writebackSalesforce({ db, connect, budgetPercent: 20, poll });
      },
      entries: () => [
        {
          actor: 'schedule',
          actorKind: 'operator',
          action: 'salesforce.writeback',
          counts: { sent: 2, updated: 1, failed: 1, account_sent: 1, contact_sent: 1 },
        },
      ],
    },
    {
      push: 'a provider purchase from the panel',
      run: async () => {
        const [provider] = await db.query<{ id: string }>(
          `INSERT INTO contact_providers (name, type, settings) VALUES ('Vendor', 'csv', '{"dir": "/nowhere"}') RETURNING id`,
        );
        const rows = [
          providerRow({ providerId: 'p1', companyDomain: 'globex.test', cost: 2 }),
          providerRow({ providerId: 'p2', companyDomain: 'globex.test', email: 'refused@globex.test' }),
          providerRow({ providerId: 'p3', companyDomain: 'globex.test', cost: 3 }),
        ];
        await purchaseContacts({
          db,
          provider: new MemoryProvider(rows),
          providerRecordId: Number(provider!.id),
          picks: rows.map((row) => ({ row, accountId: 'A1' })),
          orchestrationId: null,
          runId: null,
          sourceType: 'Sales Intelligence',
          actor: SAM,
          now,
        });
      },
      entries: () => [
        {
          actor: 'sam@example.com',
          actorKind: 'panel',
          action: 'provider.purchase',
          targetType: 'provider',
          counts: { people: 2, credits: 5, refused: 1, not_bought: 0 },
        },
      ],
    },
    {
      push: "an alert subscription's test message to Slack",
      run: async () => {
        const subscription = await createSubscription(db, {
          actor: OLGA,
          segment: 'Hot',
          event: 'became_qualified',
          slackWebhookUrl: slack.newWebhook(),
          digest: 'immediate',
          secretKey: TEST_SECRET_KEY,
        });
        await sendTestMessage(db, {
          actor: OLGA,
          subscriptionId: subscription.id,
          secretKey: TEST_SECRET_KEY,
          publicUrl: null,
          slack: { outbound: { timeoutMs: 5000, retries: 0 } },
        });
      },
      entries: (): Expected[] => [
        { actor: 'olga@example.com', actorKind: 'user', action: 'alert.create', counts: {} },
        {
          actor: 'olga@example.com',
          actorKind: 'user',
          action: 'alert.test_message',
          counts: { messages: 1 },
        },
      ],
    },
    {
      push: 'the alerts sent to Slack',
      run: async () => {
        await db.exec(`
          INSERT INTO alert_deliveries (subscription_id, account_id, event, run_day, run_id, segment_id, details)
          SELECT id, a, 'became_qualified', '2026-11-20', 1, segment_id, '{"name": "Globex"}'
            FROM alert_subscriptions, unnest(ARRAY['A1', 'A2']) AS a`);
        await deliverAlerts(db, {
          secretKey: TEST_SECRET_KEY,
          publicUrl: null,
          now: NOW,
          slack: { outbound: { timeoutMs: 5000, retries: 0 }, minIntervalMs: 0 },
        });
      },
      entries: () => [
        {
          actor: 'schedule',
          actorKind: 'operator',
          action: 'slack.message',
          targetType: 'slack',
          counts: { messages: 1, alerts: 2, failed: 0, deferred: 0 },
        },
      ],
    },
    {
      push: "a failed orchestration run's alert to Slack",
      run: async () => {
        const [segment] = await db.query<{ id: string }>(`SELECT id FROM segments WHERE name = 'Hot'`);
        const orchestrationId = await insertOrchestration(db, {
          name: 'Buy',
          segmentId: Number(segment!.id),
          providerId: null,
        });
        const [run] = await db.query<{ id: string }>(
          `INSERT INTO orchestration_runs (orchestration_id, trigger, state, requested_by, queued_at, finished_at, message)
           VALUES ($1, 'manual', 'failed', 'olga@example.com', $2, $2, 'the provider could not be reached') RETURNING id`,
          [orchestrationId, NOW],
        );
        await sendFailedRunAlert(
          { db, now, secretKey: TEST_SECRET_KEY, outbound: { timeoutMs: 5000, retries: 0 } },
          Number(run!.id),
          OLGA,
        );
      },
      entries: () => [
        {
          actor: 'olga@example.com',
          actorKind: 'user',
          action: 'slack.message',
          targetType: 'orchestration_run',
          counts: { messages: 1, failed: 0 },
        },
      ],
    },
    {
      push: 'sending the alerts again (nothing due, no entry)',
      run: () =>
        deliverAlerts(db, {
          secretKey: TEST_SECRET_KEY,
          publicUrl: null,
          now: NOW,
          slack: { outbound: { timeoutMs: 5000, retries: 0 } },
        }),
      entries: () => [],
    },
  ];

  it.each(ROWS.map((row) => [row.push, row] as const))('%s', async (_name, row) => {
    expect(await entriesOf(row.run)).toEqual(row.entries().map((entry) => expect.objectContaining(entry)));
  });
});
