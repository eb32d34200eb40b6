import request from 'supertest';
import type { Db } from '../store/db';
import { testStoreTargets, useTestStore } from '../store/testing';
import { createApp, type AppDeps } from './app';
import { issueAccessToken, type Access } from './auth/accessToken';
import { loadAccessKey } from './auth/accessKey';
import { mintEmbedToken, TEST_EMBED_CONFIG, TEST_ORG_ID } from './auth/testing';
import { DEFAULT_RATE_LIMITS } from './rateLimits';
import { captureLogger } from './testing';

const NOW = new Date('2026-11-20T12:00:00Z');

jest.setTimeout(60_000);

describe.each(testStoreTargets())('rate limits on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  const app = (deps: Partial<AppDeps> = {}) =>
    createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
      demoSignIn: { allowed: true },
      ...deps,
    });
  const exchange = async (target: ReturnType<typeof app>, forwardedFor?: string) => {
    const call = request(target).post('/api/embed/exchange');
    if (forwardedFor) call.set('X-Forwarded-For', forwardedFor);
    return call.send({ token: await mintEmbedToken({ now: NOW }) });
  };

  it('answers 300 rapid embed-token exchanges from one client with 429 and Retry-After past the default limit', async () => {
    const service = app();
    const statuses: number[] = [];
    let refused: request.Response | undefined;
    for (let i = 0; i < 300; i++) {
      const res = await exchange(service);
      statuses.push(res.status);
      refused ??= res.status === 429 ? res : undefined;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(DEFAULT_RATE_LIMITS.embedPerMinute);
    expect(statuses.slice(DEFAULT_RATE_LIMITS.embedPerMinute).every((s) => s === 429)).toBe(true);
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused!.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused!.body).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringContaining('at most 120 a minute'),
        details: { limit: 120, windowSeconds: 60, retryAfterSeconds: expect.any(Number) },
      },
    });
  });

  it('counts each client address apart behind a trusted proxy, and ignores X-Forwarded-For otherwise', async () => {
    const limits = { ...DEFAULT_RATE_LIMITS, embedPerMinute: 3 };
    const proxied = app({ rateLimits: limits, trustProxy: 'loopback' });
    for (let i = 0; i < 3; i++) expect((await exchange(proxied, '203.0.113.7')).status).toBe(200);
    expect((await exchange(proxied, '203.0.113.7')).status).toBe(429);
    expect((await exchange(proxied, '198.51.100.9')).status).toBe(200);

    // Without TRUST_PROXY a client cannot pick a fresh address for each request.
    const direct = app({ rateLimits: limits });
    for (let i = 0; i < 3; i++) expect((await exchange(direct, `203.0.113.${i}`)).status).toBe(200);
    expect((await exchange(direct, '198.51.100.9')).status).toBe(429);
  });

  it('limits demo sign-in per client address', async () => {
    const service = app({ rateLimits: { ...DEFAULT_RATE_LIMITS, signInPerMinute: 2 }, trustProxy: 1 });
    const signIn = (from: string) => request(service).post('/api/session/demo').set('X-Forwarded-For', from);
    expect((await signIn('203.0.113.7')).status).toBe(200);
    expect((await signIn('203.0.113.7')).status).toBe(200);
    const refused = await signIn('203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.body.error.code).toBe('rate_limited');
    expect((await signIn('198.51.100.9')).status).toBe(200);
    // Asking how to sign in is not a sign-in.
    expect((await request(service).get('/api/session').set('X-Forwarded-For', '203.0.113.7')).status).toBe(
      200,
    );
  });

  it('limits the API per user: another user from the same address is not affected', async () => {
    const service = app({ rateLimits: { ...DEFAULT_RATE_LIMITS, apiPerMinute: 4 } });
    const key = await loadAccessKey(db);
    const user = (userId: string): Access => ({
      orgId: TEST_ORG_ID,
      userId,
      name: userId,
      email: null,
      perms: [],
      record: null,
      accountId: null,
      role: 'Admin',
    });
    const first = await issueAccessToken(user('user-1'), key, NOW);
    const second = await issueAccessToken(user('user-2'), key, NOW);
    const industries = (token: string) =>
      request(service).get('/api/accounts/industries').set('Authorization', `Bearer ${token}`);
    for (let i = 0; i < 4; i++) expect((await industries(first)).status).toBe(200);
    const refused = await industries(first);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', details: { limit: 4 } });
    // A second token of the same user shares the count; another user has their own.
    const againFirst = await issueAccessToken(user('user-1'), key, new Date(NOW.getTime() + 1000));
    expect((await industries(againFirst)).status).toBe(429);
    expect((await industries(second)).status).toBe(200);
    // The embed exchange and sign-in have their own limits.
    expect((await exchange(service)).status).toBe(200);
  });
});
