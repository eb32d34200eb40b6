import { ProviderStandIn, type VendorRow } from '../../../test/providerStandIn/standIn';
import { httpProvider, type BadAnswerRow, type HttpProviderOptions } from './httpProvider';

const TOKEN = 'vendor-token';

function row(id: string, domain: string, extra: VendorRow = {}): VendorRow {
  return {
    provider_id: id,
    email: `${id}@${domain}`,
    first_name: 'First',
    last_name: id,
    title: 'VP Sales',
    job_level: 'VP',
    job_function: 'Sales',
    company_domain: domain,
    country: 'US',
    email_confidence: 'A',
    cost: 1,
    ...extra,
  };
}

describe('the http provider against the stand-in', () => {
  let standIn: ProviderStandIn;
  let bad: BadAnswerRow[];
  let waits: number[];
  const provider = (options: Partial<HttpProviderOptions> = {}) =>
    httpProvider({
      name: 'Vendor API',
      url: standIn.url,
      token: TOKEN,
      limits: { timeoutMs: 2_000, retries: 2 },
      sleep: async (ms) => {
        waits.push(ms);
      },
      onBadRow: (problem) => bad.push(problem),
      ...options,
    });

  beforeEach(async () => {
    standIn = await new ProviderStandIn({ token: TOKEN, pageSize: 2 }).start();
    bad = [];
    waits = [];
  });
  afterEach(() => standIn.close());

  it('searches page by page with the token, in batches of 1000 domains, and drops a bad row (reported)', async () => {
    standIn.seed(
      row('a1', 'acme.com'),
      row('a2', 'www.Acme.com', { email: null, cost: null, country: 'de' }),
      row('a3', 'acme.com', { email: 'nope' }),
      row('a4', 'acme.com'),
      row('b1', 'beta.io', { cost: '2.5' }),
      row('c1', 'other.org'),
    );
    const domains = ['acme.com', ...Array.from({ length: 1000 }, (_, i) => `filler${i}.com`), 'beta.io'];
    const found = await provider().search(domains);
    expect(found.map((c) => c.providerId)).toEqual(['a1', 'a2', 'a4', 'b1']);
    expect(found[1]).toEqual({
      providerId: 'a2',
      email: null,
      firstName: 'First',
      lastName: 'a2',
      title: 'VP Sales',
      jobLevel: 'VP',
      jobFunction: 'Sales',
      companyDomain: 'www.Acme.com',
      country: 'DE',
      emailConfidence: 'A',
      cost: 1,
    });
    expect(found[3]!.cost).toBe(2.5);
    expect(bad).toEqual([
      {
        request: 'search',
        providerId: 'a3',
        reason:
          'row 1 of the answer: email "nope" is not an email address: write it as name@example.com, or leave it empty',
      },
    ]);
    const searches = standIn.requestsTo('search');
    // acme.com: pages of 2 (a1 a2, a3 a4); the second batch of domains: beta.io alone.
    expect(
      searches.map((r) => [(r.body as { domains: string[] }).domains.length, 'cursor' in (r.body as object)]),
    ).toEqual([
      [1000, false],
      [1000, true],
      [2, false],
    ]);
    expect(searches.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('buys once per key: the same key and ids again gets the same answer and charges nothing more', async () => {
    standIn.seed(row('a1', 'acme.com', { cost: 3 }), row('a2', 'acme.com', { email: 'broken' }));
    const first = await provider().purchase(['a1', 'a2', 'zz'], 'run-7/batch-1');
    expect(first).toEqual([
      {
        providerId: 'a1',
        ok: true,
        contact: expect.objectContaining({ providerId: 'a1', cost: 3 }),
        cost: 3,
      },
      {
        providerId: 'a2',
        ok: false,
        error: expect.stringMatching(
          /^Vendor API: the purchased row is not valid \(row 2 of the answer: email "broken"/,
        ),
      },
      { providerId: 'zz', ok: false, error: 'Vendor API: not_found' },
    ]);
    const again = await provider().purchase(['a1', 'a2', 'zz'], 'run-7/batch-1');
    expect(again).toEqual(first);
    expect(standIn.charges).toEqual([
      { providerId: 'a1', idempotencyKey: 'run-7/batch-1', cost: 3 },
      { providerId: 'a2', idempotencyKey: 'run-7/batch-1', cost: 1 },
    ]);
  });

  it('splits a purchase of more than 100 ids into batches with keys of their own', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => row(`p${i}`, 'acme.com'));
    standIn.seed(...rows);
    const ids = rows.map((r) => String(r.provider_id));
    const answers = await provider().purchase(ids, 'k');
    expect(answers.filter((a) => a.ok)).toHaveLength(150);
    expect(
      standIn.requestsTo('purchase').map((r) => (r.body as { idempotency_key: string }).idempotency_key),
    ).toEqual(['k/1', 'k/2']);
  });

  it('names the provider and says how to fix a refusal: 401, 402, 400', async () => {
    standIn.seed(row('a1', 'acme.com', { cost: 5 }));
    await expect(provider({ token: 'wrong' }).search(['acme.com'])).rejects.toMatchObject({
      code: 'provider_unavailable',
      message:
        'Vendor API: search answered 401 (unauthorized: missing or wrong bearer token): the token was refused: set the right one (providers add --token-env)',
    });
    standIn.credits = 2;
    await expect(provider().purchase(['a1'], 'k1')).rejects.toMatchObject({
      code: 'provider_unavailable',
      message:
        'Vendor API: purchase answered 402 (insufficient_credits: this purchase costs 5 credits; 2 left): the vendor account has no credits left: top it up at the vendor',
    });
    expect(standIn.charges).toEqual([]);
    standIn.fail({ endpoint: 'search', status: 400, code: 'bad_request', message: 'domains must be a list' });
    await expect(provider().search(['acme.com'])).rejects.toMatchObject({
      message: expect.stringContaining('search answered 400 (bad_request: domains must be a list)'),
    });
    expect(standIn.requestsTo('search')).toHaveLength(2); // a refusal is not tried again
  });

  it('waits out a 429 for its Retry-After, up to a bound', async () => {
    standIn.seed(row('a1', 'acme.com'));
    standIn.fail({ endpoint: 'search', status: 429, code: 'rate_limited', retryAfter: '2', times: 2 });
    expect(await provider().search(['acme.com'])).toHaveLength(1);
    expect(waits).toEqual([2000, 2000]);
    standIn.fail({ endpoint: 'search', status: 429, code: 'rate_limited', retryAfter: '1', times: 4 });
    await expect(provider({ maxRateLimitWaits: 3 }).search(['acme.com'])).rejects.toMatchObject({
      code: 'provider_unavailable',
      message: expect.stringContaining(
        'search answered 429 (rate_limited: fault 429): still rate limited after 3 waits',
      ),
    });
    standIn.fail({ endpoint: 'search', status: 429, retryAfter: '600' });
    await expect(provider().search(['acme.com'])).rejects.toMatchObject({
      message: expect.stringContaining('still rate limited after 0 waits (Retry-After 600)'),
    });
  });

  it('tries a 5xx again (search and the idempotent purchase) and gives up after the retries', async () => {
    standIn.seed(row('a1', 'acme.com'));
    standIn.fail({ endpoint: 'search', status: 503, times: 2 });
    expect(await provider().search(['acme.com'])).toHaveLength(1);
    expect(waits).toEqual([500, 1000]);
    standIn.fail({ endpoint: 'purchase', status: 500, times: 1 });
    const [bought] = await provider().purchase(['a1'], 'k');
    expect(bought!.ok).toBe(true);
    expect(standIn.charges).toHaveLength(1);
    standIn.fail({ endpoint: 'search', status: 502, code: 'upstream', message: 'vendor down', times: 3 });
    await expect(provider().search(['acme.com'])).rejects.toMatchObject({
      code: 'provider_unavailable',
      message: 'Vendor API: search answered 502 (upstream: vendor down): the vendor failed: try again later',
    });
  });

  it('gives up at the deadline when the adapter does not answer', async () => {
    standIn.hang = 'search';
    const started = Date.now();
    await expect(
      provider({ limits: { timeoutMs: 200, retries: 1 } }).search(['acme.com']),
    ).rejects.toMatchObject({
      code: 'provider_unavailable',
      message: 'Vendor API: search got no answer within 200 ms (2 tries)',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    // The message counts the tries. The stand-in sees at most those two: on a loaded machine a try
    // can be given up before its request reaches the stand-in at all.
    expect(standIn.requestsTo('search').length).toBeLessThanOrEqual(2);
  });

  it('refuses an answer that is not the contract', async () => {
    await expect(
      httpProvider({
        name: 'Odd',
        url: 'http://127.0.0.1:1',
        token: null,
        fetch: async () => new Response(JSON.stringify({ people: [] }), { status: 200 }),
      }).search(['acme.com']),
    ).rejects.toMatchObject({
      code: 'provider_unavailable',
      message: expect.stringMatching(/^Odd: search answered a body that is not the contract's/),
    });
  });
});
