/**
 * acquire_contacts runs to a Salesforce campaign through the engine (executeRun/runNow), the real
 * jsforce against the Salesforce stand-in: exact records, one Lead (or Contact) and one
 * CampaignMember per bought person, a partial failure and its re-push, and runs killed after the
 * purchase and in the middle of the push, run again (docs/orchestration-runs.md "Crash safety").
 */
import { hostname } from 'node:os';
import { connectSalesforce } from '../../integrations/salesforce/client';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedOrg } from '../../../test/salesforceStandIn/fixtures';
import type { SalesforceStandIn, SfRecord } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { setCredits } from '../credits/credits';
import { findOrchestration } from './orchestrationRecords';
import type { RunDeps, RunStep } from './runContext';
import { runDetail } from './runHistory';
import { executeRun, requestRun, runNow } from './runOrchestration';
import {
  insertOrchestration,
  MARKET_ROWS,
  MemoryProvider,
  NOW,
  providerRow,
  seedEarlierPurchase,
  seedRunMarket,
} from './runTesting';

jest.setTimeout(90_000);

/** What the first run of the market does (runTesting MARKET_ROWS, a3 in cooldown). */
const SKIPPED = [
  ['p01', 'skipped', 'no_email'],
  ['p02', 'skipped', 'opted_out'],
  ['p03', 'skipped', 'already_in_crm'],
  ['p04', 'skipped', 'restricted_region'],
  ['p05', 'skipped', 'filtered_out'],
  ['p08', 'skipped', 'cap_reached'],
  ['p10', 'skipped', 'cooldown'],
];
const BOUGHT = ['p06', 'p07', 'p09'];
const emailOf = (providerId: string) => MARKET_ROWS.find((r) => r.providerId === providerId)!.email!;

