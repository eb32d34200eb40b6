import { readFileSync } from 'node:fs';
import path from 'node:path';
import { connectSalesforce, type SalesforceSettings } from '../../integrations/salesforce/client';
import { DEFAULT_FIELD_MAPPING } from '../../integrations/salesforce/fieldMapping';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedOrg, type SeededOrg } from '../../../test/salesforceStandIn/fixtures';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { recordSegmentMembership, refreshCurrentMemberships } from '../segments/membership';
import { syncSalesforce } from './syncSalesforce';
import { insertScoreRun, type AccountScoreFixture } from './testing';
import { writebackSalesforce } from './writebackSalesforce';
import { FIELDS, SEGMENTS_FIELD, SEGMENTS_FIELD_LENGTH } from './writebackTargets';

// The real client against the stand-in, several jobs: more than Jest's 5 s default on a busy machine.
jest.setTimeout(60_000);

test('the write-back cuts the segments at the length the field has in force-app', () => {
  const meta = readFileSync(
    path.resolve(
      __dirname,
      '../../../../force-app/main/default/objects/Account/fields/Signalfit_Segments__c.field-meta.xml',
    ),
    'utf8',
  );
  expect(/<length>(\d+)<\/length>/.exec(meta)?.[1]).toBe(String(SEGMENTS_FIELD_LENGTH));
});

