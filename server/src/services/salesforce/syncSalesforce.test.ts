import { connectSalesforce } from '../../integrations/salesforce/client';
import { DEFAULT_FIELD_MAPPING } from '../../integrations/salesforce/fieldMapping';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedOrg, type SeededOrg } from '../../../test/salesforceStandIn/fixtures';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import type { SalesforceSettings } from '../../integrations/salesforce/client';
import { syncSalesforce, type SyncSalesforceProps } from './syncSalesforce';

const NOW = new Date('2026-01-08T00:00:00Z');

// The real client against the stand-in, several pages and jobs: more than Jest's 5 s default on a busy machine.
jest.setTimeout(60_000);

describe.each(testStoreTargets())('syncSalesforce on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let standIn: SalesforceStandIn;
  let settings: SalesforceSettings;
  let org: SeededOrg;

  beforeAll(async () => {
    ({ standIn, settings } = await startStandIn());
    org = seedOrg(standIn);
  });
  afterAll(() => standIn.close());

  const sync = (overrides: Partial<SyncSalesforceProps> = {}) =>
    syncSalesforce({
      db,
      connect: (guard) => connectSalesforce(settings, guard),
      mapping: {
        ...DEFAULT_FIELD_MAPPING,
        opportunity: { ...DEFAULT_FIELD_MAPPING.opportunity, relevantTypes: ['New Business'] },
      },
      budgetPercent: 20,
      now: () => NOW,
      poll: { pollIntervalMs: 10, pollTimeoutMs: 5_000 },
      ...overrides,
    });

  test('the first run pulls every object with Bulk API 2.0 query jobs into the canonical tables', async () => {
    const report = await sync();
    expect(report.status).toBe('complete');
    const jobs = standIn.apiRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/query'));
    expect(jobs.map((r) => JSON.parse(r.body).query.split(' FROM ')[1].split(' ')[0])).toEqual([
      'Account',
      'Contact',
      'Lead',
      'Opportunity',
      'Task',
      'Event',
      'CampaignMember',
    ]);
    expect(jobs.every((r) => JSON.parse(r.body).operation === 'query')).toBe(true);
    expect(standIn.apiRequests().every((r) => r.path.startsWith('/services/data/v62.0/'))).toBe(true);

    const accounts = await db.query(
      'SELECT id, name, domain, industry, employees, annual_revenue::float8 AS revenue, country FROM accounts ORDER BY name',
    );
    expect(accounts).toEqual([
      {
        id: org.acme,
        name: 'Acme Corp',
        domain: 'acme.com',
        industry: 'Software',
        employees: 1200,
        revenue: 15000000,
        country: 'US',
      },
      {
        id: org.globex,
        name: 'Globex',
        domain: 'globex.de',
        industry: 'Manufacturing',
        employees: 300,
        revenue: null,
        country: 'DE',
      },
    ]);
    const people = await db.query<{ id: string }>(
      'SELECT id, account_id, email, kind, job_level, country, opted_out FROM contacts ORDER BY id',
    );
    expect(people).toEqual(
      expect.arrayContaining([
        {
          id: org.ada,
          account_id: org.acme,
          email: 'ada@acme.com',
          kind: 'contact',
          job_level: 'VP',
          country: 'US',
          opted_out: false,
        },
        {
          id: org.grace,
          account_id: org.globex,
          email: 'grace@globex.de',
          kind: 'contact',
          job_level: 'C-Level',
          country: null,
          opted_out: true,
        },
        {
          id: org.leadByDomain,
          account_id: org.acme,
          email: 'linus@acme.com',
          kind: 'lead',
          job_level: 'Manager',
          country: 'FI',
          opted_out: false,
        },
        {
          id: org.leadConverted,
          account_id: org.globex,
          email: 'old@elsewhere.org',
          kind: 'lead',
          job_level: null,
          country: null,
          opted_out: false,
        },
      ]),
    );
    expect(people).toHaveLength(4);
    // The CRM fields by their names in the mapping (Owner.Name from the owning User); blanks left out.
    expect(
      await db.query(
        'SELECT account_id, field_values FROM account_crm_fields ORDER BY account_id COLLATE "C"',
      ),
    ).toEqual(
      [
        {
          account_id: org.acme,
          field_values: { OwnerId: org.owner, 'Owner.Name': 'Ada Byron', Type: 'Customer' },
        },
        {
          account_id: org.globex,
          field_values: { OwnerId: expect.any(String), 'Owner.Name': 'Integration User' },
        },
      ].sort((a, b) => (a.account_id < b.account_id ? -1 : 1)),
    );
    const rejects = await db.query('SELECT sobject, id, reason FROM salesforce_sync_rejects');
    expect(rejects).toEqual([
      { sobject: 'Lead', id: org.leadNowhere, reason: expect.stringContaining('account_id') },
    ]);

    const [opportunity] = await db.query('SELECT account_id, relevant, is_won, closed_at FROM opportunities');
    expect(opportunity).toEqual({
      account_id: org.acme,
      relevant: true,
      is_won: true,
      closed_at: new Date('2026-01-03T00:00:00Z'),
    });
    const activities = await db.query(
      'SELECT id, account_id, contact_id, type, source, campaign FROM activities ORDER BY type',
    );
    expect(activities).toEqual([
      {
        id: org.emailInvitee,
        account_id: org.acme,
        contact_id: org.leadByDomain,
        type: 'email_sent',
        source: 'map',
        campaign: 'January newsletter',
      },
      {
        id: org.call,
        account_id: org.acme,
        contact_id: org.ada,
        type: 'sales_call',
        source: 'salesforce',
        campaign: null,
      },
      {
        id: org.meeting,
        account_id: org.acme,
        contact_id: org.leadByDomain,
        type: 'sales_meeting',
        source: 'salesforce',
        campaign: null,
      },
      {
        id: org.webinarAttendee,
        account_id: org.acme,
        contact_id: org.ada,
        type: 'webinar',
        source: 'salesforce',
        campaign: 'Supply-chain security webinar',
      },
    ]);
    const [converted] = await db.query('SELECT converted FROM salesforce_records WHERE id = $1', [
      org.leadConverted,
    ]);
    expect(converted).toEqual({ converted: true });
  });

  test('a later run pulls only what changed since the checkpoint, with queryAll, and applies deletions', async () => {
    const before = standIn.apiRequests().length;
    standIn.update(
      'Account',
      org.globex,
      { Industry: 'Robotics', Type: 'Partner', OwnerId: org.owner },
      new Date('2026-01-09T10:00:00Z'),
    );
    standIn.remove('Task', org.call, new Date('2026-01-09T10:00:00Z'));
    standIn.remove('Account', org.acme, new Date('2026-01-09T11:00:00Z'));
    const report = await sync({ now: () => new Date('2026-01-10T00:00:00Z') });
    expect(report.objects.Account).toMatchObject({ read: 2, updated: 1, deleted: 1 });
    expect(report.objects.Contact).toMatchObject({ read: 0 });
    const jobs = standIn
      .apiRequests()
      .slice(before)
      .filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/query'));
    expect(jobs).toHaveLength(7);
    for (const job of jobs) {
      const body = JSON.parse(job.body);
      expect(body.operation).toBe('queryAll');
      expect(body.query).toContain(
        'SystemModstamp > 2026-01-07T23:59:00Z AND SystemModstamp <= 2026-01-09T23:59:00Z',
      );
      expect(body.query).toContain('IsDeleted');
    }
    expect(await db.query('SELECT id, industry FROM accounts')).toEqual([
      { id: org.globex, industry: 'Robotics' },
    ]);
    expect(await db.query('SELECT id FROM activities WHERE account_id = $1', [org.acme])).toEqual([]);
    expect(await db.query('SELECT id FROM contacts WHERE account_id = $1', [org.acme])).toEqual([]);
    expect(await db.query('SELECT account_id, field_values FROM account_crm_fields')).toEqual([
      {
        account_id: org.globex,
        field_values: { OwnerId: org.owner, 'Owner.Name': 'Ada Byron', Type: 'Partner' },
      },
    ]);
  });

  test('a mapping that asks for another CRM field takes every account again, once; the other objects stay incremental', async () => {
    const mapping = {
      ...DEFAULT_FIELD_MAPPING,
      account: { ...DEFAULT_FIELD_MAPPING.account, crmFields: ['Type', 'Industry'] },
    };
    const before = standIn.apiRequests().length;
    const report = await sync({ mapping, now: () => new Date('2026-01-10T06:00:00Z') });
    expect(report.objects.Account).toMatchObject({ read: 2, updated: 0, deleted: 0 });
    const queries = () =>
      standIn
        .apiRequests()
        .slice(before)
        .filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/query'))
        .map((r) => JSON.parse(r.body) as { operation: string; query: string });
    const [account, ...others] = queries();
    // queryAll with no lower bound: deletions since the last run still come.
    expect(account).toEqual({
      operation: 'queryAll',
      query: expect.stringMatching(/ FROM Account WHERE SystemModstamp <= 2026-01-10T05:59:00Z$/),
    });
    expect(others.every((q) => q.query.includes('SystemModstamp > 2026-01-09T23:59:00Z'))).toBe(true);
    expect(await db.query('SELECT account_id, field_values FROM account_crm_fields')).toEqual([
      { account_id: org.globex, field_values: { Type: 'Partner', Industry: 'Robotics' } },
    ]);

    const again = standIn.apiRequests().length;
    await sync({ mapping, now: () => new Date('2026-01-10T07:00:00Z') });
    const [next] = standIn
      .apiRequests()
      .slice(again)
      .filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/query'))
      .map((r) => JSON.parse(r.body).query as string);
    expect(next).toContain('SystemModstamp > 2026-01-10T05:59:00Z');

    // Back to the defaults: every account again, and the fields no longer asked for are gone.
    await sync({ now: () => new Date('2026-01-10T08:00:00Z') });
    expect(await db.query('SELECT account_id, field_values FROM account_crm_fields')).toEqual([
      {
        account_id: org.globex,
        field_values: { OwnerId: org.owner, 'Owner.Name': 'Ada Byron', Type: 'Partner' },
      },
    ]);
  });

  test('a request Salesforce refuses fails the run; the next run resumes the same pull and finishes it', async () => {
    standIn.update('Account', org.globex, { Industry: 'Aerospace' }, new Date('2026-01-10T10:00:00Z'));
    standIn.fail({
      method: 'GET',
      path: /\/jobs\/query\/\w+\/results$/,
      status: 400,
      errorCode: 'INVALIDJOBSTATE',
      message: 'Job is not complete',
    });
    const later = () => new Date('2026-01-11T00:00:00Z');
    await expect(sync({ now: later })).rejects.toMatchObject({ errorCode: 'INVALIDJOBSTATE' });
    const [kept] = await db.query<{ job_id: string | null }>(
      "SELECT job_id FROM salesforce_sync_checkpoints WHERE sobject = 'Account'",
    );
    expect(kept?.job_id).toEqual(expect.any(String));
    const jobsBefore = standIn
      .apiRequests()
      .filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/query')).length;
    const report = await sync({ now: later });
    expect(report.status).toBe('complete');
    expect(report.objects.Account).toMatchObject({ read: 1, updated: 1 });
    const jobs = standIn.apiRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/query'));
    // Account's pull went on with its job; the six other objects started theirs.
    expect(jobs.length - jobsBefore).toBe(6);
    expect(await db.query('SELECT industry FROM accounts WHERE id = $1', [org.globex])).toEqual([
      { industry: 'Aerospace' },
    ]);
  });
});
