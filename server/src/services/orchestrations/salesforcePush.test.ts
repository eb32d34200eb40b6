import { AppError } from '../../errors';
import {
  connectSalesforce,
  type SalesforceClient,
  type SalesforceSettings,
} from '../../integrations/salesforce/client';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedOrg, type SeededOrg } from '../../../test/salesforceStandIn/fixtures';
import type { SalesforceStandIn, SfRecord } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import type { PushOutcome, PushPerson } from './push';
import type { SalesforceCreate } from '../../domain/orchestrations/vocabulary';
import { pushToSalesforce, removeFromCampaign } from './salesforcePush';
import { OPERATOR } from '../../policies/policies';

// The real jsforce against the stand-in, several jobs per test.
jest.setTimeout(60_000);

const NOW = new Date('2026-03-02T10:00:00Z');
const now = () => NOW;

function person(key: string, email: string, extra: Partial<PushPerson> = {}): PushPerson {
  return {
    key,
    email,
    firstName: 'Pat',
    lastName: key.replace(/\W/g, '_'),
    title: 'Head of Security',
    accountId: 'acct-1',
    accountName: 'Initech',
    accountSalesforceId: null,
    country: null,
    existing: null,
    sourceType: 'Orchestration',
    ...extra,
  };
}

describe.each(testStoreTargets())('pushToSalesforce on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let standIn: SalesforceStandIn;
  let settings: SalesforceSettings;
  let org: SeededOrg;
  let campaign: string;

  beforeAll(async () => {
    ({ standIn, settings } = await startStandIn());
    org = seedOrg(standIn);
    campaign = standIn.insert('Campaign', { Name: 'Spring outreach', Type: 'Email' });
    await db.query("INSERT INTO accounts (id, name, domain) VALUES ('acct-1', 'Initech', 'initech.com')");
    await db.query("INSERT INTO accounts (id, name, domain) VALUES ('acct-2', NULL, 'hooli.com')");
  });
  afterAll(() => standIn.close());

  const connect = (): Promise<SalesforceClient> => connectSalesforce(settings);
  const push = async (
    scope: string,
    people: PushPerson[],
    options: {
      create?: SalesforceCreate;
      campaignId?: string | null;
      client?: SalesforceClient;
      db?: Db;
    } = {},
  ) =>
    pushToSalesforce({
      db: options.db ?? db,
      client: options.client ?? (await connect()),
      scope,
      campaignId: options.campaignId === undefined ? campaign : options.campaignId,
      create: options.create ?? 'lead',
      people,
      pollIntervalMs: 5,
      now,
      actor: OPERATOR,
    });
  const all = (sobject: string): SfRecord[] =>
    [...standIn.records.get(sobject)!.values()].filter((r) => r.IsDeleted !== true);
  const leadsFor = (email: string) => all('Lead').filter((l) => l.Email === email);
  const membersOf = (personId: string) =>
    all('CampaignMember').filter(
      (m) => m.CampaignId === campaign && (m.LeadId === personId || m.ContactId === personId),
    );
  const jobsOpened = () =>
    standIn.apiRequests().filter((r) => r.method === 'POST' && /\/jobs\/ingest$/.test(r.path)).length;
  const uploadedEmails = () => standIn.uploadedRows().flatMap((u) => u.rows.map((r) => r.Email));

  test('creates a Lead for each person and adds each to the campaign, in two Bulk API jobs', async () => {
    const client = await connect();
    const jobsBefore = jobsOpened();
    const people = [
      person('purchase:1', 'ann@initech.com', { country: 'DE' }),
      person('purchase:2', 'Bob@Initech.com', { lastName: null, firstName: null, title: null }),
      person('purchase:3', 'cy@hooli.com', {
        accountId: 'acct-2',
        accountName: null,
        sourceType: 'Sales Intelligence',
      }),
    ];
    const outcomes = await push('leads', people, { client });

    expect(outcomes.map((o) => [o.key, o.ok])).toEqual([
      ['purchase:1', true],
      ['purchase:2', true],
      ['purchase:3', true],
    ]);
    const [ann] = leadsFor('ann@initech.com');
    expect(ann).toMatchObject({
      FirstName: 'Pat',
      LastName: 'purchase_1',
      Title: 'Head of Security',
      Company: 'Initech',
      Country: 'Germany',
      LeadSource: 'Signalfit',
      Signalfit_Source_Type__c: 'Orchestration',
    });
    // No last name: the email's local part (Salesforce requires one); no first name or title: not set.
    expect(leadsFor('Bob@Initech.com')[0]).toMatchObject({ LastName: 'Bob', Company: 'Initech' });
    expect(leadsFor('Bob@Initech.com')[0]!.FirstName).toBeUndefined();
    // No account name: the account's domain is the Company.
    expect(leadsFor('cy@hooli.com')[0]).toMatchObject({
      Company: 'hooli.com',
      Signalfit_Source_Type__c: 'Sales Intelligence',
    });
    for (const outcome of outcomes) {
      if (!outcome.ok) throw new Error('expected ok');
      expect(standIn.get('Lead', outcome.targetId).Email).toBeDefined();
      expect(membersOf(outcome.targetId).map((m) => m.Id)).toEqual([outcome.memberId]);
    }
    expect(jobsOpened() - jobsBefore).toBe(2);
    // login excluded: create, upload, close, one check, successful and failed results, per job.
    expect(client.usage.calls).toBe(12);
    const created = await db.query('SELECT key, sobject FROM salesforce_created_people ORDER BY key');
    expect(created).toEqual(
      ['purchase:1', 'purchase:2', 'purchase:3'].map((key) => ({ key, sobject: 'Lead' })),
    );
    expect(await db.query("SELECT * FROM salesforce_push_jobs WHERE scope = 'leads'")).toEqual([]);
  });

  test('a second push of the same people creates nothing and opens no job', async () => {
    const people = [person('purchase:1', 'ann@initech.com'), person('purchase:3', 'cy@hooli.com')];
    const first = await db.query<{ record_id: string }>(
      "SELECT record_id FROM salesforce_created_people WHERE key IN ('purchase:1', 'purchase:3') ORDER BY key",
    );
    const jobsBefore = jobsOpened();
    const client = await connect();
    const outcomes = await push('leads', people, { client });

    expect(jobsOpened()).toBe(jobsBefore);
    expect(client.usage.calls).toBe(0);
    expect(outcomes.map((o) => (o.ok ? o.targetId : o.error))).toEqual(first.map((r) => r.record_id));
    expect(leadsFor('ann@initech.com')).toHaveLength(1);
    expect(membersOf(first[0]!.record_id)).toHaveLength(1);
  });

  test('creates Contacts under the account; a person whose account has no Salesforce id fails with the reason', async () => {
    const outcomes = await push(
      'contacts',
      [
        person('purchase:10', 'dee@acme.com', { accountSalesforceId: org.acme }),
        person('purchase:11', 'eve@initech.com'),
      ],
      { create: 'contact' },
    );

    const [dee, eve] = outcomes as [PushOutcome, PushOutcome];
    expect(dee).toMatchObject({ ok: true });
    expect(eve).toEqual({
      key: 'purchase:11',
      ok: false,
      reason: 'failed',
      error:
        'account acct-1 has no Salesforce id: sync accounts from Salesforce or import them with their Salesforce ids',
    });
    if (!dee.ok) throw new Error('expected ok');
    expect(standIn.get('Contact', dee.targetId)).toMatchObject({
      AccountId: org.acme,
      Email: 'dee@acme.com',
      LeadSource: 'Signalfit',
      Signalfit_Source_Type__c: 'Orchestration',
    });
    expect(membersOf(dee.targetId)).toEqual([expect.objectContaining({ ContactId: dee.targetId })]);
    expect(uploadedEmails()).not.toContain('eve@initech.com');
  });

  test('a row Salesforce refuses is reported with its error while the others land', async () => {
    standIn.validationRules.push({
      object: 'Lead',
      field: 'Title',
      value: 'Intern',
      error: 'FIELD_CUSTOM_VALIDATION_EXCEPTION:Interns are not leads:Title',
    });
    const outcomes = await push('bad-row', [
      person('purchase:20', 'fay@initech.com'),
      person('purchase:21', 'gus@initech.com', { title: 'Intern' }),
      person('purchase:22', 'hal@initech.com'),
    ]);

    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(outcomes[1]).toEqual({
      key: 'purchase:21',
      ok: false,
      reason: 'failed',
      error: 'FIELD_CUSTOM_VALIDATION_EXCEPTION:Interns are not leads:Title',
    });
    expect(leadsFor('gus@initech.com')).toEqual([]);
    expect(leadsFor('fay@initech.com')).toHaveLength(1);
    expect(leadsFor('hal@initech.com')).toHaveLength(1);
  });

  test('an opted-out address is not sent: Salesforce receives no row for it', async () => {
    await db.query(
      "INSERT INTO contacts (id, account_id, email, kind, opted_out) VALUES ('c-optout', 'acct-1', 'ivy@initech.com', 'contact', true)",
    );
    const outcomes = await push('opt-out', [
      person('purchase:30', ' IVY@initech.com '),
      person('purchase:31', 'jon@initech.com'),
    ]);

    expect(outcomes[0]).toEqual({
      key: 'purchase:30',
      ok: false,
      reason: 'opted_out',
      error: 'the address ivy@initech.com is opted out on contact c-optout',
    });
    expect(outcomes[1]).toMatchObject({ ok: true });
    expect(uploadedEmails().filter((e) => e?.trim().toLowerCase() === 'ivy@initech.com')).toEqual([]);
    expect(await db.query("SELECT * FROM salesforce_created_people WHERE key = 'purchase:30'")).toEqual([]);
  });

  test('people the org holds are only added to the campaign; one already a member there counts as ok', async () => {
    standIn.insert('CampaignMember', { CampaignId: campaign, LeadId: org.leadNowhere, Status: 'Sent' });
    const outcomes = await push('audience', [
      person('person:ada', 'Ada@Acme.com', { existing: { sobject: 'Contact', id: org.ada } }),
      person('person:nowhere', 'someone@unknown.io', { existing: { sobject: 'Lead', id: org.leadNowhere } }),
    ]);

    expect(outcomes[0]).toMatchObject({ ok: true, targetId: org.ada });
    expect(outcomes[1]).toEqual({
      key: 'person:nowhere',
      ok: true,
      targetId: org.leadNowhere,
      memberId: null,
      note: 'already a member',
    });
    expect(membersOf(org.ada)).toHaveLength(1);
    expect(membersOf(org.leadNowhere)).toHaveLength(1);
    expect(
      standIn
        .uploadedRows()
        .filter((u) => u.object !== 'CampaignMember')
        .flatMap((u) => u.rows),
    ).not.toContainEqual(expect.objectContaining({ Email: 'Ada@Acme.com' }));
  });

  test('without a campaign (the panel buy) only the person is created', async () => {
    const jobsBefore = jobsOpened();
    const outcome = (
      await push('panel', [person('purchase:40', 'kim@initech.com', { sourceType: 'Sales Intelligence' })], {
        campaignId: null,
      })
    )[0]!;

    expect(outcome).toMatchObject({ ok: true, memberId: null });
    expect(jobsOpened() - jobsBefore).toBe(1);
    if (!outcome.ok) throw new Error('expected ok');
    expect(all('CampaignMember').filter((m) => m.LeadId === outcome.targetId)).toEqual([]);
  });

  test('removes the members it added and marks them removed; a second removal sends nothing', async () => {
    const added = (await push('remove', [person('purchase:50', 'lou@initech.com')]))[0]!;
    if (!added.ok) throw new Error('expected ok');
    const client = await connect();
    const remove = (personIds: string[], c: SalesforceClient = client) =>
      removeFromCampaign({
        db,
        client: c,
        scope: 'remove',
        campaignId: campaign,
        personIds,
        pollIntervalMs: 5,
        now,
        actor: OPERATOR,
      });

    expect(await remove(['purchase:50', 'purchase:nobody', 'person:nowhere'])).toEqual([
      { personId: 'purchase:50', ok: true },
      {
        personId: 'purchase:nobody',
        ok: false,
        error: `purchase:nobody was not added to campaign ${campaign} by Signalfit`,
      },
      {
        personId: 'person:nowhere',
        ok: false,
        error: `person:nowhere was a member of campaign ${campaign} before Signalfit's push: left in the campaign`,
      },
    ]);
    expect(standIn.get('CampaignMember', added.memberId!).IsDeleted).toBe(true);
    expect(membersOf(org.leadNowhere)).toHaveLength(1);
    const [row] = await db.query<{ removed_at: Date }>(
      "SELECT removed_at FROM salesforce_campaign_members WHERE person_id = 'purchase:50'",
    );
    expect(row!.removed_at).toEqual(NOW);

    const again = await connect();
    expect(await remove(['purchase:50'], again)).toEqual([{ personId: 'purchase:50', ok: true }]);
    expect(again.usage.calls).toBe(0);
    // Pushed again later: added again.
    const [readded] = await push('remove', [person('purchase:50', 'lou@initech.com')]);
    expect(readded).toMatchObject({ ok: true, targetId: added.targetId });
    expect(membersOf(added.targetId)).toHaveLength(1);
  });

  test('a Salesforce that refuses the job is salesforce_unavailable, and nothing is recorded', async () => {
    standIn.fail({
      method: 'POST',
      path: /\/jobs\/ingest$/,
      status: 403,
      errorCode: 'API_DISABLED_FOR_ORG',
      message: 'API is not enabled for this Organization or Partner',
    });
    const failure = await push('refused', [person('purchase:60', 'max@initech.com')]).catch(
      (e: unknown) => e,
    );

    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'salesforce_unavailable' });
    expect((failure as Error).message).toContain('API_DISABLED_FOR_ORG');
    expect(await db.query("SELECT * FROM salesforce_push_jobs WHERE scope = 'refused'")).toEqual([]);
  });

  describe('crash safety: killed at each point, run again, each Lead and CampaignMember exists once', () => {
    /** The request the "kill" refuses: the `after`+1-th matching one (the people job's, then the members'). */
    const crashPoints: [string, 'PUT' | 'PATCH' | 'GET', RegExp, number][] = [
      ['after the people job is stored, before its upload', 'PUT', /\/batches$/, 0],
      ['after the upload, before the job is closed', 'PATCH', /\/jobs\/ingest\/\w+$/, 0],
      ['after the people job ran, before its results are read', 'GET', /\/successfulResults$/, 0],
      ['after the members job is stored, before its upload', 'PUT', /\/batches$/, 1],
      ['after the members job ran, before its results are read', 'GET', /\/successfulResults$/, 1],
    ];
    const arm = (method: string, path: RegExp, after: number) => () =>
      standIn.fail({ method, path, after, status: 400, errorCode: 'KILLED', message: 'killed' });
    const expectOnceEach = (people: PushPerson[]) => {
      for (const p of people) {
        const leads = leadsFor(p.email);
        expect(leads).toHaveLength(1);
        expect(membersOf(String(leads[0]!.Id))).toHaveLength(1);
      }
    };

    test.each(
      crashPoints.map(([name, method, path, after], i) => [name, arm(method, path, after), i] as const),
    )('killed %s', async (_name, arm, i) => {
      const scope = `crash-${i}`;
      const people = [0, 1, 2].map((n) => person(`purchase:crash-${i}-${n}`, `p${n}.crash${i}@initech.com`));
      arm();
      await expect(push(scope, people)).rejects.toMatchObject({ code: 'salesforce_unavailable' });
      expect(await db.query('SELECT step FROM salesforce_push_jobs WHERE scope = $1', [scope])).toHaveLength(
        1,
      );

      const outcomes = await push(scope, people);
      expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
      expectOnceEach(people);
      expect(await db.query('SELECT * FROM salesforce_push_jobs WHERE scope = $1', [scope])).toEqual([]);
    });

    test('killed while recording the results (the transaction never commits), then run again', async () => {
      const scope = 'crash-record';
      const people = [0, 1].map((n) => person(`purchase:crash-record-${n}`, `r${n}.record@initech.com`));
      const killed: Db = {
        ...db,
        transaction: () => Promise.reject(new Error('killed while recording')),
      };
      await expect(push(scope, people, { db: killed })).rejects.toThrow('killed while recording');
      expect(leadsFor('r0.record@initech.com')).toHaveLength(1);

      const outcomes = await push(scope, people);
      expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
      expectOnceEach(people);
    });
  });
});
