import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { mintEmbedToken, TEST_ORG_ID, TEST_USER_ID } from '../../src/http/auth/testing';
import {
  ACME_ID,
  FIXTURE_NOW,
  PEOPLE,
  seedIntelligenceFixture,
} from '../../src/services/intelligence/testing';
import { OutreachConnections } from '../../src/services/outreach/connections';
import type { Db } from '../../src/store/db';
import { testStoreTargets } from '../../src/store/testing';
import type { OutreachStandIn } from '../../test/outreachStandIn/standIn';
import { ALL_SCOPES, startOutreachStandIn } from '../../test/outreachStandIn/testing';
import { buildUiOutOfProcess } from './buildOnce';
import { describeInBrowser, launchBrowser, requireChromium, SCREENSHOTS_DIR } from './browser';
import { startFramedDashboard } from './framedDashboard';

/**
 * "Add to Outreach sequence" end to end in headless Chromium: the account view of the framed
 * dashboard, against the Outreach stand-in. Two people are selected in the persona map (one of
 * them already in the sequence), a sequence is found by name, the mailbox is the user's own by
 * default; the dialog shows one `enrolled` and one `already_enrolled`. Screenshot in
 * test-results/e2e/outreach-enroll.png.
 */
const PERMS = ['Signalfit_Access', 'Signalfit_Sales_Actions'];

jest.setTimeout(180_000);

