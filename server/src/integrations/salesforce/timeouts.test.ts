import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { OutboundTimeoutError } from '../outbound';
import { API_VERSION, connectSalesforce, type SalesforceSettings } from './client';

/**
 * Salesforce calls through jsforce have a deadline and a bounded, backed-off retry (issue 20,
 * item 7), against the stand-in made to hang or fail.
 */
jest.setTimeout(30_000);

const LIMITS = { timeoutMs: 1_000, retries: 2 };

/** How `promise` ended within `ms`: its error, or still pending. */
async function failureWithin(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    promise.then(
      () => 'resolved',
      (error: unknown) => error,
    ),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(`still waiting after ${ms} ms`), ms);
    }),
  ]);
  clearTimeout(timer);
  return outcome;
}

describe('Salesforce calls: timeouts and retries', () => {
  let standIn: SalesforceStandIn;
  let settings: SalesforceSettings;
  beforeAll(async () => {
    ({ standIn, settings } = await startStandIn());
  });
  beforeEach(() => {
    standIn.hang = null;
  });
  afterAll(() => standIn.close());

  it('a hung query fails at the deadline with an error naming the call', async () => {
    const { conn } = await connectSalesforce(settings, undefined, LIMITS);
    standIn.hang = /\/query$/;
    const started = Date.now();
    const error = await failureWithin(Promise.resolve(conn.query('SELECT Id FROM Account')), 5_000);
    expect(error).toBeInstanceOf(OutboundTimeoutError);
    expect((error as Error).message).toBe(
      `Salesforce (GET /services/data/v${API_VERSION}/query) did not answer within 1000 ms`,
    );
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a hung login fails at the deadline', async () => {
    standIn.hang = /\/oauth2\/token$/;
    const error = await failureWithin(connectSalesforce(settings, undefined, LIMITS), 5_000);
    expect(String(error)).toMatch(
      /Salesforce login \(JWT bearer\) at .* failed: OutboundTimeoutError: Salesforce \(POST \/services\/oauth2\/token\) did not answer within 1000 ms/,
    );
  });

  it('retries a read that gets 503 with a doubling backoff and stops after the bound', async () => {
    // jsforce's deadline spans the retries: room for the two waits (0.5 s and 1 s).
    const { conn } = await connectSalesforce(settings, undefined, { ...LIMITS, timeoutMs: 5_000 });
    standIn.fail({
      path: /\/query$/,
      status: 503,
      errorCode: 'SERVER_UNAVAILABLE',
      message: 'Service unavailable',
      times: 3,
    });
    const before = standIn.apiRequests().length;
    await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({
      errorCode: 'SERVER_UNAVAILABLE',
    });
    const tries = standIn.apiRequests().slice(before);
    expect(tries).toHaveLength(3);
    const gaps = tries.slice(1).map((t, i) => t.at - tries[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(450);
    expect(gaps[1]).toBeGreaterThanOrEqual(950);
  });
});
