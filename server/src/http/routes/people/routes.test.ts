import request from 'supertest';
import {
  ACME_ID,
  FIXTURE_NOW,
  PEOPLE,
  seedIntelligenceFixture,
} from '../../../services/intelligence/testing';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { accessTokenFor, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

describe.each(testStoreTargets())('GET /api/people/:id on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(() => seedIntelligenceFixture(db));

  const app = () =>
    createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => FIXTURE_NOW,
    });
  const get = async (id: string) =>
    request(app())
      .get(`/api/people/${id}`)
      .set(
        'Authorization',
        `Bearer ${await accessTokenFor(app(), { rid: ACME_ID, obj: 'Account' }, FIXTURE_NOW)}`,
      );

  it('answers a contact with its current scores, reasons and latest activities (none after now)', async () => {
    const res = await get(PEOPLE.sam);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      person: {
        id: PEOPLE.sam,
        name: 'Sam Okafor',
        email: 'sam@acme.example',
        title: 'Director of Application Security',
        jobLevel: 'Director',
        jobFunction: 'Security',
        kind: 'contact',
        optedOut: false,
      },
      account: { id: ACME_ID, name: 'Acme Cloud' },
      scores: {
        asOf: '2026-11-19',
        engagementScore: 91,
        engagementGrade: 'A',
        profileScore: 84,
        profileFit: 'Strong',
        persona: 'Security Leader',
        reasons: {
          engagement: [
            { text: 'Attended a webinar', weight: 0.9 },
            { text: 'Clicked an email', weight: 0.6 },
          ],
          profile: [{ text: 'Level: Director', weight: 0.7 }],
        },
      },
      recentActivity: [
        expect.objectContaining({
          occurredAt: '2026-11-17T09:30:00.000Z',
          type: 'email_click',
          class: 'known_engagement',
          source: 'map',
        }),
        expect.objectContaining({
          occurredAt: '2026-11-16T09:30:00.000Z',
          type: 'webinar',
          class: 'known_engagement',
        }),
      ],
    });
  });

  it('finds a lead by its 15-character id; scores of a running run stay invisible', async () => {
    const lead = await get(PEOPLE.lee.slice(0, 15));
    expect(lead.status).toBe(200);
    expect(lead.body.person).toMatchObject({ id: PEOPLE.lee, kind: 'lead', optedOut: true });
    const pat = await get(PEOPLE.pat);
    expect(pat.body.scores).toMatchObject({ engagementGrade: 'D', engagementScore: 12 });
  });

  it('answers scores null for a person no run has scored', async () => {
    const res = await get(PEOPLE.newbie);
    expect(res.status).toBe(200);
    expect(res.body.scores).toBeNull();
    expect(res.body.recentActivity).toEqual([]);
  });

  it("refuses a person of another account than the panel's", async () => {
    const res = await get(PEOPLE.globexGus);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('answers 400 for an id with spaces', async () => {
    const res = await get('a%20b');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});