describe.each(testStoreTargets())('acquire runs to a Salesforce campaign on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let standIn: SalesforceStandIn;
  let campaign: string;
  let sfAccount: string;
  let segmentId: number;
  let providerId: number;
  let provider: MemoryProvider;
  let deps: RunDeps;

  beforeAll(async () => {
    ({ segmentId, providerId } = await seedRunMarket(db));
  });
  beforeEach(async () => {
    const started = await startStandIn();
    standIn = started.standIn;
    sfAccount = seedOrg(standIn).acme;
    campaign = standIn.insert('Campaign', { Name: 'New buyers', Type: 'Email' });
    provider = new MemoryProvider(MARKET_ROWS);
    deps = {
      db,
      now: () => NOW,
      openProvider: async () => provider,
      salesforce: () => connectSalesforce(started.settings),
      pollIntervalMs: 5,
    };
    await setCredits({ db, allowance: 100, actor: OPERATOR });
  });
  afterEach(async () => {
    await standIn.close();
    await db.exec(`DELETE FROM orchestration_records; DELETE FROM credit_ledger; DELETE FROM contact_purchases;
      DELETE FROM orchestration_runs; DELETE FROM orchestrations; DELETE FROM credit_settings;
      DELETE FROM salesforce_created_people; DELETE FROM salesforce_campaign_members;
      DELETE FROM salesforce_push_jobs; DELETE FROM salesforce_records WHERE id LIKE '001%';
      DELETE FROM accounts WHERE id LIKE '001%'`);
  });

  const create = (name: string, create: 'lead' | 'contact' = 'lead') =>
    insertOrchestration(db, {
      name,
      segmentId,
      providerId,
      target: { type: 'salesforce_campaign', campaignId: campaign, create },
    });
  const all = (sobject: string): SfRecord[] =>
    [...standIn.records.get(sobject)!.values()].filter((r) => r.IsDeleted !== true);
  const peopleWith = (sobject: 'Lead' | 'Contact', email: string) =>
    all(sobject).filter((r) => String(r.Email).toLowerCase() === email.toLowerCase());
  const membersOf = (personId: string) =>
    all('CampaignMember').filter(
      (m) => m.CampaignId === campaign && (m.LeadId === personId || m.ContactId === personId),
    );
  const jobsOpened = () =>
    standIn.apiRequests().filter((r) => r.method === 'POST' && /\/jobs\/ingest$/.test(r.path)).length;
  const records = async (name: string, runId: number) =>
    (
      await runDetail({ db, orchestration: await findOrchestration(db, name), runId, actor: OPERATOR })
    ).records.sort((a, b) => String(a.provider_id).localeCompare(String(b.provider_id)));
  const ledger = async () =>
    (
      await db.query<{ provider_contact_id: string }>(
        `SELECT p.provider_contact_id FROM credit_ledger l JOIN contact_purchases p ON p.id = l.purchase_id ORDER BY 1`,
      )
    ).map((r) => r.provider_contact_id);
  /** Each bought person: exactly one Lead, with the mapping profile, and one CampaignMember. */
  const expectOneLeadAndMemberEach = (providerIds: string[]) => {
    for (const id of providerIds) {
      const leads = peopleWith('Lead', emailOf(id));
      expect(leads).toHaveLength(1);
      expect(leads[0]).toMatchObject({ LeadSource: 'Signalfit', Signalfit_Source_Type__c: 'Orchestration' });
      expect(membersOf(String(leads[0]!.Id))).toHaveLength(1);
    }
  };
  /** What a SIGKILL leaves: the run still `running`, held by a process of this machine that is gone. */
  const killed = (runId: number) =>
    db.run(
      `UPDATE orchestration_runs SET state = 'running', finished_at = NULL, holder = $2, heartbeat_at = $3 WHERE id = $1`,
      [runId, `${hostname()}:2147483646:dead`, NOW],
    );

  it('creates one Lead and one CampaignMember per bought person, records each with the Lead id, charges once; a rerun opens no job', async () => {
    const id = await create('To campaign');
    await seedEarlierPurchase(db, providerId, id);
    const orchestration = await findOrchestration(db, 'To campaign');
    const run = await runNow(deps, { orchestration, trigger: 'manual', actor: OPERATOR });

    expect(run).toMatchObject({
      state: 'complete',
      counts: { purchased: 3, pushed: 3, skipped: 7, failed: 0 },
      message: null,
    });
    const got = await records('To campaign', run.id);
    const leadId = (providerId: string) => String(peopleWith('Lead', emailOf(providerId))[0]?.Id);
    expect(got.map((r) => [r.provider_id, r.outcome, r.reason, r.target_id])).toEqual(
      [
        ...SKIPPED.map(([p, outcome, reason]) => [p, outcome, reason, null]),
        ...BOUGHT.map((p) => [p, 'pushed', null, leadId(p)]),
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expectOneLeadAndMemberEach(BOUGHT);
    expect(all('Lead').filter((l) => l.LeadSource === 'Signalfit')).toHaveLength(3);
    // Company from the account: a2's name is Beta.
    expect(peopleWith('Lead', emailOf('p09'))[0]).toMatchObject({
      Company: 'Beta',
      Country: 'United States',
    });
    expect(await ledger()).toEqual(['p00', ...BOUGHT]);

    const jobs = jobsOpened();
    const again = await runNow(deps, { orchestration, trigger: 'manual', actor: OPERATOR });
    expect(again).toMatchObject({ state: 'complete', counts: { purchased: 0, pushed: 0, failed: 0 } });
    expect(jobsOpened()).toBe(jobs);
    expectOneLeadAndMemberEach(BOUGHT);
    expect(await ledger()).toEqual(['p00', ...BOUGHT]);
  });

  it('a Lead Salesforce refuses is failed with its error while the rest land; a re-push after the fix pushes it, nobody twice', async () => {
    standIn.validationRules.push({
      object: 'Lead',
      field: 'Title',
      value: 'Director of Engineering',
      error: 'FIELD_CUSTOM_VALIDATION_EXCEPTION:Directors go through sales:Title',
    });
    await create('Partial');
    const orchestration = await findOrchestration(db, 'Partial');
    const run = await runNow(deps, { orchestration, trigger: 'manual', actor: OPERATOR });

    // No earlier purchase: gamma's p10 is bought too.
    expect(run).toMatchObject({ state: 'complete', counts: { purchased: 4, pushed: 3, failed: 1 } });
    const got = await records('Partial', run.id);
    expect(
      got.filter((r) => r.outcome !== 'skipped').map((r) => [r.provider_id, r.outcome, r.error]),
    ).toEqual([
      ['p06', 'pushed', null],
      ['p07', 'failed', 'FIELD_CUSTOM_VALIDATION_EXCEPTION:Directors go through sales:Title'],
      ['p09', 'pushed', null],
      ['p10', 'pushed', null],
    ]);
    expect(peopleWith('Lead', emailOf('p07'))).toEqual([]);
    expectOneLeadAndMemberEach(['p06', 'p09', 'p10']);

    standIn.validationRules.length = 0;
    const repush = await runNow(deps, { orchestration, trigger: 'repush', actor: OPERATOR });
    // `purchased` counts the records holding a bought purchase (docs/orchestration-runs.md); the
    // provider is not asked again and the ledger charges nothing more (below).
    expect(repush).toMatchObject({ state: 'complete', counts: { purchased: 1, pushed: 1, failed: 0 } });
    const repushed = await records('Partial', repush.id);
    expect(repushed.map((r) => [r.provider_id, r.outcome, r.target_id])).toEqual([
      ['p07', 'pushed', String(peopleWith('Lead', emailOf('p07'))[0]?.Id)],
    ]);
    expectOneLeadAndMemberEach(['p06', 'p07', 'p09', 'p10']);
    expect(provider.sold().sort()).toEqual(['p06', 'p07', 'p09', 'p10']);
    expect(await ledger()).toEqual(['p06', 'p07', 'p09', 'p10']);
  });

  it('creates a Contact under an account with a Salesforce id; a person at an account without one fails with the reason', async () => {
    // An account synced from Salesforce: its id is the Account's, with its salesforce_records row.
    await db.run(
      `INSERT INTO accounts (id, name, domain, industry, country) VALUES ($1, 'Acme Corp', 'acme.example', 'Software', 'US')`,
      [sfAccount],
    );
    await db.run(`INSERT INTO salesforce_records (id, sobject) VALUES ($1, 'Account')`, [sfAccount]);
    provider = new MemoryProvider([
      ...MARKET_ROWS,
      providerRow({ providerId: 'p20', companyDomain: 'acme.example', title: 'CTO' }),
    ]);
    await create('Contacts', 'contact');
    const run = await runNow(deps, {
      orchestration: await findOrchestration(db, 'Contacts'),
      trigger: 'manual',
      actor: OPERATOR,
    });

    expect(run).toMatchObject({ state: 'complete', counts: { purchased: 5, pushed: 1, failed: 4 } });
    const got = (await records('Contacts', run.id)).filter((r) => r.outcome !== 'skipped');
    const [contact] = peopleWith('Contact', 'p20@acme.example');
    expect(contact).toMatchObject({
      AccountId: sfAccount,
      LeadSource: 'Signalfit',
      Signalfit_Source_Type__c: 'Orchestration',
    });
    expect(membersOf(String(contact!.Id))).toHaveLength(1);
    expect(got.map((r) => [r.provider_id, r.outcome, r.target_id, r.error])).toEqual([
      ['p06', 'failed', null, expect.stringMatching(/^account a1 has no Salesforce id: /)],
      ['p07', 'failed', null, expect.stringMatching(/^account a1 has no Salesforce id: /)],
      ['p09', 'failed', null, expect.stringMatching(/^account a2 has no Salesforce id: /)],
      ['p10', 'failed', null, expect.stringMatching(/^account a3 has no Salesforce id: /)],
      ['p20', 'pushed', String(contact!.Id), null],
    ]);
    expect(all('Contact').filter((c) => c.LeadSource === 'Signalfit')).toHaveLength(1);
  });

  describe('killed and run again: each person bought once, charged once, one Lead and one CampaignMember each', () => {
    const ALL = ['p06', 'p07', 'p09', 'p10'];

    async function rerunAfterKill(name: string, firstId: number) {
      await killed(firstId);
      const orchestration = await findOrchestration(db, name);
      const second = await requestRun({ db, orchestration, trigger: 'manual', actor: OPERATOR, now: NOW });
      const [dead] = await db.query<{ state: string }>('SELECT state FROM orchestration_runs WHERE id = $1', [
        firstId,
      ]);
      expect(dead?.state).toBe('interrupted');
      const done = await executeRun(deps, second.id);
      expect(done).toMatchObject({ state: 'complete', counts: { purchased: 4, pushed: 4, failed: 0 } });
      const got = await records(name, second.id);
      expect(got.filter((r) => r.outcome === 'pushed').map((r) => r.provider_id)).toEqual(ALL);
      expect(provider.sold().sort()).toEqual(ALL);
      expect(await ledger()).toEqual(ALL);
      expectOneLeadAndMemberEach(ALL);
    }

    it('after the purchase, before the push', async () => {
      await create('Killed bought');
      const first = await runNow(
        {
          ...deps,
          atStep: async (step: RunStep) => {
            if (step === 'purchased') throw new Error('killed');
          },
        },
        { orchestration: await findOrchestration(db, 'Killed bought'), trigger: 'manual', actor: OPERATOR },
      );
      expect(jobsOpened()).toBe(0);
      await rerunAfterKill('Killed bought', first.id);
    });

    it.each<[string, string, RegExp]>([
      ['after the Leads job is stored, before its upload', 'PUT', /\/batches$/],
      ['after the Leads job ran, before its results are read', 'GET', /\/successfulResults$/],
    ])('in the middle of the push: %s', async (_name, method, path) => {
      await create('Killed pushing');
      standIn.fail({ method, path, status: 400, errorCode: 'KILLED', message: 'killed' });
      const first = await runNow(deps, {
        orchestration: await findOrchestration(db, 'Killed pushing'),
        trigger: 'manual',
        actor: OPERATOR,
      });
      expect(first.state).toBe('failed');
      const [stored] = await db.query<{ step: string }>('SELECT step FROM salesforce_push_jobs');
      expect(stored?.step).toBe('people');
      await rerunAfterKill('Killed pushing', first.id);
      expect(await db.query('SELECT * FROM salesforce_push_jobs')).toEqual([]);
    });
  });
});
