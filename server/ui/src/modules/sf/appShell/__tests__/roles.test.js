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
const MODELS = require('../../../../../test/data/models.json');
const MODELS_PENDING = require('../../../../../test/data/modelsPending.json');
const MODELS_COMPARE = require('../../../../../test/data/modelsCompare.json');
const ACME = require('../../../../../test/data/accountIntelligence.json');

/**
 * What each role is offered in the standalone app: the controls follow the session's `can`, so a
 * role sees only what the service would let it do. `true`: shown.
 */
const CONTROLS = {
  // View Only, Marketing, Sales, Operations, Admin
  'nav: Admin': [false, false, false, true, true],
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
  'reports: Models': [true, true, false, true, true],
  'models: the page': [true, true, false, true, true],
  'models: Approve, Postpone, Reject, Roll back': [false, false, false, false, true],
  'account: link to the Models page': [true, true, false, true, true],
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
    '/api/models': MODELS,
    '/api/models/pending': MODELS_PENDING,
    '/api/models/compare': MODELS_COMPARE,
    [`/api/accounts/${ACME.account.id}/intelligence`]: {
      ...ACME,
      scores: { ...ACME.scores, modelVersion: 'intent:15 profile_fit:16 contact_fit:17 engagement:18' },
    },
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
  shown['nav: Admin'] = !!deep(shell, '[data-id="nav-admin"]');
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
  shown['reports: Models'] = !!deep(shell, 'sf-reports-page', '[data-report="models"]');
  clearBody();

  shell = await renderAs(role, '/models');
  shown['models: the page'] = !!deep(shell, 'sf-models-page', '[data-id="history"]');
  const actions = ['approve', 'postpone', 'reject', 'rollback'].map(
    (action) => !!deep(shell, 'sf-models-page', `button[data-action="${action}"]`),
  );
  expect(new Set(actions).size).toBe(1);
  shown['models: Approve, Postpone, Reject, Roll back'] = actions[0];
  clearBody();

  shell = await renderAs(role, `/accounts/${ACME.account.id}`);
  shown['account: link to the Models page'] = !!deep(shell, 'sf-account-view', '[data-id="models-link"]');
  clearBody();
  return shown;
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

/** The Admin section's tabs shown, by label. */
function adminTabs(shell) {
  return [...shell.shadowRoot.querySelectorAll('nav[aria-label="Admin"] a')].map((a) => textOf(a));
}

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

  it.each(['View Only', 'Marketing', 'Sales', 'Insights'])(
    'gives %s no Admin section: no entry, and /admin says so',
    async (role) => {
      const shell = await renderAs(role, '/admin');
      expect(deep(shell, '[data-id="nav-admin"]')).toBeNull();
      expect(adminTabs(shell)).toEqual([]);
      expect(window.location.pathname).toBe('/admin');
      expect(textOf(deep(shell, '[data-id="admin-refused"]'))).toBe(
        'Your role does not include the Admin section.',
      );
    },
  );

  it.each([
    ['Operations', ['Opt-outs'], '/optouts'],
    ['Admin', ['Users & API keys', 'Opt-outs', 'Audit log', 'Retention', 'Offboarding'], '/users'],
  ])('gives %s the Admin tabs %j; /admin opens the first, %s', async (role, tabs, landing) => {
    const shell = await renderAs(role, '/admin');
    expect(adminTabs(shell)).toEqual(tabs);
    expect(window.location.pathname).toBe(landing);
    expect(textOf(deep(shell, 'nav[aria-label="Admin"] a[aria-current="page"]'))).toBe(tabs[0]);
    expect(deep(shell, '[data-id="nav-admin"]').parentElement.classList.contains('slds-is-active')).toBe(
      true,
    );
  });

  it('keeps each Admin page at its own address, and says so at one the role does not include (Operations at /users, /retention)', async () => {
    let shell = await renderAs('Operations', '/users');
    expect(adminTabs(shell)).toEqual(['Opt-outs']);
    expect(textOf(deep(shell, '[data-id="users-refused"]'))).toBe(
      'Users and API keys are for the Admin role.',
    );
    expect(deep(shell, 'sf-users-page')).toBeNull();
    clearBody();
    shell = await renderAs('Operations', '/retention');
    expect(textOf(deep(shell, '[data-id="retention-refused"]'))).toBe('Retention is for the Admin role.');
    expect(deep(shell, 'sf-retention-page')).toBeNull();
    clearBody();
    shell = await renderAs('Admin', '/retention');
    expect(window.location.pathname).toBe('/retention');
    expect(deep(shell, 'sf-retention-page')).not.toBeNull();
    expect(textOf(deep(shell, 'nav[aria-label="Admin"] a[aria-current="page"]'))).toBe('Retention');
    // Admin's entry is the current section; Accounts is not.
    const sections = [...shell.shadowRoot.querySelectorAll('nav[aria-label="Sections"] li')];
    expect(sections.map((li) => [textOf(li), li.classList.contains('slds-is-active')])).toEqual([
      ['Accounts', false],
      ['Segments', false],
      ['Orchestrations', false],
      ['Reports', false],
      ['Admin', true],
    ]);
  });

  it('keeps the Models page in the Reports section, and says so to a role without models.view', async () => {
    let shell = await renderAs('Admin', '/models');
    const sections = [...shell.shadowRoot.querySelectorAll('nav[aria-label="Sections"] li')];
    expect(sections.map((li) => [textOf(li), li.classList.contains('slds-is-active')])).toEqual([
      ['Accounts', false],
      ['Segments', false],
      ['Orchestrations', false],
      ['Reports', true],
      ['Admin', false],
    ]);
    expect(textOf(deep(shell, 'sf-models-page', 'h1'))).toBe('Models');
    clearBody();
    shell = await renderAs('Sales', '/models');
    expect(textOf(deep(shell, '[data-id="models-refused"]'))).toBe(
      'Your role does not include the Models page.',
    );
    expect(deep(shell, 'sf-models-page')).toBeNull();
  });

  it('goes from tab to tab through the history', async () => {
    const shell = await renderAs('Admin', '/users');
    deep(shell, '[data-id="admin-tab-audit"]').click();
    await flushPromises();
    expect(window.location.pathname).toBe('/audit');
    expect(deep(shell, 'sf-audit-page')).not.toBeNull();
    expect(textOf(deep(shell, 'nav[aria-label="Admin"] a[aria-current="page"]'))).toBe('Audit log');
  });
});
