import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkWebhookUrl, postToSlack, retryAfterMs, SlackSendError } from './webhook';

const MESSAGE = { text: 'hello', blocks: [] };

describe('checkWebhookUrl', () => {
  it.each([
    'https://hooks.slack.com/services/T1/B2/abc',
    'http://localhost:3001/services/T1/B2/abc',
    'http://127.0.0.1:9/hook',
    'http://[::1]:9/hook',
  ])('accepts %s', (url) => {
    expect(checkWebhookUrl(url, 'slackWebhookUrl')).toBe(new URL(url).href);
  });

  it.each([
    ['http://hooks.slack.com/services/T1/B2/abc', 'plain http is allowed only for localhost'],
    ['http://10.0.0.1/hook', 'plain http is allowed only for localhost'],
    ['file:///etc/passwd', 'must be an https:// URL'],
    ['hooks.slack.com/services/T1', 'is not a URL'],
    ['https://hooks.slack.com/', 'has no path'],
    ['https://a:b@hooks.slack.com/services/x', 'must not carry a user name or password'],
  ])('refuses %s as validation_failed naming the field', (url, why) => {
    let error: unknown;
    try {
      checkWebhookUrl(url, '--slack-webhook');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(/^--slack-webhook: /),
    });
    expect((error as Error).message).toContain(why);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds or an HTTP date, and waits a second when it cannot', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Thu, 19 Nov 2026 10:00:05 GMT', Date.parse('2026-11-19T10:00:00Z'))).toBe(5000);
    expect(retryAfterMs(null)).toBe(1000);
    expect(retryAfterMs('soon')).toBe(1000);
  });
});

describe('postToSlack outcomes', () => {
  let server: Server;
  let base: string;
  let answer: (status: number, body: string) => void = () => undefined;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        answer = (status, body) => res.writeHead(status, { 'Content-Type': 'text/plain' }).end(body);
        if (req.url === '/refuse') answer(400, 'invalid_blocks');
        else if (req.url === '/odd') answer(200, 'something else');
        else if (req.url === '/error500') answer(500, 'rollup_error');
        // /silent: never answers
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const outcomeOf = async (url: string, timeoutMs = 2000) => {
    try {
      await postToSlack(url, MESSAGE, {
        outbound: { timeoutMs, retries: 1 },
        minIntervalMs: 0,
        sleep: async () => undefined,
      });
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(SlackSendError);
      const e = error as SlackSendError;
      return { outcome: e.outcome, code: e.code, message: e.message };
    }
  };

  it('a refusal carries Slack’s error text', async () => {
    expect(await outcomeOf(`${base}/refuse`)).toEqual({
      outcome: 'refused',
      code: 'slack_unavailable',
      message: 'Slack refused the message: 400 invalid_blocks',
    });
    expect((await outcomeOf(`${base}/error500`))?.message).toBe(
      'Slack refused the message: 500 rollup_error',
    );
  });

  it('a 200 that is not `ok`, or no answer in time, may have been posted: unknown', async () => {
    expect((await outcomeOf(`${base}/odd`))?.outcome).toBe('unknown');
    expect(await outcomeOf(`${base}/silent`, 200)).toMatchObject({
      outcome: 'unknown',
      message: expect.stringContaining('did not answer within 200 ms'),
    });
  });

  it('no connection at all: not delivered, after the retries', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await outcomeOf(`http://127.0.0.1:${port}/hook`)).toMatchObject({
      outcome: 'not_delivered',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});
