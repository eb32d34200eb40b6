import request from 'supertest';
import {
  ACME_ID,
  FIXTURE_NOW,
  FIXTURE_PERSONAS,
  GLOBEX_ID,
  PEOPLE,
  seedIntelligenceFixture,
} from '../../../services/intelligence/testing';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { accessTokenFor, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const at = (day: string) => `${day}T09:30:00.000Z`;

describe.each(testStoreTargets())('GET /api/accounts/:id/intelligence on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(() => seedIntelligenceFixture(db));

  const app = (now = FIXTURE_NOW) =>
    createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => now,
      personas: async () => FIXTURE_PERSONAS,
    });
  const repToken = () => accessTokenFor(app(), { rid: ACME_ID, obj: 'Account' }, FIXTURE_NOW);
  const get = async (id: string, token?: string) =>
    request(app())
      .get(`/api/accounts/${id}/intelligence`)
      .set('Authorization', `Bearer ${token ?? (await repToken())}`);

  it("answers the account's current scores, reasons, research trend, activity and persona map", async () => {
    const res = await get(ACME_ID);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const body = res.body;
    expect(body.account).toEqual({
      id: ACME_ID,
      name: 'Acme Cloud',
      domain: 'acme.example',
      industry: 'Software',
      employees: 1200,
      country: 'US',
    });
    // The complete run with the latest as_of; the later running run is not visible.
    expect(body.scores).toEqual({
      asOf: '2026-11-19',
      modelVersion: 'test-1',
      profileFit: 'Strong',
      profileScore: 88,
      intentScore: 82,
      buyingStage: 'Decision',
      reach: 'High',
      qualified: true,
      qualifiedSince: '2026-11-10',
      reasons: {
        profile: [
          { text: 'Industry: Software', weight: 0.8 },
          { text: 'Employees: 1,000–4,999', weight: 0.5 },
          { text: 'Country: US', weight: -0.1 },
        ],
        intent: [
          { text: 'Researched "sast" 5 times in 30 days', weight: 1.2 },
          { text: 'Visited the pricing page', weight: 0.7 },
        ],
        reach: [{ text: '1 sales call in 30 days', weight: 0.4 }],
      },
    });
  });

  it('draws the research trend of the last 30 days on configured keywords only', async () => {
    const { researchTrend } = (await get(ACME_ID)).body;
    const daily = (entries: [number, number][]) => {
      const days = new Array(30).fill(0);
      for (const [index, n] of entries) days[index] = n;
      return days;
    };
    expect(researchTrend).toEqual({
      from: '2026-10-22',
      to: '2026-11-20',
      keywords: [
        {
          keyword: 'sast',
          total: 5,
          daily: daily([
            [19, 2],
            [27, 3],
          ]),
        },
        { keyword: 'sbom', total: 1, daily: daily([[3, 1]]) },
      ],
    });
  });

  it('summarises the last 90 days of activity by class and source, nothing after now', async () => {
    const { activity } = (await get(ACME_ID)).body;
    expect(activity).toEqual([
      {
        class: 'intent',
        count: 8,
        lastAt: at('2026-11-18'),
        sources: [
          { source: 'bombora', count: 6, lastAt: at('2026-11-18') },
          { source: 'first_party', count: 1, lastAt: at('2026-10-25') },
          { source: 'g2', count: 1, lastAt: at('2026-11-18') },
        ],
      },
      {
        class: 'anonymous_engagement',
        count: 2,
        lastAt: at('2026-11-19'),
        sources: [{ source: 'web', count: 2, lastAt: at('2026-11-19') }],
      },
      {
        class: 'known_engagement',
        count: 3,
        lastAt: at('2026-11-17'),
        sources: [{ source: 'map', count: 3, lastAt: at('2026-11-17') }],
      },
      {
        class: 'reach',
        count: 2,
        lastAt: at('2026-11-14'),
        sources: [
          { source: 'crm', count: 1, lastAt: at('2026-11-13') },
          { source: 'linkedin', count: 1, lastAt: at('2026-11-14') },
        ],
      },
    ]);
  });

  it('maps the buying committee in persona priority order, with its gaps', async () => {
    const { personaMap } = (await get(ACME_ID)).body;
    const summary = personaMap.personas.map(
      (p: { persona: string; gap: string | null; total: number; people: { id: string }[] }) => ({
        persona: p.persona,
        gap: p.gap,
        total: p.total,
        people: p.people.map((person) => person.id),
      }),
    );
    expect(summary).toEqual([
      { persona: 'Economic Buyer', gap: 'no_one_engaged', total: 1, people: [PEOPLE.dana] },
      { persona: 'Security Leader', gap: null, total: 1, people: [PEOPLE.sam] },
      { persona: 'Technical Evaluator', gap: 'no_one_known', total: 0, people: [] },
      { persona: 'Practitioner', gap: 'no_one_engaged', total: 2, people: [PEOPLE.lee, PEOPLE.pat] },
    ]);
    expect(personaMap.unassigned).toBe(1);
    expect(personaMap.personas[1].people[0]).toEqual({
      id: PEOPLE.sam,
      name: 'Sam Okafor',
      title: 'Director of Application Security',
      kind: 'contact',
      optedOut: false,
      persona: 'Security Leader',
      engagementGrade: 'A',
      engagementScore: 91,
      profileFit: 'Strong',
      lastActivityAt: at('2026-11-17'),
    });
    expect(personaMap.personas[3].people[0]).toMatchObject({
      kind: 'lead',
      optedOut: true,
      lastActivityAt: null,
    });
  });

  it.each([
    ['the 15-character id', ACME_ID.slice(0, 15)],
    ['the 18-character id in lower case', ACME_ID.toLowerCase()],
    ['the 18-character id in upper case', ACME_ID.toUpperCase()],
  ])('finds the account by %s', async (_label, id) => {
    const res = await get(id);
    expect(res.status).toBe(200);
    expect(res.body.account.id).toBe(ACME_ID);
  });

  it('answers scores null when no complete run scored the account', async () => {
    await db.query("INSERT INTO accounts (id, name) VALUES ('acct-initech', 'Initech')");
    const admin = await accessTokenFor(
      app(),
      { perms: ['Signalfit_Access', 'Signalfit_Admin'] },
      FIXTURE_NOW,
    );
    const res = await get('acct-initech', admin);
    expect(res.status).toBe(200);
    expect(res.body.scores).toBeNull();
    expect(res.body.personaMap.personas.map((p: { gap: string }) => p.gap)).toEqual(
      FIXTURE_PERSONAS.map(() => 'no_one_known'),
    );
  });

  it("refuses another account than the panel's record unless the user is a Signalfit admin", async () => {
    const refused = await get(GLOBEX_ID);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const admin = await accessTokenFor(
      app(),
      { perms: ['Signalfit_Access', 'Signalfit_Admin'] },
      FIXTURE_NOW,
    );
    expect((await get(GLOBEX_ID, admin)).status).toBe(200);
  });

  it('lets a contact page see its account', async () => {
    const token = await accessTokenFor(app(), { rid: PEOPLE.sam, obj: 'Contact' }, FIXTURE_NOW);
    expect((await get(ACME_ID, token)).status).toBe(200);
  });

  it('answers 404 not_found for an unknown id (to an admin)', async () => {
    const admin = await accessTokenFor(
      app(),
      { perms: ['Signalfit_Access', 'Signalfit_Admin'] },
      FIXTURE_NOW,
    );
    const res = await get('001Ax00000NoNe1', admin);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers 401 unauthorized without a bearer token, and for a forged one', async () => {
    const missing = await request(app()).get(`/api/accounts/${ACME_ID}/intelligence`);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');
    const forged = await get(ACME_ID, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('unauthorized');
  });

  it('answers 401 access_token_expired once the access token is 15 minutes old', async () => {
    const token = await repToken();
    const later = new Date(FIXTURE_NOW.getTime() + 15 * 60_000 + 1000);
    const res = await request(app(later))
      .get(`/api/accounts/${ACME_ID}/intelligence`)
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('access_token_expired');
  });

  it('reuses a view for its time to live and drops it once a newer run is complete', async () => {
    const cachedApp = app();
    const token = await repToken();
    const view = () =>
      request(cachedApp).get(`/api/accounts/${ACME_ID}/intelligence`).set('Authorization', `Bearer ${token}`);
    expect((await view()).body.account.name).toBe('Acme Cloud');
    await db.run(`UPDATE accounts SET name = 'Acme Cloud Renamed' WHERE id = $1`, [ACME_ID]);
    try {
      expect((await view()).body.account.name).toBe('Acme Cloud');
      // A fresh app (or one without the cache) reads the store.
      expect((await get(ACME_ID)).body.account.name).toBe('Acme Cloud Renamed');
      const [run] = await db.query<{ id: string }>(
        `INSERT INTO score_runs (as_of, status, model_version) VALUES ('2026-11-20', 'complete', 'test-2') RETURNING id::text AS id`,
      );
      try {
        // The current run is looked up at most once a second.
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        const after = (await view()).body;
        expect(after.account.name).toBe('Acme Cloud Renamed');
        expect(after.scores).toBeNull();
      } finally {
        await db.run('DELETE FROM score_runs WHERE id = $1', [run?.id]);
      }
    } finally {
      await db.run(`UPDATE accounts SET name = 'Acme Cloud' WHERE id = $1`, [ACME_ID]);
    }
  });

  it('does not accept the access token as a cookie', async () => {
    const res = await request(app())
      .get(`/api/accounts/${ACME_ID}/intelligence`)
      .set('Cookie', `access_token=${await repToken()}`);
    expect(res.status).toBe(401);
  });
});
