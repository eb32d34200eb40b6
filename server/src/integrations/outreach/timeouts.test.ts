import { OutreachClient } from './client';
import { OutreachApiError, OutreachOAuthError } from './errors';
import { refreshTokens } from './oauth';
import type { OutreachConfig } from './env';
import { ALL_SCOPES, startOutreachStandIn } from '../../../test/outreachStandIn/testing';
import type { OutreachStandIn } from '../../../test/outreachStandIn/standIn';

/**
 * Outreach calls have a deadline and a bounded, backed-off retry for reads (issue 20, item 7),
 * against the stand-in made to hang or fail.
 */
jest.setTimeout(30_000);

/** How `promise` ended within `ms`: its value, its error, or still pending. */
async function settled<T>(
  promise: Promise<T>,
  ms: number,
): Promise<{ value?: T; error?: unknown; pending?: true; elapsedMs: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    new Promise<{ pending: true }>((resolve) => {
      timer = setTimeout(() => resolve({ pending: true }), ms);
    }),
  ]);
  clearTimeout(timer);
  return { ...outcome, elapsedMs: Date.now() - started };
}

describe('Outreach calls: timeouts and retries', () => {
  let standIn: OutreachStandIn;
  let config: OutreachConfig;
  let token: string;
  let sleeps: number[];
  beforeAll(async () => {
    ({ standIn, config } = await startOutreachStandIn({ minTokenIntervalMs: 0 }));
    token = standIn.issueToken('1', ALL_SCOPES).accessToken;
  });
  beforeEach(() => {
    sleeps = [];
    standIn.hang = null;
  });
  afterAll(() => standIn.close());

  const client = (options: { timeoutMs?: number; retries?: number } = {}) =>
    new OutreachClient({
      apiUrl: config.apiUrl,
      accessToken: async () => token,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options,
    });
  const received = (path: string) => standIn.requests.filter((r) => r.path === `/api/v2/${path}`).length;

  it('gives up on a hung read at the deadline, after its bounded retries with a doubling backoff', async () => {
    standIn.hang = /\/sequences$/;
    const before = received('sequences');
    const outcome = await settled(client({ timeoutMs: 300, retries: 2 }).listSequences(), 5_000);
    expect(outcome.pending).toBeUndefined();
    expect(outcome.error).toBeInstanceOf(OutreachApiError);
    expect(outcome.error).toMatchObject({
      status: 0,
      errorId: 'timeout',
      detail: 'Outreach (GET /api/v2/sequences) did not answer within 300 ms',
    });
    expect(received('sequences') - before).toBe(3);
    expect(sleeps).toEqual([500, 1000]);
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(900);
  });

  it('retries a read that gets 503, waits Retry-After when given, and stops after the bound', async () => {
    standIn.fail({ path: /\/mailboxes$/, status: 503, times: 5 });
    const before = received('mailboxes');
    await expect(client({ retries: 2 }).listMailboxes({ userId: '1' })).rejects.toMatchObject({
      status: 503,
    });
    expect(received('mailboxes') - before).toBe(3);
    expect(sleeps).toEqual([500, 1000]);

    sleeps = [];
    standIn.fail({ path: /\/users$/, status: 503, times: 1, headers: { 'Retry-After': '2' } });
    await expect(client({ retries: 2 }).findUserByEmail('rita@example.com')).resolves.toBeNull();
    expect(sleeps).toEqual([2000]);
  });

  it('never repeats a create that timed out or failed: Outreach may have done it', async () => {
    standIn.hang = /\/prospects$/;
    const before = standIn.requests.filter((r) => r.method === 'POST').length;
    const outcome = await settled(
      client({ timeoutMs: 300, retries: 2 }).createProspect({
        firstName: 'A',
        lastName: null,
        email: 'a@example.com',
        title: null,
        company: null,
      }),
      5_000,
    );
    expect(outcome.error).toMatchObject({ status: 0, errorId: 'timeout' });
    standIn.hang = null;
    standIn.fail({ path: /\/sequenceStates$/, method: 'POST', status: 503, times: 1 });
    await expect(
      client({ retries: 2 }).createSequenceState({ prospectId: '1', sequenceId: '2', mailboxId: '3' }),
    ).rejects.toMatchObject({ status: 503 });
    expect(standIn.requests.filter((r) => r.method === 'POST').length - before).toBe(2);
    expect(sleeps).toEqual([]);
  });

  it('a hung token endpoint fails the refresh with a timeout error at the deadline', async () => {
    standIn.hang = /\/oauth\/token$/;
    const { refreshToken } = standIn.issueToken('2', ALL_SCOPES);
    const outcome = await settled(refreshTokens(config, refreshToken, new Date(), { timeoutMs: 400 }), 5_000);
    expect(outcome.pending).toBeUndefined();
    expect(outcome.error).toBeInstanceOf(OutreachOAuthError);
    expect(outcome.error).toMatchObject({
      status: 0,
      error: 'timeout',
      message: 'the Outreach token endpoint did not answer within 400 ms',
    });
    expect(outcome.elapsedMs).toBeLessThan(2_000);
  });
});
