import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** The Debian package's binary (`apt-get install -y chromium`), or CHROMIUM_PATH. */
export function chromiumPath(): string | null {
  const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : null;
}

/**
 * Headless Chromium with a fresh profile and nothing that phones home: the browser tests never
 * reach the internet. `close()` also removes the profile.
 */
export async function launchBrowser(
  executablePath: string,
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'signalfit-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where the browser tests leave their screenshots. */
export const SCREENSHOTS_DIR = path.resolve(__dirname, '..', '..', '..', 'test-results', 'e2e');

/**
 * `describe` when Chromium is installed or SIGNALFIT_E2E=required (then a missing browser fails
 * the suite, see requireChromium), else `describe.skip` (and `npm test` says so).
 */
export const describeInBrowser =
  chromiumPath() || process.env.SIGNALFIT_E2E === 'required' ? describe : describe.skip;

/** Chromium's path, failing clearly when it is missing; makes the screenshots folder. */
export function requireChromium(): string {
  const found = chromiumPath();
  if (!found) throw new Error('Chromium is required (SIGNALFIT_E2E=required): apt-get install -y chromium');
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  return found;
}

/**
 * The app header's sections as laid out now: their names, and whether they sit on one line
 * inside the window (none past its right edge, none wrapped to a second line). The page's
 * scrollWidth alone would not tell: the sections' row clips what does not fit.
 */
export async function headerSections(page: Page): Promise<{ names: string[]; fitOneLine: boolean }> {
  const items = await page.locator('nav[aria-label="Sections"] li').evaluateAll((lis) =>
    lis.map((li) => {
      const box = li.getBoundingClientRect();
      return { name: (li.textContent ?? '').trim(), right: box.right, top: box.top };
    }),
  );
  const width = (await page.evaluate('window.innerWidth')) as number;
  return {
    names: items.map((item) => item.name),
    fitOneLine: items.every((item) => item.right <= width && item.top === items[0]!.top),
  };
}

/** A full-page screenshot into test-results/e2e, after the page has settled a moment. */
export async function screenshot(page: Page, file: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, file), fullPage: true });
}

/**
 * Whether a page's component is wider than the window: a table may scroll inside its own box,
 * the component not.
 */
export async function overflows(page: Page, component: string): Promise<boolean> {
  const viewport = page.viewportSize()!.width;
  const box = await page.locator(component).boundingBox();
  const widest = await page
    .locator(component)
    .evaluate((element) => element.scrollWidth - element.clientWidth);
  return !box || box.x + box.width > viewport + 1 || widest > 1;
}

/** How many pixels of a chart's canvas are painted (Chart.js drew something). */
export async function drawnPixels(page: Page, selector: string): Promise<number> {
  const canvas = page.locator(selector).first();
  await canvas.waitFor();
  await page.waitForTimeout(200);
  return canvas.evaluate((element) => {
    // (The e2e code compiles without the DOM library: the canvas as far as this reads it.)
    const c = element as unknown as {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
      };
    };
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted += 1;
    return painted;
  });
}

/**
 * Waits until `locator`'s text is `expected` (a string: exactly; a pattern: matching). Reading
 * it once right after an action races the page's re-render: the old text may still be shown
 * (a notice of the action before), so read until it changes, up to `timeoutMs`.
 */
export async function waitForText(
  locator: Locator,
  expected: string | RegExp,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = await locator.innerText({ timeout: timeoutMs }).catch(() => last);
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return;
    if (Date.now() > deadline)
      throw new Error(`expected the text ${String(expected)}, still ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
