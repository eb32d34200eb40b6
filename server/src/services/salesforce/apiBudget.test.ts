import { connectSalesforce, type SalesforceSettings } from '../../integrations/salesforce/client';
import { DEFAULT_FIELD_MAPPING } from '../../integrations/salesforce/fieldMapping';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { generateOrg } from '../../../test/salesforceStandIn/generatedOrg';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { syncSalesforce } from './syncSalesforce';

const SEEDED = new Date('2026-01-05T00:00:00Z');
const DAY_ONE = new Date('2026-01-08T00:00:00Z');
const DAY_TWO = new Date('2026-01-09T01:00:00Z');

/** The canonical tables as text, to compare two stores. */
async function contents(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of [
    'accounts',
    'contacts',
    'opportunities',
    'activities',
    'salesforce_records',
    'salesforce_sync_rejects',
  ]) {
    // contacts.opted_out_at is when the flag reached the store (migration 0023): two stores
    // synced at different moments agree on which contacts have one, not on the moment.
    const columns =
      table === 'salesforce_sync_rejects'
        ? 'sobject, id, reason'
        : table === 'contacts'
          ? "to_jsonb(t) - 'opted_out_at' AS row, opted_out_at IS NOT NULL AS landed"
          : '*';
    const rows = await db.query(`SELECT ${columns} FROM ${table} t ORDER BY id COLLATE "C"`);
    out[table] = JSON.stringify(rows);
  }
  return out;
}

// The real client against the stand-in, several pages and jobs: more than Jest's 5 s default on a busy machine.
jest.setTimeout(60_000);

describe.each(testStoreTargets())('the API budget on $name', (target) => {
  let budgeted: Db;
  let reference: Db;
  useTestStore(target, (opened) => (budgeted = opened));
  useTestStore(target, (opened) => (reference = opened));
  let standIn: SalesforceStandIn;
  let settings: SalesforceSettings;

  beforeAll(async () => {
    // 1,000 calls a day, 2 % for Signalfit: 20 calls, fewer than a full first sync takes.
    ({ standIn, settings } = await startStandIn({ dailyApiLimit: 1000, maxPageRecords: 150 }));
    generateOrg(standIn, { accounts: 120, peoplePerAccount: 5, at: SEEDED });
  });
  afterAll(() => standIn.close());

  const sync = (db: Db, now: Date, budgetPercent: number) =>
    syncSalesforce({
      db,
      connect: (guard) => connectSalesforce(settings, guard),
      mapping: DEFAULT_FIELD_MAPPING,
      budgetPercent,
      now: () => now,
      poll: { pollIntervalMs: 10, pollTimeoutMs: 5_000 },
    });

  test('stops before passing its share of the daily limit, keeps its checkpoint, and resumes there the next day', async () => {
    const before = standIn.apiRequests().length;
    const first = await sync(budgeted, DAY_ONE, 2);
    expect(first.status).toBe('paused');
    expect(first.reason).toMatch(/API budget: 20 of the 20 calls/);
    expect(standIn.apiRequests().length - before).toBe(20);
    expect(first.apiCalls).toBe(20);
    const [{ calls }] = (await budgeted.query(
      'SELECT sum(calls)::int AS calls FROM salesforce_api_usage',
    )) as [{ calls: number }];
    expect(calls).toBe(20);
    const [paused] = await budgeted.query<{
      sobject: string;
      job_id: string | null;
      next_locator: string | null;
    }>('SELECT sobject, job_id, next_locator FROM salesforce_sync_checkpoints WHERE job_id IS NOT NULL');
    expect(paused?.job_id).toEqual(expect.any(String));

    // The same day, nothing is left: the run stops before its first API call after the login.
    const again = await sync(budgeted, new Date(DAY_ONE.getTime() + 3_600_000), 2);
    expect(again).toMatchObject({ status: 'paused', apiCalls: 0 });

    // The next day the budget is free again; the paused pull goes on from its page, not anew.
    standIn.apiUsed = 0;
    const jobsBefore = standIn
      .apiRequests()
      .filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/query')).length;
    const second = await sync(budgeted, DAY_TWO, 100);
    expect(second.status).toBe('complete');
    const jobs = standIn
      .apiRequests()
      .filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/query'))
      .slice(jobsBefore);
    expect(jobs.map((r) => JSON.parse(r.body).query)).not.toContainEqual(
      expect.stringContaining(`FROM ${paused!.sobject} `),
    );

    standIn.apiUsed = 0;
    const full = await sync(reference, DAY_TWO, 100);
    expect(full.status).toBe('complete');
    expect(await contents(budgeted)).toEqual(await contents(reference));
  });
});
