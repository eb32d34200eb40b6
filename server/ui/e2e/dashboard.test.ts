import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { mintEmbedToken } from '../../src/http/auth/testing';
import {
  ACME_ID,
  FIXTURE_NOW,
  PEOPLE,
  seedIntelligenceFixture,
} from '../../src/services/intelligence/testing';
import type { Db } from '../../src/store/db';
import { testStoreTargets } from '../../src/store/testing';
import { buildUiOutOfProcess } from './buildOnce';
import { describeInBrowser, launchBrowser, requireChromium, SCREENSHOTS_DIR } from './browser';
import { startFramedDashboard } from './framedDashboard';
import { startHostPage } from './hostPage';

/**
 * End to end in headless Chromium: a host page playing Salesforce frames /embed, hands it an
 * embed token minted from the README's contract, and the account view shows the account's
 * scores, reasons and persona map. Screenshots at 360 px and 1280 px go to test-results/e2e.
 * Skipped (and said so by `npm test`) when Chromium is not installed, unless SIGNALFIT_E2E=required.
 */
jest.setTimeout(180_000);

describeInBrowser('the dashboard in a browser, framed by a Salesforce-like host', () => {
  let db: Db;
  let framed: Awaited<ReturnType<typeof startFramedDashboard>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let frame: FrameLocator;

  beforeAll(async () => {
    const chromium = requireChromium();
    db = await testStoreTargets()[0]!.open();
    await buildUiOutOfProcess();
    await seedIntelligenceFixture(db);
    framed = await startFramedDashboard({
      db,
      mintToken: ({ expired }) =>
        mintEmbedToken({
          now: expired ? new Date(FIXTURE_NOW.getTime() - 120_000) : FIXTURE_NOW,
          claims: { rid: ACME_ID, obj: 'Account', name: 'Rita Rep', perms: ['Signalfit_Access'] },
        }),
    });

    browser = await launchBrowser(chromium);
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${framed.hostOrigin}/record`);
    frame = page.frameLocator('iframe#signalfit');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await framed?.close();
    await db?.close();
  });

  it("shows the account's scores, reasons and persona map at 1280 px", async () => {
    await frame.getByRole('heading', { name: 'Acme Cloud' }).waitFor();
    await expectText(frame, 'Strong');
    await expectText(frame, '88 / 100');
    await expectText(frame, '82');
    await expectText(frame, 'Industry: Software');
    await expectText(frame, 'Researched "sast" 5 times in 30 days');
    await expectText(frame, 'Buying committee');
    await expectText(frame, 'Security Leader');
    await expectText(frame, 'Sam Okafor');
    await expectText(frame, 'Gap: no one known');
    await expectText(frame, 'Research trend');
    await expect(frame.locator('li[aria-current="step"]').innerText()).resolves.toContain('Decision');
    await settleHeight(page);
    await screenshotWhole(page, 'account-1280.png');
  });

  it('speaks the panel protocol: ready first, then its height; never the token in a URL', async () => {
    const messages = await hostMessages(page);
    expect(messages[0]).toEqual({ type: 'signalfit:ready' });
    const heights = messages.filter((m) => m.type === 'signalfit:height') as unknown as { height: number }[];
    expect(heights.length).toBeGreaterThan(0);
    expect(heights.at(-1)!.height).toBeGreaterThan(300);
    // The height settles: reporting it does not make the page grow again (no resize loop).
    const count = heights.length;
    await page.waitForTimeout(1000);
    expect((await hostMessages(page)).filter((m) => m.type === 'signalfit:height')).toHaveLength(count);
    expect(page.frames().every((f) => !/token=/.test(f.url()))).toBe(true);
  });

  it('fits a 360 px record-page sidebar', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await frame.getByRole('heading', { name: 'Acme Cloud' }).waitFor();
    await settleHeight(page);
    await screenshotWhole(page, 'account-360.png');
    const overflow = await frame.locator('body').evaluate((body) => body.scrollWidth - body.clientWidth);
    if (overflow > 0) {
      const wide = await frame.locator('body').evaluate((body) =>
        [...body.ownerDocument.querySelectorAll('*')]
          .filter((e) => e.getBoundingClientRect().right > body.clientWidth + 1)
          .slice(0, 8)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
      );
      throw new Error(`the page is ${overflow} px wider than the frame: ${wide.join(', ')}`);
    }
  });

  it('opens a person from the persona map with the keyboard, and asks Salesforce to open the record', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await frame.getByRole('button', { name: 'Open Sam Okafor' }).focus();
    await page.keyboard.press('Enter');
    await frame.getByRole('heading', { name: 'Sam Okafor' }).waitFor();
    await expectText(frame, 'Director of Application Security');
    await expectText(frame, 'Attended a webinar');
    await settleHeight(page);
    await screenshotWhole(page, 'person-1280.png');

    await frame.getByRole('button', { name: 'Open in Salesforce' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction("window.__messages.some((m) => m.type === 'signalfit:navigate')");
    const navigate = (await hostMessages(page)).find((m) => m.type === 'signalfit:navigate');
    expect(navigate).toEqual({ type: 'signalfit:navigate', recordId: PEOPLE.sam, objectApiName: 'Contact' });

    await frame.getByRole('button', { name: 'Back to Acme Cloud' }).focus();
    await page.keyboard.press('Space');
    await frame.getByRole('heading', { name: 'Acme Cloud' }).waitFor();
  });

  it('asks its parent for a fresh token when the one it got has expired, then opens', async () => {
    const later = await browser.context.newPage();
    try {
      await later.setViewportSize({ width: 1280, height: 900 });
      await later.goto(`${framed.hostOrigin}/record?expiredFirst=1`);
      await later.frameLocator('iframe#signalfit').getByRole('heading', { name: 'Acme Cloud' }).waitFor();
      const types = (await hostMessages(later)).map((m) => m.type);
      expect(types.filter((t) => t !== 'signalfit:height')).toEqual([
        'signalfit:ready',
        'signalfit:token-expired',
      ]);
    } finally {
      await later.close();
    }
  });

  it('is not framed by an origin outside SIGNALFIT_ALLOWED_ORIGINS', async () => {
    const serviceOrigin = new URL(page.frames()[1]!.url()).origin;
    const res = await fetch(`${serviceOrigin}/embed`);
    expect(res.headers.get('content-security-policy')).toContain(`frame-ancestors ${framed.hostOrigin}`);
    expect(res.headers.get('x-frame-options')).toBeNull();

    // Another origin frames the same page: the browser refuses to render it, so it never says ready.
    const stranger = await startHostPage({ serviceOrigin, mintToken: async () => 'never-asked' });
    const other = await browser.context.newPage();
    try {
      await other.goto(`${stranger.origin}/record`, { waitUntil: 'domcontentloaded' });
      await other.waitForTimeout(3000);
      expect(await hostMessages(other)).toEqual([]);
    } finally {
      await other.close();
      await stranger.close();
    }
  });
});

async function expectText(frame: FrameLocator, text: string): Promise<void> {
  await frame.getByText(text, { exact: false }).first().waitFor({ state: 'visible', timeout: 15_000 });
}

/** Waits until the host applied the frame's last height report (two animation frames of calm). */
async function settleHeight(page: Page): Promise<void> {
  await page.waitForTimeout(300);
  await page.evaluate(
    'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
  );
}

/**
 * A screenshot of the whole host page. The viewport is stretched to the page's height first:
 * Chromium paints a frame only where the viewport is, so a full-page shot would show it cut.
 */
async function screenshotWhole(page: Page, file: string): Promise<void> {
  const viewport = page.viewportSize()!;
  const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await settleHeight(page);
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, file) });
  await page.setViewportSize(viewport);
}

/** What the host page recorded of the frame's messages. */
function hostMessages(page: Page): Promise<{ type: string }[]> {
  return page.evaluate('window.__messages') as Promise<{ type: string }[]>;
}
