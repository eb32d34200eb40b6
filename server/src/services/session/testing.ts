import { generateKeyPairSync } from 'node:crypto';
import { TEST_EMBED_SECRET, TEST_ORG_ID } from '../../http/auth/testing';

/**
 * The demo switch matrix (issue 20): every setting that must turn demo sign-in off on its own,
 * with a word its reason must contain, and the HOST forms that keep it on.
 */
const SIGNALFIT_SECRET_KEY = 'a-test-secret-key-of-at-least-32-characters';
const publicKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

export const DEMO_OFF_SWITCHES: [label: string, env: NodeJS.ProcessEnv, reason: string][] = [
  [
    'Salesforce',
    {
      SALESFORCE_CLIENT_ID: '3MVG9-test',
      SALESFORCE_USERNAME: 'integration@example.com',
      SALESFORCE_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nx\\n-----END PRIVATE KEY-----',
    },
    'Salesforce (SALESFORCE_CLIENT_ID)',
  ],
  [
    'Outreach',
    {
      OUTREACH_CLIENT_ID: 'outreach-client',
      OUTREACH_CLIENT_SECRET: 'outreach-secret',
      OUTREACH_REDIRECT_URI: 'http://127.0.0.1:3000/api/outreach/callback',
      SIGNALFIT_SECRET_KEY,
    },
    'Outreach (OUTREACH_CLIENT_ID)',
  ],
  [
    'an embed secret',
    {
      SIGNALFIT_EMBED_SECRET: TEST_EMBED_SECRET,
      SIGNALFIT_SALESFORCE_ORG_ID: TEST_ORG_ID,
      SIGNALFIT_SECRET_KEY,
    },
    'SIGNALFIT_EMBED_SECRET',
  ],
  [
    'an embed public key',
    {
      SIGNALFIT_EMBED_PUBLIC_KEY: publicKeyPem,
      SIGNALFIT_SALESFORCE_ORG_ID: TEST_ORG_ID,
      SIGNALFIT_SECRET_KEY,
    },
    'SIGNALFIT_EMBED_PUBLIC_KEY',
  ],
  ['a PostgreSQL database', { DATABASE_URL: 'postgres://signalfit@db.internal/signalfit' }, 'DATABASE_URL'],
  ['NODE_ENV=production', { NODE_ENV: 'production' }, 'NODE_ENV is production'],
  ['HOST=0.0.0.0', { HOST: '0.0.0.0' }, 'HOST is 0.0.0.0'],
  ['HOST=::', { HOST: '::' }, 'HOST is ::'],
  ['HOST=192.168.1.20', { HOST: '192.168.1.20' }, 'HOST is 192.168.1.20'],
  ['HOST=signalfit.example.com', { HOST: 'signalfit.example.com' }, 'HOST is signalfit.example.com'],
  ['HOST=128.0.0.1', { HOST: '128.0.0.1' }, 'HOST is 128.0.0.1'],
];

/** HOST values that only this machine can reach: demo sign-in stays on with them. */
export const LOOPBACK_HOSTS = ['127.0.0.1', '127.8.9.10', '::1', 'localhost', 'LocalHost'];
