import http from 'node:http';
import type express from 'express';
import { AppError } from './errors';
import type { Logger } from './logger';

export interface StartServerProps {
  /** The app from `createApp`; this function only puts it on a socket. */
  app: express.Express;
  /** TCP port to listen on; 0 lets the OS pick a free one (tests), reported in `RunningServer.port`. */
  port: number;
  /** Interface to bind: `127.0.0.1` for this machine only, `0.0.0.0` or `::` for every interface. */
  host: string;
  /** Where start-up and shutdown are reported (request logs come from the app itself). */
  logger: Logger;
  /**
   * After shutdown starts, how long in-flight requests may take to finish before their
   * connections are cut. Idle keep-alive connections are closed at once, whatever this is.
   */
  shutdownGraceMs: number;
  /**
   * Runs once, after the server has stopped and no request is left: closes the store. It runs
   * even when stopping the server failed, so the store is always released.
   */
  onClosed: () => Promise<void>;
}

export interface RunningServer {
  /** Where the service answers, e.g. `http://localhost:3000` (wildcard and loopback hosts show as localhost). */
  url: string;
  /** The port actually bound (useful with `port: 0`). */
  port: number;
  /**
   * Graceful stop without exiting the process (tests, embedding): stop accepting, let in-flight
   * requests finish within the grace period, then `onClosed`. Calling it again returns the same
   * promise. A SIGTERM or SIGINT arriving meanwhile forces the process out.
   */
  close(): Promise<void>;
}

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Listens and resolves once the server accepts connections. SIGTERM and SIGINT shut it down
 * gracefully and exit the process (0, or 1 when closing failed); a second signal exits at once.
 */
export async function startServer(props: StartServerProps): Promise<RunningServer> {
  const { app, host, logger, shutdownGraceMs, onClosed } = props;
  const server = http.createServer();
  const inFlight = new Set<http.ServerResponse>();
  let shuttingDown = false;

  // Registered before the app, so it sees every response before a handler can send it.
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    // A client reusing a keep-alive connection during shutdown gets its answer, then the connection ends.
    if (shuttingDown) res.setHeader('Connection', 'close');
  });
  server.on('request', app);

  await listen(server, props.port, host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : props.port;
  const url = urlFor(host, port);
  server.on('error', (error) => logger.error({ err: error }, 'http server error'));
  logger.info({ url }, 'http server listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= shutdown());

  async function shutdown(): Promise<void> {
    shuttingDown = true;
    logger.info({ inFlight: inFlight.size, graceMs: shutdownGraceMs }, 'http server shutting down');
    const stopped = new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
    });
    // An idle keep-alive connection would otherwise hold close() open until its timeout.
    server.closeIdleConnections();
    for (const res of inFlight) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
      // Already streaming: the connection turns idle when the response ends; close it then.
      else res.once('finish', () => setImmediate(() => server.closeIdleConnections()));
    }
    const cutOff = setTimeout(() => {
      logger.warn(
        { inFlight: inFlight.size },
        'shutdown grace period over: cutting the remaining connections',
      );
      server.closeAllConnections();
    }, shutdownGraceMs);

    let failure: unknown;
    try {
      await stopped;
    } catch (error) {
      failure = error;
    } finally {
      clearTimeout(cutOff);
    }
    try {
      await onClosed();
    } catch (error) {
      failure ??= error;
    }
    for (const signal of SHUTDOWN_SIGNALS) process.off(signal, onSignal);
    if (failure !== undefined) throw failure;
    logger.info('http server closed');
  }

  function onSignal(signal: NodeJS.Signals): void {
    if (closing) {
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      exitProcess(1);
      return;
    }
    logger.info({ signal }, 'signal received');
    close().then(
      () => exitProcess(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exitProcess(1);
      },
    );
  }

  function exitProcess(code: number): void {
    // process.exit drops log lines still buffered in an asynchronous destination.
    logger.flush(() => process.exit(code));
  }

  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
  return { url, port, close };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message;
      reject(
        new AppError('config_invalid', `cannot listen on ${host}:${port}: ${reason} (check PORT and HOST)`),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function urlFor(host: string, port: number): string {
  // A wildcard address is where to bind, not where to browse.
  const shown = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(host) ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}
