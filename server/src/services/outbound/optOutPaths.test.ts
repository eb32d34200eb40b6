/**
 * One opted-out address (and, separately, one opted-out domain) of the central opt-out list
 * tried through every outbound path (docs/opt-outs.md "Where it is enforced"): Outreach
 * enrolment from the panel, an orchestration pushing to Outreach, an orchestration pushing to a
 * Salesforce campaign, a provider purchase from an orchestration and from the panel. No request
 * that carries the person reaches the stand-ins (Outreach, Salesforce, the provider), and a
 * person listed after being selected and bought is still not pushed.
 */
import request from 'supertest';
import type { ProviderContact } from '../../domain/orchestrations/types';
import { toSalesforceId18 } from '../../domain/salesforceId';
import type { PurchaseAnswer } from '../../integrations/providers/provider';
import { connectSalesforce } from '../../integrations/salesforce/client';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { outreachAppForSales } from '../../http/routes/outreach/testing';
import type { OutreachStandIn } from '../../../test/outreachStandIn/standIn';
import {
  ALL_SCOPES,
  connectThroughStandIn,
  startOutreachStandIn,
} from '../../../test/outreachStandIn/testing';
import { seedOrg } from '../../../test/salesforceStandIn/fixtures';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { TEST_ORG_ID, TEST_USER_ID } from '../../http/auth/testing';
import { acquireContact } from '../acquire/acquireContact';
import { setCredits } from '../credits/credits';
import { ACME_ID, seedIntelligenceFixture } from '../intelligence/testing';
import { findOrchestration } from '../orchestrations/orchestrationRecords';
import { purchaseContacts } from '../orchestrations/purchaseContacts';
import type { RunDeps } from '../orchestrations/runContext';
import { runDetail } from '../orchestrations/runHistory';
import { runNow } from '../orchestrations/runOrchestration';
import {
  insertOrchestration,
  MARKET_ROWS,
  MemoryProvider,
  NOW,
  seedRunMarket,
} from '../orchestrations/runTesting';
import { OutreachConnections } from '../outreach/connections';
import { addOptOut, type OptOutTarget } from '../optouts/optOutList';

jest.setTimeout(120_000);

const ORG = '00D000000000001AAA';
const OWNER = '005000000000009AAA';
const PANEL_CONTACT = toSalesforceId18('003Ax00000OpOt1');

/** The rules tried, and the addresses of the market each one covers (p06 bought otherwise; p07 too for the domain). */
const RULES: { name: string; rule: OptOutTarget; blocked: string[] }[] = [
  { name: 'an opted-out email', rule: { email: ' P06@Acme.com' }, blocked: ['p06@acme.com'] },
  {
    name: 'an opted-out domain',
    rule: { domain: 'https://www.ACME.com/' },
    blocked: ['p06@acme.com', 'p07@acme.com'],
  },
];
const idOf = (email: string) => email.slice(0, 3);

/** A provider that lists `rule` the moment it is asked to sell (the person was selected before). */
class ListingProvider extends MemoryProvider {
  constructor(
    rows: ProviderContact[],
    private readonly listNow: () => Promise<void>,
  ) {
    super(rows);
  }
  override async purchase(ids: readonly string[], key: string): Promise<PurchaseAnswer[]> {
    const answers = await super.purchase(ids, key);
    await this.listNow();
    return answers;
  }
}

