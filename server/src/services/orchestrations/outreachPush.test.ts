import { OutreachClient } from '../../integrations/outreach/client';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import type { OutreachStandIn } from '../../../test/outreachStandIn/standIn';
import { ALL_SCOPES, startOutreachStandIn } from '../../../test/outreachStandIn/testing';
import { pushToOutreach } from './outreachPush';
import type { PushPerson } from './push';

const NOW = new Date('2026-11-20T10:00:00Z');

function bought(n: number, email = `buyer${n}@globex.test`): PushPerson {
  return {
    key: `purchase:${n}`,
    email,
    firstName: `Pat${n}`,
    lastName: 'Lee',
    title: 'Head of Security',
    accountId: 'A1',
    accountName: 'Globex',
    accountSalesforceId: null,
    country: 'US',
    existing: null,
    sourceType: 'Orchestration',
  };
}

describe.each(testStoreTargets())('pushToOutreach on $name', (target) => {
  let db: Db;
  let standIn: OutreachStandIn;
  let apiUrl: string;
  let token: string;
  let sequenceId: string;
  let mailboxId: string;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    ({ standIn } = await startOutreachStandIn({ now: () => NOW }));
    apiUrl = standIn.apiUrl;
    const userId = standIn.addUser('owner@example.com');
    mailboxId = standIn.addMailbox('owner@example.com', userId);
    sequenceId = standIn.addSequence('New buyers');
    token = standIn.issueToken(userId, ALL_SCOPES).accessToken;
    await db.run(`INSERT INTO accounts (id, name) VALUES ('A1', 'Globex')`);
  });
  afterAll(async () => {
    await standIn?.close();
  });

  const client = (options: Partial<ConstructorParameters<typeof OutreachClient>[0]> = {}) =>
    new OutreachClient({ apiUrl, accessToken: () => Promise.resolve(token), now: () => NOW, ...options });
  const push = (people: PushPerson[], overrides: { mailboxId?: string; client?: OutreachClient } = {}) =>
    pushToOutreach({
      db,
      client: overrides.client ?? client(),
      sequenceId,
      mailboxId: overrides.mailboxId ?? mailboxId,
      people,
      actor: OPERATOR,
      now: () => NOW,
    });
  const posts = (path: string) => standIn.count('POST', path);

  it('creates each new person as a prospect with names, title and company, enrolls once, and a repeat creates nothing', async () => {
    const people = [bought(1), bought(2, ' Buyer2@Globex.test ')];
    const first = await push(people);
    expect(first).toEqual([
      { key: 'purchase:1', ok: true, targetId: expect.any(String), memberId: expect.any(String) },
      { key: 'purchase:2', ok: true, targetId: expect.any(String), memberId: expect.any(String) },
    ]);
    const [prospect] = standIn.prospectsWithEmail('buyer1@globex.test');
    expect(prospect!.attributes).toEqual({
      emails: ['buyer1@globex.test'],
      firstName: 'Pat1',
      lastName: 'Lee',
      title: 'Head of Security',
      company: 'Globex',
    });
    expect(String(prospect!.id)).toBe((first[0] as { targetId: string }).targetId);
    expect(standIn.prospectsWithEmail('buyer2@globex.test')).toHaveLength(1);
    expect(standIn.statesOf(String(prospect!.id))).toHaveLength(1);
    const prospectsCreated = posts('/api/v2/prospects');
    const statesCreated = posts('/api/v2/sequenceStates');

    const again = await push(people);
    expect(again).toEqual(first.map((outcome) => ({ ...outcome, note: 'already in the sequence' })));
    expect(posts('/api/v2/prospects')).toBe(prospectsCreated);
    expect(posts('/api/v2/sequenceStates')).toBe(statesCreated);
    expect(standIn.prospectsWithEmail('buyer1@globex.test')).toHaveLength(1);
  });

  it('sends nothing carrying an opted-out address, and says opted_out', async () => {
    await db.run(
      `INSERT INTO contacts (id, account_id, email, opted_out, kind) VALUES ('C9', 'A1', 'quiet@globex.test', true, 'contact')`,
    );
    const before = standIn.apiRequests().length;
    const outcomes = await push([bought(3, 'Quiet@Globex.test'), bought(4)]);
    expect(outcomes).toEqual([
      {
        key: 'purchase:3',
        ok: false,
        reason: 'opted_out',
        error: 'the address quiet@globex.test is opted out on contact C9',
      },
      { key: 'purchase:4', ok: true, targetId: expect.any(String), memberId: expect.any(String) },
    ]);
    const sent = standIn.apiRequests().slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((r) => /quiet@globex/i.test(JSON.stringify(r.query) + r.body))).toEqual([]);
  });

  it("fails a person Outreach refuses with Outreach's words, and an address it cannot take without a call", async () => {
    const before = standIn.apiRequests().length;
    const [refused] = await push([bought(5)], { mailboxId: '999999' });
    expect(refused).toEqual({
      key: 'purchase:5',
      ok: false,
      reason: 'failed',
      error: 'Outreach refused the person: Mailbox must exist.',
    });
    const afterRefusal = standIn.apiRequests().length;
    expect(afterRefusal).toBeGreaterThan(before);
    expect(await push([bought(6, 'not an address')])).toEqual([
      {
        key: 'purchase:6',
        ok: false,
        reason: 'failed',
        error: '"not an address" is not an address Outreach can take',
      },
    ]);
    expect(standIn.apiRequests().length).toBe(afterRefusal);
  });

  it('fails the people not done when Outreach stops taking calls, with the retry time for a rate limit', async () => {
    standIn.fail({
      path: /^\/api\/v2\/prospects$/,
      method: 'GET',
      status: 429,
      headers: { 'Retry-After': '3600' },
    });
    const [limited] = await push([bought(7)], { client: client({ maxRateLimitWaitMs: 0 }) });
    expect(limited).toMatchObject({ key: 'purchase:7', ok: false, reason: 'failed' });
    expect((limited as { error: string }).error).toMatch(
      /^Outreach's rate limit was reached: not sent; try again after \d{4}-\d\d-\d\dT/,
    );

    const revoked = client({ accessToken: () => Promise.resolve('revoked-token') });
    expect(await push([bought(8), bought(9)], { client: revoked })).toEqual([
      {
        key: 'purchase:8',
        ok: false,
        reason: 'failed',
        error: 'Outreach no longer accepts this connection: connect Outreach again',
      },
      {
        key: 'purchase:9',
        ok: false,
        reason: 'failed',
        error: 'Outreach no longer accepts this connection: connect Outreach again',
      },
    ]);
    expect(standIn.prospectsWithEmail('buyer8@globex.test')).toEqual([]);
  });
});
