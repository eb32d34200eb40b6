import { generateKeyPairSync } from 'node:crypto';
import type { SalesforceSettings } from '../../src/integrations/salesforce/client';
import { SalesforceStandIn, type StandInOptions } from './standIn';

/** One key pair for every test file: RSA generation takes a moment. */
let keys: { privateKeyPem: string; publicKey: ReturnType<typeof generateKeyPairSync>['publicKey'] } | null =
  null;

export function testKeys() {
  if (!keys) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys = {
      privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: pair.publicKey,
    };
  }
  return keys;
}

export const TEST_CLIENT_ID = '3MVG9standInClientId';
export const TEST_USERNAME = 'integration@signalfit.test';

/** A started stand-in and the settings that log in to it. */
export async function startStandIn(
  options: Partial<StandInOptions> = {},
): Promise<{ standIn: SalesforceStandIn; settings: SalesforceSettings }> {
  const { privateKeyPem, publicKey } = testKeys();
  const standIn = await new SalesforceStandIn({
    clientId: TEST_CLIENT_ID,
    username: TEST_USERNAME,
    publicKey,
    ...options,
  }).start();
  return {
    standIn,
    settings: { loginUrl: standIn.url, clientId: TEST_CLIENT_ID, username: TEST_USERNAME, privateKeyPem },
  };
}
