import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from '../../src/http/app';
import { TEST_EMBED_SECRET, TEST_ORG_ID } from '../../src/http/auth/testing';
import { captureLogger, RAISED_RATE_LIMITS } from '../../src/http/testing';
import { FIXTURE_NOW, FIXTURE_PERSONAS } from '../../src/services/intelligence/testing';
import type { Db } from '../../src/store/db';
import { UI_BUILD_DIR } from '../build';
import { startHostPage } from './hostPage';

/**
 * The service (in this process, on the intelligence fixture's clock) and a Salesforce-like host
 * page that frames its /embed. Each side must know the other's origin: the service listens first,
 * and its app is attached once the host's origin, which it must allow, is known.
 */
export async function startFramedDashboard(props: {
  db: Db;
  /** Mints the host's embed tokens (the Apex controller's job in Salesforce). */
  mintToken: Parameters<typeof startHostPage>[0]['mintToken'];
  /** More of the app's dependencies, once the service's origin is known (e.g. an OAuth callback). */
  appDeps?: (serviceOrigin: string) => Promise<Partial<AppDeps>>;
}): Promise<{ serviceOrigin: string; hostOrigin: string; close(): Promise<void> }> {
  const service = http.createServer();
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  const serviceOrigin = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  const more = props.appDeps ? await props.appDeps(serviceOrigin) : {};
  const host = await startHostPage({ serviceOrigin, mintToken: props.mintToken });
  service.on(
    'request',
    createApp({
      db: props.db,
      logger: captureLogger('warn').logger,
      version: 'e2e',
      embed: {
        secret: new TextEncoder().encode(TEST_EMBED_SECRET),
        orgId: TEST_ORG_ID,
        allowedOrigins: [host.origin],
      },
      personas: async () => FIXTURE_PERSONAS,
      uiDir: UI_BUILD_DIR,
      // The service's clock is pinned to the fixture's day, so the 30- and 90-day windows hold
      // its facts; tokens are minted on the same clock, as Salesforce and the service share one.
      now: () => FIXTURE_NOW,
      // A browser test loads many views from one address within a minute.
      rateLimits: RAISED_RATE_LIMITS,
      ...more,
    }),
  );
  return {
    serviceOrigin,
    hostOrigin: host.origin,
    async close() {
      await host.close();
      await new Promise<void>((resolve) => {
        service.close(() => resolve());
        service.closeAllConnections();
      });
    },
  };
}
