import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createApp } from '../../src/http/app';
import { TEST_EMBED_CONFIG } from '../../src/http/auth/testing';
import { captureLogger, RAISED_RATE_LIMITS } from '../../src/http/testing';
import type { Db } from '../../src/store/db';
import { testStoreTargets } from '../../src/store/testing';
import { UI_BUILD_DIR } from '../build';
import { buildUiOutOfProcess } from './buildOnce';
import { describeInBrowser, launchBrowser, requireChromium, SCREENSHOTS_DIR } from './browser';

/**
 * The Users page end to end in headless Chromium, against the real service (createApp in this
 * process, demo sign-in as Admin) on PGlite: the Admin adds a user, changes their role, creates an
 * API key owned by them (shown once), the key works on the API, deactivating the owner stops it,
 * and revoking a service key after a confirmation refuses it. Screenshots go to test-results/e2e.
 */
jest.setTimeout(300_000);

describeInBrowser('the Users page in a browser', () => {
  let db: Db;
  let service: http.Server;
  let url: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    const chromium = requireChromium();
    await buildUiOutOfProcess();
    db = await testStoreTargets()[0]!.open();
    service = http.createServer(
      createApp({
        db,
        logger: captureLogger('warn').logger,
        version: 'e2e',
        embed: TEST_EMBED_CONFIG,
        uiDir: UI_BUILD_DIR,
        demoSignIn: { allowed: true },
        rateLimits: RAISED_RATE_LIMITS,
      }),
    );
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
    browser = await launchBrowser(chromium);
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (service ? service.close(() => resolve()) : resolve()));
    await db?.close();
  });

  const withKey = (key: string, route: string) =>
    fetch(`${url}${route}`, { headers: { Authorization: `Bearer ${key}` } });

  it('adds a user and changes their role from the Users page, reached from the navigation', async () => {
    await page.goto(`${url}/accounts`);
    // Admin opens its first tab, Users & API keys.
    await page.locator('[data-id="nav-admin"]').click();
    await page.waitForURL(/\/users$/);
    await expect(page.locator('[data-id="admin-tab-users"]').getAttribute('aria-current')).resolves.toBe(
      'page',
    );
    await page.getByText('No users yet.').waitFor();

    await page.locator('input[data-id="email"]').fill('ana@example.com');
    await page.locator('input[data-id="name"]').fill('Ana Ortiz');
    await page.locator('select[data-id="role"]').selectOption('Sales');
    await page.locator('button[data-id="add"]').click();
    await page.getByText('Added ana@example.com as Sales.').waitFor();

    await page.locator('select[data-id="user-role"]').selectOption('Marketing');
    await page.getByText('ana@example.com is now Marketing, from their next request.').waitFor();
    const rows = await db.query('SELECT email, name, role, active FROM users');
    expect(rows).toEqual([{ email: 'ana@example.com', name: 'Ana Ortiz', role: 'Marketing', active: true }]);
  });

  it('creates a key owned by the user, shown once; deactivating the owner stops it', async () => {
    await page.locator('input[data-id="key-name"]').fill('ana script');
    await page.locator('select[data-id="key-role"]').selectOption('Sales');
    await page.locator('select[data-id="key-owner"]').selectOption('ana@example.com');
    await page.locator('button[data-id="create"]').click();
    await page.getByText('Copy the key ana script now').waitFor();
    const key = await page.locator('input[data-id="new-key"]').inputValue();
    expect(key).toMatch(/^sfk_[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'users-key-created-1280.png'), fullPage: true });
    expect((await withKey(key, '/api/segments')).status).toBe(200);

    await page.locator('button[data-id="done"]').click();
    await expect(page.locator('input[data-id="new-key"]').count()).resolves.toBe(0);
    await expect(page.content()).resolves.not.toContain(key);

    await page.locator('button[data-id="toggle-active"]').click();
    await page.getByText('Deactivate ana@example.com?').waitFor();
    await page.locator('[data-id="confirm"] button[data-id="confirm-yes"]').first().click();
    await page.getByText('Deactivated ana@example.com: signed out and refused from now on.').waitFor();
    expect((await withKey(key, '/api/segments')).status).toBe(401);
  });

  it('revokes a service key after a confirmation', async () => {
    await page.locator('input[data-id="key-name"]').fill('warehouse');
    await page.locator('select[data-id="key-owner"]').selectOption('');
    await page.locator('button[data-id="create"]').click();
    await page.getByText('Copy the key warehouse now').waitFor();
    const key = await page.locator('input[data-id="new-key"]').inputValue();
    await page.locator('button[data-id="done"]').click();
    expect((await withKey(key, '/api/segments')).status).toBe(200);

    await page.locator('tr[data-key="warehouse"] button[data-id="revoke"]').click();
    await page.getByText('Revoke the key warehouse?').waitFor();
    await page.locator('sf-api-keys-card button[data-id="confirm-yes"]').click();
    await page.getByText('Revoked warehouse: it is refused from now on.').waitFor();
    expect((await withKey(key, '/api/segments')).status).toBe(401);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'users-1280.png'), fullPage: true });
  });
});
