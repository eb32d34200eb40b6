import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import type { EmbedConfig } from '../../../embedConfig';
import { ACME_ID, seedIntelligenceFixture, PEOPLE } from '../../../services/intelligence/testing';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { DEFAULT_ALLOWED_ORIGINS } from '../../auth/allowedOrigins';
import {
  mintEmbedToken,
  TEST_EMBED_SECRET,
  TEST_ORG_ID,
  TEST_USER_ID,
  type EmbedClaims,
} from '../../auth/testing';
import { createApp } from '../../app';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-11-20T12:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const hsConfig: EmbedConfig = {
  secret: new TextEncoder().encode(TEST_EMBED_SECRET),
  orgId: TEST_ORG_ID,
  allowedOrigins: DEFAULT_ALLOWED_ORIGINS,
};
const rsConfig: EmbedConfig = {
  publicKey: rsa.publicKey,
  orgId: TEST_ORG_ID,
  allowedOrigins: DEFAULT_ALLOWED_ORIGINS,
};

describe.each(testStoreTargets())('POST /api/embed/exchange on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(() => seedIntelligenceFixture(db));

  const app = (embed: EmbedConfig = hsConfig, log = captureLogger()) =>
    createApp({ db, logger: log.logger, version: 't', embed, now: () => NOW });
  const exchange = (token: string, embed?: EmbedConfig) =>
    request(app(embed)).post('/api/embed/exchange').send({ token });
  const hsToken = (claims: EmbedClaims = {}) => mintEmbedToken({ claims, now: NOW });

  it('turns a valid HS256 token into a short-lived access token for the user and record', async () => {
    const res = await exchange(await hsToken({ rid: ACME_ID, obj: 'Account', perms: ['Signalfit_Access'] }));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      expiresIn: 900,
      user: {
        id: TEST_USER_ID,
        orgId: TEST_ORG_ID,
        name: 'Rita Rep',
        email: 'rita@example.com',
        perms: ['Signalfit_Access'],
      },
      record: { id: ACME_ID, objectApiName: 'Account', accountId: ACME_ID, known: true },
    });
  });

  it('accepts an RS256 token verified with the configured public key', async () => {
    const token = await mintEmbedToken({ now: NOW, privateKey: rsa.privateKey });
    const res = await exchange(token, rsConfig);
    expect(res.status).toBe(200);
    expect(res.body.record).toBeNull();
  });

  it("resolves a contact's or lead's 15-character id to the person's account", async () => {
    const res = await exchange(await hsToken({ rid: PEOPLE.lee.slice(0, 15), obj: 'Lead' }));
    expect(res.status).toBe(200);
    expect(res.body.record).toEqual({
      id: PEOPLE.lee,
      objectApiName: 'Lead',
      accountId: ACME_ID,
      known: true,
    });
  });

  it('says when the store does not hold the record yet', async () => {
    const res = await exchange(await hsToken({ rid: '001Ax00000ZzZzZ', obj: 'Account' }));
    expect(res.status).toBe(200);
    expect(res.body.record).toMatchObject({ accountId: null, known: false });
  });

  // Every row has three entries: with two, Jest would pass its `done` callback as the third.
  const refusals: [string, () => Promise<string>, EmbedConfig | undefined][] = [
    [
      'token_invalid_signature',
      () => mintEmbedToken({ now: NOW, secret: 'another-secret-of-at-least-32-characters' }),
      undefined,
    ],
    [
      'token_invalid_signature',
      () =>
        mintEmbedToken({
          now: NOW,
          privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
        }),
      rsConfig,
    ],
    ['token_invalid_signature', () => mintEmbedToken({ now: NOW, privateKey: rsa.privateKey }), undefined], // RS256 not configured
    ['token_expired', () => hsToken({ iat: nowSeconds - 120, exp: nowSeconds - 60 }), undefined],
    ['token_wrong_audience', () => hsToken({ aud: 'someone-else' }), undefined],
    ['token_lifetime_too_long', () => hsToken({ iat: nowSeconds, exp: nowSeconds + 3600 }), undefined],
    ['token_malformed', async () => 'not.a.jwt', undefined],
    ['token_malformed', () => hsToken({ sub: 'not-a-user-id' }), undefined],
    ['token_malformed', () => hsToken({ rid: ACME_ID, obj: null }), undefined],
    ['token_malformed', () => hsToken({ iat: nowSeconds + 600, exp: nowSeconds + 630 }), undefined],
    ['token_wrong_issuer', () => hsToken({ iss: '00D000000000002' }), undefined],
    [
      'token_wrong_issuer',
      () => mintEmbedToken({ now: NOW, privateKey: rsa.privateKey, claims: { iss: '00D000000000002' } }),
      rsConfig,
    ],
  ];
  it.each(refusals)('refuses with 401 %s', async (code, mint, embed) => {
    const res = await exchange(await mint(), embed);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toEqual(expect.any(String));
  });

  it('accepts the org given as a 15-character id when SIGNALFIT_SALESFORCE_ORG_ID is its 18-character form', async () => {
    const res = await exchange(await hsToken({ iss: TEST_ORG_ID.slice(0, 15) }), {
      ...hsConfig,
      orgId: TEST_ORG_ID,
    });
    expect(res.status).toBe(200);
  });

  it('refuses a token used before, even by another instance of the service', async () => {
    const token = await hsToken();
    expect((await exchange(token)).status).toBe(200);
    const replay = await request(app()).post('/api/embed/exchange').send({ token });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('token_replayed');
  });

  it('lets only one of two simultaneous exchanges of one token win', async () => {
    const token = await hsToken();
    const results = await Promise.all([exchange(token), exchange(token), exchange(token)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  });

  it('refuses a forged token of another org when the app has a key but no org pin (loadConfig refuses that too)', async () => {
    // Whoever read the HS256 secret from the org's metadata mints an Admin token naming another org.
    const forged = await mintEmbedToken({
      now: NOW,
      claims: { iss: '00D000000000666', perms: ['Signalfit_Access', 'Signalfit_Admin'] },
    });
    const { orgId: _pin, ...pinless } = hsConfig;
    const res = await exchange(forged, pinless);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('embed_not_configured');
    expect(res.body.error.message).toContain('SIGNALFIT_SALESFORCE_ORG_ID');
    expect(res.body.accessToken).toBeUndefined();
  });

  it('answers 503 embed_not_configured when no key is configured', async () => {
    const res = await exchange(await hsToken(), { allowedOrigins: DEFAULT_ALLOWED_ORIGINS });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('embed_not_configured');
  });

  it('answers 400 validation_failed without a token', async () => {
    const res = await request(app()).post('/api/embed/exchange').send({});
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('never logs the tokens', async () => {
    const log = captureLogger();
    const token = await hsToken();
    const res = await request(app(hsConfig, log)).post('/api/embed/exchange').send({ token });
    expect(res.status).toBe(200);
    expect(log.text()).not.toContain(token);
    expect(log.text()).not.toContain(res.body.accessToken);
  });
});
