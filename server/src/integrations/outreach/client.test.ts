import { OutreachClient, JSON_API } from './client';
import { OutreachApiError, OutreachOAuthError } from './errors';
import { authorizeUrl, exchangeCode, refreshTokens } from './oauth';
import { parseOutreachEnv } from './env';
import { ALL_SCOPES, startOutreachStandIn } from '../../../test/outreachStandIn/testing';
import type { OutreachStandIn } from '../../../test/outreachStandIn/standIn';
import type { OutreachConfig } from './env';

/** The real client against the Outreach stand-in (server/test/outreachStandIn). */
describe('Outreach client against the stand-in', () => {
  let standIn: OutreachStandIn;
  let config: OutreachConfig;
  let clock = new Date('2026-11-23T12:00:00Z');
  const sleeps: number[] = [];

  beforeAll(async () => {
    ({ standIn, config } = await startOutreachStandIn({
      now: () => clock,
      rateLimit: 5,
      rateWindowMs: 10_000,
    }));
  });
  afterAll(() => standIn.close());

  const clientFor = (token: string, options: Partial<ConstructorParameters<typeof OutreachClient>[0]> = {}) =>
    new OutreachClient({
      apiUrl: config.apiUrl,
      accessToken: async () => token,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock = new Date(clock.getTime() + ms);
      },
      ...options,
    });

  it('exchanges an authorization code, then refreshes, as a form-encoded token request', async () => {
    const url = new URL(authorizeUrl(config, 'state-1'));
    expect(url.searchParams.get('scope')).toBe(ALL_SCOPES.join(' '));
    const approved = await fetch(url, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('state-1');
    const tokens = await exchangeCode(config, back.searchParams.get('code')!, clock);
    expect(tokens.expiresAt.getTime() - clock.getTime()).toBe(7200_000);
    expect(tokens.scope.split(' ')).toEqual(ALL_SCOPES);
    // Outreach mints one token per user per minute.
    await expect(refreshTokens(config, tokens.refreshToken, clock)).rejects.toMatchObject({ status: 429 });
    clock = new Date(clock.getTime() + 61_000);
    const refreshed = await refreshTokens(config, tokens.refreshToken, clock);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    // A refresh token is spent once.
    clock = new Date(clock.getTime() + 61_000);
    await expect(refreshTokens(config, tokens.refreshToken, clock)).rejects.toEqual(
      expect.objectContaining({ error: 'invalid_grant' }),
    );
    await expect(exchangeCode({ ...config, clientSecret: 'wrong' }, 'x', clock)).rejects.toBeInstanceOf(
      OutreachOAuthError,
    );
    const form = standIn.requests.find((r) => r.path === '/oauth/token')!;
    expect(form.contentType).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(form.body).get('grant_type')).toBe('authorization_code');
  });

  it('is refused 415 with `details` without the JSON:API content type, and reads it', async () => {
    const { accessToken } = standIn.issueToken('7', ALL_SCOPES);
    const res = await fetch(`${config.apiUrl}/prospects`, {
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('x-ratelimit-limit')).toBe('5');
    const body = (await res.json()) as { errors: { details: string }[] };
    expect(body.errors[0]!.details).toMatch(/application\/vnd.api\+json/);
    // The client always sends it.
    await clientFor(accessToken).findProspectsByEmails(['nobody@example.com']);
    expect(standIn.requests.at(-1)!.contentType).toBe(JSON_API);
    // And it reads `details` as the error text.
    const failing = clientFor(accessToken, {
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...init!.headers, 'Content-Type': 'text/plain' } }),
    });
    await expect(failing.listSequences()).rejects.toMatchObject({
      status: 415,
      errorId: 'unsupportedMediaType',
      detail: "Expected Content-Type header to be 'application/vnd.api+json'.",
    });
  });

  it('gets 403 unauthorizedOauthScope for a missing scope (write does not grant read)', async () => {
    const { accessToken } = standIn.issueToken('8', ['prospects.write', 'sequences.read']);
    const error = await clientFor(accessToken)
      .findProspectsByEmails(['a@example.com'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutreachApiError);
    expect(error).toMatchObject({ status: 403, errorId: 'unauthorizedOauthScope' });
    expect((error as OutreachApiError).detail).toMatch(/prospects.read/);
  });

  it('gets 422 with its detail for a prospect without email and a duplicate enrolment', async () => {
    const { accessToken } = standIn.issueToken('9', ALL_SCOPES);
    const client = clientFor(accessToken);
    clock = new Date(clock.getTime() + 60_000);
    const noEmail = await fetch(`${config.apiUrl}/prospects`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': JSON_API },
      body: JSON.stringify({ data: { type: 'prospect', attributes: { firstName: 'No', emails: [] } } }),
    });
    expect(noEmail.status).toBe(422);
    expect(((await noEmail.json()) as { errors: { source: unknown }[] }).errors[0]!.source).toEqual({
      pointer: '/data/attributes/emails',
    });

    const sequenceId = standIn.addSequence('Duplicates');
    const mailboxId = standIn.addMailbox('rep@example.com', '9');
    const prospect = await client.createProspect({
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane@acme.example',
      title: 'VP',
      company: 'Acme',
    });
    const created = JSON.parse(standIn.requests.at(-1)!.body);
    expect(created).toEqual({
      data: {
        type: 'prospect',
        attributes: {
          emails: ['jane@acme.example'],
          firstName: 'Jane',
          lastName: 'Doe',
          title: 'VP',
          company: 'Acme',
        },
      },
    });
    const state = await client.createSequenceState({ prospectId: prospect.id, sequenceId, mailboxId });
    expect(JSON.parse(standIn.requests.at(-1)!.body)).toEqual({
      data: {
        type: 'sequenceState',
        relationships: {
          prospect: { data: { type: 'prospect', id: Number(prospect.id) } },
          sequence: { data: { type: 'sequence', id: Number(sequenceId) } },
          mailbox: { data: { type: 'mailbox', id: Number(mailboxId) } },
        },
      },
    });
    expect(state).toMatchObject({ prospectId: prospect.id, sequenceId, mailboxId, state: 'active' });
    await expect(
      client.createSequenceState({ prospectId: prospect.id, sequenceId, mailboxId }),
    ).rejects.toMatchObject({
      status: 422,
      errorId: 'validationError',
      detail: 'Prospect is already active in this sequence.',
    });
    expect(await client.findSequenceStates({ prospectIds: [prospect.id], sequenceId })).toEqual([
      expect.objectContaining({ id: state.id, prospectId: prospect.id }),
    ]);
  });

  it('follows cursor pages and batches email filters 50 at a time', async () => {
    const { accessToken } = standIn.issueToken('10', ALL_SCOPES);
    clock = new Date(clock.getTime() + 60_000);
    const emails = Array.from({ length: 120 }, (_, i) => `paged${i}@example.com`);
    for (const email of emails) standIn.addProspect(email);
    const before = standIn.count('GET', 'prospects');
    const client = clientFor(accessToken, { maxRateLimitWaitMs: 60_000, maxRateLimitRetries: 10 });
    const found = await client.findProspectsByEmails(emails);
    expect(found.map((p) => p.emails[0]).sort()).toEqual([...emails].sort());
    expect(standIn.count('GET', 'prospects') - before).toBe(3);
    for (let i = 0; i < 60; i++) standIn.addSequence(`Seq ${String(i).padStart(3, '0')}`);
    const pagesBefore = standIn.count('GET', 'sequences');
    const sequences = await client.listSequences();
    expect(sequences.length).toBeGreaterThan(60);
    expect(standIn.count('GET', 'sequences') - pagesBefore).toBe(2);
    expect(standIn.apiRequests().at(-1)!.query['page[after]']).toBeTruthy();
    expect(sequences.map((s) => s.name)).toEqual(
      [...sequences.map((s) => s.name)].sort((a, b) => a.localeCompare(b)),
    );
  });

  it('reads the rate-limit headers, waits out a 429 within the bound, and gives up past it', async () => {
    const { accessToken } = standIn.issueToken('11', ALL_SCOPES);
    clock = new Date(clock.getTime() + 60_000);
    const client = clientFor(accessToken, { maxRateLimitWaitMs: 15_000 });
    for (let i = 0; i < 5; i++) await client.listSequences({ enabledOnly: true }).catch(() => undefined);
    expect(client.rateLimit.limit).toBe(5);
    sleeps.length = 0;
    // The 6th call is over the limit: 429, Retry-After ≤ 10 s, then it goes through.
    await client.findProspectsByEmails(['x@example.com']);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(0);
    expect(sleeps[0]).toBeLessThanOrEqual(10_000);
    expect(standIn.apiRequests().filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(client.rateLimit.remaining).toBe(4);

    const impatient = clientFor(accessToken, { maxRateLimitWaitMs: 0 });
    for (let i = 0; i < 5; i++)
      await impatient.findProspectsByEmails(['y@example.com']).catch(() => undefined);
    const error = await impatient.findProspectsByEmails(['y@example.com']).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, errorId: 'rateLimitExceeded' });
    expect((error as OutreachApiError).retryAt!.getTime()).toBeGreaterThan(clock.getTime());
  });
});

