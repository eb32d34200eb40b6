import request from 'supertest';
import { toSalesforceId18 } from '../../../domain/salesforceId';
import { OutreachConnections } from '../../../services/outreach/connections';
import { ACME_ID, PEOPLE, seedIntelligenceFixture } from '../../../services/intelligence/testing';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import type { OutreachStandIn } from '../../../../test/outreachStandIn/standIn';
import { startOutreachStandIn } from '../../../../test/outreachStandIn/testing';
import type { OutreachConfig } from '../../../integrations/outreach/env';
import { createApp } from '../../app';
import { issueAccessToken } from '../../auth/accessToken';
import { loadAccessKey } from '../../auth/accessKey';
import { accessTokenFor, TEST_EMBED_CONFIG, TEST_ORG_ID, TEST_USER_ID } from '../../auth/testing';
import { captureLogger } from '../../testing';

/**
 * The Outreach routes, black box, against the Outreach stand-in: connect (ticket → authorize →
 * callback), status, sequences, mailboxes, enrollments with their result codes, idempotency,
 * batching, rate limits, the attempt history and who may enroll.
 */
const BIG_ID = toSalesforceId18('001Ax00000BiG01');
const bigPerson = (i: number) => toSalesforceId18(`003Ax0000B${String(i).padStart(5, '0')}`);
const NO_EMAIL = toSalesforceId18('003Ax00000NoEm1');
const SALES = ['Signalfit_Access', 'Signalfit_Sales_Actions'];

jest.setTimeout(60_000);

