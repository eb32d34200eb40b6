import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

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