describe('Outreach settings', () => {
  it('are off without a client id, complete with one, and name every missing variable', () => {
    expect(parseOutreachEnv({})).toEqual({ config: null });
    expect(parseOutreachEnv({ OUTREACH_CLIENT_ID: 'id' })).toEqual({
      problems: [
        'OUTREACH_CLIENT_SECRET: is required with OUTREACH_CLIENT_ID',
        'OUTREACH_REDIRECT_URI: is required with OUTREACH_CLIENT_ID',
        'SIGNALFIT_SECRET_KEY: is required with OUTREACH_CLIENT_ID (it encrypts the Outreach tokens)',
      ],
    });
    expect(
      parseOutreachEnv({
        OUTREACH_CLIENT_ID: 'id',
        OUTREACH_CLIENT_SECRET: 'secret',
        OUTREACH_REDIRECT_URI: 'https://signalfit.example.com/api/outreach/callback',
        SIGNALFIT_SECRET_KEY: 'k'.repeat(32),
      }),
    ).toEqual({
      config: {
        clientId: 'id',
        clientSecret: 'secret',
        redirectUri: 'https://signalfit.example.com/api/outreach/callback',
        apiUrl: 'https://api.outreach.io/api/v2',
        oauthUrl: 'https://api.outreach.io/oauth',
        secretKey: 'k'.repeat(32),
      },
    });
    expect(parseOutreachEnv({ SIGNALFIT_SECRET_KEY: 'short', OUTREACH_API_URL: 'ftp://x' })).toEqual({
      problems: expect.arrayContaining([
        expect.stringMatching(/^OUTREACH_API_URL/),
        expect.stringMatching(/^SIGNALFIT_SECRET_KEY/),
      ]),
    });
  });
});
