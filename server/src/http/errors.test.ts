import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode } from '../errors';
import { errorHandler, httpStatusFor, notFound } from './errors';
import { requestLogging } from './requestLogging';
import { captureLogger } from './testing';
import { parse } from './validate';

/** A bare app with the real logging and error handling, and routes that fail on purpose. */
function appThatFails(logger = captureLogger().logger) {
  const app = express();
  app.use(requestLogging(logger, 't'));
  app.use(express.json());
  app.get('/boom', () => {
    throw new Error('password authentication failed for user "signalfit" at 10.0.0.5');
  });
  app.get('/boom-async', async () => {
    await Promise.resolve();
    throw new TypeError("Cannot read properties of undefined (reading 'id')");
  });
  app.get('/not-an-error', () => {
    throw 'a bare string';
  });
  app.get('/app-error/:code', (req) => {
    const { code } = parse(z.object({ code: z.enum(ERROR_CODES) }), req.params);
    throw new AppError(code, `failed with ${code}`, code === 'conflict' ? { id: 'a1' } : undefined);
  });
  app.post('/contacts', (req, res) => {
    const body = parse(z.object({ email: z.email(), tags: z.array(z.string().min(1)).max(3) }), req.body);
    res.status(201).json(body);
  });
  app.get('/raw-zod', () => {
    z.object({ limit: z.number() }).parse({ limit: 'ten' });
  });
  app.get('/half-sent', (_req, res) => {
    res.write('partial');
    throw new Error('failed mid-stream');
  });
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

describe('error responses', () => {
  it('hide the message of an unknown error and log it with the request', async () => {
    const log = captureLogger();
    const res = await request(appThatFails(log.logger)).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: 'internal error' } });
    const line = log.entries().find((entry) => entry.msg === 'request errored');
    expect(line).toMatchObject({
      level: 50,
      err: { message: 'password authentication failed for user "signalfit" at 10.0.0.5' },
      req: { id: res.headers['x-request-id'], url: '/boom' },
    });
  });

  it('hide rejected async handlers and thrown non-errors the same way', async () => {
    for (const path of ['/boom-async', '/not-an-error']) {
      const res = await request(appThatFails()).get(path);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'internal_error', message: 'internal error' } });
    }
  });

  it.each(ERROR_CODES.map((code) => [code, httpStatusFor(code)] as const))(
    'answer AppError %s with %i',
    async (code, status) => {
      const res = await request(appThatFails()).get(`/app-error/${code}`);
      expect(res.status).toBe(status);
      const expected: { code: ErrorCode; message: string; details?: unknown } = {
        code,
        message: `failed with ${code}`,
      };
      if (code === 'conflict') expected.details = { id: 'a1' };
      expect(res.body).toEqual({ error: expected });
    },
  );

  it('map the documented codes to their statuses and everything else to 500', () => {
    const statuses = Object.fromEntries(ERROR_CODES.map((code) => [code, httpStatusFor(code)]));
    expect(statuses).toEqual({
      bad_request: 400,
      validation_failed: 400,
      unauthorized: 401,
      forbidden: 403,
      not_found: 404,
      conflict: 409,
      store_unavailable: 503,
      config_invalid: 500,
      import_failed: 500,
      internal_error: 500,
      token_malformed: 401,
      token_invalid_signature: 401,
      token_expired: 401,
      token_wrong_audience: 401,
      token_wrong_issuer: 401,
      token_lifetime_too_long: 401,
      token_replayed: 401,
      embed_not_configured: 503,
      access_token_expired: 401,
      outreach_not_configured: 503,
      outreach_not_connected: 409,
      outreach_unavailable: 502,
      outreach_rate_limited: 429,
      rate_limited: 429,
      invalid_segment: 400,
      slack_unavailable: 502,
      invalid_orchestration: 400,
      invalid_provider: 400,
      provider_unavailable: 502,
      salesforce_unavailable: 502,
      store_locked: 503,
      lease_lost: 409,
    });
  });

  it('cut the connection when the error comes after the response started', async () => {
    await expect(request(appThatFails()).get('/half-sent')).rejects.toThrow();
  });
});

describe('request validation', () => {
  it('passes the parsed input to the handler', async () => {
    const res = await request(appThatFails())
      .post('/contacts')
      .send({ email: 'ana@example.com', tags: ['vp'], extra: 1 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ email: 'ana@example.com', tags: ['vp'] });
  });

  it('answers 400 validation_failed with every issue, path and message', async () => {
    const res = await request(appThatFails())
      .post('/contacts')
      .send({ email: 'not-an-email', tags: ['ok', ''] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toMatch(/^invalid request input: email: .+; tags\.1: .+$/);
    expect(res.body.error.details).toEqual([
      { path: ['email'], message: expect.any(String) },
      { path: ['tags', 1], message: expect.any(String) },
    ]);
  });

  it('answers an invalid path parameter the same way', async () => {
    const res = await request(appThatFails()).get('/app-error/no_such_code');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: ['code'] }] });
  });

  it('turns a ZodError thrown anywhere in a handler into validation_failed', async () => {
    const res = await request(appThatFails()).get('/raw-zod');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'validation_failed',
      message: expect.stringMatching(/^invalid request input: limit: /),
      details: [{ path: ['limit'], message: expect.any(String) }],
    });
  });
});