describe.each(testStoreTargets())('the opt-out list at every outbound path on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let segmentId: number;
  let providerId: number;
  let outreach: OutreachStandIn;
  let connections: OutreachConnections;
  let sequenceId: string;
  let mailboxId: string;
  let salesforce: SalesforceStandIn;
  let salesforceLogin: () => ReturnType<typeof connectSalesforce>;
  let campaign: string;

  beforeAll(async () => {
    ({ segmentId, providerId } = await seedRunMarket(db));
    await seedIntelligenceFixture(db);
  });
  beforeEach(async () => {
    let config;
    ({ standIn: outreach, config } = await startOutreachStandIn({ now: () => NOW, minTokenIntervalMs: 0 }));
    const outreachUser = outreach.addUser('owner@example.com');
    mailboxId = outreach.addMailbox('owner@example.com', outreachUser);
    sequenceId = outreach.addSequence('New buyers');
    connections = new OutreachConnections({ db, config, now: () => new Date() });
    const tokens = outreach.issueToken(outreachUser, ALL_SCOPES);
    await connections.save(
      { orgId: ORG, userId: OWNER },
      { ...tokens, expiresAt: new Date(Date.now() + 7200_000), scope: ALL_SCOPES.join(' ') },
      { id: outreachUser, email: 'owner@example.com' },
    );
    const started = await startStandIn();
    salesforce = started.standIn;
    seedOrg(salesforce);
    campaign = salesforce.insert('Campaign', { Name: 'New buyers', Type: 'Email' });
    salesforceLogin = () => connectSalesforce(started.settings);
    await setCredits({ db, allowance: 100, actor: OPERATOR });
  });
  afterEach(async () => {
    await outreach.close();
    await salesforce.close();
    await db.exec(`DELETE FROM orchestration_records; DELETE FROM credit_ledger; DELETE FROM contact_purchases;
      DELETE FROM orchestration_runs; DELETE FROM orchestrations; DELETE FROM credit_settings; DELETE FROM opt_outs;
      DELETE FROM salesforce_created_people; DELETE FROM salesforce_campaign_members; DELETE FROM salesforce_push_jobs;
      DELETE FROM outreach_enrollment_attempts; DELETE FROM outreach_connections`);
  });

  /** Requests of every stand-in that carry one of `addresses` (any case). */
  const carrying = (provider: MemoryProvider, addresses: string[]) => {
    const found: string[] = [];
    const has = (text: string) => addresses.some((a) => text.toLowerCase().includes(a));
    for (const r of outreach.requests)
      if (has(JSON.stringify(r))) found.push(`outreach ${r.method} ${r.path}`);
    for (const r of salesforce.apiRequests())
      if (has(`${r.path} ${r.body}`)) found.push(`salesforce ${r.method} ${r.path}`);
    for (const p of provider.purchases)
      for (const id of p.ids)
        if (addresses.some((a) => idOf(a) === id)) found.push(`provider purchase ${id}`);
    return found;
  };
  const list = (rule: OptOutTarget) => addOptOut({ db, actor: OPERATOR, target: rule }).then(() => undefined);
  const deps = (provider: MemoryProvider): RunDeps => ({
    db,
    now: () => NOW,
    openProvider: async () => provider,
    outreach: connections,
    salesforce: salesforceLogin,
    pollIntervalMs: 5,
  });
  const outcomes = async (name: string, runId: number) =>
    Object.fromEntries(
      (
        await runDetail({ db, orchestration: await findOrchestration(db, name), runId, actor: OPERATOR })
      ).records
        .filter((r) => ['p06', 'p07', 'p09'].includes(String(r.provider_id)))
        .map((r) => [r.provider_id, `${r.outcome}${r.reason ? ` ${r.reason}` : ''}`]),
    );
  const toOutreach = (name: string) =>
    insertOrchestration(db, {
      name,
      segmentId,
      providerId,
      target: { type: 'outreach_sequence', sequenceId, mailboxId },
      ownerUserId: OWNER,
      cooldownDays: 0,
    });
  const toSalesforce = (name: string) =>
    insertOrchestration(db, {
      name,
      segmentId,
      providerId,
      target: { type: 'salesforce_campaign', campaignId: campaign, create: 'lead' },
      cooldownDays: 0,
    });

  describe.each(RULES)('$name', ({ rule, blocked }) => {
    const skipped = Object.fromEntries(blocked.map((e) => [idOf(e), 'skipped opted_out']));

    it('an orchestration pushing to Outreach: not bought, not sent; the others are', async () => {
      await list(rule);
      const provider = new MemoryProvider(MARKET_ROWS);
      await toOutreach('To Outreach');
      const run = await runNow(deps(provider), {
        orchestration: await findOrchestration(db, 'To Outreach'),
        trigger: 'manual',
        actor: OPERATOR,
      });
      expect(await outcomes('To Outreach', run.id)).toEqual({
        ...skipped,
        ...(blocked.length === 1 ? { p07: 'pushed' } : {}),
        p09: 'pushed',
      });
      expect(carrying(provider, blocked)).toEqual([]);
      expect(outreach.prospectsWithEmail('p09@beta.io')).toHaveLength(1);
    });

    it('an orchestration pushing to a Salesforce campaign: no Lead, no CampaignMember', async () => {
      await list(rule);
      const provider = new MemoryProvider(MARKET_ROWS);
      await toSalesforce('To Salesforce');
      const run = await runNow(deps(provider), {
        orchestration: await findOrchestration(db, 'To Salesforce'),
        trigger: 'manual',
        actor: OPERATOR,
      });
      expect(await outcomes('To Salesforce', run.id)).toEqual({
        ...skipped,
        ...(blocked.length === 1 ? { p07: 'pushed' } : {}),
        p09: 'pushed',
      });
      expect(carrying(provider, blocked)).toEqual([]);
      const leads = [...salesforce.records.get('Lead')!.values()].map((l) => String(l.Email).toLowerCase());
      expect(leads).toContain('p09@beta.io');
    });

    it('listed after the selection, while the provider sells: bought, but pushed neither to Outreach nor to Salesforce', async () => {
      for (const [name, create] of [
        ['Late to Outreach', toOutreach],
        ['Late to Salesforce', toSalesforce],
      ] as const) {
        const provider = new ListingProvider(MARKET_ROWS, () => list(rule).catch(() => undefined));
        await create(name);
        const run = await runNow(deps(provider), {
          orchestration: await findOrchestration(db, name),
          trigger: 'manual',
          actor: OPERATOR,
        });
        const got = await outcomes(name, run.id);
        for (const email of blocked)
          expect([name, email, got[idOf(email)]]).toEqual([name, email, 'skipped opted_out']);
        expect(provider.sold()).toEqual(expect.arrayContaining(blocked.map(idOf)));
        expect(carrying(new MemoryProvider([]), blocked)).toEqual([]);
        await db.exec(`DELETE FROM orchestration_records; DELETE FROM credit_ledger; DELETE FROM contact_purchases;
          DELETE FROM orchestration_runs; DELETE FROM orchestrations; DELETE FROM opt_outs`);
      }
    });

    it('a provider purchase from an orchestration, asked for the person directly: the provider is never asked', async () => {
      await list(rule);
      const provider = new MemoryProvider(MARKET_ROWS);
      const id = await toOutreach('Picks');
      const picks = ['p06', 'p07', 'p09'].map((p) => ({
        row: MARKET_ROWS.find((r) => r.providerId === p)!,
        accountId: 'a1',
      }));
      const report = await purchaseContacts({
        db,
        provider,
        providerRecordId: providerId,
        picks,
        orchestrationId: id,
        runId: null,
        sourceType: 'Orchestration',
        actor: OPERATOR,
        now: () => NOW,
      });
      expect(report.refused.map((r) => [r.row.providerId, r.error.split(':')[0]])).toEqual(
        blocked.map((e) => [idOf(e), 'opted_out']),
      );
      expect(provider.purchases.flatMap((p) => p.ids).sort()).toEqual(
        ['p06', 'p07', 'p09'].filter((p) => !blocked.map(idOf).includes(p)),
      );
      expect(carrying(provider, blocked)).toEqual([]);
    });

    it('a provider purchase from the panel: skipped as opted out, nothing bought', async () => {
      await list(rule);
      const provider = new MemoryProvider(MARKET_ROWS);
      const answer = await acquireContact({
        db,
        provider: {
          id: providerId,
          name: 'Vendor',
          type: 'csv',
          settings: { dir: '/nowhere' },
          createdAt: '',
          createdBy: null,
        },
        open: async () => provider,
        accountId: 'a1',
        providerContactId: 'p06',
        persona: null,
        actor: OPERATOR,
        salesforce: salesforceLogin,
        pollIntervalMs: 5,
        now: () => NOW,
      });
      expect(answer).toEqual({ outcome: 'skipped', reason: 'opted_out', target_id: null });
      expect(provider.purchases).toEqual([]);
      expect(carrying(provider, blocked)).toEqual([]);
    });

    it('Outreach enrolment from the panel: answered opted out, Outreach hears nothing of the person', async () => {
      await list(rule);
      // A contact of the store with the listed address (only here: elsewhere p06 must be unknown to be bought).
      await db.query(
        `INSERT INTO contacts (id, account_id, email, first_name, last_name, kind, opted_out)
         VALUES ($1, $2, 'P06@acme.com', 'Pat', 'Six', 'contact', false)`,
        [PANEL_CONTACT, ACME_ID],
      );
      await connectThroughStandIn(
        connections,
        outreach,
        { orgId: TEST_ORG_ID, userId: TEST_USER_ID },
        3600_000,
      );
      const panelSequence = outreach.addSequence('Panel');
      const panelMailbox = outreach.addMailbox('rita@example.com', '1');
      const { app, auth } = await outreachAppForSales(db, connections);
      const res = await request(app)
        .post('/api/outreach/enrollments')
        .set('Authorization', auth)
        .send({ people: [PANEL_CONTACT], sequenceId: panelSequence, mailboxId: panelMailbox });
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual([
        expect.objectContaining({
          personId: PANEL_CONTACT,
          result: 'person_opted_out',
          detail:
            'email' in rule
              ? 'the address p06@acme.com is on the opt-out list'
              : 'the address p06@acme.com is in acme.com, a domain on the opt-out list',
        }),
      ]);
      expect(carrying(new MemoryProvider([]), ['p06@acme.com'])).toEqual([]);
      await db.run('DELETE FROM contacts WHERE id = $1', [PANEL_CONTACT]);
    });
  });
});
