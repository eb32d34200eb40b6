import request from 'supertest';
import type { Express } from 'express';
import { SORT_COLUMNS, type SortColumn } from '../../../services/accounts/listAccounts';
import { seedListFixture, type ListFixtureAccount } from '../../../services/accounts/testing';
import { recordSegmentMembership } from '../../../services/segments/membership';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { accessTokenFor, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-11-20T12:00:00Z');
const STAGE_RANK: Record<string, number> = {
  Target: 1,
  Awareness: 2,
  Consideration: 3,
  Decision: 4,
  Purchase: 5,
};
const REACH_RANK: Record<string, number> = { Low: 1, Medium: 2, High: 3 };

/** The sort keys of listAccounts.ts, in plain TypeScript: the expected orders of the tests. */
function keyOf(a: ListFixtureAccount, sort: SortColumn): string | number {
  const s = a.scores;
  switch (sort) {
    case 'name':
      return (a.name ?? '').toLowerCase();
    case 'domain':
      return a.domain ?? '';
    case 'industry':
      return a.industry ?? '';
    case 'employees':
      return a.employees ?? -1;
    case 'fit':
      return s?.profileScore ?? -1;
    case 'intent':
      return s?.intentScore ?? -1;
    case 'stage':
      return s?.buyingStage ? STAGE_RANK[s.buyingStage]! : 0;
    case 'reach':
      return s ? REACH_RANK[s.reach]! : 0;
    case 'qualified':
      return s?.qualified ? (s.qualifiedSince ?? '0001-01-02') : '0001-01-01';
  }
}

const SCORE_SORTS = new Set<SortColumn>(['fit', 'intent', 'stage', 'reach', 'qualified']);

function expectedOrder(accounts: ListFixtureAccount[], sort: SortColumn, dir: 'asc' | 'desc'): string[] {
  const sign = dir === 'asc' ? 1 : -1;
  const compare = (x: ListFixtureAccount, y: ListFixtureAccount) => {
    const kx = keyOf(x, sort);
    const ky = keyOf(y, sort);
    if (kx !== ky) return (kx < ky ? -1 : 1) * sign;
    return (x.id < y.id ? -1 : 1) * sign;
  };
  if (!SCORE_SORTS.has(sort)) return [...accounts].sort(compare).map((a) => a.id);
  // Sorts on scores: the scored accounts in order, then those the run has not scored, by id.
  const scored = accounts.filter((a) => a.scores).sort(compare);
  const unscored = accounts.filter((a) => !a.scores).sort((x, y) => (x.id < y.id ? -1 : 1));
  return [...scored, ...unscored].map((a) => a.id);
}

describe.each(testStoreTargets())('GET /api/accounts on $name', (target) => {
  let db: Db;
  let accounts: ListFixtureAccount[];
  let token: string;
  let app: Express;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    accounts = await seedListFixture(db);
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
      demoSignIn: { allowed: true },
    });
    token = (await request(app).post('/api/session/demo')).body.accessToken;
  });

  const get = (query: Record<string, string | number | string[]>, path = '/api/accounts') =>
    request(app).get(path).query(query).set('Authorization', `Bearer ${token}`);

  /** Every page of a view, following nextCursor. */
  async function allPages(query: Record<string, string | number>): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const res = await get(cursor ? { ...query, cursor } : query);
      expect(res.status).toBe(200);
      ids.push(...res.body.accounts.map((a: { id: string }) => a.id));
      cursor = res.body.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error('too many pages');
  }

  it('lists by intent, highest first, with the current run scores, the count and the next page', async () => {
    const res = await get({ limit: 5 });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body.count).toBe(23);
    expect(res.body.countCapped).toBe(false);
    expect(res.body.run).toEqual({ asOf: '2026-11-19', modelVersion: 'list-test-1' });
    expect(res.body.accounts.map((a: { id: string }) => a.id)).toEqual(
      expectedOrder(accounts, 'intent', 'desc').slice(0, 5),
    );
    const top = accounts.find((a) => a.id === res.body.accounts[0].id)!;
    expect(res.body.accounts[0]).toEqual({
      id: top.id,
      name: top.name,
      domain: top.domain,
      industry: top.industry,
      employees: top.employees,
      ...top.scores,
    });
    expect(typeof res.body.nextCursor).toBe('string');
  });

  it.each(SORT_COLUMNS.flatMap((sort) => (['asc', 'desc'] as const).map((dir) => [sort, dir] as const)))(
    'sorts by %s %s across pages (ties by id, nulls as the lowest values)',
    async (sort, dir) => {
      expect(await allPages({ sort, dir, limit: 4 })).toEqual(expectedOrder(accounts, sort, dir));
    },
  );

  it('lists an account the current run has not scored with empty scores, after the scored ones', async () => {
    const ids = await allPages({ sort: 'intent', limit: 50 });
    expect(ids.at(-1)).toBe('acct-999');
    const res = await get({ q: 'zeta' });
    expect(res.body.accounts[0]).toMatchObject({ id: 'acct-999', intentScore: null, qualified: null });
  });

  const matching = (test: (a: ListFixtureAccount) => boolean) =>
    expectedOrder(accounts, 'intent', 'desc').filter((id) => test(accounts.find((a) => a.id === id)!));

  it.each([
    ['fit', { fit: 'Strong' }, (a: ListFixtureAccount) => a.scores?.profileFit === 'Strong'],
    [
      'fit (two values)',
      { fit: 'Strong,Weak' },
      (a: ListFixtureAccount) => ['Strong', 'Weak'].includes(a.scores?.profileFit ?? ''),
    ],
    [
      'stage',
      { stage: ['Decision', 'Purchase'] },
      (a: ListFixtureAccount) => ['Decision', 'Purchase'].includes(a.scores?.buyingStage ?? ''),
    ],
    ['qualified', { qualified: 'true' }, (a: ListFixtureAccount) => a.scores?.qualified === true],
    ['not qualified', { qualified: 'false' }, (a: ListFixtureAccount) => a.scores?.qualified === false],
    ['industry', { industry: 'Healthcare' }, (a: ListFixtureAccount) => a.industry === 'Healthcare'],
    [
      'industry and fit',
      { industry: 'Software', fit: 'Strong' },
      (a: ListFixtureAccount) => a.industry === 'Software' && a.scores?.profileFit === 'Strong',
    ],
    [
      'a name prefix, any case',
      { q: 'ACME' },
      (a: ListFixtureAccount) => (a.name ?? '').toLowerCase().startsWith('acme'),
    ],
    ['a domain prefix', { q: 'hooli.ex' }, (a: ListFixtureAccount) => a.domain === 'hooli.example'],
    ['search text with LIKE characters', { q: '100% pure_' }, (a: ListFixtureAccount) => a.id === 'acct-022'],
    ['no match', { q: '100%%' }, () => false],
  ])('filters by %s, and counts the matches', async (_label, query, test) => {
    const expected = matching(test);
    const res = await get({ ...query, limit: 50 });
    expect(res.status).toBe(200);
    expect(res.body.accounts.map((a: { id: string }) => a.id)).toEqual(expected);
    expect(res.body.count).toBe(expected.length);
    expect(res.body.nextCursor).toBeNull();
  });

  it('pages a filtered view with the same filters', async () => {
    const expected = matching((a) => a.industry === 'Software');
    expect(await allPages({ industry: 'Software', sort: 'intent', limit: 2 })).toEqual(expected);
  });

  it.each([
    ['an unknown sort', { sort: 'revenue' }, 'sort'],
    ['an unknown direction', { dir: 'up' }, 'dir'],
    ['a limit of 0', { limit: 0 }, 'limit'],
    ['a limit over 200', { limit: 201 }, 'limit'],
    ['an unknown fit', { fit: 'Great' }, 'fit'],
    ['an unknown stage', { stage: 'Decision,Closing' }, 'stage'],
    ['qualified=yes', { qualified: 'yes' }, 'qualified'],
    ['a search of 101 characters', { q: 'x'.repeat(101) }, 'q'],
    ['a segment that is not an id', { segment: 'abc' }, 'segment'],
    ['an unknown parameter', { page: 2 }, 'page'],
    ['a cursor that is not one', { cursor: 'bm90IGEgY3Vyc29y' }, 'cursor'],
  ])('answers 400 validation_failed for %s', async (_label, query, field) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toContain(field);
  });

  it('limits the list to a segment (segment=<id>): every page, the count, 404 for no such segment', async () => {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO segments (name, kind, definition) VALUES ('Software list test', 'filter', $1::jsonb) RETURNING id`,
      [JSON.stringify({ field: 'industry', op: 'eq', value: 'software' })],
    );
    const id = Number(row?.id);
    await recordSegmentMembership(db, id);
    const expected = matching((a) => a.industry?.toLowerCase() === 'software');
    expect(expected.length).toBeGreaterThan(2);
    expect(await allPages({ segment: id, sort: 'intent', limit: 2 })).toEqual(expected);
    const first = await get({ segment: id, limit: 2 });
    expect(first.body.count).toBe(expected.length);
    const missing = await get({ segment: id + 1000 });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    await db.run('DELETE FROM segments WHERE id = $1', [id]);
  });

  it('refuses a cursor of another sort', async () => {
    const first = await get({ sort: 'name', limit: 2 });
    const res = await get({ sort: 'intent', limit: 2, cursor: first.body.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'validation_failed',
      message: expect.stringContaining('another sort'),
      details: expect.any(Array),
    });
  });

  it('exports the current view as CSV, every row in the view order', async () => {
    const res = await get({ qualified: 'true', sort: 'name', dir: 'asc' }, '/api/accounts/export.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename=signalfit-accounts-2026-11-20.csv');
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe(
      'id,name,domain,industry,employees,profile_fit,profile_score,intent_score,buying_stage,reach,qualified,qualified_since',
    );
    const expected = expectedOrder(accounts, 'name', 'asc').filter(
      (id) => accounts.find((a) => a.id === id)!.scores?.qualified,
    );
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(expected);
    const first = accounts.find((a) => a.id === expected[0])!;
    expect(lines[1]!.split(',').slice(-2)).toEqual(['true', first.scores!.qualifiedSince]);
  });

  it('exports all accounts (more than one batch would hold is paged inside)', async () => {
    const res = await get({}, '/api/accounts/export.csv');
    expect(res.text.trim().split('\n')).toHaveLength(24);
  });

  it('answers 400 for an export with a page parameter', async () => {
    const res = await get({ limit: 5 }, '/api/accounts/export.csv');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('offers the industries of the store for the filter', async () => {
    const res = await get({}, '/api/accounts/industries');
    expect(res.body).toEqual({ industries: ['Healthcare', 'Manufacturing', 'Software'] });
  });

  it('answers 401 without a token and 403 to a panel user without the admin permission', async () => {
    const missing = await request(app).get('/api/accounts');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');
    const rep = await accessTokenFor(app, { rid: null, obj: null }, NOW);
    const refused = await request(app).get('/api/accounts').set('Authorization', `Bearer ${rep}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const admin = await accessTokenFor(app, { perms: ['Signalfit_Access', 'Signalfit_Admin'] }, NOW);
    expect((await request(app).get('/api/accounts').set('Authorization', `Bearer ${admin}`)).status).toBe(
      200,
    );
  });
});
