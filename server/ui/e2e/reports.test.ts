import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { startOfUtcDay } from '../../src/domain/dates';
import { createApp } from '../../src/http/app';
import { TEST_EMBED_CONFIG } from '../../src/http/auth/testing';
import { captureLogger, RAISED_RATE_LIMITS } from '../../src/http/testing';
import { seedDemoMarket } from '../../src/services/demo/seedDemoMarket';
import { scoreStore } from '../../src/services/scoring/scoreStore';
import type { Db } from '../../src/store/db';
import { testStoreTargets } from '../../src/store/testing';
import { UI_BUILD_DIR } from '../build';
import { buildUiOutOfProcess } from './buildOnce';
import {
  describeInBrowser,
  drawnPixels,
  headerSections,
  launchBrowser,
  overflows,
  requireChromium,
  screenshot,
} from './browser';

/**
 * The Reports section end to end in headless Chromium, against the real service (createApp in
 * this process, demo sign-in as Admin) on PGlite with a scored demo market: a segment created
 * through the API, a segment performance report configured in the app (charts drawn on their
 * canvas, a drill-down into a movement cell, a table exported as CSV), then model insights.
 * Screenshots of both reports at 1280 and 360 px go to test-results/e2e.
 */
const SEGMENT_NAME = 'E2E report cohort';

jest.setTimeout(300_000);

