import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { startRunWorker } from '../../src/services/orchestrations/runQueue';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createApp } from '../../src/http/app';
import { TEST_EMBED_CONFIG } from '../../src/http/auth/testing';
import { captureLogger, RAISED_RATE_LIMITS } from '../../src/http/testing';
import type { Db } from '../../src/store/db';
import { testStoreTargets } from '../../src/store/testing';
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
 * The Orchestrations section end to end in headless Chromium, against the real service
 * (createApp in this process with the orchestration run worker, demo sign-in as Admin) on
 * PGlite: a small market of three Software accounts, a csv provider whose file offers people
 * there (one in a restricted region, one without an email), and a credit allowance. The wizard
 * creates an orchestration (acquire, CSV download target, at most 2 per account), the preview
 * shows the counts and the sample, Run now runs it, and the history shows the run's records.
 * Screenshots go to test-results/e2e.
 */
const ORCHESTRATION_NAME = 'E2E software buyers';
const PROVIDER_NAME = 'E2E vendor';
const PROVIDER_FILE = [
  'provider_id,email,first_name,last_name,title,job_level,job_function,company_domain,country,email_confidence,cost',
  'e1,ana@acme.example,Ana,Lima,VP Engineering,VP,Engineering,acme.example,US,A,',
  'e2,bo@acme.example,Bo,Chen,Director of Engineering,Director,Engineering,https://www.acme.example/,US,B,2',
  'e3,cy@acme.example,Cy,Ito,Engineer,Staff,Engineering,acme.example,US,C,1',
  'e4,dee@beta.example,Dee,Roy,CTO,C-Level,Engineering,beta.example,DE,A,1',
  'e5,,Eli,Fox,Engineer,Staff,Engineering,beta.example,US,B,1',
  'e6,fay@gamma.example,Fay,Ng,Engineering Intern,Staff,Engineering,gamma.example,US,B,1',
  'e7,gus@other.example,Gus,Bell,CTO,C-Level,Engineering,other.example,US,A,1',
].join('\n');

jest.setTimeout(300_000);

