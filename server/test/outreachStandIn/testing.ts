import type { OutreachConfig } from '../../src/integrations/outreach/env';
import { OUTREACH_SCOPES } from '../../src/integrations/outreach/oauth';
import type { OutreachConnections, OutreachUserKey } from '../../src/services/outreach/connections';
import { OutreachStandIn, type StandInOptions } from './standIn';

export const TEST_OUTREACH_CLIENT_ID = 'outreach-test-client';
export const TEST_OUTREACH_CLIENT_SECRET = 'outreach-test-client-secret';
export const TEST_SECRET_KEY = 'a-test-secret-key-of-at-least-32-characters';
export const ALL_SCOPES: string[] = [...OUTREACH_SCOPES];

/** A started stand-in and the service's Outreach settings pointing at it. */
export async function startOutreachStandIn(
  options: Partial<StandInOptions> = {},
  redirectUri = 'http://127.0.0.1:1/api/outreach/callback',
): Promise<{ standIn: OutreachStandIn; config: OutreachConfig }> {
  const standIn = await new OutreachStandIn({
    clientId: TEST_OUTREACH_CLIENT_ID,
    clientSecret: TEST_OUTREACH_CLIENT_SECRET,
    ...options,
  }).start();
  return {
    standIn,
    config: {
      clientId: TEST_OUTREACH_CLIENT_ID,
      clientSecret: TEST_OUTREACH_CLIENT_SECRET,
      redirectUri,
      apiUrl: standIn.apiUrl,
      oauthUrl: standIn.oauthUrl,
      secretKey: TEST_SECRET_KEY,
    },
  };
}

/**
 * Stores a connection of `user` holding tokens the stand-in issued, expiring in `expiresInMs`
 * (under the refresh margin, the next Outreach call refreshes first). Returns the access token.
 */
export async function connectThroughStandIn(
  connections: OutreachConnections,
  standIn: OutreachStandIn,
  user: OutreachUserKey,
  expiresInMs: number,
): Promise<string> {
  const { accessToken, refreshToken } = standIn.issueToken(user.userId, ALL_SCOPES);
  await connections.save(
    user,
    { accessToken, refreshToken, expiresAt: new Date(Date.now() + expiresInMs), scope: '' },
    null,
  );
  return accessToken;
}
