import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startOfUtcDay } from '../../src/domain/dates';
import { createApp } from '../../src/http/app';
import { captureLogger, RAISED_RATE_LIMITS } from '../../src/http/testing';
import { createOidcClient } from '../../src/integrations/oidc/client';
import type { OidcConfig } from '../../src/integrations/oidc/env';
import { seedDemoMarket } from '../../src/services/demo/seedDemoMarket';
import { scoreStore } from '../../src/services/scoring/scoreStore';
import type { Db } from '../../src/store/db';
import { testStoreTargets } from '../../src/store/testing';
import { startTestProvider, type TestProvider } from '../../test/oidcProvider/provider';
import { UI_BUILD_DIR } from '../build';
import { buildUiOutOfProcess } from './buildOnce';
import {
  describeInBrowser,
  headerSections,
  launchBrowser,
  requireChromium,
  SCREENSHOTS_DIR,
} from './browser';

/**
 * Single sign-on end to end in headless Chromium: the real service (createApp in this process,
 * PGlite with a scored demo market) configured for an OpenID provider outside it (oidc-provider
 * on another port of 127.0.0.1, its own login page). A visitor signs in through the provider and
 * lands on the accounts list showing their name and role; signs out; a user deactivated through
 * SCIM is sent back to the sign-in page, with the reason, at their very next API call, and cannot
 * sign in again. Nothing leaves 127.0.0.1 (the provider's page asks for a web font: refused).
 */
const SCIM_TOKEN = 'e2e-scim-token-of-at-least-32-characters';

jest.setTimeout(300_000);

