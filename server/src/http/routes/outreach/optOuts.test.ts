import request from 'supertest';
import { toSalesforceId18 } from '../../../domain/salesforceId';
import { OutreachConnections } from '../../../services/outreach/connections';
import { ACME_ID, seedIntelligenceFixture } from '../../../services/intelligence/testing';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import type { OutreachStandIn } from '../../../../test/outreachStandIn/standIn';
import { connectThroughStandIn, startOutreachStandIn } from '../../../../test/outreachStandIn/testing';
import type { OutreachConfig } from '../../../integrations/outreach/env';
import { TEST_ORG_ID, TEST_USER_ID } from '../../auth/testing';
import { outreachAppForSales } from './testing';

/**
 * Opt-outs belong to the address (issue 20, item 3): a lead that opted out blocks a contact with
 * the same email (another case, stray spaces), and the check is made at the moment of sending,
 * so an opt-out stored after the request started still keeps the person away from Outreach.
 */
const JO_LEAD = toSalesforceId18('00QAx00000JoLd1');
const JO_CONTACT = toSalesforceId18('003Ax00000JoCt1');
const KIM_LEAD = toSalesforceId18('00QAx00000KiLd1');
const KIM_CONTACT = toSalesforceId18('003Ax00000KiCt1');

jest.setTimeout(60_000);

describe.each(testStoreTargets())('opt-outs by address on $name', (target) => {
  let db: Db;
  let standIn: OutreachStandIn;
  let config: OutreachConfig;
  let sequenceId: string;
  let mailboxId: string;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    ({ standIn, config } = await startOutreachStandIn({ minTokenIntervalMs: 0 }));
    await seedIntelligenceFixture(db);
    await db.query(
      `INSERT INTO contacts (id, account_id, email, first_name, last_name, kind, opted_out) VALUES
         ($1, $5, ' Jo.Doe@ACME.example ', 'Jo', 'Doe', 'lead', true),
         ($2, $5, 'jo.doe@acme.example', 'Jo', 'Doe', 'contact', false),
         ($3, $5, 'KIM@acme.example', 'Kim', 'Lee', 'lead', false),
         ($4, $5, 'kim@acme.example', 'Kim', 'Lee', 'contact', false)`,
      [JO_LEAD, JO_CONTACT, KIM_LEAD, KIM_CONTACT, ACME_ID],
    );
    sequenceId = standIn.addSequence('Security leaders Q4');
    mailboxId = standIn.addMailbox('rita@example.com', '1');
  });
  afterAll(() => standIn?.close());

  /** An app whose Outreach calls go through `fetchImpl`, for a user already connected. */
  const connectedApp = async (fetchImpl: typeof fetch = fetch) => {
    const connections = new OutreachConnections({ db, config, now: () => new Date(), fetch: fetchImpl });
    await connectThroughStandIn(connections, standIn, { orgId: TEST_ORG_ID, userId: TEST_USER_ID }, 3600_000);
    return outreachAppForSales(db, connections);
  };
  const mentions = (address: string) =>
    standIn.requests.filter((r) => JSON.stringify(r).toLowerCase().includes(address));

  it('refuses a contact whose address a lead opted out, says why, and sends Outreach nothing about it', async () => {
    const { app, auth } = await connectedApp();
    const res = await request(app)
      .post('/api/outreach/enrollments')
      .set('Authorization', auth)
      .send({ people: [JO_CONTACT], sequenceId, mailboxId });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      expect.objectContaining({
        personId: JO_CONTACT,
        result: 'person_opted_out',
        detail: `the address jo.doe@acme.example is opted out on lead ${JO_LEAD}`,
      }),
    ]);
    expect(res.body.counts).toEqual({ person_opted_out: 1 });
    expect(mentions('jo.doe')).toEqual([]);
    expect(standIn.prospectsWithEmail('jo.doe@acme.example')).toEqual([]);
    const history = await request(app)
      .get(`/api/outreach/enrollments?personId=${JO_CONTACT}`)
      .set('Authorization', auth);
    expect(history.body.attempts).toEqual([
      expect.objectContaining({ result: 'person_opted_out', detail: expect.stringContaining(JO_LEAD) }),
    ]);
    // The person view shows the contact as opted out, so the action is not offered.
    const person = await request(app).get(`/api/people/${JO_CONTACT}`).set('Authorization', auth);
    expect(person.body.person).toMatchObject({ id: JO_CONTACT, optedOut: true });
  });

  it('honours an opt-out stored after the person was selected, right before the create calls', async () => {
    // The lead opts out (a sync lands it) while the enrollment is already talking to Outreach.
    const optOutDuringSearch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).includes('/prospects?')) {
        await db.run('UPDATE contacts SET opted_out = true WHERE id = $1', [KIM_LEAD]);
      }
      return response;
    };
    const { app, auth } = await connectedApp(optOutDuringSearch);
    const before = standIn.requests.length;
    const res = await request(app)
      .post('/api/outreach/enrollments')
      .set('Authorization', auth)
      .send({ people: [KIM_CONTACT], sequenceId, mailboxId });
    expect(res.body.results).toEqual([
      expect.objectContaining({
        personId: KIM_CONTACT,
        result: 'person_opted_out',
        detail: `the address kim@acme.example is opted out on lead ${KIM_LEAD}`,
      }),
    ]);
    const sent = standIn.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v2/prospects']);
    expect(standIn.prospectsWithEmail('kim@acme.example')).toEqual([]);
  });
});
