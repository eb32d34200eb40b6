import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type { Role } from '../../../domain/vocabulary';
import { addRun } from '../../../services/orchestrations/definitionTesting';
import { insertOrchestration, seedRunMarket } from '../../../services/orchestrations/runTesting';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { roleHeaders, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger, RAISED_RATE_LIMITS } from '../../testing';

/**
 * Every route of orchestrations, providers and credits × every role, and no credentials: the
 * status each gets. A refused role is sent an invalid body (or query), and still gets 403: the
 * role is checked before anything else is read. An allowed role gets the same invalid request
 * refused 400, so the body is really invalid.
 */
const NOW = new Date('2026-11-20T10:00:00Z');
type Who = Role | 'no role';
const WHO: Who[] = ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only', 'no role'];
const ALLOWED: Record<'view' | 'manage', Who[]> = {
  view: ['Admin', 'Operations', 'Marketing', 'View Only'],
  manage: ['Admin', 'Operations'],
};
const roleOf = (who: Who): Role | null => (who === 'no role' ? null : who);

interface Fixture {
  id: number;
  doomed: number;
  runId: number;
  dir: string;
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
interface RouteCase {
  route: string;
  method: Method;
  path: (f: Fixture) => string;
  access: 'view' | 'manage';
  ok: number;
  /** A valid body (allowed roles); `n` makes names unique. */
  body?: (f: Fixture, n: number) => object;
  /** An invalid body or query string, refused 400 to an allowed role. */
  bad?: { body?: object; query?: string };
}

const O = (f: Fixture) => `/api/orchestrations/${f.id}`;
const ROUTES: RouteCase[] = [
  { route: 'list orchestrations', method: 'get', path: () => '/api/orchestrations', access: 'view', ok: 200 },
  {
    route: 'create an orchestration',
    method: 'post',
    path: () => '/api/orchestrations',
    access: 'manage',
    ok: 201,
    body: (_f, n) => ({
      name: `New ${n}`,
      goal: 'acquire_contacts',
      segment: 'Software',
      provider: 'Vendor',
      target: { type: 'csv' },
    }),
    bad: { body: { name: 'x', goal: 'sell_everything' } },
  },
  { route: 'get an orchestration', method: 'get', path: O, access: 'view', ok: 200 },
  {
    route: 'change an orchestration',
    method: 'patch',
    path: O,
    access: 'manage',
    ok: 200,
    body: () => ({ cooldownDays: 14 }),
    bad: { body: { target: 7 } },
  },
  {
    route: 'delete an orchestration',
    method: 'delete',
    path: (f) => `/api/orchestrations/${f.doomed}`,
    access: 'manage',
    ok: 204,
  },
  { route: 'preview', method: 'post', path: (f) => `${O(f)}/preview`, access: 'view', ok: 200 },
  {
    route: 'preview candidates.csv',
    method: 'get',
    path: (f) => `${O(f)}/preview/candidates.csv`,
    access: 'view',
    ok: 200,
  },
  {
    route: 'preview accounts.csv',
    method: 'get',
    path: (f) => `${O(f)}/preview/accounts.csv`,
    access: 'view',
    ok: 200,
  },
  { route: 'run now', method: 'post', path: (f) => `${O(f)}/run`, access: 'manage', ok: 202 },
  {
    route: 're-push',
    method: 'post',
    path: (f) => `${O(f)}/repush`,
    access: 'manage',
    ok: 202,
    body: (f) => ({ runId: f.runId }),
    bad: { body: { runId: 'the last one' } },
  },
  { route: 'list runs', method: 'get', path: (f) => `${O(f)}/runs`, access: 'view', ok: 200 },
  {
    route: 'get a run',
    method: 'get',
    path: (f) => `${O(f)}/runs/${f.runId}`,
    access: 'view',
    ok: 200,
    bad: { query: 'outcome=lost' },
  },
  {
    route: "a run's records.csv",
    method: 'get',
    path: (f) => `${O(f)}/runs/${f.runId}/records.csv`,
    access: 'view',
    ok: 200,
  },
  { route: 'list providers', method: 'get', path: () => '/api/providers', access: 'view', ok: 200 },
  {
    route: 'add a provider',
    method: 'post',
    path: () => '/api/providers',
    access: 'manage',
    ok: 201,
    body: (f, n) => ({ name: `Vendor ${n}`, type: 'csv', dir: f.dir }),
    bad: { body: { name: 'Fax', type: 'fax' } },
  },
  { route: 'get credits', method: 'get', path: () => '/api/credits', access: 'view', ok: 200 },
  {
    route: 'set credits',
    method: 'put',
    path: () => '/api/credits',
    access: 'manage',
    ok: 200,
    body: () => ({ allowance: 10 }),
    bad: { body: { allowance: -5 } },
  },
];

const CASES = ROUTES.flatMap((route) => WHO.map((who) => ({ ...route, who })));

describe.each(testStoreTargets())('orchestration, provider and credit routes × roles on $name', (target) => {
  let db: Db;
  let app: Express;
  let headers: Awaited<ReturnType<typeof roleHeaders>>;
  const fixture = {} as Fixture;
  let n = 0;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    fixture.dir = await mkdtemp(path.join(tmpdir(), 'roles-provider-'));
    await writeFile(
      path.join(fixture.dir, 'provider_contacts.csv'),
      'provider_id,email,first_name,last_name,title,job_level,job_function,company_domain,country,email_confidence,cost\n' +
        'p1,pat@acme.com,Pat,One,CISO,C-Level,Security,acme.com,US,A,2\n',
    );
    const { segmentId, providerId } = await seedRunMarket(db);
    await db.run(`UPDATE contact_providers SET settings = $2::jsonb WHERE id = $1`, [
      providerId,
      JSON.stringify({ dir: fixture.dir }),
    ]);
    fixture.id = await insertOrchestration(db, { name: 'Acquire', segmentId, providerId });
    fixture.runId = await addRun(db, fixture.id, 'complete', '2026-11-19T10:00:00Z');
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
      rateLimits: RAISED_RATE_LIMITS,
    });
    headers = await roleHeaders(db, WHO.map(roleOf), NOW);
  });
  beforeEach(async () => {
    const [segment] = await db.query<{ id: string }>(`SELECT id FROM segments WHERE name = 'Software'`);
    fixture.doomed = await insertOrchestration(db, {
      name: `Doomed ${++n}`,
      segmentId: Number(segment!.id),
      providerId: null,
    });
  });
  afterEach(async () => {
    await db.run(`DELETE FROM orchestration_runs WHERE id <> $1`, [fixture.runId]);
  });
  afterAll(async () => {
    await rm(fixture.dir, { recursive: true, force: true });
  });

  const send = (c: RouteCase, who: Who | null, variant: 'valid' | 'bad') => {
    const url = c.path(fixture) + (variant === 'bad' && c.bad?.query ? `?${c.bad.query}` : '');
    let req = request(app)[c.method](url);
    if (who !== null) req = req.set(headers(roleOf(who)));
    const body = variant === 'bad' ? (c.bad?.body ?? { unexpected: true }) : c.body?.(fixture, ++n);
    return body && c.method !== 'get' && c.method !== 'delete' ? req.send(body) : req;
  };

  it.each(CASES)('$route ($method) as $who', async (c) => {
    if (ALLOWED[c.access].includes(c.who)) {
      const res = await send(c, c.who, 'valid');
      expect([res.status, res.body.error]).toEqual([c.ok, undefined]);
      if (c.bad) {
        const bad = await send(c, c.who, 'bad');
        expect(bad.status).toBe(400);
      }
    } else {
      const res = await send(c, c.who, 'bad');
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden' });
    }
  });

  it.each(ROUTES)('$route ($method) without credentials is 401', async (c) => {
    const res = await send(c, null, 'bad');
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'unauthorized' });
  });
});