describe.each(testStoreTargets())('Signalfit_Segments__c by the write-back on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let standIn: SalesforceStandIn;
  let settings: SalesforceSettings;
  let org: SeededOrg;
  let initech: string;
  const poll = { pollIntervalMs: 10, pollTimeoutMs: 5_000 };
  const connect = (guard: Parameters<typeof connectSalesforce>[1]) => connectSalesforce(settings, guard);
  const writeback = () => writebackSalesforce({ db, connect, budgetPercent: 20, poll });

  const score = (accountId: string, intent: number): AccountScoreFixture => ({
    account_id: accountId,
    intent_score: intent,
    buying_stage: 'Awareness',
    profile_score: 60,
    profile_fit: 'Moderate',
    reach: 'Low',
    qualified: false,
    qualified_since: null,
  });
  const accounts = () => [score(org.acme, 70), score(org.globex, 20), score(initech, 40)];

  /** A list segment with its membership recorded for the current run, as the segment service does. */
  async function segment(name: string, published: boolean, members: string[]): Promise<number> {
    const [row] = await db.query<{ id: number }>(
      `INSERT INTO segments (name, kind, published, published_at) VALUES ($1, 'list', $2, CASE WHEN $2 THEN now() END)
       RETURNING id::int AS id`,
      [name, published],
    );
    await db.query(
      'INSERT INTO segment_list_members (segment_id, account_id) SELECT $1, unnest($2::text[])',
      [row!.id, members],
    );
    await recordSegmentMembership(db, row!.id);
    return row!.id;
  }
  const setPublished = (name: string, published: boolean) =>
    db.query('UPDATE segments SET published = $2 WHERE name = $1', [name, published]);

  /** The Account rows uploaded since request `from`, one array per ingest job. */
  function accountJobsSince(from: number): Record<string, string>[][] {
    return standIn
      .uploadedRows()
      .slice(from)
      .filter((u) => u.object === 'Account')
      .map((u) => u.rows);
  }
  const ingestCreatesSince = (from: number) =>
    standIn
      .apiRequests()
      .slice(from)
      .filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/ingest'));

  beforeAll(async () => {
    ({ standIn, settings } = await startStandIn());
    org = seedOrg(standIn);
    initech = standIn.insert(
      'Account',
      { Name: 'Initech', Website: 'initech.com', Type: 'Prospect', OwnerId: org.owner },
      new Date('2026-01-05T09:00:00Z'),
    );
    await syncSalesforce({
      db,
      connect,
      mapping: DEFAULT_FIELD_MAPPING,
      budgetPercent: 20,
      now: () => new Date('2026-01-08T00:00:00Z'),
      poll,
      objects: ['Account'],
    });
    await insertScoreRun(db, '2026-01-07', accounts(), []);
  });
  afterAll(() => standIn.close());

  test('with no published segment every account is written with the field cleared, and its values keep no segments key', async () => {
    await segment('Draft', false, [org.acme, org.globex, initech]);
    const report = await writeback();
    expect(report.objects.Account).toEqual({ sent: 3, updated: 3, failed: 0 });
    const [rows] = accountJobsSince(0);
    expect(rows!.map((r) => r[SEGMENTS_FIELD])).toEqual(['#N/A', '#N/A', '#N/A']);
    // Exactly the keys the write-back stored before the field was added: the values written by
    // an earlier version compare equal, so the upgrade resends nothing for these accounts.
    const written = await db.query<{ field_values: Record<string, unknown> }>(
      "SELECT field_values FROM salesforce_written_values WHERE sobject = 'Account'",
    );
    const before = FIELDS.Account.filter((f) => f !== SEGMENTS_FIELD).sort();
    expect(written.map((w) => Object.keys(w.field_values).sort())).toEqual([before, before, before]);
  });

  test('after the upgrade, values written by the earlier version send nothing for accounts outside published segments', async () => {
    // What the write-back stored before segments: the seven score fields (qualified since null).
    await db.query(
      `UPDATE salesforce_written_values w SET field_values = jsonb_build_object(
         'Signalfit_Profile_Fit__c', s.profile_fit, 'Signalfit_Profile_Score__c', s.profile_score,
         'Signalfit_Intent_Score__c', s.intent_score, 'Signalfit_Buying_Stage__c', s.buying_stage,
         'Signalfit_Reach__c', s.reach, 'Signalfit_Qualified__c', s.qualified,
         'Signalfit_Qualified_Since__c', s.qualified_since)
       FROM account_scores s WHERE s.run_id = (SELECT max(id) FROM score_runs)
         AND w.sobject = 'Account' AND w.id = s.account_id`,
    );
    const from = standIn.apiRequests().length;
    const report = await writeback();
    expect(report.objects.Account).toEqual({ sent: 0, updated: 0, failed: 0 });
    expect(ingestCreatesSince(from)).toEqual([]);
  });

  test('publishing sends one Bulk job with exactly the member accounts, carrying the sorted names', async () => {
    await segment('zeta list', true, [org.acme, initech]);
    await segment('Alpha', true, [org.acme]);
    const uploads = standIn.uploadedRows().length;
    const from = standIn.apiRequests().length;
    const report = await writeback();
    expect(report.objects.Account).toEqual({ sent: 2, updated: 2, failed: 0 });
    expect(ingestCreatesSince(from)).toHaveLength(1);
    const jobs = accountJobsSince(uploads);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.map((r) => [r.Id, r[SEGMENTS_FIELD]])).toEqual(
      [
        [org.acme, 'Alpha; zeta list'],
        [initech, 'zeta list'],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    expect(standIn.get('Account', org.acme)[SEGMENTS_FIELD]).toBe('Alpha; zeta list');
    expect(standIn.get('Account', initech)[SEGMENTS_FIELD]).toBe('zeta list');
    expect(standIn.get('Account', org.globex)[SEGMENTS_FIELD]).toBeNull();
  });

  test('a second write-back with no change writes nothing, nor does a new run with the same members', async () => {
    const from = standIn.apiRequests().length;
    expect((await writeback()).objects.Account!.sent).toBe(0);

    // A new run records the same members (the score run does it in its transaction).
    const runId = await insertScoreRun(db, '2026-01-08', accounts(), []);
    await refreshCurrentMemberships(db);
    expect(
      await db.query('SELECT count(*)::int AS n FROM segment_run_members WHERE run_id = $1', [runId]),
    ).toEqual([{ n: 3 }]);
    expect((await writeback()).objects.Account!.sent).toBe(0);
    expect(ingestCreatesSince(from)).toEqual([]);
  });

  test('unpublishing clears the field (#N/A) of the accounts left with none, and rewrites only the others it was on', async () => {
    await setPublished('zeta list', false);
    const uploads = standIn.uploadedRows().length;
    const report = await writeback();
    expect(report.objects.Account).toEqual({ sent: 2, updated: 2, failed: 0 });
    const jobs = accountJobsSince(uploads);
    expect(jobs).toHaveLength(1);
    expect(Object.fromEntries(jobs[0]!.map((r) => [r.Id, r[SEGMENTS_FIELD]]))).toEqual({
      [org.acme]: 'Alpha',
      [initech]: '#N/A',
    });
    expect(standIn.get('Account', initech)[SEGMENTS_FIELD]).toBeNull();
    expect(standIn.get('Account', org.acme)[SEGMENTS_FIELD]).toBe('Alpha');
  });

  test('more names than the field holds are cut at its length with a final …', async () => {
    const names = Array.from(
      { length: 200 },
      (_, i) => `Long segment ${String(i).padStart(3, '0')} ${'·'.repeat(150)}`,
    );
    for (const name of names) {
      const [row] = await db.query<{ id: number }>(
        "INSERT INTO segments (name, kind, published) VALUES ($1, 'list', true) RETURNING id::int AS id",
        [name],
      );
      await db.query('INSERT INTO segment_list_members VALUES ($1, $2)', [row!.id, org.globex]);
    }
    await refreshCurrentMemberships(db);
    const uploads = standIn.uploadedRows().length;
    await writeback();
    const [rows] = accountJobsSince(uploads);
    expect(rows!.map((r) => r.Id)).toEqual([org.globex]);
    const text = rows![0]![SEGMENTS_FIELD]!;
    expect(text).toHaveLength(SEGMENTS_FIELD_LENGTH);
    expect(text.endsWith('…')).toBe(true);
    expect(text.startsWith(`Long segment 000 ${'·'.repeat(150)}; Long segment 001 `)).toBe(true);
    expect(standIn.get('Account', org.globex)[SEGMENTS_FIELD]).toBe(text);

    await db.query("DELETE FROM segments WHERE name LIKE 'Long segment %'");
    const again = standIn.uploadedRows().length;
    await writeback();
    expect(accountJobsSince(again)[0]!.map((r) => [r.Id, r[SEGMENTS_FIELD]])).toEqual([[org.globex, '#N/A']]);
  });
});