describeInBrowser('the Reports section in a browser', () => {
  let db: Db;
  let service: http.Server;
  let url: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let segmentId: number;
  let reportPath: string;

  beforeAll(async () => {
    const chromium = requireChromium();
    await buildUiOutOfProcess();
    db = await testStoreTargets()[0]!.open();
    const today = startOfUtcDay(new Date());
    await seedDemoMarket({ db, seed: 11, accounts: 300, endDate: today });
    await scoreStore(db, { asOf: today });

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

    // The segment the report is about, created through the API as a user would script it.
    const session = (await (await fetch(`${url}/api/session/demo`, { method: 'POST' })).json()) as {
      accessToken: string;
    };
    const created = await fetch(`${url}/api/segments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${session.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: SEGMENT_NAME,
        definition: { all: [{ field: 'intent_score', op: 'gte', value: 0 }] },
      }),
    });
    expect(created.status).toBe(201);
    segmentId = ((await created.json()) as { segment: { id: number } }).segment.id;

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

  it('opens Reports from the navigation: both reports and the Models page for an Admin', async () => {
    await page.goto(`${url}/accounts`);
    await page.locator('[data-row]').first().waitFor({ timeout: 60_000 });
    await page.locator('[data-id="nav-reports"]').click();
    await page.waitForURL(/\/reports$/);
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await expect(
      page.locator('[data-report]').evaluateAll((items) => items.map((li) => li.getAttribute('data-report'))),
    ).resolves.toEqual(['segment-performance', 'model-insights', 'models']);
  });

  it('configures a segment performance report and shows it: tiles, the distribution chart, the movement grid', async () => {
    await page.locator('[data-report="segment-performance"] a').click();
    await page.waitForURL(/\/reports\/segment-performance$/);
    await page.locator('[data-id="config"]').waitFor();
    // SLDS checkboxes: the label draws the box (the input itself is clipped to nothing).
    await page.locator('label', { hasText: SEGMENT_NAME }).click();
    await page.locator('label', { hasText: 'Exclude irrelevant opportunities' }).click();
    expect(await page.locator(`input[data-segment="${segmentId}"]`).isChecked()).toBe(true);
    expect(await page.locator('input[data-field="excludeIrrelevant"]').isChecked()).toBe(true);
    const answered = page.waitForResponse(
      (response) => response.url().includes('/api/reports/segment-performance?'),
      {
        timeout: 120_000,
      },
    );
    await page.locator('[data-id="apply"] button').click();
    const response = await answered;
    expect(response.status()).toBe(200);
    const report = (await response.json()) as {
      summary: { accounts: number };
      parameters: { segments: { id: number }[] };
    };
    expect(report.parameters.segments.map((segment) => segment.id)).toEqual([segmentId]);
    expect(new URL(page.url()).searchParams.get('excludeIrrelevant')).toBe('true');
    reportPath = `${new URL(page.url()).pathname}${new URL(page.url()).search}`;

    await page.locator('[data-id="report"]').waitFor();
    await expect(page.locator('button[data-tile="accounts"]').innerText()).resolves.toBe(
      report.summary.accounts.toLocaleString('en-US'),
    );
    expect(await drawnPixels(page, 'sf-segment-report sf-report-chart canvas')).toBeGreaterThan(0);
    await expect(
      page.locator('sf-report-table[data-table="movement"] tbody tr').count(),
    ).resolves.toBeGreaterThanOrEqual(5);
    await screenshot(page, 'report-segment-performance-1280.png');
  });

  it('drills from a movement cell into the accounts behind it', async () => {
    const cells = page.locator('sf-report-table[data-table="movement"] button[data-drill]');
    const texts = await cells.allInnerTexts();
    const index = Math.max(
      0,
      texts.findIndex((text) => text.trim() !== '0'),
    );
    const expected = Number(texts[index]!.replace(/,/g, ''));
    const answered = page.waitForResponse((r) =>
      r.url().includes('/api/reports/segment-performance/accounts?'),
    );
    await cells.nth(index).click();
    const drill = (await (await answered).json()) as { total: number; accounts: { id: string }[] };
    expect(drill.total).toBe(expected);
    await page.locator('sf-report-drill [data-id="drill-total"]').waitFor();
    await expect(page.locator('sf-report-drill tbody tr').count()).resolves.toBe(drill.accounts.length);
    if (drill.accounts.length > 0) {
      await expect(page.locator('sf-report-drill tbody a').first().getAttribute('href')).resolves.toBe(
        `/accounts/${encodeURIComponent(drill.accounts[0]!.id)}`,
      );
    }
    await page.locator('sf-report-drill [data-id="close"]').click();
    await expect(page.locator('sf-report-drill').count()).resolves.toBe(0);
  });

  it('exports the distribution table as a CSV download', async () => {
    const downloaded = page.waitForEvent('download');
    await page.locator('sf-report-table[data-table="distribution"] [data-id="export"] button').click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe('segment-performance-distribution.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.trim().split(/\r\n/);
    expect(lines[0]).toMatch(/^Buying stage,Baseline accounts,/);
    // Accounts without a score in a timeframe's runs have their own row first.
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[0])
        .filter((stage) => stage !== 'Not scored'),
    ).toEqual(['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase']);
  });

  it('opens model insights: the stage chart, the tables and the signals', async () => {
    await page.locator('[data-id="nav-reports"]').click();
    await page.locator('[data-report="model-insights"] a').click();
    await page.waitForURL(/\/reports\/model-insights$/);
    await page.locator('sf-model-insights [data-id="report"]').waitFor({ timeout: 120_000 });
    expect(await drawnPixels(page, 'sf-model-insights sf-report-chart canvas')).toBeGreaterThan(0);
    await expect(page.locator('[data-id="identification-rate"]').innerText()).resolves.toMatch(/%$|^—$/);
    await expect(
      page.locator('sf-report-table[data-table="account_behavior"] tbody tr').count(),
    ).resolves.toBe(5);
    await expect(
      page.locator('sf-report-table[data-table="signals"] tbody tr').count(),
    ).resolves.toBeLessThanOrEqual(50);
    await screenshot(page, 'report-model-insights-1280.png');
  });

  it('is readable at 360 px: both reports, reloaded from their addresses', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${url}${reportPath}`);
    await page.locator('sf-segment-report [data-id="report"]').waitFor({ timeout: 120_000 });
    expect(await drawnPixels(page, 'sf-segment-report sf-report-chart canvas')).toBeGreaterThan(0);
    expect(await overflows(page, 'sf-segment-report')).toBe(false);
    // The whole page too: the app's header with an Admin's five sections fits on one line.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(await headerSections(page)).toEqual({
      names: ['Accounts', 'Segments', 'Orchestrations', 'Reports', 'Admin'],
      fitOneLine: true,
    });
    await screenshot(page, 'report-segment-performance-360.png');

    await page.goto(`${url}/reports/model-insights`);
    await page.locator('sf-model-insights [data-id="report"]').waitFor({ timeout: 120_000 });
    expect(await overflows(page, 'sf-model-insights')).toBe(false);
    await screenshot(page, 'report-model-insights-360.png');
  });
});