describeInBrowser('single sign-on in a browser', () => {
  let db: Db;
  let service: http.Server;
  let url: string;
  let provider: TestProvider;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    const chromium = requireChromium();
    await buildUiOutOfProcess();
    db = await testStoreTargets()[0]!.open();
    const today = startOfUtcDay(new Date());
    await seedDemoMarket({ db, seed: 7, accounts: 120, endDate: today });
    await scoreStore(db, { asOf: today });

    // The provider must know the callback, so the service's port comes first.
    let handler: http.RequestListener = (_req, res) => res.end();
    service = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
    const redirectUri = `${url}/api/auth/oidc/callback`;
    provider = await startTestProvider({
      redirectUri,
      accounts: {
        'sub-mara': {
          email: 'mara@example.com',
          email_verified: true,
          name: 'Mara Lind',
          groups: ['sf-marketing'],
        },
        'sub-olu': { email: 'olu@example.com', email_verified: true, name: 'Olu Ade', groups: [] },
      },
    });
    const config: OidcConfig = {
      issuerUrl: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      redirectUri,
      roleClaim: 'groups',
      roleMap: [['sf-marketing', 'Marketing']],
    };
    handler = createApp({
      db,
      logger: captureLogger('warn').logger,
      version: 'e2e',
      uiDir: UI_BUILD_DIR,
      demoSignIn: { allowed: false, reasons: ['a sign-in method is configured'] },
      rateLimits: RAISED_RATE_LIMITS,
      oidc: { client: createOidcClient(config), config },
      scimToken: SCIM_TOKEN,
    });

    browser = await launchBrowser(chromium);
    // Only this machine: the provider's development page imports a web font from the internet.
    await browser.context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await provider?.close();
    await new Promise<void>((resolve) => {
      if (!service) return resolve();
      service.close(() => resolve());
      service.closeAllConnections();
    });
    await db?.close();
  });

  /** From the app's sign-in page through the provider's login page, as `sub`. */
  async function signInAs(sub: string) {
    const button = page.locator('[data-id="sign-in-method"]');
    await button.waitFor({ timeout: 30_000 });
    await expect(button.innerText()).resolves.toBe(`Sign in with ${new URL(provider.issuer).host}`);
    await button.click();
    await page.waitForURL((address) => address.origin === provider.issuer);
    await page.locator('input[name="login"]').fill(sub);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
  }

  it('signs in through the provider and lands on the accounts list showing the user and role', async () => {
    // The page's timers run on a clock the test can move (the bearer's renewal below).
    await page.clock.install();
    await page.goto(`${url}/accounts`);
    await page.getByRole('heading', { name: 'Sign in to Signalfit' }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'sign-in-1280.png') });
    await signInAs('sub-mara');
    await page.waitForURL(`${url}/accounts`);
    await page.locator('[data-row]').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-id="user"]').innerText()).resolves.toBe('Mara Lind · Marketing');
    await expect(page.locator('[data-id="user"]').getAttribute('title')).resolves.toBe('mara@example.com');
    // The session cookie is kept by Chromium (Secure is accepted from http://127.0.0.1) and out of scripts' reach.
    const cookies = await browser.context.cookies(`${url}/api/session`);
    expect(cookies.find((cookie) => cookie.name === 'signalfit_session')).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/api',
    });
    await expect(page.evaluate('document.cookie')).resolves.not.toContain('signalfit_session');
    // A reload keeps the user signed in (the cookie gives a new bearer).
    await page.reload();
    await page.locator('[data-row]').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-id="user"]').innerText()).resolves.toBe('Mara Lind · Marketing');
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'sign-in-accounts-1280.png') });

    // A minute before its bearer expires (15 minutes), the app asks for a new one with the cookie.
    const renewal = page.waitForResponse((response) => response.url().endsWith('/api/session/token'));
    await page.clock.fastForward('14:05');
    expect((await renewal).status()).toBe(200);
    await page.locator('select[data-id="filter-qualified"]').selectOption('true');
    await page.waitForURL(/qualified=true/);
    await expect(page.locator('[data-id="user"]').innerText()).resolves.toBe('Mara Lind · Marketing');
    await page.locator('select[data-id="filter-qualified"]').selectOption('');

    // At 360 px Marketing's sections fit on one line, with no Admin section (the role has none).
    await page.setViewportSize({ width: 360, height: 800 });
    await page.waitForTimeout(300);
    expect(await headerSections(page)).toEqual({
      names: ['Accounts', 'Segments', 'Orchestrations', 'Reports'],
      fitOneLine: true,
    });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs out: back to the sign-in page, and a reload does not sign in again', async () => {
    await page.locator('[data-id="sign-out"]').click();
    await expect(page.locator('[data-id="sign-in-message"]').innerText()).resolves.toBe(
      'You are signed out.',
    );
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Signalfit' }).waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-row]').count()).resolves.toBe(0);
  });

  it('refuses a user deactivated through SCIM at once: the next API call goes back to sign-in with a message', async () => {
    // Signing out of Signalfit leaves the provider's own session (as with any provider): end it,
    // so that another person can sign in on this browser.
    await browser.context.clearCookies({ name: /^_(session|interaction)/ });
    await signInAs('sub-olu');
    await page.locator('[data-row]').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-id="user"]').innerText()).resolves.toBe('Olu Ade · View Only');

    const scim = (path: string, init: RequestInit = {}) =>
      fetch(`${url}/scim/v2${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${SCIM_TOKEN}`, 'Content-Type': 'application/scim+json' },
      });
    const found = (await (await scim('/Users?filter=userName%20eq%20%22olu%40example.com%22')).json()) as {
      Resources: { id: string }[];
    };
    const patched = await scim(`/Users/${found.Resources[0]!.id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      }),
    });
    expect(patched.status).toBe(200);

    // The very next call of the app (a filter of the list) is refused.
    await page.locator('select[data-id="filter-qualified"]').selectOption('true');
    const message = page.locator('[data-id="sign-in-message"]');
    await message.waitFor({ timeout: 30_000 });
    await expect(message.innerText()).resolves.toBe(
      'Your sign-in session has ended (signed out, expired, or the user was deactivated): sign in again.',
    );
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'sign-in-deactivated-1280.png') });

    // Signing in again is refused, in words (the provider still knows Olu: no login page this time).
    await page.locator('[data-id="sign-in-method"]').click();
    await page.getByRole('heading', { name: 'Sign in to Signalfit' }).waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-id="sign-in-message"]').innerText()).resolves.toBe(
      'Sign-in was refused: olu@example.com is deactivated in Signalfit: ask an Admin.',
    );
    expect(new URL(page.url()).search).toBe('');
  });
});
