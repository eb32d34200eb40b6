import { connectSalesforce, type SalesforceSettings } from '../../integrations/salesforce/client';
import { DEFAULT_FIELD_MAPPING } from '../../integrations/salesforce/fieldMapping';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedOrg, type SeededOrg } from '../../../test/salesforceStandIn/fixtures';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { syncSalesforce } from './syncSalesforce';
import { insertScoreRun, type AccountScoreFixture, type ContactScoreFixture } from './testing';
import { writebackSalesforce } from './writebackSalesforce';

// The real client against the stand-in, several pages and jobs: more than Jest's 5 s default on a busy machine.
jest.setTimeout(60_000);

describe.each(testStoreTargets())('writebackSalesforce on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let standIn: SalesforceStandIn;
  let settings: SalesforceSettings;
  let org: SeededOrg;
  const poll = { pollIntervalMs: 10, pollTimeoutMs: 5_000 };
  const connect = (guard: Parameters<typeof connectSalesforce>[1]) => connectSalesforce(settings, guard);

  const accounts = (): AccountScoreFixture[] => [
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
    {
      account_id: org.globex,
      intent_score: 12,
      buying_stage: 'Target',
      profile_score: null,
      profile_fit: null,
      reach: 'Low',
      qualified: false,
      qualified_since: null,
    },
  ];
  const people = (): ContactScoreFixture[] => [
    {
      contact_id: org.ada,
      account_id: org.acme,
      engagement_score: 77,
      engagement_grade: 'A',
      profile_fit: 'Strong',
      persona: 'Security leader',
    },
    {
      contact_id: org.grace,
      account_id: org.globex,
      engagement_score: 20,
      engagement_grade: 'D',
      profile_fit: 'Moderate',
      persona: null,
    },
    {
      contact_id: org.leadByDomain,
      account_id: org.acme,
      engagement_score: 55,
      engagement_grade: 'B',
      profile_fit: 'Weak',
      persona: 'Practitioner',
    },
    {
      contact_id: org.leadConverted,
      account_id: org.globex,
      engagement_score: 5,
      engagement_grade: 'D',
      profile_fit: null,
      persona: null,
    },
  ];

  beforeAll(async () => {
    ({ standIn, settings } = await startStandIn());
    org = seedOrg(standIn);
    await syncSalesforce({
      db,
      connect,
      mapping: DEFAULT_FIELD_MAPPING,
      budgetPercent: 20,
      now: () => new Date('2026-01-08T00:00:00Z'),
      poll,
    });
  });
  afterAll(() => standIn.close());

  const writeback = () => writebackSalesforce({ db, connect, budgetPercent: 20, poll });
  const uploadsSince = (count: number) => standIn.uploadedRows().slice(count);

  test('the first write-back sets the Signalfit fields of every scored record with Bulk API 2.0 update jobs', async () => {
    await insertScoreRun(db, '2026-01-07', accounts(), people());
    standIn.rowErrors.set(
      org.grace,
      'FIELD_CUSTOM_VALIDATION_EXCEPTION:Persona must be set for C-level contacts:Signalfit_Persona__c',
    );
    const report = await writeback();
    expect(report.status).toBe('complete');
    expect(report.objects).toEqual({
      Account: { sent: 2, updated: 2, failed: 0 },
      Contact: { sent: 2, updated: 1, failed: 1 },
      Lead: { sent: 1, updated: 1, failed: 0 }, // the converted lead is left alone: Salesforce refuses it
    });
    expect(report.errors).toEqual({ FIELD_CUSTOM_VALIDATION_EXCEPTION: 1 });
    expect(standIn.get('Account', org.acme)).toMatchObject({
      Signalfit_Intent_Score__c: '81',
      Signalfit_Buying_Stage__c: 'Decision',
      Signalfit_Profile_Fit__c: 'Strong',
      Signalfit_Qualified__c: 'true',
      Signalfit_Qualified_Since__c: '2026-01-06',
      Signalfit_Scored_At__c: '2026-01-07T00:00:00.000Z',
    });
    expect(standIn.get('Account', org.globex)).toMatchObject({
      Signalfit_Profile_Fit__c: null,
      Signalfit_Reach__c: 'Low',
    });
    expect(standIn.get('Lead', org.leadByDomain)).toMatchObject({
      Signalfit_Engagement_Grade__c: 'B',
      Signalfit_Persona__c: 'Practitioner',
    });
    const ingestCreates = standIn
      .apiRequests()
      .filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/ingest'));
    expect(ingestCreates.map((r) => JSON.parse(r.body))).toEqual([
      expect.objectContaining({ object: 'Account', operation: 'update', contentType: 'CSV' }),
      expect.objectContaining({ object: 'Contact', operation: 'update' }),
      expect.objectContaining({ object: 'Lead', operation: 'update' }),
    ]);
    expect(await db.query('SELECT sobject, id, error, attempts FROM salesforce_writeback_failures')).toEqual([
      {
        sobject: 'Contact',
        id: org.grace,
        error: expect.stringMatching(/^FIELD_CUSTOM_VALIDATION_EXCEPTION:/),
        attempts: 1,
      },
    ]);
  });

  test('the next run retries the refused row only; with no score change nothing is sent', async () => {
    standIn.rowErrors.clear();
    const before = standIn.uploadedRows().length;
    const report = await writeback();
    expect(report.objects.Contact).toEqual({ sent: 1, updated: 1, failed: 0 });
    expect(uploadsSince(before)).toEqual([
      { object: 'Contact', rows: [expect.objectContaining({ Id: org.grace })] },
    ]);
    expect(await db.query('SELECT * FROM salesforce_writeback_failures')).toEqual([]);

    const requestsBefore = standIn.apiRequests().length;
    await insertScoreRun(db, '2026-01-08', accounts(), people()); // a new run, the same values
    const again = await writeback();
    expect(Object.values(again.objects).every((o) => o.sent === 0)).toBe(true);
    expect(
      standIn
        .apiRequests()
        .slice(requestsBefore)
        .filter((r) => r.path.includes('/jobs/ingest')),
    ).toEqual([]);
  });

  test('a changed score sends only the rows that changed', async () => {
    const changed = accounts();
    changed[1]!.intent_score = 64;
    changed[1]!.buying_stage = 'Consideration';
    await insertScoreRun(db, '2026-01-09', changed, people());
    const before = standIn.uploadedRows().length;
    const report = await writeback();
    expect(report.objects.Account).toEqual({ sent: 1, updated: 1, failed: 0 });
    const uploads = uploadsSince(before);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.rows).toEqual([
      expect.objectContaining({
        Id: org.globex,
        Signalfit_Intent_Score__c: '64',
        Signalfit_Buying_Stage__c: 'Consideration',
        Signalfit_Profile_Fit__c: '#N/A',
      }),
    ]);
  });

  test('a record deleted in Salesforce is recorded with its error and tried again next time', async () => {
    standIn.remove('Account', org.acme);
    const changed = accounts();
    changed[0]!.intent_score = 99;
    await insertScoreRun(db, '2026-01-10', changed, people());
    const report = await writeback();
    expect(report.errors).toEqual({ ENTITY_IS_DELETED: 1 });
    await writeback();
    expect(await db.query('SELECT id, attempts FROM salesforce_writeback_failures')).toEqual([
      { id: org.acme, attempts: 2 },
    ]);
  });

  test('jobs of one row each: every changed row is sent once, none skipped', async () => {
    const changedAccounts = accounts().map((a) => ({ ...a, intent_score: 33 }));
    const changedPeople = people().map((p) => ({ ...p, engagement_score: 44 }));
    await insertScoreRun(db, '2026-01-11', changedAccounts, changedPeople);
    const before = standIn.uploadedRows().length;
    const report = await writebackSalesforce({ db, connect, budgetPercent: 20, poll, rowsPerJob: 1 });
    const uploads = uploadsSince(before);
    expect(uploads.map((u) => u.rows.length)).toEqual([1, 1, 1, 1, 1]);
    const sent = (object: string) =>
      uploads
        .filter((u) => u.object === object)
        .map((u) => u.rows[0]!.Id)
        .sort();
    expect(sent('Account')).toEqual([org.acme, org.globex].sort()); // acme deleted: tried once, refused
    expect(sent('Contact')).toEqual([org.ada, org.grace].sort());
    expect(sent('Lead')).toEqual([org.leadByDomain]);
    expect(report.objects).toEqual({
      Account: { sent: 2, updated: 1, failed: 1 },
      Contact: { sent: 2, updated: 2, failed: 0 },
      Lead: { sent: 1, updated: 1, failed: 0 },
    });
  });

  test('a few changed rows among many unchanged: the walk skips the unchanged windows and fills a job', async () => {
    const changedPeople = people().map((p) => ({ ...p, engagement_score: 44 }));
    changedPeople[1]!.engagement_score = 45; // grace (Contact)
    changedPeople[2]!.engagement_score = 46; // the lead
    await insertScoreRun(
      db,
      '2026-01-12',
      accounts().map((a) => ({ ...a, intent_score: 33 })),
      changedPeople,
    );
    const before = standIn.uploadedRows().length;
    const report = await writebackSalesforce({ db, connect, budgetPercent: 20, poll, rowsPerJob: 2 });
    expect(uploadsSince(before).map((u) => [u.object, u.rows.map((r) => r.Id)])).toEqual([
      ['Account', [org.acme]], // deleted in Salesforce: tried again on every run
      ['Contact', [org.grace]],
      ['Lead', [org.leadByDomain]],
    ]);
    expect(report.objects).toEqual({
      Account: { sent: 1, updated: 0, failed: 1 },
      Contact: { sent: 1, updated: 1, failed: 0 },
      Lead: { sent: 1, updated: 1, failed: 0 },
    });
  });
});
