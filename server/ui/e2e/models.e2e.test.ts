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
  waitForText,
} from './browser';

/**
 * The Models page end to end in headless Chromium, against the real service (createApp in this
 * process, demo sign-in as Admin) on PGlite with a scored demo market: the first scoring run
 * trains and activates the first versions; a candidate is trained through the HTTP API
 * (`POST /api/models/train`, as a script or `signalfit models train` would); the page, opened at
 * its own address, shows both sides, the roll-out date and the comparison (charts drawn, a
 * transition cell drilled into); the Admin approves it through the page (confirmation text, the
 * versions active, the account view naming them), rolls back, then postpones and rejects a
 * second candidate. Screenshots at 1280 and 360 px go to test-results/e2e.
 */
jest.setTimeout(300_000);

interface VersionRow {
  id: number;
  kind: string;
  training_id: number;
  trained_as_of: string;
  state: string;
  rollout_on: string | null;
}

const DATE = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
});
/** A day as the app shows it ("Nov 29, 2026"). */
const shown = (day: string) => DATE.format(new Date(`${day}T00:00:00Z`));
/** "versions 21–24" as the app says four consecutive ids. */
const range = (ids: number[]) => `versions ${Math.min(...ids)}–${Math.max(...ids)}`;
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describeInBrowser('the Models page in a browser', () => {
  let db: Db;
  let service: http.Server;
  let url: string;
  let token: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let firstActive: number[];
  let candidate: number[];

  const api = async <T>(route: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const response = await fetch(`${url}${route}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`${init.method ?? 'GET'} ${route} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  const versions = () => api<VersionRow[]>('/api/models');
  const idsIn = (rows: VersionRow[], state: string) =>
    rows
      .filter((row) => row.state === state)
      .map((row) => row.id)
      .sort((a, b) => a - b);

  /** Trains a candidate through the HTTP API; returns its version ids (a not-worse candidate). */
  async function trainCandidate(): Promise<number[]> {
    await api('/api/models/train', { method: 'POST', body: {} });
    const ids = idsIn(await versions(), 'candidate');
    expect(ids).toHaveLength(4);
    return ids;
  }

  /** Opens the page at its address and waits for its versions (and the comparison, when asked). */
  async function openModels(withComparison: boolean): Promise<void> {
    await page.goto(`${url}/models`);
    await page.locator('sf-models-page [data-id="history"]').waitFor({ timeout: 120_000 });
    if (withComparison)
      await page.locator('sf-models-page [data-id="transitions"]').waitFor({ timeout: 120_000 });
  }

  /** Opens the confirmation of `action`, checks its words, confirms, and waits for the service. */
  async function confirm(action: string, message: RegExp, route: RegExp): Promise<void> {
    await page.locator(`sf-models-page button[data-action="${action}"]`).click();
    const dialog = page.locator('sf-confirm-dialog');
    await dialog.locator('[data-id="message"]').waitFor();
    await waitForText(dialog.locator('[data-id="message"]'), message);
    const answered = page.waitForResponse(
      (response) => route.test(new URL(response.url()).pathname) && response.request().method() === 'POST',
      { timeout: 120_000 },
    );
    await dialog.locator('[data-id="confirm"]').click();
    expect((await answered).status()).toBe(200);
    await page.locator('sf-models-page [data-id="notice"]').waitFor({ timeout: 120_000 });
    await page.locator('sf-confirm-dialog').waitFor({ state: 'detached', timeout: 60_000 });
  }

  beforeAll(async () => {
    const chromium = requireChromium();
    await buildUiOutOfProcess();
    db = await testStoreTargets()[0]!.open();
    const today = startOfUtcDay(new Date());
    await seedDemoMarket({ db, seed: 11, accounts: 300, endDate: today });
    // The first run of an empty store trains and activates the first versions.
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
    const session = (await (await fetch(`${url}/api/session/demo`, { method: 'POST' })).json()) as {
      accessToken: string;
    };
    token = session.accessToken;

    firstActive = idsIn(await versions(), 'active');
    expect(firstActive).toHaveLength(4);
    candidate = await trainCandidate();

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

  it('is in the Reports section, and shows the active and the candidate versions with the roll-out date', async () => {
    await page.goto(`${url}/accounts`);
    await page.locator('[data-row]').first().waitFor({ timeout: 60_000 });
    await page.locator('[data-id="nav-reports"]').click();
    await page.locator('[data-report="models"] a').click();
    await page.waitForURL(/\/models$/);
    await page.locator('sf-models-page [data-id="candidate"]').waitFor({ timeout: 120_000 });

    const pending = await api<{ rolloutOn: string; trainedAsOf: string }>('/api/models/pending');
    await waitForText(
      page.locator('sf-models-page [data-id="rollout"] p').first(),
      `${range(candidate).replace(/^v/, 'V')} (trained ${shown(pending.trainedAsOf)}) roll out on ${shown(
        pending.rolloutOn,
      )} unless postponed or rejected.`,
    );
    const versionCells = (side: string) =>
      page
        .locator(`sf-models-page [data-id="${side}"] [data-id="version"]`)
        .evaluateAll((cells) => cells.map((cell) => cell.textContent?.trim()));
    await expect(versionCells('active')).resolves.toEqual(firstActive.map((id) => `#${id}`));
    await expect(versionCells('candidate')).resolves.toEqual(candidate.map((id) => `#${id}`));
    // The history lists every version, newest first.
    await expect(page.locator('sf-models-page [data-id="history"] tbody tr').count()).resolves.toBe(8);
  });

  it('shows the comparison: charts drawn, the tables, and a transition cell drilled into', async () => {
    await openModels(true);
    expect(
      await drawnPixels(page, 'sf-models-page sf-report-chart[data-chart="share"] canvas'),
    ).toBeGreaterThan(0);
    expect(
      await drawnPixels(page, 'sf-models-page sf-report-chart[data-chart="impact"] canvas'),
    ).toBeGreaterThan(0);
    await expect(page.locator('sf-report-table[data-table="stages"] tbody tr').count()).resolves.toBe(5);
    await screenshot(page, 'models-1280.png');

    const cells = page.locator('sf-report-table[data-table="transitions-stage"] button[data-drill]');
    const first = cells.first();
    const expected = Number((await first.innerText()).replace(/,/g, ''));
    const answered = page.waitForResponse((r) => r.url().includes('/api/models/compare/accounts?'));
    await first.click();
    const drill = (await (await answered).json()) as { total: number; accounts: { account_id: string }[] };
    expect(drill.total).toBe(expected);
    await page.locator('sf-model-drill [data-id="drill-total"]').waitFor();
    await expect(page.locator('sf-model-drill tbody a').first().getAttribute('href')).resolves.toBe(
      `/accounts/${encodeURIComponent(drill.accounts[0]!.account_id)}`,
    );
    await page.locator('sf-model-drill [data-id="close"]').click();
    await expect(page.locator('sf-model-drill').count()).resolves.toBe(0);
  });

  it('approves the candidate through the page: it becomes active and the account view names it', async () => {
    await openModels(true);
    await confirm(
      'approve',
      new RegExp(
        `^Approve: ${range(candidate)} become active now; today's scores are recomputed with them and the changes are written back to Salesforce: [\\d,]+ accounts? becomes? qualified, [\\d,]+ stops?\\. ${range(
          firstActive,
        ).replace(/^v/, 'V')} are retired; Roll back brings them back\\.$`,
      ),
      new RegExp(`^/api/models/${candidate[0]}/approve$`),
    );
    await waitForText(
      page.locator('sf-models-page [data-id="notice"]'),
      new RegExp(`^Approved: ${range(candidate)} are active\\.`),
    );
    const rows = await versions();
    expect(idsIn(rows, 'active')).toEqual(candidate);
    expect(idsIn(rows, 'retired')).toEqual(firstActive);
    await page.locator('sf-models-page [data-id="no-candidate"]').waitFor();

    // The current run was rescored with the approved versions: the account view names them.
    await page.goto(`${url}/accounts`);
    await page.locator('[data-row]').first().waitFor({ timeout: 60_000 });
    await page.locator('[data-row] [data-id="account-link"]').first().click();
    const line = page.locator('sf-account-view [data-id="model-version"]');
    await line.waitFor({ timeout: 60_000 });
    const [intent, profile, contact, engagement] = candidate;
    await waitForText(
      line,
      new RegExp(
        `^Scored by model versions: intent #${intent}, profile fit #${profile}, contact fit #${contact}, engagement #${engagement}`,
      ),
    );
    await line.locator('a[data-id="models-link"]').click();
    await page.waitForURL(/\/models$/);
  });

  it('rolls back through the page: the first versions are active again', async () => {
    await openModels(false);
    const trained = (await versions()).find((row) => row.id === firstActive[0])!.trained_as_of;
    await confirm(
      'rollback',
      new RegExp(
        `^Roll back: ${range(candidate)} are set aside and ${range(firstActive)} \\(trained ${shown(
          trained,
        )}\\) become active again; today's scores are recomputed with them`,
      ),
      /^\/api\/models\/rollback$/,
    );
    await waitForText(
      page.locator('sf-models-page [data-id="notice"]'),
      `Rolled back: ${range(firstActive)} are active again.`,
    );
    const rows = await versions();
    expect(idsIn(rows, 'active')).toEqual(firstActive);
    expect(idsIn(rows, 'rejected')).toEqual(candidate);
  });

  it('postpones a second candidate by the days typed, then rejects it', async () => {
    const second = await trainCandidate();
    const before = await api<{ rolloutOn: string }>('/api/models/pending');
    await openModels(false);
    await page.locator('sf-models-page [data-id="candidate"]').waitFor();
    await page.locator('sf-models-page input[data-id="postpone-days"]').fill('10');
    const later = addDays(before.rolloutOn, 10);
    await confirm(
      'postpone',
      new RegExp(
        `^Postpone: ${range(second)} roll out on ${shown(later)} instead of ${shown(before.rolloutOn)} \\(10 days later\\)`,
      ),
      new RegExp(`^/api/models/${second[0]}/postpone$`),
    );
    await expect(api<{ rolloutOn: string }>('/api/models/pending')).resolves.toMatchObject({
      rolloutOn: later,
    });
    await waitForText(
      page.locator('sf-models-page [data-id="rollout"] p').first(),
      new RegExp(`roll out on ${shown(later)} unless postponed or rejected\\.$`),
    );

    await confirm(
      'reject',
      new RegExp(
        `^Reject: ${range(second)} are rejected and never roll out; ${range(firstActive)} stay active\\.`,
      ),
      new RegExp(`^/api/models/${second[0]}/reject$`),
    );
    await waitForText(
      page.locator('sf-models-page [data-id="notice"]'),
      `Rejected: ${range(second)} will not roll out.`,
    );
    await expect(api('/api/models/pending')).resolves.toBeNull();
    await page.locator('sf-models-page [data-id="no-candidate"]').waitFor();
    expect(idsIn(await versions(), 'active')).toEqual(firstActive);
  });

  it('is readable at 360 px, reloaded from its address', async () => {
    await trainCandidate();
    await page.setViewportSize({ width: 360, height: 800 });
    await openModels(true);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(await overflows(page, 'sf-models-page')).toBe(false);
    expect(await headerSections(page)).toEqual({
      names: ['Accounts', 'Segments', 'Orchestrations', 'Reports', 'Admin'],
      fitOneLine: true,
    });
    await screenshot(page, 'models-360.png');
  });
});