describeInBrowser('the Orchestrations section in a browser', () => {
  let db: Db;
  let service: http.Server;
  let url: string;
  let providerDir: string;
  let worker: { wake(): void; stop(graceMs?: number): Promise<void> } | null = null;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    const chromium = requireChromium();
    await buildUiOutOfProcess();
    db = await testStoreTargets()[0]!.open();
    await seedMarket(db);
    providerDir = mkdtempSync(path.join(tmpdir(), 'signalfit-e2e-provider-'));
    writeFileSync(path.join(providerDir, 'provider_contacts.csv'), `${PROVIDER_FILE}\n`);

    worker = startRunWorker({ deps: { db, now: () => new Date() }, pollMs: 500 });
    service = http.createServer(
      createApp({
        db,
        logger: captureLogger('warn').logger,
        version: 'e2e',
        embed: TEST_EMBED_CONFIG,
        uiDir: UI_BUILD_DIR,
        demoSignIn: { allowed: true },
        rateLimits: RAISED_RATE_LIMITS,
        // Run now wakes the worker.
        orchestrationRuns: worker,
      }),
    );
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;

    // The provider and the allowance, as an Admin sets them up (the API the CLI mirrors).
    const token = await demoToken(url);
    await api(url, token, 'POST', '/api/providers', { name: PROVIDER_NAME, type: 'csv', dir: providerDir });
    await api(url, token, 'PUT', '/api/credits', { allowance: 100 });

    browser = await launchBrowser(chromium);
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await new Promise<void>((resolve) => {
      if (!service) return resolve();
      service.close(() => resolve());
      service.closeAllConnections();
    });
    await db?.close();
    if (providerDir) rmSync(providerDir, { recursive: true, force: true });
  });

  it('opens Orchestrations from the navigation, with the credits meter and New orchestration', async () => {
    await page.goto(`${url}/accounts`);
    await page.locator('[data-id="nav-orchestrations"]').click();
    await page.waitForURL(/\/orchestrations$/);
    await page.getByRole('heading', { name: 'Orchestrations', level: 1 }).waitFor();
    await page.locator('sf-credits-meter [data-fact="allowance"] dd', { hasText: '100' }).waitFor();
    await page.locator('[data-id="new-orchestration"]').click();
    await page.waitForURL(/\/orchestrations\/new$/);
    await page.getByRole('heading', { name: 'New orchestration' }).waitFor();
  });

  it('creates an orchestration with the wizard, step by step', async () => {
    const step = (name: string) => page.locator(`[data-id="step"][data-step="${name}"]`).waitFor();
    const next = () => page.locator('button[data-id="next"]').click();

    await step('goal');
    await page.locator('input[data-id="name"]').fill(ORCHESTRATION_NAME);
    await next();

    await step('segment');
    await page.locator('select[data-id="segment"]').selectOption({ label: 'Software' });
    await next();

    await step('target');
    // SLDS hides the radio itself; a user clicks its label.
    await page
      .locator('.slds-radio', { has: page.locator('input[data-id="target-type"][data-value="csv"]') })
      .locator('label')
      .click();
    await page.locator('select[data-id="provider"]').selectOption(PROVIDER_NAME);
    await next();

    await step('filters');
    await page.locator('sf-orchestration-titles [data-id="add-title"]').click();
    await page.locator('sf-orchestration-titles input[data-id="exclude"]').fill('intern');
    await page.locator('input[data-id="max-per-account"]').fill('2');
    await next();

    await step('push');
    await expect(page.locator('input[data-id="schedule"][data-value="manual"]').isChecked()).resolves.toBe(
      true,
    );
    await next();

    await step('review');
    await expect(page.locator('[data-detail="target"]').innerText()).resolves.toBe(
      'CSV download from the run’s history',
    );
    await expect(page.locator('[data-detail="max"]').innerText()).resolves.toBe('at most 2 people per run');
    await screenshot(page, 'orchestration-wizard-review-1280.png');
    await page.locator('button[data-id="save"]').click();
    await page.waitForURL(/\/orchestrations\/\d+$/);
  });

  it('previews it: counts, the sample with why, and the downloads; nothing bought', async () => {
    await page.getByRole('heading', { name: `Preview: ${ORCHESTRATION_NAME}` }).waitFor();
    const count = (key: string) => page.locator(`[data-count="${key}"] dd`).innerText();
    await page.locator('[data-count="accounts"]').waitFor({ timeout: 30_000 });
    await expect(count('accounts')).resolves.toBe('3');
    // acme: Ana and Bo (the cap of 2 cuts Cy); beta: Dee is in a restricted region, Eli has no email;
    // gamma: the intern is filtered out.
    await expect(count('toBuy')).resolves.toBe('2');
    await expect(count('cost')).resolves.toBe('3');
    await expect(page.locator('[data-reason]').allInnerTexts()).resolves.toEqual([
      'No email: 1',
      'Restricted region: 1',
      'Filtered out: 1',
      'Over the per-account maximum: 1',
    ]);
    const sample = page.locator('sf-report-table[data-id="sample"] tbody tr');
    await expect(sample.count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('sf-report-table[data-id="sample"] tbody th').allInnerTexts()).resolves.toEqual(
      expect.arrayContaining(['Ana Lima', 'Bo Chen']),
    );
    await expect(page.locator('[data-id="download-candidates"]').getAttribute('href')).resolves.toMatch(
      /\/api\/orchestrations\/\d+\/preview\/candidates\.csv$/,
    );
    const download = page.waitForEvent('download');
    await page.locator('[data-id="download-accounts"]').click();
    expect((await download).suggestedFilename()).toMatch(/^orchestration-\d+-accounts\.csv$/);
    await expect(page.locator('sf-credits-meter [data-fact="used"] dd').innerText()).resolves.toBe('0');
    await screenshot(page, 'orchestration-preview-1280.png');
  });

  it('runs it with Run now and follows the run to its end', async () => {
    await page.locator('button[data-id="run"]').click();
    await page.locator('h2[data-id="run-status"]', { hasText: /Queued|Running|Complete/ }).waitFor();
    await page.locator('h2[data-id="run-status"]', { hasText: 'Complete' }).waitFor({ timeout: 60_000 });
    await expect(page.locator('h2[data-id="run-status"]').innerText()).resolves.toContain('2 purchased');
    // The meter is read again when the run is over: 3 credits used.
    await page.locator('sf-credits-meter [data-fact="used"] dd', { hasText: '3' }).waitFor();
  });

  it("shows the run in the history, with every record's outcome and the records.csv", async () => {
    await page.locator('a[data-id="history"]').click();
    await page.waitForURL(/\/orchestrations\/\d+\/history$/);
    const runs = page.locator('sf-report-table[data-id="runs"] tbody tr');
    await runs.first().waitFor();
    await expect(runs.count()).resolves.toBe(1);
    await page.locator('sf-report-table[data-id="runs"] button', { hasText: /^Run \d+$/ }).click();
    await page.waitForURL(/\/history\?run=\d+$/);
    const records = page.locator('sf-report-table[data-id="records"] tbody tr');
    await records.first().waitFor();
    const names = await page.locator('sf-report-table[data-id="records"] tbody th').allInnerTexts();
    expect(names).toEqual(expect.arrayContaining(['Ana Lima', 'Bo Chen']));
    await page.locator('select[data-id="outcome"]').selectOption('skipped');
    await page
      .locator('sf-report-table[data-id="records"] tbody td', { hasText: 'Restricted region' })
      .first()
      .waitFor();
    const download = page.waitForEvent('download');
    await page.locator('[data-id="records-csv"]').click();
    expect((await download).suggestedFilename()).toMatch(/^orchestration-\d+-run-\d+-records\.csv$/);
    await screenshot(page, 'orchestration-history-1280.png');
  });

  it('lists it with its last run', async () => {
    await page.locator('[data-id="nav-orchestrations"]').click();
    await page.waitForURL(/\/orchestrations$/);
    const row = page.locator('tr[data-orchestration]', { hasText: ORCHESTRATION_NAME });
    await row.waitFor();
    await expect(row.locator('[data-id="last-run"]').innerText()).resolves.toMatch(/Complete/);
    await expect(row.locator('[data-id="next-run"]').innerText()).resolves.toBe(
      'When someone presses Run now',
    );
  });

  it("fits a 360 px screen: an Admin's five sections on one line and the list (its table scrolls)", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.locator('tr[data-orchestration]', { hasText: ORCHESTRATION_NAME }).waitFor();
    await page.waitForTimeout(300);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(await headerSections(page)).toEqual({
      names: ['Accounts', 'Segments', 'Orchestrations', 'Reports', 'Admin'],
      fitOneLine: true,
    });
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

/** Three Software accounts (one with its domain as a URL) and one outside the segment. */
async function seedMarket(db: Db): Promise<void> {
  await db.exec(`
    INSERT INTO accounts (id, name, domain, industry, country) VALUES
      ('e2e-acme', 'Acme', 'acme.example', 'Software', 'US'),
      ('e2e-beta', 'Beta', 'https://www.beta.example/', 'Software', 'US'),
      ('e2e-gamma', 'Gamma', 'gamma.example', 'Software', 'US'),
      ('e2e-other', 'Other', 'other.example', 'Retail', 'US');
  `);
  await db.query(
    `INSERT INTO segments (name, kind, definition, version) VALUES ('Software', 'filter', $1::jsonb, 1)`,
    [JSON.stringify({ field: 'industry', op: 'eq', value: 'Software' })],
  );
}

async function demoToken(base: string): Promise<string> {
  const response = await fetch(`${base}/api/session/demo`, { method: 'POST' });
  if (!response.ok) throw new Error(`demo sign-in answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function api(
  base: string,
  token: string,
  method: string,
  route: string,
  body: unknown,
): Promise<unknown> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => null)) as unknown;
  if (!response.ok)
    throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, name), fullPage: true });
}
