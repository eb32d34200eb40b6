import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createApp } from '../../src/http/app';
import { TEST_EMBED_CONFIG } from '../../src/http/auth/testing';
import { captureLogger, RAISED_RATE_LIMITS } from '../../src/http/testing';
import { OPERATOR, type Actor } from '../../src/policies/policies';
import { recordAudit } from '../../src/services/audit/recordAudit';
import type { Db } from '../../src/store/db';
import { testStoreTargets } from '../../src/store/testing';
import { UI_BUILD_DIR } from '../build';
import { buildUiOutOfProcess } from './buildOnce';
import { describeInBrowser, launchBrowser, requireChromium, SCREENSHOTS_DIR } from './browser';

/**
 * The Admin "Audit log" page end to end in headless Chromium, against the real service (createApp
 * in this process, demo sign-in as Admin) on PGlite holding 60 entries: Admin in the navigation then its Audit log tab, the
 * newest 50 then "Load more", a filter applied through the address, and the CSV download of the
 * same filters. A screenshot at 1280 px goes to test-results/e2e.
 */
jest.setTimeout(300_000);

const ADA: Actor = { userId: 'u-ada', name: 'Ada', email: 'ada@example.com', role: 'Admin' };

describeInBrowser('the audit log in a browser', () => {
  let db: Db;
  let service: http.Server;
  let url: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    const chromium = requireChromium();
    await buildUiOutOfProcess();
    db = await testStoreTargets()[0]!.open();
    // Entry n at 2026-11-01 plus n hours: every third a segment publish by Ada, the rest imports.
    for (let n = 1; n <= 60; n++) {
      const at = new Date(Date.UTC(2026, 10, 1, n));
      if (n % 3 === 0) {
        await recordAudit(
          db,
          ADA,
          {
            action: 'segment.publish',
            targetType: 'segment',
            targetId: String(n),
            summary: `published segment "S${n}"`,
          },
          at,
        );
      } else {
        await recordAudit(
          db,
          OPERATOR,
          {
            action: 'import.file',
            targetType: 'import',
            targetId: 'accounts.csv',
            summary: 'imported accounts.csv',
            counts: { rows: n },
          },
          at,
        );
      }
    }
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

  const entryIds = () =>
    page.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-entry')));

  it('opens from the navigation: the newest 50 entries, then the rest with Load more', async () => {
    await page.goto(`${url}/accounts`);
    await page.locator('[data-id="nav-admin"]').click();
    await page.locator('[data-id="admin-tab-audit"]').click();
    await page.waitForURL(/\/audit$/);
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await page.locator('[data-entry="60"]').waitFor();
    expect(await entryIds()).toHaveLength(50);
    expect((await entryIds())[0]).toBe('60');
    await expect(page.locator('[data-entry="59"] td').allTextContents()).resolves.toEqual([
      '2026-11-03 11:00:00 UTC',
      'command line (operator)',
      'import.file',
      'imported accounts.csv',
      'rows 59',
    ]);
    await page.locator('[data-id="load-more"]').click();
    await page.locator('[data-entry="1"]').waitFor();
    expect(await entryIds()).toHaveLength(60);
    expect(await page.locator('[data-id="load-more"]').count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'audit-log-1280.png'), fullPage: true });
  });

  it('applies filters through the address and downloads the CSV of the same filters', async () => {
    await page.locator('[data-filter="action"]').fill('segment');
    await page.locator('[data-filter="since"]').fill('2026-11-02');
    await page.locator('[data-id="apply"]').click();
    await page.waitForURL(/\/audit\?since=2026-11-02&action=segment$/);
    // Hours 24–60: the publishes among them are 24, 27, … 60.
    await page.locator('[data-entry="60"]').waitFor();
    await expect(entryIds()).resolves.toEqual([
      '60',
      '57',
      '54',
      '51',
      '48',
      '45',
      '42',
      '39',
      '36',
      '33',
      '30',
      '27',
      '24',
    ]);

    const downloaded = page.waitForEvent('download');
    await page.locator('[data-id="download"]').click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/^signalfit-audit-\d{4}-\d\d-\d\d\.csv$/);
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('id,at,actor,actor_kind,action,target_type,target_id,summary,counts');
    expect(lines).toHaveLength(14);
    expect(lines[1]).toBe(
      '60,2026-11-03T12:00:00.000Z,ada@example.com,user,segment.publish,segment,60,"published segment ""S60""",{}',
    );
  });
});