describeInBrowser('Add to Outreach sequence in a browser', () => {
  let db: Db;
  let serviceOrigin: string;
  let standIn: OutreachStandIn;
  let framed: Awaited<ReturnType<typeof startFramedDashboard>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let frame: FrameLocator;
  let sequenceId: string;
  let connections: OutreachConnections;

  beforeAll(async () => {
    const chromium = requireChromium();
    db = await testStoreTargets()[0]!.open();
    await buildUiOutOfProcess();
    await seedIntelligenceFixture(db);

    // Outreach mints one token per user a minute; this test connects again within that minute.
    const started = await startOutreachStandIn({ minTokenIntervalMs: 0 });
    standIn = started.standIn;
    const rita = standIn.addUser('rita@example.com');
    const mailboxId = standIn.addMailbox('rita@example.com', rita);
    standIn.addSequence('Nurture: developers');
    sequenceId = standIn.addSequence('Security leaders Q4');
    const sam = standIn.addProspect('sam@acme.example', { firstName: 'Sam', lastName: 'Okafor' });
    standIn.addSequenceState(sam, sequenceId, mailboxId);
    standIn.approvingUserId = rita;

    framed = await startFramedDashboard({
      db,
      mintToken: () =>
        mintEmbedToken({
          now: FIXTURE_NOW,
          claims: { rid: ACME_ID, obj: 'Account', name: 'Rita Rep', perms: PERMS },
        }),
      appDeps: async (origin) => {
        connections = new OutreachConnections({
          db,
          config: { ...started.config, redirectUri: `${origin}/api/outreach/callback` },
          now: () => new Date(),
        });
        const tokens = standIn.issueToken(rita, ALL_SCOPES);
        await connections.save(
          { orgId: TEST_ORG_ID, userId: TEST_USER_ID },
          { ...tokens, expiresAt: new Date(Date.now() + 7200_000), scope: ALL_SCOPES.join(' ') },
          { id: rita, email: 'rita@example.com' },
        );
        return { outreach: connections };
      },
    });
    serviceOrigin = framed.serviceOrigin;

    browser = await launchBrowser(chromium);
    page = await browser.context.newPage();
    // Tall enough for the whole frame: the dialog is centred in it.
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.goto(`${framed.hostOrigin}/record`);
    frame = page.frameLocator('iframe#signalfit');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await framed?.close();
    await standIn?.close();
    await db?.close();
  });

  it('enrolls two people from the account view: one enrolled, one already_enrolled', async () => {
    await frame.getByRole('heading', { name: 'Acme Cloud' }).waitFor();
    // The panel app hands its in-memory access token (from the host page's embed token, which
    // carries Signalfit_Sales_Actions) to the account view: the Outreach actions appear.
    await frame.getByRole('button', { name: 'Add to Outreach sequence' }).waitFor();
    // Opted-out Lee is shown, marked, and cannot be selected.
    await frame.getByText('Opted out').first().waitFor();
    expect(await frame.locator(`input[data-id="${PEOPLE.lee}"]`).isDisabled()).toBe(true);
    expect(await frame.getByRole('button', { name: 'Add to Outreach sequence' }).isDisabled()).toBe(true);

    // Clicks are dispatched as DOM events: Playwright's pointer clicks do not settle on elements
    // inside this resizing frame.
    await frame.locator(`input[data-id="${PEOPLE.dana}"]`).dispatchEvent('click');
    await frame.locator(`input[data-id="${PEOPLE.sam}"]`).dispatchEvent('click');
    await frame.getByText('2 people selected').waitFor();
    await frame.getByRole('button', { name: 'Add to Outreach sequence' }).dispatchEvent('click');

    const dialog = frame.getByRole('dialog', { name: 'Add to Outreach sequence' });
    await dialog.getByPlaceholder('Search sequences by name').fill('security');
    // The search narrows the list to the matching sequence.
    await dialog.getByText('Nurture: developers').waitFor({ state: 'detached' });
    await dialog.getByText('Security leaders Q4').waitFor();
    await dialog.getByRole('radio', { name: 'Security leaders Q4' }).dispatchEvent('click');
    expect(await dialog.locator('select').inputValue()).not.toBe('');
    await expect(dialog.locator('select option:checked').innerText()).resolves.toBe('rita@example.com');
    await dialog.getByRole('button', { name: 'Add 2 people' }).dispatchEvent('click');

    await dialog.locator('[data-result]').first().waitFor();
    const results = await dialog
      .locator('[data-result]')
      .evaluateAll((items) =>
        items.map((item) => [
          item.textContent!.replace(/\s+/g, ' ').trim(),
          item.getAttribute('data-result'),
        ]),
      );
    expect(results).toEqual([
      [expect.stringContaining('Dana Chen'), 'enrolled'],
      [expect.stringContaining('Sam Okafor'), 'already_enrolled'],
    ]);
    await dialog.getByText('Already in this sequence').waitFor();
    await dialog.getByText('1 person added to the sequence.').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'outreach-enroll.png') });

    // The person view lists the attempt.
    await dialog.getByRole('button', { name: 'Close' }).dispatchEvent('click');
    await frame.getByRole('button', { name: 'Open Dana Chen' }).dispatchEvent('click');
    await frame.getByRole('heading', { name: 'Dana Chen', level: 1 }).waitFor();
    const history = frame.locator('sf-outreach-history');
    await history.getByText('Security leaders Q4: Enrolled').waitFor();
    await expect(history.locator('[data-result]').getAttribute('data-result')).resolves.toBe('enrolled');
    await frame.getByRole('button', { name: 'Add to Outreach sequence' }).waitFor();

    // Outreach saw one prospect created (Dana) and one sequence state for her; Sam untouched.
    expect(standIn.prospectsWithEmail('dana@acme.example')).toHaveLength(1);
    expect(standIn.prospectsWithEmail('sam@acme.example')).toHaveLength(1);
    expect(standIn.data.sequenceStates).toHaveLength(2);
    expect(JSON.stringify(standIn.requests)).not.toContain('lee@acme.example');
  });

  it('connects Outreach from the dialog when the user is not connected', async () => {
    await connections.disconnect({ orgId: TEST_ORG_ID, userId: TEST_USER_ID });
    await frame.getByRole('button', { name: 'Add to Outreach sequence' }).dispatchEvent('click');
    const dialog = frame.getByRole('dialog', { name: 'Add to Outreach sequence' });
    await dialog.getByText('Connect your Outreach account once').waitFor();
    const popupOpened = page.context().waitForEvent('page');
    await dialog.getByRole('button', { name: 'Connect Outreach' }).dispatchEvent('click');
    const popup = await popupOpened;
    // The window goes through the service (ticket), Outreach's authorize page and back.
    await popup.getByRole('heading', { name: 'Outreach is connected' }).waitFor();
    expect(popup.url()).toMatch(new RegExp(`^${serviceOrigin}/api/outreach/callback\\?code=`));
    await popup.close();
    // The dialog notices by itself and offers the sequences.
    await dialog.getByPlaceholder('Search sequences by name').waitFor();
    await expect(dialog.locator('select option:checked').innerText()).resolves.toBe('rita@example.com');
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'outreach-connected.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).dispatchEvent('click');
  });
});
