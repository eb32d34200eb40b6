import type { Db } from '../../../store/db';
import type { OutreachConnections } from '../../../services/outreach/connections';
import { ACME_ID } from '../../../services/intelligence/testing';
import { createApp } from '../../app';
import { accessTokenFor, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

/** The app over `db` with `connections`, and the bearer of a sales user on Acme's page. */
export async function outreachAppForSales(
  db: Db,
  connections: OutreachConnections,
): Promise<{ app: ReturnType<typeof createApp>; auth: string }> {
  const app = createApp({
    db,
    logger: captureLogger().logger,
    version: 't',
    embed: TEST_EMBED_CONFIG,
    now: () => new Date(),
    outreach: connections,
  });
  const perms = ['Signalfit_Access', 'Signalfit_Sales_Actions'];
  const auth = `Bearer ${await accessTokenFor(app, { rid: ACME_ID, obj: 'Account', perms }, new Date())}`;
  return { app, auth };
}
