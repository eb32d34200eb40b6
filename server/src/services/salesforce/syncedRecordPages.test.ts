/**
 * People synced from Salesforce appear in the dashboard's views under their Salesforce ids, so
 * the panel works on real Account, Contact and Lead record pages (issue 6).
 */
import request from 'supertest';
import { createApp } from '../../http/app';
import { accessTokenFor, TEST_EMBED_CONFIG } from '../../http/auth/testing';
import { captureLogger } from '../../http/testing';
import { connectSalesforce } from '../../integrations/salesforce/client';
import { DEFAULT_FIELD_MAPPING } from '../../integrations/salesforce/fieldMapping';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedOrg, type SeededOrg } from '../../../test/salesforceStandIn/fixtures';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { syncSalesforce } from './syncSalesforce';
import { insertScoreRun } from './testing';

jest.setTimeout(60_000);

describe.each(testStoreTargets())('synced records on the record pages, on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let standIn: SalesforceStandIn;
  let org: SeededOrg;

  beforeAll(async () => {
    const started = await startStandIn();
    standIn = started.standIn;
    org = seedOrg(standIn);
    await syncSalesforce({
      db,
      connect: (guard) => connectSalesforce(started.settings, guard),
      mapping: DEFAULT_FIELD_MAPPING,
      budgetPercent: 20,
      now: () => new Date('2026-01-08T00:00:00Z'),
      poll: { pollIntervalMs: 10, pollTimeoutMs: 5_000 },
    });
    await insertScoreRun(
      db,
      '2026-01-08',
      [
        {
          account_id: org.acme,
          intent_score: 70,
          buying_stage: 'Consideration',
          profile_score: 85,
          profile_fit: 'Strong',
          reach: 'Medium',
          qualified: false,
          qualified_since: null,
        },
      ],
      [
        {
          contact_id: org.ada,
          account_id: org.acme,
          engagement_score: 80,
          engagement_grade: 'A',
          profile_fit: 'Strong',
          persona: 'Engineering leader',
        },
        {
          contact_id: org.leadByDomain,
          account_id: org.acme,
          engagement_score: 40,
          engagement_grade: 'C',
          profile_fit: 'Moderate',
          persona: 'Engineering leader',
        },
      ],
    );
  });
  afterAll(() => standIn.close());

  const app = () => createApp({ db, logger: captureLogger().logger, version: 't', embed: TEST_EMBED_CONFIG });

  test('the account page shows its synced contact and lead in the persona map, by their Salesforce ids', async () => {
    const token = await accessTokenFor(app(), { rid: org.acme, obj: 'Account' });
    const res = await request(app())
      .get(`/api/accounts/${org.acme}/intelligence`)
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    const group = res.body.personaMap.personas.find(
      (p: { persona: string }) => p.persona === 'Engineering leader',
    );
    expect(group.people.map((p: { id: string; kind: string }) => [p.id, p.kind])).toEqual([
      [org.ada, 'contact'],
      [org.leadByDomain, 'lead'],
    ]);
  });

  test("a lead's page opens with the lead's 15-character id too", async () => {
    const id15 = org.leadByDomain.slice(0, 15);
    const token = await accessTokenFor(app(), { rid: org.leadByDomain, obj: 'Lead' });
    const res = await request(app()).get(`/api/people/${id15}`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      person: { id: org.leadByDomain, kind: 'lead' },
      account: { id: org.acme },
      scores: { engagementGrade: 'C' },
    });
  });
});