describe.each(testStoreTargets())('Outreach routes on $name', (target) => {
  let db: Db;
  let standIn: OutreachStandIn;
  let config: OutreachConfig;
  let clock = new Date();
  let capture: ReturnType<typeof captureLogger>;
  let sequenceId: string;
  let otherSequenceId: string;
  let mailboxId: string;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    ({ standIn, config } = await startOutreachStandIn({ now: () => clock }));
    await seedIntelligenceFixture(db);
    await db.query(`INSERT INTO accounts (id, name) VALUES ($1, 'Big Co')`, [BIG_ID]);
    for (let i = 0; i < 50; i++) {
      await db.query(
        `INSERT INTO contacts (id, account_id, email, first_name, last_name) VALUES ($1, $2, $3, 'Big', $4)`,
        [bigPerson(i), BIG_ID, `big${i}@big.example`, `Person ${i}`],
      );
      standIn.addProspect(`big${i}@big.example`, { firstName: 'Big', lastName: `Person ${i}` });
    }
    await db.query(
      `INSERT INTO contacts (id, account_id, first_name, last_name) VALUES ($1, $2, 'No', 'Email')`,
      [NO_EMAIL, ACME_ID],
    );
    const ritaId = standIn.addUser('rita@example.com');
    standIn.approvingUserId = ritaId;
    standIn.addMailbox('someone.else@example.com', ritaId);
    mailboxId = standIn.addMailbox('rita@example.com', ritaId);
    standIn.addMailbox('other-user@example.com', standIn.addUser('other-user@example.com'));
    sequenceId = standIn.addSequence('Security leaders Q4');
    otherSequenceId = standIn.addSequence('Big Co outbound');
    standIn.addSequence('Retired sequence', false);
    // Sam is already a prospect, already in the security sequence.
    const sam = standIn.addProspect('sam@acme.example', { firstName: 'Sam' });
    standIn.addSequenceState(sam, sequenceId, mailboxId);
  });
  afterAll(() => standIn?.close());

  const app = (outreach: OutreachConnections | null = connections) => {
    capture = captureLogger();
    return createApp({
      db,
      logger: capture.logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => clock,
      outreach,
    });
  };
  let connections: OutreachConnections;
  beforeAll(() => {
    connections = new OutreachConnections({
      db,
      config,
      now: () => clock,
      client: { maxRateLimitWaitMs: 0 },
    });
  });
  const bearer = async (perms = SALES, rid = ACME_ID) =>
    `Bearer ${await accessTokenFor(app(), { rid, obj: 'Account', perms }, clock)}`;

  it('answers 403 forbidden to a user without Signalfit_Sales_Actions or an enrolling role', async () => {
    const viewer = await bearer(['Signalfit_Access']);
    const status = await request(app()).get('/api/outreach/status').set('Authorization', viewer);
    expect(status.body).toEqual({
      configured: true,
      connected: false,
      mayEnroll: false,
      outreachEmail: null,
      connectedAt: null,
    });
    for (const call of [
      request(app())
        .post('/api/outreach/enrollments')
        .send({ people: [PEOPLE.dana], sequenceId, mailboxId }),
      request(app()).post('/api/outreach/connect-ticket'),
      request(app()).get('/api/outreach/sequences'),
    ]) {
      const res = await call.set('Authorization', viewer);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const key = await loadAccessKey(db);
    const base = {
      orgId: TEST_ORG_ID,
      userId: 'standalone-1',
      name: 'M',
      email: null,
      perms: [],
      record: null,
      accountId: null,
    };
    const marketing = await issueAccessToken({ ...base, role: 'Marketing' }, key, clock);
    const sales = await issueAccessToken({ ...base, role: 'Sales' }, key, clock);
    const refused = await request(app())
      .get('/api/outreach/sequences')
      .set('Authorization', `Bearer ${marketing}`);
    expect(refused.status).toBe(403);
    const allowed = await request(app())
      .get('/api/outreach/sequences')
      .set('Authorization', `Bearer ${sales}`);
    // Allowed, but this standalone user has not connected Outreach.
    expect(allowed.body.error.code).toBe('outreach_not_connected');
  });

  it('says Outreach is not configured when it is not', async () => {
    const auth = await bearer();
    const status = await request(app(null)).get('/api/outreach/status').set('Authorization', auth);
    expect(status.body).toMatchObject({ configured: false, connected: false, mayEnroll: true });
    const res = await request(app(null))
      .get('/api/outreach/sequences')
      .set('Authorization', await bearer());
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('outreach_not_configured');
  });

  it('connects through a single-use ticket, Outreach authorize and the callback; tokens stored encrypted', async () => {
    const auth = await bearer();
    const ticket = await request(app()).post('/api/outreach/connect-ticket').set('Authorization', auth);
    expect(ticket.status).toBe(201);
    expect(ticket.body.connectUrl).toMatch(/^\/api\/outreach\/connect\?ticket=[\w-]{43}$/);
    const go = await request(app()).get(ticket.body.connectUrl);
    expect(go.status).toBe(302);
    const authorize = new URL(go.headers.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${config.oauthUrl}/authorize`);
    expect(authorize.searchParams.get('scope')).toContain('sequenceStates.write');
    // The ticket is spent.
    const again = await request(app()).get(ticket.body.connectUrl);
    expect(again.status).toBe(401);
    // Outreach sends the browser back to the callback with a code and the state.
    const approved = await fetch(authorize, { redirect: 'manual' });
    const back = new URL(approved.headers.get('location')!);
    expect(back.pathname).toBe('/api/outreach/callback');
    const done = await request(app()).get(`/api/outreach/callback${back.search}`);
    expect(done.status).toBe(200);
    expect(done.text).toContain('Outreach is connected');
    const replay = await request(app()).get(`/api/outreach/callback${back.search}`);
    expect(replay.status).toBe(400);

    const status = await request(app()).get('/api/outreach/status').set('Authorization', auth);
    expect(status.body).toMatchObject({
      connected: true,
      outreachEmail: 'rita@example.com',
      mayEnroll: true,
    });
    const tokenRequest = standIn.requests.filter((r) => r.path === '/oauth/token').at(-1)!;
    expect(tokenRequest.status).toBe(200);
    const [row] = await db.query<{ access_token: Uint8Array; refresh_token: Uint8Array }>(
      'SELECT access_token, refresh_token FROM outreach_connections WHERE org_id = $1 AND user_id = $2',
      [TEST_ORG_ID, TEST_USER_ID],
    );
    const stored = Buffer.concat([Buffer.from(row!.access_token), Buffer.from(row!.refresh_token)]).toString(
      'latin1',
    );
    const bearerSent = standIn.apiRequests().at(-1)!.authorization!.replace('Bearer ', '');
    expect(stored).not.toContain(bearerSent);
    expect(capture.text()).not.toContain(bearerSent);
  });

  it('keeps the connect ticket, the OAuth state and the code out of the request logs', async () => {
    // Outreach mints one token per user a minute; the test before connected the same user.
    clock = new Date(clock.getTime() + 61_000);
    const auth = await bearer();
    const flow = app();
    const ticket = (await request(flow).post('/api/outreach/connect-ticket').set('Authorization', auth)).body
      .connectUrl as string;
    const go = await request(flow).get(ticket);
    const authorize = new URL(go.headers.location!);
    const approved = await fetch(authorize, { redirect: 'manual' });
    const back = new URL(approved.headers.get('location')!);
    const done = await request(flow).get(`/api/outreach/callback${back.search}`);
    expect(done.status).toBe(200);

    const secrets = [
      new URL(ticket, 'http://x').searchParams.get('ticket')!,
      authorize.searchParams.get('state')!,
      back.searchParams.get('code')!,
    ];
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(capture.text()).not.toContain(secret);
      expect(capture.text()).not.toContain(encodeURIComponent(secret));
    }
    const urls = capture
      .entries()
      .filter((entry) => entry.msg === 'request completed')
      .map((entry) => (entry.req as { url: string }).url);
    expect(urls).toEqual(
      expect.arrayContaining([
        '/api/outreach/connect?ticket=[redacted]',
        '/api/outreach/callback?code=[redacted]&state=[redacted]',
      ]),
    );
    const redirect = capture
      .entries()
      .find((entry) => (entry.req as { url: string })?.url.includes('connect?'));
    expect((redirect?.res as { headers: Record<string, string> }).headers.location).toContain(
      'state=[redacted]',
    );
  });

  it('lists enabled sequences (searchable) and the user’s own mailboxes with the default', async () => {
    const auth = await bearer();
    const all = await request(app()).get('/api/outreach/sequences').set('Authorization', auth);
    expect(all.body.sequences.map((s: { name: string }) => s.name)).toEqual([
      'Big Co outbound',
      'Security leaders Q4',
    ]);
    const found = await request(app())
      .get('/api/outreach/sequences?search=SECURITY')
      .set('Authorization', auth);
    expect(found.body.sequences).toEqual([
      expect.objectContaining({ id: sequenceId, name: 'Security leaders Q4', enabled: true }),
    ]);
    const mailboxes = await request(app()).get('/api/outreach/mailboxes').set('Authorization', auth);
    expect(mailboxes.body.mailboxes.map((m: { email: string }) => m.email).sort()).toEqual([
      'rita@example.com',
      'someone.else@example.com',
    ]);
    expect(mailboxes.body.defaultMailboxId).toBe(mailboxId);
  });

  it('enrolls, reports each person, sends no opted-out or email-less person, and a repeat creates nothing', async () => {
    const auth = await bearer();
    const before = standIn.requests.length;
    const res = await request(app())
      .post('/api/outreach/enrollments')
      .set('Authorization', auth)
      .send({
        people: [PEOPLE.dana, PEOPLE.sam, PEOPLE.lee, NO_EMAIL, 'no-such-person', PEOPLE.globexGus],
        sequenceId: Number(sequenceId),
        mailboxId,
        sequenceName: 'Security leaders Q4',
      });
    expect(res.status).toBe(200);
    const results = res.body.results as {
      personId: string;
      result: string;
      prospectId?: string;
      sequenceStateId?: string;
    }[];
    expect(results.map((r) => [r.personId, r.result])).toEqual([
      [PEOPLE.dana, 'enrolled'],
      [PEOPLE.sam, 'already_enrolled'],
      [PEOPLE.lee, 'person_opted_out'],
      [NO_EMAIL, 'person_has_no_email'],
      ['no-such-person', 'person_not_found'],
      // Globex is not the panel's record: as if it did not exist.
      [PEOPLE.globexGus, 'person_not_found'],
    ]);
    expect(res.body.counts).toEqual({
      enrolled: 1,
      already_enrolled: 1,
      person_opted_out: 1,
      person_has_no_email: 1,
      person_not_found: 2,
    });
    const dana = standIn.prospectsWithEmail('dana@acme.example');
    expect(dana).toHaveLength(1);
    expect(results[0]).toMatchObject({
      prospectId: String(dana[0]!.id),
      sequenceStateId: expect.any(String),
    });
    expect(standIn.statesOf(String(dana[0]!.id))).toHaveLength(1);

    const sent = standIn.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v2/prospects',
      'GET /api/v2/sequenceStates',
      'POST /api/v2/prospects',
      'POST /api/v2/sequenceStates',
    ]);
    expect(sent[0]!.query['filter[emails]']!.split(',').sort()).toEqual([
      'dana@acme.example',
      'sam@acme.example',
    ]);
    expect(JSON.parse(sent[2]!.body)).toEqual({
      data: {
        type: 'prospect',
        attributes: {
          emails: ['dana@acme.example'],
          firstName: 'Dana',
          lastName: 'Chen',
          title: 'Chief Technology Officer',
          company: 'Acme Cloud',
        },
      },
    });
    const everything = JSON.stringify(sent);
    expect(everything).not.toContain('lee@acme.example');
    expect(everything).not.toContain('gus@globex.example');

    const repeat = await request(app())
      .post('/api/outreach/enrollments')
      .set('Authorization', auth)
      .send({ people: [PEOPLE.dana, PEOPLE.sam], sequenceId, mailboxId });
    expect(repeat.body.results.map((r: { result: string }) => r.result)).toEqual([
      'already_enrolled',
      'already_enrolled',
    ]);
    expect(repeat.body.results[0]).toMatchObject({
      prospectId: String(dana[0]!.id),
      sequenceStateId: results[0]!.sequenceStateId,
    });
    const repeated = standIn.requests.slice(before + 4);
    expect(repeated.filter((r) => r.method === 'POST')).toEqual([]);
    expect(standIn.prospectsWithEmail('dana@acme.example')).toHaveLength(1);
  });

  it('answers a retried Idempotency-Key with the first answer, without calling Outreach', async () => {
    const auth = await bearer();
    const body = { people: [PEOPLE.pat], sequenceId, mailboxId };
    const first = await request(app())
      .post('/api/outreach/enrollments')
      .set('Authorization', auth)
      .set('Idempotency-Key', 'k-1')
      .send(body);
    expect(first.body.results[0].result).toBe('enrolled');
    const calls = standIn.requests.length;
    const second = await request(app())
      .post('/api/outreach/enrollments')
      .set('Authorization', auth)
      .set('Idempotency-Key', 'k-1')
      .send(body);
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(standIn.requests.length).toBe(calls);
    const other = await request(app())
      .post('/api/outreach/enrollments')
      .set('Authorization', auth)
      .set('Idempotency-Key', 'k-1')
      .send({ ...body, people: [PEOPLE.dana] });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('conflict');
  });

  it('enrolls 50 existing prospects with fewer than 2 × 50 + 1 Outreach calls (batched searches)', async () => {
    const auth = await bearer(SALES, BIG_ID);
    const before = standIn.apiRequests().length;
    const people = Array.from({ length: 50 }, (_, i) => bigPerson(i));
    const res = await request(app())
      .post('/api/outreach/enrollments')
      .set('Authorization', auth)
      .send({ people, sequenceId: otherSequenceId, mailboxId });
    expect(res.body.counts).toEqual({ enrolled: 50 });
    const calls = standIn.apiRequests().slice(before);
    expect(calls.length).toBe(52);
    expect(calls.filter((r) => r.method === 'GET').length).toBe(2);
    expect(calls.filter((r) => r.method === 'POST' && r.path.endsWith('/prospects'))).toEqual([]);
    expect(calls.filter((r) => r.method === 'POST' && r.path.endsWith('/sequenceStates')).length).toBe(50);
    const again = await request(app())
      .post('/api/outreach/enrollments')
      .set('Authorization', auth)
      .send({ people, sequenceId: otherSequenceId, mailboxId });
    expect(again.body.counts).toEqual({ already_enrolled: 50 });
    expect(standIn.apiRequests().length - before - 52).toBe(2);
  });

  it('lists every attempt of a person, newest first', async () => {
    const auth = await bearer();
    const dana = await request(app())
      .get(`/api/outreach/enrollments?personId=${PEOPLE.dana}`)
      .set('Authorization', auth);
    expect(dana.status).toBe(200);
    expect(dana.body.attempts.map((a: { result: string }) => a.result)).toEqual([
      'already_enrolled',
      'enrolled',
    ]);
    expect(dana.body.attempts[1]).toMatchObject({
      by: 'Rita Rep',
      sequenceId,
      sequenceName: 'Security leaders Q4',
      mailboxId,
      prospectId: expect.any(String),
      sequenceStateId: expect.any(String),
    });
    const lee = await request(app())
      .get(`/api/outreach/enrollments?personId=${PEOPLE.lee}`)
      .set('Authorization', auth);
    expect(lee.body.attempts.map((a: { result: string }) => a.result)).toEqual(['person_opted_out']);
    const gus = await request(app())
      .get(`/api/outreach/enrollments?personId=${PEOPLE.globexGus}`)
      .set('Authorization', auth);
    expect(gus.status).toBe(403);
    const unknown = await request(app()).get('/api/outreach/enrollments').set('Authorization', auth);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('validation_failed');
  });

  it('refuses bad input with validation_failed', async () => {
    const auth = await bearer();
    for (const body of [
      { people: [], sequenceId, mailboxId },
      { people: Array.from({ length: 51 }, (_, i) => `p${i}`), sequenceId, mailboxId },
      { people: [PEOPLE.dana], sequenceId: 'abc', mailboxId },
      { people: [PEOPLE.dana], sequenceId },
    ]) {
      const res = await request(app())
        .post('/api/outreach/enrollments')
        .set('Authorization', auth)
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
    }
  });

  it('refreshes an expiring token once for concurrent calls', async () => {
    const auth = await bearer();
    const tokensBefore = standIn.requests.filter((r) => r.path === '/oauth/token').length;
    clock = new Date(clock.getTime() + 2 * 3600_000 - 60_000);
    const auth2 = await bearer();
    const answers = await Promise.all([
      request(app()).get('/api/outreach/sequences').set('Authorization', auth2),
      request(app()).get('/api/outreach/sequences').set('Authorization', auth2),
      request(app()).get('/api/outreach/mailboxes').set('Authorization', auth2),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(standIn.requests.filter((r) => r.path === '/oauth/token').length - tokensBefore).toBe(1);
    expect(auth).not.toBe(auth2);
  });

  it('answers outreach_rate_limited with the retry time for the people Outreach would not take', async () => {
    const limited = await startOutreachStandIn({ rateLimit: 2, rateWindowMs: 3_600_000 });
    try {
      const { accessToken, refreshToken } = limited.standIn.issueToken('1', [
        'prospects.all',
        'sequenceStates.all',
      ]);
      const seq = limited.standIn.addSequence('S');
      const box = limited.standIn.addMailbox('rita@example.com', '1');
      const limitedConnections = new OutreachConnections({
        db,
        config: limited.config,
        now: () => new Date(),
        client: { maxRateLimitWaitMs: 1000 },
      });
      await limitedConnections.save(
        { orgId: TEST_ORG_ID, userId: TEST_USER_ID },
        { accessToken, refreshToken, expiresAt: new Date(Date.now() + 3600_000), scope: '' },
        null,
      );
      clock = new Date();
      const auth = await bearer();
      const res = await request(app(limitedConnections))
        .post('/api/outreach/enrollments')
        .set('Authorization', auth)
        .send({ people: [PEOPLE.newbie, PEOPLE.pat], sequenceId: seq, mailboxId: box });
      // Search (1), create Noor's prospect (2), then 429 with an hour to wait: past the bound.
      expect(res.body.results.map((r: { result: string }) => r.result)).toEqual([
        'outreach_rate_limited',
        'outreach_rate_limited',
      ]);
      expect(Date.parse(res.body.results[0].retryAt)).toBeGreaterThan(Date.now() + 3000_000);
      expect(limited.standIn.apiRequests().map((r) => r.status)).toEqual([200, 201, 429]);
    } finally {
      await limited.standIn.close();
    }
  });
});
