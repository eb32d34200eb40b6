import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildUiOutOfProcess } from './buildOnce';
import { describeInBrowser, launchBrowser, requireChromium, screenshot } from './browser';
import { RAISED_RATE_LIMIT_ENV } from '../../src/http/testing';

/**
 * End to end in headless Chromium, the way a newcomer meets Signalfit: the service starts as
 * `npm start` starts it (serve --demo-if-empty) on a fresh data folder, fills it with the demo
 * market and scores it; the browser opens `/` in demo mode, sees the accounts sorted by intent,
 * filters to qualified accounts, opens one (stage, reasons, persona map), opens a person, and goes
 * back. Screenshots at 1280 px go to test-results/e2e.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');

jest.setTimeout(300_000);

describeInBrowser('the standalone app in demo mode, from a fresh data folder', () => {
  let dataDir: string;
  let service: ChildProcess;
  let url: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let startedAt: number;

  beforeAll(async () => {
    const chromium = requireChromium();
    await buildUiOutOfProcess();
    dataDir = mkdtempSync(path.join(tmpdir(), 'signalfit-e2e-app-'));
    startedAt = Date.now();
    ({ service, url } = await startLikeNpmStart(dataDir));
    browser = await launchBrowser(chromium);
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  afterAll(async () => {
    await browser?.close();
    if (service && service.exitCode === null) {
      service.kill('SIGTERM');
      await new Promise((resolve) => service.once('exit', resolve));
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the demo accounts sorted by intent, signed in as the demo Admin', async () => {
    await page.goto(`${url}/`);
    await page.locator('[data-row]').first().waitFor({ timeout: 60_000 });
    const seconds = (Date.now() - startedAt) / 1000;
    console.log(`accounts list shown ${seconds.toFixed(1)} s after the service was started`);
    expect(new URL(page.url()).pathname).toBe('/accounts');
    await page.getByText('Demo mode: you are signed in as a demo user').waitFor();
    await expect(page.locator('[data-id="user"]').innerText()).resolves.toBe('Demo user · Admin');
    await expect(page.locator('[data-id="count"]').innerText()).resolves.toMatch(/^1–50 of 1,000 accounts$/);
    // The scoring status arrives in its own request, after the list: wait for it before reading.
    await page
      .locator('[data-id="last-run"]')
      .filter({ hasText: /Scores last computed .* · model / })
      .waitFor();
    await expect(page.locator('[data-id="last-run"]').innerText()).resolves.toMatch(
      /^Scores last computed .* · model /,
    );
    await page.locator('[data-id="recompute"]').waitFor();
    const intents = await columnNumbers(page, 'intent');
    expect(intents).toHaveLength(50);
    expect(intents).toEqual([...intents].sort((a, b) => b - a));
    await screenshot(page, 'app-accounts-1280.png');
  });

  it('filters to qualified accounts', async () => {
    await page.locator('select[data-id="filter-qualified"]').selectOption('true');
    await page.waitForURL(/qualified=true/);
    // Until the filtered answer arrives the previous rows and count still show (the top rows by
    // intent may all be qualified already): wait for the list to say it answers this filter.
    await waitForAnswer(page, 'qualified=true');
    expect((await columnTexts(page, 'qualified')).every((text) => text.startsWith('Yes'))).toBe(true);
    const count = await page.locator('[data-id="count"]').innerText();
    expect(count).toMatch(/of \d[\d,]* accounts?$/);
    expect(Number(count.replace(/.* of ([\d,]+) .*/, '$1').replace(/,/g, ''))).toBeLessThan(1000);
    const intents = await columnNumbers(page, 'intent');
    expect(intents.length).toBeGreaterThan(0);
    expect(intents).toEqual([...intents].sort((a, b) => b - a));
    await screenshot(page, 'app-qualified-1280.png');
  });

  it('never shows an old count beside a filter: not beside a failed answer, marked busy while one is pending, a late older answer dropped', async () => {
    const stage = page.locator('select[data-id="filter-stage"]');
    const count = page.locator('[data-id="count"]');

    // A failed answer: the error, and neither the previous rows nor their count beside it.
    await page.route(/\/api\/accounts\?.*stage=Purchase/, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'store_unavailable', message: 'store is unreachable' } }),
      }),
    );
    await stage.selectOption('Purchase');
    await page.locator('[role="alert"]', { hasText: 'store is unreachable' }).waitFor({ timeout: 10_000 });
    await expect(count.innerText()).resolves.toBe('');
    await expect(page.locator('[data-row]').count()).resolves.toBe(0);

    // A pending answer: the list and its count say that what shows is not yet this filter's.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/api\/accounts\?.*stage=Decision/, async (route) => {
      await held;
      await route.continue();
    });
    await stage.selectOption('Decision');
    await page.waitForSelector('[data-id="count"][aria-busy="true"]', { state: 'attached', timeout: 10_000 });
    await page.waitForSelector('[data-id="list"][aria-busy="true"]', { state: 'attached', timeout: 10_000 });
    release();
    await waitForAnswer(page, 'stage=Decision');
    expect(new Set(await columnTexts(page, 'stage'))).toEqual(new Set(['Decision']));

    // An older request answered after a newer one: the newer one's rows and count stay.
    await page.route(/\/api\/accounts\?.*stage=Consideration/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    });
    const slow = page.waitForResponse(/\/api\/accounts\?.*stage=Consideration/);
    await stage.selectOption('Consideration');
    await page.waitForSelector('[data-id="count"][aria-busy="true"]', { state: 'attached', timeout: 10_000 });
    await stage.selectOption('Awareness');
    await waitForAnswer(page, 'stage=Awareness');
    const awarenessCount = await count.innerText();
    const awarenessRows = await columnTexts(page, 'stage');
    await slow;
    await page.waitForTimeout(300);
    await expect(page.locator('[data-id="list"]').getAttribute('data-query')).resolves.toMatch(
      /stage=Awareness/,
    );
    await expect(count.innerText()).resolves.toBe(awarenessCount);
    await expect(columnTexts(page, 'stage')).resolves.toEqual(awarenessRows);
    expect(awarenessRows.every((text) => text === 'Awareness')).toBe(true);

    await page.unrouteAll();
    await stage.selectOption({ label: 'Any' });
    await waitForAnswer(page, 'qualified=true', 'stage=');
    await page.locator('[data-row]').first().waitFor();
  });

  it('opens an account: its stage, reasons and persona map', async () => {
    const first = page.locator('[data-row]').first();
    const name = await first.locator('[data-id="account-link"]').innerText();
    const stage = await first.locator('[data-id="stage"]').innerText();
    await first.locator('[data-id="account-link"]').click();
    await page.waitForURL(/\/accounts\/[^/?]+$/);
    await expect(page.locator('sf-account-view h1').innerText()).resolves.toBe(name);
    await expect(page.locator('.sf-stage-line__value').innerText()).resolves.toBe(stage);
    await page.locator('sf-reason-list').first().waitFor();
    await page.getByText('Why this intent').waitFor();
    await page.getByText('Buying committee').waitFor();
    await screenshot(page, 'app-account-1280.png');
  });

  it('opens a person from the persona map, then the back button returns to the account and the list', async () => {
    const accountUrl = page.url();
    const person = page.locator('sf-persona-map button.sf-person__name').first();
    const name = (await person.innerText()).trim();
    await person.click();
    await page.waitForURL(/\/people\/[^/]+$/);
    await expect(page.locator('sf-person-view h1').innerText()).resolves.toBe(name);
    await screenshot(page, 'app-person-1280.png');

    // A deep link opens the same view.
    const personUrl = page.url();
    await page.goBack();
    await page.waitForURL(accountUrl);
    await page.locator('sf-account-view h1').waitFor();
    await page.goBack();
    await page.waitForURL(/\/accounts\?.*qualified=true/);
    await page.locator('[data-row]').first().waitFor();
    await page.goto(personUrl);
    await expect(page.locator('sf-person-view h1').innerText()).resolves.toBe(name);
  });
});

