import request from 'supertest';
import { createApp } from './app';
import { captureLogger } from './testing';
import { roleHeaders } from './auth/testing';
import type { Db } from '../store/db';
import { testStoreTargets, useTestStore } from '../store/testing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(testStoreTargets())('the app on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  const app = (logger = captureLogger().logger) => createApp({ db, logger, version: '1.2.3' });

  it('answers an unknown route 404 in the error shape, without echoing the query string', async () => {
    const res = await request(app()).delete('/no/such/thing?token=abc');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'no route for DELETE /no/such/thing' } });
  });

  // The body is refused when a handler reads it, after the access check (http/deferredBody.ts).
  it('answers a malformed JSON body 400 bad_request to a caller who may send it', async () => {
    const as = await roleHeaders(db, ['Admin'], new Date());
    const res = await request(app())
      .post('/api/segments')
      .set(as('Admin'))
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'bad_request', message: 'request body is not valid JSON' } });
  });

  it('answers a body over 1 MB 400 bad_request to a caller who may send it', async () => {
    const as = await roleHeaders(db, ['Admin'], new Date());
    const big = JSON.stringify({ blob: 'x'.repeat(1024 * 1024) });
    const res = await request(app())
      .post('/api/segments')
      .set(as('Admin'))
      .set('Content-Type', 'application/json')
      .send(big);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'bad_request', message: 'request body is too large (limit 1048576 bytes)' },
    });
  });

  it('refuses a role 403 and no credentials 401 whatever body they send, malformed or too large', async () => {
    const as = await roleHeaders(db, ['View Only'], new Date());
    const big = JSON.stringify({ blob: 'x'.repeat(1024 * 1024) });
    for (const body of ['{"name": ', big]) {
      const refused = await request(app())
        .post('/api/segments')
        .set(as('View Only'))
        .set('Content-Type', 'application/json')
        .send(body);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      const anonymous = await request(app())
        .post('/api/segments')
        .set('Content-Type', 'application/json')
        .send(body);
      expect(anonymous.status).toBe(401);
    }
  });

  it('echoes a sane incoming X-Request-Id and logs the request under it', async () => {
    const log = captureLogger();
    const res = await request(app(log.logger)).get('/healthz').set('X-Request-Id', 'sf-trace_01.abc:9');
    expect(res.headers['x-request-id']).toBe('sf-trace_01.abc:9');
    const line = log.entries().find((entry) => entry.msg === 'request completed');
    expect(line).toMatchObject({
      req: { id: 'sf-trace_01.abc:9', method: 'GET', url: '/healthz' },
      version: '1.2.3',
    });
    expect(line).toMatchObject({ res: { statusCode: 200 } });
  });

  it.each([
    ['missing', undefined],
    ['too long', 'a'.repeat(129)],
    ['with spaces', 'a b'],
    ['with a log-forging payload', 'x","level":60,"msg":"forged'],
  ])('generates a UUID when the incoming request id is %s', async (_case, incoming) => {
    const req = request(app()).get('/healthz');
    if (incoming !== undefined) req.set('X-Request-Id', incoming);
    const res = await req;
    expect(res.headers['x-request-id']).toMatch(UUID);
  });

  it('gives every request its own id, errors included', async () => {
    const a = await request(app()).get('/healthz');
    const b = await request(app()).get('/nowhere');
    expect(b.status).toBe(404);
    expect(a.headers['x-request-id']).toMatch(UUID);
    expect(b.headers['x-request-id']).toMatch(UUID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('sends helmet headers but no X-Frame-Options, so Salesforce can frame the dashboard', async () => {
    const res = await request(app()).get('/healthz');
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('does not trust X-Forwarded-* by default', () => {
    expect(app().get('trust proxy')).toBe(false);
  });

  it('keeps credentials out of the logs, wherever the client put them', async () => {
    const log = captureLogger();
    await request(app(log.logger))
      .get('/healthz?access_token=secret-q1&keyword=cloud+security')
      .set('Authorization', 'Bearer secret-h1')
      .set('Cookie', 'sid=secret-h2')
      .set('X-Api-Key', 'secret-h3')
      .set('X-Outreach-Token', 'secret-h4');
    const line = log.entries().find((entry) => entry.msg === 'request completed');
    expect(line).toMatchObject({ req: { url: '/healthz?access_token=[redacted]&keyword=cloud+security' } });
    expect(log.text()).not.toMatch(/secret-/);
  });
});
