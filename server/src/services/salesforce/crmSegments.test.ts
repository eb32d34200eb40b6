import { connectSalesforce, type SalesforceSettings } from '../../integrations/salesforce/client';
import { DEFAULT_FIELD_MAPPING, type FieldMapping } from '../../integrations/salesforce/fieldMapping';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedOrg, type SeededOrg } from '../../../test/salesforceStandIn/fixtures';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { recordSegmentMembership } from '../segments/membership';
import { syncSalesforce } from './syncSalesforce';
import { insertScoreRun, type AccountScoreFixture } from './testing';
import { writebackSalesforce } from './writebackSalesforce';

// The real client against the stand-in, several jobs: more than Jest's 5 s default on a busy machine.
jest.setTimeout(60_000);

/**
 * CRM segments end to end: the sync keeps the account's owner, type and a custom field of the
 * org, a `crm.` segment's members follow a sync without a new score run, and the write-back
 * moves the published segment's name with them.
 */
describe.each(testStoreTargets())('CRM segments after a Salesforce sync on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let standIn: SalesforceStandIn;
  let settings: SalesforceSettings;
  let org: SeededOrg;
  let initech: string;
  let segmentId: number;
  const poll = { pollIntervalMs: 10, pollTimeoutMs: 5_000 };
  const connect = (guard: Parameters<typeof connectSalesforce>[1]) => connectSalesforce(settings, guard);
  const mapping: FieldMapping = {
    ...DEFAULT_FIELD_MAPPING,
    account: { ...DEFAULT_FIELD_MAPPING.account, crmFields: ['OwnerId', 'Owner.Name', 'Type', 'Tier__c'] },
  };
  const sync = (now: string) =>
    syncSalesforce({ db, connect, mapping, budgetPercent: 20, now: () => new Date(now), poll });
  const writeback = () => writebackSalesforce({ db, connect, budgetPercent: 20, poll });
  const score = (accountId: string): AccountScoreFixture => ({
    account_id: accountId,
    intent_score: 50,
    buying_stage: 'Consideration',
    profile_score: 70,
    profile_fit: 'Moderate',
    reach: 'Medium',
    qualified: false,
    qualified_since: null,
  });
  const members = async () =>
    (
      await db.query<{ account_ids: string[] }>(
        `SELECT m.account_ids FROM segment_run_members m
         WHERE m.segment_id = $1 AND m.run_id = (SELECT max(id) FROM score_runs WHERE status = 'complete')`,
        [segmentId],
      )
    )[0]?.account_ids;

  beforeAll(async () => {
    ({ standIn, settings } = await startStandIn({ customFields: { Account: ['Tier__c'] } }));
    org = seedOrg(standIn);
    standIn.update('Account', org.acme, { Tier__c: 'Gold' }, new Date('2026-01-05T09:00:00Z'));
    initech = standIn.insert(
      'Account',
      { Name: 'Initech', Website: 'initech.com', Type: 'Prospect', OwnerId: org.owner },
      new Date('2026-01-05T09:00:00Z'),
    );
  });
  afterAll(() => standIn.close());

  test('the sync lands the owner, the type and the mapped custom field of every account', async () => {
    await sync('2026-01-08T00:00:00Z');
    const rows = await db.query<{ account_id: string; field_values: Record<string, string> }>(
      'SELECT account_id, field_values FROM account_crm_fields',
    );
    expect(Object.fromEntries(rows.map((r) => [r.account_id, r.field_values]))).toEqual({
      [org.acme]: { OwnerId: org.owner, 'Owner.Name': 'Ada Byron', Type: 'Customer', Tier__c: 'Gold' },
      [org.globex]: { OwnerId: expect.stringMatching(/^005/), 'Owner.Name': 'Integration User' },
      [initech]: { OwnerId: org.owner, 'Owner.Name': 'Ada Byron', Type: 'Prospect' },
    });
    // The Bulk API results name the parent's field as the query did.
    const query = standIn
      .apiRequests()
      .filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/query'))
      .map((r) => JSON.parse(r.body).query as string)
      .find((q) => q.includes(' FROM Account '));
    expect(query).toContain('OwnerId, Owner.Name, Type, Tier__c FROM Account');
  });

  test("a published crm.Type segment's members follow the next sync, and the write-back moves its name", async () => {
    await insertScoreRun(db, '2026-01-07', [score(org.acme), score(org.globex), score(initech)], []);
    const [row] = await db.query<{ id: number }>(
      `INSERT INTO segments (name, kind, definition, published, published_at)
       VALUES ('Customers', 'crm', $1, true, now()) RETURNING id::int AS id`,
      [JSON.stringify({ all: [{ field: 'crm.Type', op: 'eq', value: 'customer' }] })],
    );
    segmentId = row!.id;
    expect(await recordSegmentMembership(db, segmentId)).toBe(1);
    expect(await members()).toEqual([org.acme]);
    await writeback();
    expect(standIn.get('Account', org.acme).Signalfit_Segments__c).toBe('Customers');

    // In Salesforce: Initech signs, Acme churns. No score run in between.
    standIn.update('Account', initech, { Type: 'Customer' }, new Date('2026-01-08T10:00:00Z'));
    standIn.update('Account', org.acme, { Type: 'Former Customer' }, new Date('2026-01-08T10:00:00Z'));
    const report = await sync('2026-01-09T00:00:00Z');
    expect(report.objects.Account).toMatchObject({ read: 2, updated: 0 });
    expect(report.segmentsRefreshed).toBe(true);
    expect(await members()).toEqual([initech]);

    const uploads = standIn.uploadedRows().length;
    const written = await writeback();
    expect(written.objects.Account).toEqual({ sent: 2, updated: 2, failed: 0 });
    const rows = standIn
      .uploadedRows()
      .slice(uploads)
      .flatMap((u) => u.rows);
    expect(Object.fromEntries(rows.map((r) => [r.Id, r.Signalfit_Segments__c]))).toEqual({
      [org.acme]: '#N/A',
      [initech]: 'Customers',
    });
  });

  test('a sync that lands nothing leaves the membership alone', async () => {
    const report = await sync('2026-01-09T06:00:00Z');
    expect(report.segmentsRefreshed).toBe(false);
    expect(await members()).toEqual([initech]);
  });
});