/** `npm start` (serve --demo-if-empty) on `dataDir`, any free port; resolves with the printed URL. */
function startLikeNpmStart(dataDir: string): Promise<{ service: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SIGNALFIT_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'warn',
    // The test pages through the list faster than a person would.
    ...RAISED_RATE_LIMIT_ENV,
  };
  // What a newcomer has: nothing that turns demo sign-in off (README "Demo mode and sign-in").
  for (const name of Object.keys(env))
    if (/^(DATABASE_URL|HOST|NODE_ENV|SIGNALFIT_EMBED_|SALESFORCE_|OUTREACH_)/.test(name)) delete env[name];
  const service = spawn(process.execPath, ['bin/signalfit.js', 'serve', '--demo-if-empty'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  service.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    service.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const found = /Signalfit is running at (http:\/\/\S+)/.exec(stdout);
      if (found) resolve({ service, url: found[1]!.replace('//localhost:', '//127.0.0.1:') });
    });
    service.on('exit', (code) => reject(new Error(`the service exited (${code}): ${stderr.slice(-2000)}`)));
  });
}

/**
 * Waits until the list shows the answer to a query holding `contains` (and not `without`), with
 * no newer request pending.
 */
async function waitForAnswer(page: Page, contains: string, without?: string): Promise<void> {
  const not = without ? `:not([data-query*="${without}"])` : '';
  await page
    .locator(`[data-id="list"][aria-busy="false"][data-query*="${contains}"]${not}`)
    .waitFor({ state: 'attached', timeout: 30_000 });
}

async function columnTexts(page: Page, column: string): Promise<string[]> {
  return (await page.locator(`[data-row] [data-id="${column}"]`).allInnerTexts()).map((t) => t.trim());
}

async function columnNumbers(page: Page, column: string): Promise<number[]> {
  const texts = await page.locator(`[data-row] [data-id="${column}"]`).allInnerTexts();
  return texts.map((t) => (t.trim() === '—' ? -1 : Number(t)));
}
