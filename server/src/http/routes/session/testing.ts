import type { Express } from 'express';
import request from 'supertest';
import { createOidcClient } from '../../../integrations/oidc/client';
import type { OidcConfig } from '../../../integrations/oidc/env';
import {
  startTestProvider,
  type TestAccount,
  type TestProvider,
} from '../../../../test/oidcProvider/provider';

/** The redirect URI the tests register: the app is driven through supertest, never at this port. */
export const TEST_REDIRECT_URI = 'http://127.0.0.1:3999/api/auth/oidc/callback';

/** A test provider and the app's OIDC settings for it (`roleMap` optional). */
export async function providerAndConfig(
  accounts: Record<string, TestAccount>,
  options: { roleMap?: OidcConfig['roleMap']; redirectUri?: string; idTokenTtl?: number } = {},
): Promise<{
  provider: TestProvider;
  oidc: { client: ReturnType<typeof createOidcClient>; config: OidcConfig };
}> {
  const redirectUri = options.redirectUri ?? TEST_REDIRECT_URI;
  const provider = await startTestProvider({ redirectUri, accounts, idTokenTtl: options.idTokenTtl });
  const config: OidcConfig = {
    issuerUrl: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    redirectUri,
    roleClaim: 'groups',
    roleMap: options.roleMap ?? [],
  };
  return { provider, oidc: { client: createOidcClient(config, { timeoutSeconds: 5 }), config } };
}

/** `name=value` of a Set-Cookie line of `response` for cookie `name`, or null. */
export function setCookie(response: request.Response, name: string): { pair: string; line: string } | null {
  const lines = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const line = lines.find((l) => l.startsWith(`${name}=`));
  return line ? { pair: line.split(';')[0]!, line } : null;
}

/**
 * A whole single sign-on through supertest and the provider: login, the provider's pages as
 * `sub`, then the callback with the browser's state cookie. `tamper` may change the callback URL
 * (or the stored request) before the callback is taken.
 */
export async function signInThrough(
  app: Express,
  provider: TestProvider,
  sub: string,
  options: { returnTo?: string; tamper?: (callback: URL) => Promise<void> | void } = {},
): Promise<{ callback: request.Response; session: string | null }> {
  const login = await request(app)
    .get('/api/auth/oidc/login')
    .query(options.returnTo ? { returnTo: options.returnTo } : {});
  if (login.status !== 302) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  const state = setCookie(login, 'signalfit_oidc_state');
  const back = await provider.signIn(login.headers.location!, sub);
  await options.tamper?.(back);
  const callback = await request(app)
    .get(`${back.pathname}${back.search}`)
    .set('Cookie', state ? state.pair : '');
  const session = setCookie(callback, 'signalfit_session');
  return {
    callback,
    session: session && !/Expires=Thu, 01 Jan 1970/.test(session.line) ? session.pair : null,
  };
}

/** POST /api/session/token as the app sends it. */
export function tokenFor(app: Express, session: string) {
  return request(app)
    .post('/api/session/token')
    .set('Cookie', session)
    .set('Content-Type', 'application/json')
    .send('{}');
}
