import request from 'supertest';
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
 * A hung Outreach token endpoint (issue 20, item 7): the refresh fails with a timeout at the
 * configured deadline, and meanwhile the panel keeps answering from the store, on the embedded
 * store too (where a transaction held across the call would block every other request).
 */
const TIMEOUT_MS = 4_000;
jest.setTimeout(60_000);

describe.each(testStoreTargets())('a hung Outreach on $name', (target) => {
  let db: Db;
  let standIn: OutreachStandIn;
  let config: OutreachConfig;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    ({ standIn, config } = await startOutreachStandIn({ minTokenIntervalMs: 0 }));
    await seedIntelligenceFixture(db);
  });
  afterAll(() => standIn?.close());

  it('times the token refresh out while the account panel answers promptly', async () => {
    const connections = new OutreachConnections({
      db,
      config,
      now: () => new Date(),
      outbound: { timeoutMs: TIMEOUT_MS, retries: 2 },
    });
    // Expiring within the refresh margin: the next Outreach call refreshes first.
    await connectThroughStandIn(connections, standIn, { orgId: TEST_ORG_ID, userId: TEST_USER_ID }, 60_000);
    const { app, auth } = await outreachAppForSales(db, connections);
    standIn.hang = /\/oauth\/token$/;
    const started = Date.now();
    const sequences = request(app)
      .get('/api/outreach/sequences')
      .set('Authorization', auth)
      .then((r) => r);
    while (!standIn.requests.some((r) => r.path === '/oauth/token')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const panelStarted = Date.now();
    const panel = await Promise.race([
      request(app).get(`/api/accounts/${ACME_ID}/intelligence`).set('Authorization', auth),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 2_000)),
    ]);
    expect(panel && { status: panel.status, name: panel.body.account?.name }).toEqual({
      status: 200,
      name: 'Acme Cloud',
    });
    expect(Date.now() - panelStarted).toBeLessThan(2_000);

    const refused = await Promise.race([
      sequences,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), TIMEOUT_MS + 5_000)),
    ]);
    expect(refused && { status: refused.status, error: refused.body.error }).toEqual({
      status: 502,
      error: {
        code: 'outreach_unavailable',
        message: `Outreach token refresh failed: the Outreach token endpoint did not answer within ${TIMEOUT_MS} ms`,
      },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS);
    // Still connected: a timeout says nothing about the grant.
    const status = await request(app).get('/api/outreach/status').set('Authorization', auth);
    expect(status.body.connected).toBe(true);
  });
});
