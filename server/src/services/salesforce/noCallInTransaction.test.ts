import { connectSalesforce, type SalesforceSettings } from '../../integrations/salesforce/client';
import { DEFAULT_FIELD_MAPPING } from '../../integrations/salesforce/fieldMapping';
import type { Db } from '../../store/db';
import { countingTransactions, testStoreTargets, useTestStore } from '../../store/testing';
import { seedOrg, type SeededOrg } from '../../../test/salesforceStandIn/fixtures';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { syncSalesforce } from './syncSalesforce';
import { insertScoreRun } from './testing';
import { writebackSalesforce } from './writebackSalesforce';

/**
 * No Salesforce call is made while a database transaction is open (issue 20, item 7): the sync
 * lands each page, and the write-back records each job, in a transaction of its own after the
 * call has answered, so a slow org holds no lock the panel needs.
 */
jest.setTimeout(60_000);

describe.each(testStoreTargets())('Salesforce sync and write-back on $name', (target) => {
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

  it('answers every API call with no transaction open', async () => {
    const counting = countingTransactions(db);
    const openDuringCalls: number[] = [];
    standIn.onRequest = () => openDuringCalls.push(counting.open());
    const connect = (guard: Parameters<typeof connectSalesforce>[1]) => connectSalesforce(settings, guard);
    const poll = { pollIntervalMs: 10, pollTimeoutMs: 5_000 };
    const sync = await syncSalesforce({
      db: counting.db,
      connect,
      mapping: DEFAULT_FIELD_MAPPING,
      budgetPercent: 20,
      now: () => new Date('2026-01-08T00:00:00Z'),
      poll,
    });
    expect(sync.status).toBe('complete');
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
      [],
    );
    const writeback = await writebackSalesforce({ db: counting.db, connect, budgetPercent: 20, poll });
    expect(writeback.objects.Account).toMatchObject({ updated: 1 });
    expect(openDuringCalls.length).toBeGreaterThan(10);
    expect(openDuringCalls.filter((n) => n > 0)).toEqual([]);
  });
});
