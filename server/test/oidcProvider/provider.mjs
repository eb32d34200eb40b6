// The tests' OpenID provider, loaded by Node's own loader (provider.ts), not by Jest: oidc-provider
// checks that its configuration objects are plain objects of its own realm, which objects made in
// Jest's sandbox are not. Everything handed to it is therefore built here.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

/**
 * Starts oidc-provider on 127.0.0.1 at a random port with one confidential client
 * (`redirectUri`), the accounts given (sub → claims; `setAccount` adds or changes one), its
 * development login page (any password) and consent granted by itself, as a company provider
 * does for a first-party app. ID tokens carry email, name and groups (`conformIdTokenClaims: false`)
 * and live `idTokenTtl` seconds.
 */
export async function startProvider({ redirectUri, accounts, idTokenTtl }) {
  const known = new Map(Object.entries(JSON.parse(JSON.stringify(accounts ?? {}))));
  const clientId = 'signalfit-test';
  const clientSecret = randomBytes(24).toString('hex');
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [String(redirectUri)],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...key, kid: 'test-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    ttl: { IdToken: Number(idTokenTtl ?? 60) },
    async findAccount(_ctx, sub) {
      const account = known.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
    async loadExistingGrant(ctx) {
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());

  return {
    issuer,
    clientId,
    clientSecret,
    setAccount(sub, claims) {
      known.set(String(sub), JSON.parse(JSON.stringify(claims)));
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
