import { generateKeyPairSync } from 'node:crypto';
import { loadConfig } from './config';
import { isAppError } from './errors';
import { DEFAULT_ALLOWED_ORIGINS } from './http/auth/allowedOrigins';

const messageOf = (env: NodeJS.ProcessEnv): string => {
  try {
    loadConfig(env, '/srv');
  } catch (error) {
    if (isAppError(error)) return error.message;
    throw error;
  }
  throw new Error('accepted');
};

const SECRET_KEY = 'a-test-secret-key-of-at-least-32-characters';

describe('embed configuration', () => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('defaults to no key and the Salesforce origins', () => {
    expect(loadConfig({}, '/srv').embed).toEqual({ allowedOrigins: DEFAULT_ALLOWED_ORIGINS });
  });

  it('reads a PEM public key, also with its line breaks written as \\n', () => {
    const oneLine = pem.trim().replace(/\n/g, '\\n');
    for (const value of [pem, oneLine]) {
      const key = loadConfig(
        {
          SIGNALFIT_EMBED_PUBLIC_KEY: value,
          SIGNALFIT_SALESFORCE_ORG_ID: '00D000000000001',
          SIGNALFIT_SECRET_KEY: SECRET_KEY,
        },
        '/srv',
      ).embed.publicKey;
      expect(key?.asymmetricKeyType).toBe('rsa');
    }
  });

  it('reads the secret, the org id (as 18 characters) and the allowed origins', () => {
    const embed = loadConfig(
      {
        SIGNALFIT_EMBED_SECRET: 'x'.repeat(32),
        SIGNALFIT_SALESFORCE_ORG_ID: '00D000000000001',
        SIGNALFIT_SECRET_KEY: SECRET_KEY,
        SIGNALFIT_ALLOWED_ORIGINS: 'https://*.lightning.force.com http://127.0.0.1:8080',
      },
      '/srv',
    ).embed;
    expect(Buffer.from(embed.secret!).toString()).toBe('x'.repeat(32));
    expect(embed.orgId).toBe('00D000000000001EAA');
    expect(embed.allowedOrigins).toEqual(['https://*.lightning.force.com', 'http://127.0.0.1:8080']);
  });

  it.each([
    ['SIGNALFIT_EMBED_SECRET', 'x'.repeat(32)],
    ['SIGNALFIT_EMBED_PUBLIC_KEY', pem],
  ])('refuses to start with %s but no SIGNALFIT_SALESFORCE_ORG_ID, naming it', (name, value) => {
    // Without the pin, a token forged with the secret for any other org would be accepted.
    let refusal: unknown;
    try {
      loadConfig({ [name]: value }, '/srv');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'config_invalid' });
    expect((refusal as Error).message).toContain(
      'SIGNALFIT_SALESFORCE_ORG_ID: is required with SIGNALFIT_EMBED_PUBLIC_KEY or SIGNALFIT_EMBED_SECRET',
    );
  });

  it.each([
    ['SIGNALFIT_EMBED_SECRET', 'x'.repeat(32)],
    ['SIGNALFIT_EMBED_PUBLIC_KEY', pem],
  ])(
    'refuses to start with %s but no SIGNALFIT_SECRET_KEY (the access-token keys must be sealed)',
    (name, value) => {
      expect(messageOf({ [name]: value, SIGNALFIT_SALESFORCE_ORG_ID: '00D000000000001' })).toContain(
        'SIGNALFIT_SECRET_KEY: is required with SIGNALFIT_EMBED_PUBLIC_KEY or SIGNALFIT_EMBED_SECRET',
      );
      expect(
        loadConfig(
          { [name]: value, SIGNALFIT_SALESFORCE_ORG_ID: '00D000000000001', SIGNALFIT_SECRET_KEY: SECRET_KEY },
          '/srv',
        ).secretKey,
      ).toBe(SECRET_KEY);
    },
  );

  it('reports every bad embed value at once, with the other variables', () => {
    const message = messageOf({
      PORT: 'x',
      SIGNALFIT_EMBED_PUBLIC_KEY: 'not a key',
      SIGNALFIT_EMBED_SECRET: 'short',
      SIGNALFIT_SALESFORCE_ORG_ID: '001000000000001',
      SIGNALFIT_ALLOWED_ORIGINS: 'lightning.force.com',
    });
    for (const name of [
      'PORT',
      'SIGNALFIT_EMBED_PUBLIC_KEY',
      'SIGNALFIT_EMBED_SECRET',
      'SIGNALFIT_SALESFORCE_ORG_ID',
      'SIGNALFIT_ALLOWED_ORIGINS',
    ]) {
      expect(message).toContain(name);
    }
  });
});
