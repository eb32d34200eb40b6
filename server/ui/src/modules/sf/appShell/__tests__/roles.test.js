import { createElement } from 'lwc';
import AppShell from 'sf/appShell';
import { clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

// The `can` of GET /api/session for each role, as the service answers it (matrix.test.ts checks).
const CAN = require('../../../../../test/data/can.json');
const BY_INTENT = require('../../../../../test/data/accountsByIntent.json');
const INDUSTRIES = require('../../../../../test/data/industries.json');
const SCORING_STATUS = require('../../../../../test/data/scoringStatus.json');
const SEGMENTS = require('../../../../../test/data/segments.json');
const SEGMENT = require('../../../../../test/data/segment.json');
const ALERTS = require('../../../../../test/data/alerts.json');

/**
 * What each role is offered in the standalone app: the controls follow the session's `can`, so a
 * role sees only what the service would let it do. `true`: shown.
 */
const CONTROLS = {
  // View Only, Marketing, Sales, Operations, Admin
  'nav: Users': [false, false, false, false, true],
  'nav: Orchestrations': [true, true, false, true, true],
  'accounts: Export CSV': [false, true, true, true, true],
  'accounts: Recompute now': [false, false, false, true, true],
  'segments: New segment': [false, true, true, true, true],
  'segments: Upload a list': [false, true, true, true, true],
  'segment: Edit': [false, true, true, true, true],
  'segment: Publish to Salesforce': [false, false, false, true, true],
  "segment: members' Export CSV": [false, true, true, true, true],
  'segment: alert subscriptions': [false, true, false, true, true],
  'reports: Model insights': [true, true, false, true, true],
};
const ROLES = ['View Only', 'Marketing', 'Sales', 'Operations', 'Admin'];

/** Renders the shell at `path`, signed in (demo mode) as `role`. */
async function renderAs(role, path) {
  window.history.replaceState(null, '', path);
  stubFetch({
    '/api/session': { demo: true, signInMethods: [], can: CAN[role] },
    '/api/session/demo': {
      accessToken: 'access-token-1',
      expiresIn: 900,
      user: { name: 'Ann', role },
      demo: true,
    },
    '/api/accounts': BY_INTENT,
    '/api/accounts/industries': INDUSTRIES,
    '/api/scoring/status': SCORING_STATUS,
    '/api/segments': SEGMENTS,
    '/api/segments/3': SEGMENT,
    '/api/segments/3/accounts': BY_INTENT,
    '/api/alerts': ALERTS,
  });
  const element = createElement('sf-app-shell', { is: AppShell });
  document.body.appendChild(element);
  // Sign-in, then the page, then its parts each wait for their own answers.
  for (let round = 0; round < 6; round += 1) {
    // eslint-disable-next-line no-await-in-loop -- each round lets the next level's answers arrive
    await new Promise((resolve) => setTimeout(resolve, 0)).then(flushPromises);
  }
  return element;
}

/** The first element matching the last selector, through the shadow roots of the ones before. */
function deep(root, ...selectors) {
  let node = root;
  for (const selector of selectors) {
    node = node && node.shadowRoot.querySelector(selector);
  }
  return node;
}

/** Whether each control of CONTROLS is shown to `role`, read from the pages. */
async function controlsOf(role) {
  const shown = {};
  let shell = await renderAs(role, '/accounts');
  shown['nav: Users'] = !!deep(shell, '[data-id="nav-users"]');
  shown['nav: Orchestrations'] = !!deep(shell, '[data-id="nav-orchestrations"]');
  shown['accounts: Export CSV'] = !!deep(shell, 'sf-accounts-page', '[data-id="export"]');
  shown['accounts: Recompute now'] = !!deep(
    shell,
    'sf-accounts-page',
    'sf-scoring-status',
    '[data-id="recompute"]',
  );
  clearBody();

  shell = await renderAs(role, '/segments');
  shown['segments: New segment'] = !!deep(shell, 'sf-segments-page', '[data-id="new-segment"]');
  shown['segments: Upload a list'] = !!deep(shell, 'sf-segments-page', '[data-id="upload-list"]');
  clearBody();

  shell = await renderAs(role, '/segments/3');
  shown['segment: Edit'] = !!deep(shell, 'sf-segment-page', '[data-id="edit"]');
  shown['segment: Publish to Salesforce'] = !!deep(shell, 'sf-segment-page', '[data-id="publish"]');
  shown["segment: members' Export CSV"] = !!deep(
    shell,
    'sf-segment-page',
    'sf-accounts-page',
    '[data-id="export"]',
  );
  shown['segment: alert subscriptions'] = !!deep(
    shell,
    'sf-segment-page',
    'sf-segment-alerts',
    '[data-id="subscriptions"]',
  );
  clearBody();

  shell = await renderAs(role, '/reports');
  shown['reports: Model insights'] = !!deep(shell, 'sf-reports-page', '[data-report="model-insights"]');
  clearBody();
  return shown;
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-app-shell offers each role what it may do', () => {
  it.each(ROLES)('%s', async (role) => {
    const column = ROLES.indexOf(role);
    const expected = Object.fromEntries(
      Object.entries(CONTROLS).map(([name, shown]) => [name, shown[column]]),
    );
    expect(await controlsOf(role)).toEqual(expected);
  });

  it('says the role does not include a form reached by its address (View Only at /segments/new)', async () => {
    const shell = await renderAs('View Only', '/segments/new');
    expect(textOf(deep(shell, '[data-id="refused"]'))).toBe(
      'Your role does not include creating or changing segments.',
    );
    expect(deep(shell, 'sf-segment-builder')).toBeNull();
  });

  it('shows Marketing the orchestrations but not their wizard; Sales not even the list', async () => {
    let shell = await renderAs('Marketing', '/orchestrations/new');
    expect(textOf(deep(shell, '[data-id="refused"]'))).toBe(
      'Your role does not include creating or changing orchestrations.',
    );
    clearBody();
    shell = await renderAs('Sales', '/orchestrations');
    expect(textOf(deep(shell, '[data-id="orchestrations-refused"]'))).toBe(
      'Your role does not include orchestrations.',
    );
  });
});
