import type { Db } from '../../store/db';
import { countingTransactions, testStoreTargets, useTestStore } from '../../store/testing';
import type { OutreachStandIn } from '../../../test/outreachStandIn/standIn';
import { connectThroughStandIn, startOutreachStandIn } from '../../../test/outreachStandIn/testing';
import type { OutreachConfig } from '../../integrations/outreach/env';
import { OutreachConnections, type OutreachUserKey } from './connections';

/**
 * The Outreach token refresh makes no network call inside a database transaction (issue 20,
 * item 7), and refreshes racing from two instances leave one good, stored token.
 */
jest.setTimeout(30_000);

describe.each(testStoreTargets())('Outreach token refresh on $name', (target) => {
  let db: Db;
  let standIn: OutreachStandIn;
  let config: OutreachConfig;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    ({ standIn, config } = await startOutreachStandIn({ minTokenIntervalMs: 0 }));
  });
  afterAll(() => standIn?.close());

  /** A connection of `user` whose token expires in a minute (so the next use refreshes it). */
  const expiringConnection = (connections: OutreachConnections, user: OutreachUserKey) =>
    connectThroughStandIn(connections, standIn, user, 60_000);
  const storedExpiry = async (user: OutreachUserKey) =>
    (
      await db.query<{ expires_at: Date }>(
        'SELECT expires_at FROM outreach_connections WHERE org_id = $1 AND user_id = $2',
        [user.orgId, user.userId],
      )
    )[0]?.expires_at;

  it('calls the token endpoint with no transaction open, and stores the new token after the answer', async () => {
    const counting = countingTransactions(db);
    const events: string[] = [];
    const watchedDb: Db = {
      ...counting.db,
      run: async (sql, params) => {
        if (/^\s*UPDATE outreach_connections SET access_token/.test(sql)) events.push('store the new token');
        return counting.db.run(sql, params);
      },
    };
    const watchedFetch: typeof fetch = async (input, init) => {
      events.push(`fetch with ${counting.open()} transaction(s) open`);
      const response = await fetch(input, init);
      events.push('answered');
      return response;
    };
    const connections = new OutreachConnections({
      db: watchedDb,
      config,
      now: () => new Date(),
      fetch: watchedFetch,
    });
    const user = { orgId: 'org-1', userId: 'user-1' };
    const old = await expiringConnection(connections, user);
    const fresh = await connections.accessToken(user);
    expect(fresh).not.toBe(old);
    expect(events).toEqual(['fetch with 0 transaction(s) open', 'answered', 'store the new token']);
    expect(new Date((await storedExpiry(user))!).getTime()).toBeGreaterThan(Date.now() + 3600_000);
  });

  it('two instances refreshing at once send one token request and both get the stored token', async () => {
    const user = { orgId: 'org-1', userId: 'user-2' };
    const a = new OutreachConnections({ db, config, now: () => new Date() });
    const b = new OutreachConnections({ db, config, now: () => new Date() });
    await expiringConnection(a, user);
    const before = standIn.requests.filter((r) => r.path === '/oauth/token').length;
    const [tokenA, tokenB] = await Promise.all([a.accessToken(user), b.accessToken(user)]);
    expect(standIn.requests.filter((r) => r.path === '/oauth/token').length - before).toBe(1);
    // The one that lost the claim used the current token (still valid for a minute) or the new one.
    expect((await a.status(user)).connected).toBe(true);
    for (const token of [tokenA, tokenB]) {
      const res = await fetch(`${config.apiUrl}/sequences`, {
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/vnd.api+json' },
      });
      expect(res.status).toBe(200);
    }
    // The stored refresh token is the rotated one: the next refresh works.
    await db.run(
      `UPDATE outreach_connections SET expires_at = now() + interval '1 minute' WHERE org_id = $1 AND user_id = $2`,
      [user.orgId, user.userId],
    );
    const next = await b.accessToken(user);
    expect(next).not.toBe(tokenA);
    expect(new Date((await storedExpiry(user))!).getTime()).toBeGreaterThan(Date.now() + 3600_000);
  });
});
