import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createApp } from '../../src/http/app';
import { TEST_EMBED_CONFIG } from '../../src/http/auth/testing';
import { captureLogger, RAISED_RATE_LIMITS } from '../../src/http/testing';
import type { Db } from '../../src/store/db';
import { testStoreTargets } from '../../src/store/testing';
import { purgeRetention } from '../../src/services/retention/purgeRetention';
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
 * The Admin's Offboarding page end to end in headless Chromium (demo sign-in as Admin, PGlite):
 * reached from the navigation (Admin, then its Offboarding tab), it lists the steps with their commands, and a manual step marked
 * done stays done after a reload; the Retention tab saves a class, refuses a bad number in words,
 * and shows the daily job's last purge. Screenshots at 1280 and 360 px go to test-results/e2e.
 */
jest.setTimeout(300_000);

describeInBrowser('the Offboarding page in a browser', () => {
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
    await new Promise<void>((resolve) => {
      if (!service) return resolve();
      service.close(() => resolve());
      service.closeAllConnections();
    });
    await db?.close();
  });

  it('opens from the navigation, lists the steps with their commands, and marks the opt-out review done', async () => {
    await page.goto(`${url}/accounts`);
    await page.locator('[data-id="nav-admin"]').click();
    // The Admin section opens on its first tab.
    await page.waitForURL(/\/users$/);
    await expect(
      page
        .locator('nav[aria-label="Admin"] a')
        .evaluateAll((links) => links.map((a) => a.textContent?.trim())),
    ).resolves.toEqual(['Users & API keys', 'Opt-outs', 'Audit log', 'Retention', 'Offboarding']);
    await page.locator('[data-id="admin-tab-offboarding"]').click();
    await page.waitForURL(/\/offboarding$/);
    await expect(
      page.locator('[data-id="admin-tab-offboarding"]').getAttribute('aria-current'),
    ).resolves.toBe('page');
    await page.getByRole('heading', { name: 'Offboarding', level: 1 }).waitFor();
    await expect(
      page.locator('li[data-step]').evaluateAll((items) => items.map((li) => li.getAttribute('data-step'))),
    ).resolves.toEqual(['export', 'disconnect', 'salesforce-cleanup', 'opt-outs', 'credits', 'delete']);
    await expect(page.locator('li[data-step="delete"] [data-id="command"]').innerText()).resolves.toBe(
      'signalfit offboard delete',
    );
    await page.locator('li[data-step="opt-outs"] button', { hasText: 'Mark done' }).click();
    await page.locator('li[data-step="opt-outs"] [data-id="state"]', { hasText: /^Done / }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'offboarding-1280.png'), fullPage: true });

    await page.reload();
    await page.locator('li[data-step="opt-outs"] [data-id="state"]', { hasText: /^Done / }).waitFor();
    await expect(page.locator('li[data-step="export"] [data-id="state"]').innerText()).resolves.toBe(
      'Not done',
    );
  });

  it("fits a 360 px screen: an Admin's five sections on one line, the Admin tabs and the steps", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.locator('li[data-step="delete"]').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'offboarding-360.png'), fullPage: true });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(await headerSections(page)).toEqual({
      names: ['Accounts', 'Segments', 'Orchestrations', 'Reports', 'Admin'],
      fitOneLine: true,
    });
    // The tabs scroll sideways inside their row, the current one (the last) brought into view.
    await page.reload();
    await page.locator('li[data-step="delete"]').waitFor();
    const box = await page.locator('[data-id="admin-tab-offboarding"]').boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('sets retention on its tab: saved and shown after a reload, a bad number said, the last purge with its counts', async () => {
    await page.goto(`${url}/admin`);
    await page.waitForURL(/\/users$/);
    await page.locator('[data-id="admin-tab-retention"]').click();
    await page.waitForURL(/\/retention$/);
    await page.getByRole('heading', { name: 'Retention', level: 1 }).waitFor();
    const activities = page.locator('fieldset[data-class="activitiesDays"]');
    await expect(activities.locator('input[data-id="keep"]').isChecked()).resolves.toBe(true);
    await activities.locator('label.slds-checkbox__label').click();
    await activities.locator('input[data-id="value"]').fill('730');
    const runs = page.locator('fieldset[data-class="scoreRuns"]');
    await runs.locator('label.slds-checkbox__label').click();
    await runs.locator('input[data-id="value"]').fill('0');
    await page.locator('button[data-id="save"]').click();
    await expect(runs.locator('[data-id="field-error"]').innerText()).resolves.toBe(
      'Give a whole number from 1 to 100,000, or keep for ever.',
    );
    await runs.locator('input[data-id="value"]').fill('12');
    await page.locator('button[data-id="save"]').click();
    await page.getByText('Saved. The daily job applies these settings at its next run.').waitFor();
    expect(await db.query(`SELECT value FROM settings WHERE key = 'retention'`)).toEqual([
      { value: { activitiesDays: 730, outboundDays: null, scoreRuns: 12, auditDays: null } },
    ]);

    // The daily job's purge (nothing old enough here), then the tab shows it.
    await purgeRetention({ db, now: new Date() });
    await page.reload();
    await page.locator('[data-id="last-purge"]').waitFor();
    await expect(activities.locator('input[data-id="value"]').inputValue()).resolves.toBe('730');
    await expect(page.locator('[data-id="last-purge-summary"]').innerText()).resolves.toMatch(
      /: 0 rows deleted\.$/,
    );
    await expect(
      page.locator('tr[data-table]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-table'))),
    ).resolves.toEqual(['activities']);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'retention-1280.png'), fullPage: true });
  });
});
