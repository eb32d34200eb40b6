import fc from 'fast-check';
import { parseDefinition, type Definition } from '../../domain/segments/definition';
import { evaluateDefinition, evaluateSegment } from '../../domain/segments/evaluate';
import {
  TEST_AS_OF,
  TEST_CATALOG,
  TEST_MARKET,
  TEST_SEGMENTS,
  definitionArbitrary,
} from '../../domain/segments/testing';
import type { ScoringSummary } from '../../domain/scoring/scoreMarket';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { listAccounts } from '../accounts/listAccounts';
import { storeScores } from '../scoring/scoreStore';
import { definitionPredicate, loadSegmentCatalog, predicateContext } from './catalog';
import { SqlParams } from './compileSql';
import {
  accountSegments,
  previewSegment,
  recordAllMemberships,
  recordSegmentMembership,
  segmentMembers,
} from './membership';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Loads the fixed market of domain/segments/testing.ts, scored by run 1 as of 2024-06-01. */
async function loadTestMarket(db: Db): Promise<number> {
  for (const a of TEST_MARKET.accounts) {
    await db.run(
      `INSERT INTO accounts (id, name, domain, industry, employees, annual_revenue, country, naics, technologies, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10::timestamptz)`,
      [
        a.id,
        a.name,
        a.domain,
        a.industry,
        a.employees,
        a.annualRevenue,
        a.country,
        a.naics,
        a.technologies,
        iso(a.createdMs),
      ],
    );
  }
  for (const [i, x] of TEST_MARKET.activities.entries()) {
    await db.run(
      `INSERT INTO activities (id, occurred_at, account_id, type, source, keyword, url) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [`x${i}`, iso(x.occurredMs), x.accountId, x.type, x.source, x.keyword, x.url],
    );
  }
  for (const [i, o] of TEST_MARKET.opportunities.entries()) {
    await db.run(
      `INSERT INTO opportunities (id, account_id, type, amount, is_closed, is_won, relevant, created_at, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        `o${i}`,
        o.accountId,
        o.type,
        o.amount,
        o.closedMs !== null,
        o.isWon,
        o.relevant,
        iso(o.createdMs),
        iso(o.closedMs),
      ],
    );
  }
  const [run] = await db.query<{ id: string }>(
    `INSERT INTO score_runs (as_of, status, model_version) VALUES ($1, 'complete', 'test') RETURNING id`,
    [TEST_AS_OF],
  );
  const runId = Number(run?.id);
  for (const [accountId, s] of TEST_MARKET.scores) {
    await db.run(
      `INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, profile_score, profile_fit, reach, qualified, qualified_since)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        runId,
        accountId,
        s.intentScore,
        s.buyingStage,
        s.profileScore,
        s.profileFit,
        s.reach,
        s.qualified,
        s.qualifiedSince,
      ],
    );
  }
  for (const [i, p] of TEST_MARKET.people.entries()) {
    await db.run(`INSERT INTO contacts (id, account_id) VALUES ($1, $2)`, [`p${i}`, p.accountId]);
    await db.run(
      `INSERT INTO contact_scores (run_id, contact_id, account_id, engagement_score, engagement_grade, profile_fit, persona)
       VALUES ($1, $2, $3, 50, $4, $5, $6)`,
      [runId, `p${i}`, p.accountId, p.engagementGrade, p.profileFit, p.persona],
    );
  }
  for (const [accountId, values] of TEST_MARKET.crmFields) {
    await db.run('INSERT INTO account_crm_fields (account_id, field_values) VALUES ($1, $2::jsonb)', [
      accountId,
      JSON.stringify(values),
    ]);
  }
  for (const s of TEST_SEGMENTS) {
    const [row] = await db.query<{ id: string }>(
      'INSERT INTO segments (name, kind, definition) VALUES ($1, $2, $3::jsonb) RETURNING id',
      [s.name, s.kind, s.definition === null ? null : JSON.stringify(s.definition)],
    );
    for (const accountId of s.listMembers) {
      await db.run('INSERT INTO segment_list_members (segment_id, account_id) VALUES ($1, $2)', [
        row?.id,
        accountId,
      ]);
    }
  }
  return runId;
}

async function sqlMembers(
  db: Db,
  definition: Definition,
  run: { id: number; asOf: string },
): Promise<string[]> {
  const params = new SqlParams();
  const runParam = `${params.add(run.id)}::bigint`;
  const predicate = definitionPredicate(definition, await predicateContext(db, params, runParam, run));
  const rows = await db.query<{ id: string }>(
    `SELECT a.id FROM accounts a LEFT JOIN account_scores s ON s.run_id = ${runParam} AND s.account_id = a.id
      WHERE ${predicate} ORDER BY a.id COLLATE "C"`,
    params.values,
  );
  return rows.map((r) => r.id);
}

const segmentId = async (db: Db, name: string) =>
  Number((await db.query<{ id: string }>('SELECT id FROM segments WHERE name = $1', [name]))[0]?.id);

describe.each(testStoreTargets())('segment membership on $name', (target) => {
  let db: Db;
  let runId: number;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    runId = await loadTestMarket(db);
  }, 60_000);

  it('SQL membership equals the TypeScript evaluation for random definitions', async () => {
    const run = { id: runId, asOf: TEST_AS_OF };
    await fc.assert(
      fc.asyncProperty(definitionArbitrary(), async (generated) => {
        const parsed = parseDefinition(generated);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const expected = evaluateDefinition(parsed.definition, TEST_MARKET, TEST_AS_OF, TEST_CATALOG);
        expect(await sqlMembers(db, parsed.definition, run)).toEqual(expected);
      }),
      { numRuns: target.name === 'pglite' ? 250 : 400, seed: 14 },
    );
  }, 180_000);

  it('records each saved segment against the run: sorted members, version and definition', async () => {
    for (const segment of TEST_SEGMENTS) {
      const id = await segmentId(db, segment.name);
      const expected = evaluateSegment(segment, TEST_MARKET, TEST_AS_OF, TEST_CATALOG);
      expect(await recordSegmentMembership(db, id)).toBe(expected.length);
      const [row] = await db.query<{
        version: number;
        members: number;
        account_ids: string[];
        definition: unknown;
      }>(
        'SELECT version, members, account_ids, definition FROM segment_run_members WHERE run_id = $1 AND segment_id = $2',
        [runId, id],
      );
      expect(row).toEqual({
        version: 1,
        members: expected.length,
        account_ids: expected,
        definition: segment.definition,
      });
      expect(await segmentMembers(db, id)).toEqual({
        runId,
        asOf: TEST_AS_OF,
        accountIds: expected,
        evaluatedLive: false,
      });
    }
  });

  it('lists a segment through listAccounts: recorded (both lookup shapes) and live when the row is stale', async () => {
    const id = await segmentId(db, 'Refers on');
    const base = {
      db,
      runId,
      sort: 'intent' as const,
      dir: 'desc' as const,
      limit: 50,
      counter: { count: async () => -1 },
    };
    const page = await listAccounts({ ...base, filters: { segmentId: id } });
    // scored members by intent, then the unscored a4
    expect(page.accounts.map((a) => a.id)).toEqual(['a1', 'a2', 'a4']);
    expect(page.count).toBe(3);
    const hashed = await listAccounts({
      ...base,
      filters: {},
      scope: { kind: 'recorded', runId, segmentId: id, members: 1_000_000 },
    });
    expect(hashed.accounts.map((a) => a.id)).toEqual(['a1', 'a2', 'a4']);
    const byName = await listAccounts({
      ...base,
      sort: 'name',
      dir: 'asc',
      filters: { segmentId: id, fit: ['Strong'] },
    });
    expect(byName.accounts.map((a) => a.id)).toEqual(['a1']);
    expect(byName.count).toBe(1);

    // An edit not yet recorded: reads evaluate the new definition live.
    await db.run(`UPDATE segments SET version = 2, definition = $2::jsonb WHERE id = $1`, [
      id,
      JSON.stringify({ field: 'country', op: 'eq', value: 'us' }),
    ]);
    const live = await listAccounts({ ...base, filters: { segmentId: id } });
    expect(live.accounts.map((a) => a.id)).toEqual(['a1', 'a6', 'a4']);
    expect(live.count).toBe(3);
    expect(await segmentMembers(db, id)).toMatchObject({
      accountIds: ['a1', 'a4', 'a6'],
      evaluatedLive: true,
    });
    expect((await accountSegments(db, 'a6')).map((s) => s.name)).toEqual(['Refers on']);
    await recordSegmentMembership(db, id);
    expect(await segmentMembers(db, id)).toMatchObject({
      accountIds: ['a1', 'a4', 'a6'],
      evaluatedLive: false,
    });
  });

  it("an account's segments, by name", async () => {
    expect(await accountSegments(db, 'a1')).toEqual([
      { id: await segmentId(db, 'Big Software'), name: 'Big Software', published: false },
      { id: await segmentId(db, 'Refers on'), name: 'Refers on', published: false },
      { id: await segmentId(db, 'Uploaded narrowed'), name: 'Uploaded narrowed', published: false },
    ]);
    expect(await accountSegments(db, 'a3')).toEqual([]);
  });

  it('leaves a segment broken by hand out of a run and of the account view, and names it where it is asked for', async () => {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO segments (name, kind, definition) VALUES ('Hand edited', 'filter', '{"all": []}') RETURNING id`,
    );
    try {
      await db.transaction((tx) => recordAllMemberships(tx, runId));
      const [recorded] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM segment_run_members WHERE segment_id = $1',
        [row?.id],
      );
      expect(recorded?.n).toBe(0);
      expect((await accountSegments(db, 'a1')).map((s) => s.name)).toEqual([
        'Big Software',
        'Refers on',
        'Uploaded narrowed',
      ]);
      await expect(loadSegmentCatalog(db)).rejects.toMatchObject({
        code: 'invalid_segment',
        message: expect.stringContaining('segment "Hand edited" has a stored definition that is not valid'),
      });
    } finally {
      await db.run('DELETE FROM segments WHERE id = $1', [row?.id]);
    }
  });

  it('previews a definition: live count, first members by intent, nothing stored', async () => {
    const before = await db.query('SELECT count(*)::int AS n FROM segment_run_members');
    const preview = await previewSegment(db, {
      definition: {
        any: [
          { field: 'profile_fit', op: 'gte', value: 'Moderate' },
          { field: 'segment', op: 'in', value: 'uploaded' },
        ],
      },
    });
    expect(preview).toMatchObject({ runId, asOf: TEST_AS_OF, count: 3 });
    expect(preview.members.map((m) => [m.id, m.intentScore])).toEqual([
      ['a5', 95],
      ['a1', 80],
      ['a2', 40],
    ]);
    expect(await db.query('SELECT count(*)::int AS n FROM segment_run_members')).toEqual(before);
    // Scored accounts by intent (a null intent lowest), then the unscored, as the accounts list orders them.
    const us = await previewSegment(db, { definition: { field: 'country', op: 'eq', value: 'US' } });
    expect([us.count, us.members.map((m) => m.id)]).toEqual([3, ['a1', 'a6', 'a4']]);
    const list = await previewSegment(db, {
      kind: 'list',
      definition: { field: 'employees', op: 'gte', value: 100 },
      segmentId: await segmentId(db, 'Uploaded'),
    });
    expect(list.members.map((m) => m.id)).toEqual(['a5']);
  });

  it('refuses a bad definition, an unknown segment and a cycle with invalid_segment and the path', async () => {
    await expect(
      previewSegment(db, {
        definition: {
          all: [{ field: 'name', op: 'eq', value: 'x' }, { any: [{ field: 'nope', op: 'eq', value: 1 }] }],
        },
      }),
    ).rejects.toMatchObject({ code: 'invalid_segment', details: { path: 'all[1].any[0]' } });
    await expect(
      previewSegment(db, { definition: { not: { all: [{ field: 'segment', op: 'in', value: 'Gone' }] } } }),
    ).rejects.toMatchObject({
      code: 'invalid_segment',
      details: { path: 'not.all[0]' },
      message: expect.stringMatching(/"Gone", which does not exist/),
    });
    await expect(
      previewSegment(db, {
        definition: { any: [{ field: 'segment', op: 'in', value: 'refers ON' }] },
        segmentId: await segmentId(db, 'Refers on'),
      }),
    ).rejects.toMatchObject({ code: 'invalid_segment', message: expect.stringMatching(/refers to itself/) });
  });

  it('records every segment inside a score run, and reads membership as of a past run', async () => {
    const catalog = await loadSegmentCatalog(db);
    const summary = { modelVersion: 'test-2' } as unknown as ScoringSummary;
    // Run 2: a2 becomes Strong and is the only account scored (the others are then unscored).
    const scores = {
      accounts: [
        {
          accountId: 'a2',
          intentScore: 99,
          buyingStage: 'Purchase' as const,
          intentProbability: null,
          profileScore: 95,
          profileFit: 'Strong' as const,
          reach: 'High' as const,
          reasons: { intent: [], profile: [], reach: [] },
        },
      ],
      people: [],
      summary,
    };
    const seen: number[] = [];
    const result = await storeScores(db, '2024-06-10', scores, {
      beforeCommit: async (tx) => {
        const [row] = await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM segment_run_members m JOIN score_runs r ON r.id = m.run_id WHERE r.status = $1',
          ['running'],
        );
        seen.push(row?.n ?? -1);
      },
    });
    expect(seen).toEqual([catalog.segments.length]);
    const strong = await previewSegment(db, {
      definition: { field: 'profile_fit', op: 'eq', value: 'Strong' },
    });
    expect(strong).toMatchObject({ runId: result.runId, count: 1 });
    const bigId = await segmentId(db, 'Big Software');
    // History: run 1 as of any day before run 2; run 2 from its day on.
    expect(await segmentMembers(db, bigId, { asOf: '2024-06-09' })).toMatchObject({
      runId,
      accountIds: ['a1', 'a4'],
      evaluatedLive: false,
    });
    expect(await segmentMembers(db, bigId, { asOf: '2024-06-10' })).toMatchObject({
      runId: result.runId,
      evaluatedLive: false,
    });
    expect(await segmentMembers(db, bigId, { asOf: '2024-05-01' })).toEqual({
      runId: null,
      asOf: null,
      accountIds: [],
      evaluatedLive: false,
    });

    // A segment made after run 1: run 1 has no row for it, so its definition is evaluated on run 1.
    const [made] = await db.query<{ id: string }>(
      `INSERT INTO segments (name, kind, definition) VALUES ('Strong fit', 'filter', $1::jsonb) RETURNING id`,
      [JSON.stringify({ field: 'profile_fit', op: 'eq', value: 'Strong' })],
    );
    const made_ = Number(made?.id);
    expect(await segmentMembers(db, made_, { asOf: '2024-06-01' })).toEqual({
      runId,
      asOf: TEST_AS_OF,
      accountIds: ['a1', 'a5'],
      evaluatedLive: true,
    });
    await db.transaction((tx) => recordAllMemberships(tx, result.runId));
    expect(await segmentMembers(db, made_)).toEqual({
      runId: result.runId,
      asOf: '2024-06-10',
      accountIds: ['a2'],
      evaluatedLive: false,
    });
  });

  it('records many random segments in one statement (activity and people tallied once) as the TypeScript evaluates them', async () => {
    const baseNames = TEST_SEGMENTS.map((x) => x.name);
    const definitions: unknown[] = [
      // edges the tallies must keep: exactly K activities, the window's first instant, the same person
      { field: 'activity', type: ['web_visit'], within_days: 30, op: 'gte', value: 3 },
      { field: 'activity', source: ['BOMBORA'], within_days: 1, op: 'gte', value: 1 },
      { field: 'keyword_researched', value: ['devsecops'], within_days: 30 },
      { not: { field: 'keyword_researched', value: ['devsecops'], within_days: 29 } },
      { field: 'person', persona: ['Economic Buyer'], engagement_grade: ['A', 'B'] },
      { not: { field: 'person', profile_fit: ['Moderate', 'Weak'] } },
      ...fc.sample(definitionArbitrary(baseNames), { numRuns: 60, seed: 7 }),
    ];
    for (const [i, definition] of definitions.entries()) {
      await db.run(`INSERT INTO segments (name, kind, definition) VALUES ($1, 'filter', $2::jsonb)`, [
        `random ${i}`,
        JSON.stringify(definition),
      ]);
    }
    const stored = await loadSegmentCatalog(db);
    const lists = await db.query<{ segment_id: string; account_id: string }>(
      'SELECT segment_id, account_id FROM segment_list_members',
    );
    const saved = stored.segments.map((x) => ({
      name: x.name,
      kind: x.kind,
      definition: x.definition,
      listMembers: lists.filter((l) => Number(l.segment_id) === x.id).map((l) => l.account_id),
    }));
    const catalog = new Map(saved.map((x) => [x.name.toLowerCase(), x]));
    await db.transaction((tx) => recordAllMemberships(tx, runId));
    const rows = await db.query<{ segment_id: string; account_ids: string[] }>(
      'SELECT segment_id, account_ids FROM segment_run_members WHERE run_id = $1',
      [runId],
    );
    expect(rows.length).toBe(stored.segments.length);
    for (const [i, segment] of stored.segments.entries()) {
      const recorded = rows.find((r) => Number(r.segment_id) === segment.id)?.account_ids;
      expect([segment.name, recorded]).toEqual([
        segment.name,
        evaluateSegment(saved[i]!, TEST_MARKET, TEST_AS_OF, catalog),
      ]);
    }
    await db.run(`DELETE FROM segments WHERE name LIKE 'random %'`);
  }, 60_000);
});
