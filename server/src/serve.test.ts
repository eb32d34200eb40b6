import http from 'node:http';
import express from 'express';
import { createApp } from './http/app';
import { captureLogger } from './http/testing';
import { startServer, type RunningServer, type StartServerProps } from './serve';
import { testStoreTargets } from './store/testing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An app with a slow route; `started` resolves when a request to it has reached the handler. */
function slowApp(events: string[], delayMs: number) {
  let reached: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (reached = resolve));
  const app = express();
  app.get('/slow', async (_req, res) => {
    events.push('handler started');
    reached();
    // Stops waiting when the connection is cut, so no timer outlives the test.
    const finished = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(true), delayMs);
      res.once('close', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!finished) return;
    events.push('handler finished');
    res.json({ done: true, payload: 'x'.repeat(10_000) });
  });
  app.get('/fast', (_req, res) => {
    res.json({ fast: true });
  });
  return { app, started };
}

describe('startServer', () => {
  let running: RunningServer | undefined;
  afterEach(async () => {
    // Close before restoring process.exit: a signal-started shutdown ends by calling it.
    await running?.close().catch(() => undefined);
    running = undefined;
    jest.restoreAllMocks();
  });

  const start = async (props: Partial<StartServerProps> & Pick<StartServerProps, 'app'>) => {
    running = await startServer({
      port: 0,
      host: '127.0.0.1',
      logger: captureLogger().logger,
      shutdownGraceMs: 5000,
      onClosed: async () => undefined,
      ...props,
    });
    return running;
  };

  it('listens on the given host and reports the bound port', async () => {
    const { app } = slowApp([], 0);
    const server = await start({ app });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://localhost:${server.port}`);
    const res = await fetch(`${server.url}/fast`);
    expect(await res.json()).toEqual({ fast: true });
  });

  it('lets an in-flight request finish, then calls onClosed', async () => {
    const events: string[] = [];
    const { app, started } = slowApp(events, 300);
    const server = await start({
      app,
      onClosed: async () => {
        events.push('onClosed');
      },
    });

    const response = fetch(`${server.url}/slow`);
    await started;
    const closed = server.close();
    expect(server.close()).toBe(closed);

    const res = await response;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ done: true, payload: 'x'.repeat(10_000) });
    await closed;
    expect(events).toEqual(['handler started', 'handler finished', 'onClosed']);
    await expect(fetch(`${server.url}/fast`)).rejects.toThrow();
  });

  it('does not wait for idle keep-alive connections', async () => {
    const { app } = slowApp([], 0);
    const server = await start({ app, shutdownGraceMs: 10_000 });
    const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    try {
      await new Promise<void>((resolve, reject) => {
        http
          .get(`${server.url}/fast`, { agent }, (res) => res.resume().on('end', resolve))
          .on('error', reject);
      });
      const began = Date.now();
      await server.close();
      expect(Date.now() - began).toBeLessThan(1000);
    } finally {
      agent.destroy();
    }
  });

  it('cuts requests still running when the grace period is over, and still calls onClosed', async () => {
    const events: string[] = [];
    const { app, started } = slowApp(events, 60_000);
    const log = captureLogger();
    const server = await start({
      app,
      logger: log.logger,
      shutdownGraceMs: 200,
      onClosed: async () => {
        events.push('onClosed');
      },
    });
    const response = fetch(`${server.url}/slow`);
    await started;
    const began = Date.now();
    await server.close();
    expect(Date.now() - began).toBeGreaterThanOrEqual(190);
    await expect(response).rejects.toThrow();
    expect(events).toEqual(['handler started', 'onClosed']);
    expect(
      log.entries().some((e) => e.msg === 'shutdown grace period over: cutting the remaining connections'),
    ).toBe(true);
  });

  it('rejects close() when onClosed fails', async () => {
    const { app } = slowApp([], 0);
    const server = await start({
      app,
      onClosed: async () => {
        throw new Error('store did not close');
      },
    });
    await expect(server.close()).rejects.toThrow('store did not close');
  });

  it('fails to start with a clear reason when the port is taken', async () => {
    const { app } = slowApp([], 0);
    const first = await start({ app });
    await expect(
      startServer({
        app,
        port: first.port,
        host: '127.0.0.1',
        logger: captureLogger().logger,
        shutdownGraceMs: 0,
        onClosed: async () => undefined,
      }),
    ).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringMatching(/already in use/) });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('shuts down gracefully on %s and exits 0', async (signal) => {
    // Only our handler may react: emitting the signal must not reach anything else in the test process.
    const before = process.listenerCount(signal);
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as typeof process.exit);
    const events: string[] = [];
    const { app, started } = slowApp(events, 200);
    await start({
      app,
      onClosed: async () => {
        events.push('onClosed');
      },
    });
    expect(process.listenerCount(signal)).toBe(before + 1);
    const response = fetch(`${running?.url}/slow`);
    await started;

    process.emit(signal, signal);
    expect((await response).status).toBe(200);
    await waitFor(() => exit.mock.calls.length > 0);
    expect(exit.mock.calls).toEqual([[0]]);
    expect(events).toEqual(['handler started', 'handler finished', 'onClosed']);
    expect(process.listenerCount(signal)).toBe(before);
  });

  it('exits 1 at once on a second signal', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as typeof process.exit);
    const { app, started } = slowApp([], 60_000);
    const server = await start({ app, shutdownGraceMs: 300 });
    const response = fetch(`${server.url}/slow`).catch((error: unknown) => error);
    await started;

    process.emit('SIGTERM', 'SIGTERM');
    await sleep(20);
    expect(exit).not.toHaveBeenCalled();
    process.emit('SIGINT', 'SIGINT');
    await waitFor(() => exit.mock.calls.length > 0);
    expect(exit.mock.calls[0]).toEqual([1]);
    await response;
    // The first shutdown still completes (in real life the process is gone by then).
    await waitFor(() => exit.mock.calls.length > 1);
    expect(exit.mock.calls).toEqual([[1], [0]]);
  });
});

describe.each(testStoreTargets())('serving the app on $name', (target) => {
  it('serves /readyz and closes the store on shutdown', async () => {
    const db = await target.open();
    const { logger } = captureLogger();
    let storeClosed = false;
    const server = await startServer({
      app: createApp({ db, logger, version: 't' }),
      port: 0,
      host: '127.0.0.1',
      logger,
      shutdownGraceMs: 1000,
      onClosed: async () => {
        await db.close();
        storeClosed = true;
      },
    });
    const res = await fetch(`${server.url}/readyz`);
    expect(await res.json()).toMatchObject({ status: 'ready', store: target.name });
    await server.close();
    expect(storeClosed).toBe(true);
  }, 60_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
