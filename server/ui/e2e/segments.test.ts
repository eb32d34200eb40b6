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
import { describeInBrowser, launchBrowser, overflows, requireChromium, screenshot } from './browser';

/**
 * The Segments section end to end in headless Chromium, against the real service (createApp in
 * this process, demo sign-in as Admin) on PGlite with a scored demo market: build a segment of
 * three conditions and watch the live count change, save it, open its page (members, definition,
 * history), publish it, and subscribe an alert whose test message reaches a local HTTP receiver
 * standing in for Slack. Screenshots at 1280 and 360 px go to test-results/e2e.
 */
const SECRET_KEY = 'a-test-secret-key-of-at-least-32-characters';
const SEGMENT_NAME = 'E2E in-market fit';

jest.setTimeout(300_000);

describeInBrowser('the Segments section in a browser', () => {
  let db: Db;
  let service: http.Server;
  let url: string;
  let receiver: { url: string; bodies: unknown[]; close(): Promise<void> };
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let segmentPath: string;
  let savedCount: number;

  beforeAll(async () => {
    const chromium = requireChromium();
    await buildUiOutOfProcess();
    db = await testStoreTargets()[0]!.open();
    const today = startOfUtcDay(new Date());
    await seedDemoMarket({ db, seed: 11, accounts: 300, endDate: today });
    await scoreStore(db, { asOf: today });
    receiver = await startWebhookReceiver();

    service = http.createServer(
      createApp({
        db,
        logger: captureLogger('warn').logger,
        version: 'e2e',
        embed: TEST_EMBED_CONFIG,
        uiDir: UI_BUILD_DIR,
        demoSignIn: { allowed: true },
        // Webhook URLs are stored sealed with the secret key.
        secretKey: SECRET_KEY,
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
    await receiver?.close();
    await db?.close();
  });

  it('opens the Segments section from the navigation, with New segment and Upload list for an Admin', async () => {
    await page.goto(`${url}/accounts`);
    await page.locator('[data-row]').first().waitFor({ timeout: 60_000 });
    await page.locator('[data-id="nav-segments"]').click();
    await page.waitForURL(/\/segments$/);
    await page.getByRole('heading', { name: 'Segments', level: 1 }).waitFor();
    await page.locator('[data-id="upload-list"]').waitFor();
    await page.locator('[data-id="new-segment"]').click();
    await page.waitForURL(/\/segments\/new$/);
    await page.getByRole('heading', { name: 'New segment' }).waitFor();
  });

  it('builds a segment of three conditions, the live count changing as it goes', async () => {
    await page.locator('input[data-id="name"]').fill(SEGMENT_NAME);
    await expect(page.locator('input[data-id="folder"]').getAttribute('placeholder')).resolves.toBe(
      'Team - FY## Q# - Name',
    );
    await page.locator('input[data-id="folder"]').fill('Marketing - FY27 Q1 - E2E');
    await page.locator('input[data-id="tags"]').fill('e2e, abm');

    // 1. Intent score at least 0: every scored account.
    const first = page.locator('sf-segment-condition').nth(0);
    const all = await previewAfter(page, () => first.locator('input[data-id="value"]').fill('0'));
    expect(all).toBeGreaterThan(0);
    await expect(countText(page)).resolves.toBe(`${all.toLocaleString('en-US')} accounts match`);
    await page.locator('[data-member]').first().waitFor();

    // 2. Profile fit Strong or Moderate: fewer (the demo market has Weak accounts).
    await page.locator('[data-id="add-condition"]').first().click();
    const second = page.locator('sf-segment-condition').nth(1);
    await second.locator('select[data-id="field"]').selectOption('profile_fit');
    await second.locator('select[data-id="op"]').selectOption('in');
    const fit = await previewAfter(page, () =>
      second.locator('select[data-id="values"]').selectOption(['Strong', 'Moderate']),
    );
    expect(fit).toBeLessThan(all);
    await expect(countText(page)).resolves.toBe(`${fit.toLocaleString('en-US')} accounts match`);

    // 3. In a nested "any" group: at least one web visit in the last 90 days.
    await page.locator('[data-id="add-group"]').first().click();
    const third = page.locator('sf-segment-condition').nth(2);
    await third.locator('select[data-id="field"]').selectOption('activity');
    await third.locator('select[data-id="types"]').selectOption(['web_visit']);
    savedCount = await previewAfter(
      page,
      () => third.locator('input[data-id="within-days"]').fill('90'),
      (body) => body.includes('"within_days":90'),
    );
    expect(savedCount).toBeLessThanOrEqual(fit);
    await expect(page.locator('sf-segment-condition').evaluateAll((els) => els.length)).resolves.toBe(3);
    await screenshot(page, 'segments-builder-1280.png');
  });

  it('saves the segment and opens its page: members, definition and history', async () => {
    await page.locator('button[data-id="save"]').click();
    await page.waitForURL(/\/segments\/\d+$/);
    segmentPath = new URL(page.url()).pathname;
    await expect(page.locator('sf-segment-page h1[data-id="name"]').innerText()).resolves.toBe(SEGMENT_NAME);
    await expect(page.locator('[data-id="members"]').innerText()).resolves.toMatch(
      new RegExp(`^${savedCount.toLocaleString('en-US')} members?`),
    );
    const definition = await page.locator('[data-id="definition"] li').allInnerTexts();
    expect(definition).toEqual([
      'All of these:',
      'Intent score is at least 0',
      'Profile fit is one of Moderate, Strong',
      'Any of these:',
      'At least 1 activity of type Web visit in the last 90 days',
    ]);
    await expect(page.locator('[data-id="history"] tbody tr').count()).resolves.toBeGreaterThan(0);
    // The members list is the accounts list limited to the segment.
    if (savedCount > 0) await page.locator('sf-accounts-page [data-row]').first().waitFor();
    await expect(page.locator('sf-accounts-page [data-id="count"]').innerText()).resolves.toMatch(
      new RegExp(`of ${savedCount.toLocaleString('en-US')} accounts?$|^0 accounts$`),
    );
    await screenshot(page, 'segment-page-1280.png');
  });

  it('lists the segment under its folder', async () => {
    await page.locator('[data-id="all-segments"]').click();
    await page.waitForURL(/\/segments$/);
    const section = page.locator('section[data-folder="Marketing - FY27 Q1 - E2E"]');
    await section.waitFor();
    await expect(section.locator('[data-id="segment-link"]').innerText()).resolves.toBe(SEGMENT_NAME);
    await expect(section.locator('[data-id="members"]').innerText()).resolves.toBe(
      savedCount.toLocaleString('en-US'),
    );
    await section.locator('[data-id="segment-link"]').click();
    await page.waitForURL(new RegExp(`${segmentPath}$`));
  });

  it('publishes the segment', async () => {
    await expect(page.locator('[data-id="published"]').innerText()).resolves.toBe(
      'Not published to Salesforce',
    );
    await page.locator('label.slds-checkbox_toggle').click();
    await page
      .locator('[data-id="published"]', { hasText: /^Published to Salesforce/ })
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('input[data-id="publish"]').isChecked()).toBe(true);
    await page.locator('[data-id="history"] td', { hasText: 'Published' }).first().waitFor();
  });

  it('subscribes an alert to a local webhook and sends it a test message', async () => {
    await page.locator('select[data-id="event-select"]').selectOption('became_qualified');
    await page.locator('input[data-id="webhook-input"]').fill(receiver.url);
    await page.locator('select[data-id="digest-select"]').selectOption('immediate');
    await page.locator('button[data-id="add"]').click();
    const subscription = page.locator('li[data-subscription]');
    await subscription.first().waitFor();
    await expect(subscription.locator('[data-id="event"]').innerText()).resolves.toBe('Became qualified');
    // The webhook is shown masked, never in full.
    expect(await subscription.locator('[data-id="webhook"]').innerText()).not.toBe(receiver.url);

    await subscription.getByRole('button', { name: 'Send test message' }).click();
    await subscription.locator('[data-id="note"]', { hasText: 'Test message sent.' }).waitFor();
    expect(receiver.bodies).toHaveLength(1);
    expect(JSON.stringify(receiver.bodies[0])).toContain(SEGMENT_NAME);
    await screenshot(page, 'segment-alerts-1280.png');
  });

  it('is readable at 360 px: the segment page and the builder', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.reload();
    await page.locator('sf-segment-page h1[data-id="name"]').waitFor();
    expect(await overflows(page, 'sf-segment-page')).toBe(false);
    await screenshot(page, 'segment-page-360.png');
    await page.locator('[data-id="edit"]').click();
    await page.waitForURL(/\/edit$/);
    await page.locator('sf-segment-condition').nth(2).waitFor();
    expect(await overflows(page, 'sf-segment-builder')).toBe(false);
    await screenshot(page, 'segments-builder-360.png');
  });
});

/** Runs `act`, then waits for the preview it causes and returns its count as shown. */
async function previewAfter(
  page: Page,
  act: () => Promise<unknown>,
  isIt: (body: string) => boolean = () => true,
): Promise<number> {
  const answered = page.waitForResponse(
    (response) =>
      response.url().endsWith('/api/segments/preview') && isIt(response.request().postData() ?? ''),
    { timeout: 30_000 },
  );
  await act();
  const response = await answered;
  expect(response.status()).toBe(200);
  const { count } = (await response.json()) as { count: number };
  await page.locator('[data-id="preview-count"][aria-busy="false"]').waitFor({ timeout: 10_000 });
  return count;
}

function countText(page: Page): Promise<string> {
  return page.locator('[data-id="preview-count"]').innerText();
}

/** A local stand-in for a Slack incoming webhook: answers `ok` and keeps every JSON body. */
async function startWebhookReceiver(): Promise<{ url: string; bodies: unknown[]; close(): Promise<void> }> {
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      bodies.push(JSON.parse(text || 'null'));
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0E2E/B0E2E/e2e-test-hook`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
