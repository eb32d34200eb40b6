import type { OutreachConfig } from '../../src/integrations/outreach/env';
import { OUTREACH_SCOPES } from '../../src/integrations/outreach/oauth';
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
