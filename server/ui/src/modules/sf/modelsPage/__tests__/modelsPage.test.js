import { createElement } from 'lwc';
import ModelsPage from 'sf/modelsPage';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

// Hand-written to the HTTP contract of the model routes (test/data/README.md): versions 11–14
// retired, 15–18 active, 19–22 rejected as worse, 23–26 the candidate rolling out on 2026-11-29.
const MODELS = require('../../../../../test/data/models.json');
const PENDING = require('../../../../../test/data/modelsPending.json');
const COMPARE = require('../../../../../test/data/modelsCompare.json');
const ACCOUNTS = require('../../../../../test/data/modelsCompareAccounts.json');
const SCORING_STATUS = require('../../../../../test/data/scoringStatus.json');

const CLIENT = { call: (request) => request('access-token-1') };
const ADMIN = { 'models.view': true, 'models.manage': true };
const VIEWER = { 'models.view': true, 'models.manage': false };
const NO_CANDIDATE = answer(404, { error: { code: 'not_found', message: 'no candidate model to compare' } });

const $ = (root, selector) => root.shadowRoot.querySelector(selector);
const $$ = (root, selector) => [...root.shadowRoot.querySelectorAll(selector)];
const routesOf = (overrides = {}) => ({
  '/api/models': MODELS,
  '/api/models/pending': PENDING,
  '/api/models/compare': COMPARE,
  '/api/scoring/status': SCORING_STATUS,
  ...overrides,
});

async function render(can = ADMIN, overrides = {}) {
  const fetch = stubFetch(routesOf(overrides));
  const element = createElement('sf-models-page', { is: ModelsPage });
  element.client = CLIENT;
  element.can = can;
  document.body.appendChild(element);
  await flushPromises();
  await flushPromises();
  return { element, fetch };
}

/** The cells of a table, row by row (the header row first), as text. */
function tableText(table) {
  return [...table.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('th, td')].map(textOf));
}
const reportTable = (element, name) => $(element, `sf-report-table[data-table="${name}"]`);
const reportTableText = (element, name) => tableText(reportTable(element, name).shadowRoot);
const dialog = (element) => $(element, 'sf-confirm-dialog');
const posts = (fetch) =>
  fetch.mock.calls
    .filter(([, init]) => init && init.method === 'POST')
    .map(([url, init]) => ({ url, body: JSON.parse(init.body) }));

async function ask(element, action) {
  $(element, `button[data-action="${action}"]`).click();
  await flushPromises();
  return dialog(element);
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-models-page', () => {
  it('shows the active and the candidate versions side by side, and the roll-out date', async () => {
    const { element } = await render();
    expect(textOf($(element, '[data-id="rollout"] p'))).toBe(
      'Versions 23–26 (trained Nov 1, 2026) roll out on Nov 29, 2026 unless postponed or rejected.',
    );
    expect(textOf($(element, '[data-id="announced"]'))).toBe(
      'Announced to the Admins on Nov 1, 2026; last reminder on Nov 19, 2026.',
    );
    expect(textOf($(element, '[data-id="active-summary"]'))).toBe('Versions 15–18, trained Oct 1, 2026');
    expect(textOf($(element, '[data-id="candidate-summary"]'))).toBe('Versions 23–26, trained Nov 1, 2026');
    expect(tableText($(element, '[data-id="active"] table'))).toEqual([
      ['Model', 'Version', 'Trained', 'Method', 'AUC (95% interval)', 'Identification rate'],
      ['Intent', '#15', 'Oct 1, 2026', 'logistic', '0.780 (0.740–0.820)', '55%'],
      ['Profile fit', '#16', 'Oct 1, 2026', 'logistic', '0.710 (0.660–0.760)', '—'],
      ['Contact fit', '#17', 'Oct 1, 2026', 'gradient_boosting', '0.680 (0.620–0.740)', '—'],
      ['Engagement', '#18', 'Oct 1, 2026', '—', '—', '—'],
    ]);
    expect(tableText($(element, '[data-id="candidate"] table')).slice(1, 3)).toEqual([
      ['Intent', '#23', 'Nov 1, 2026', 'gradient_boosting', '0.800 (0.760–0.840)', '62%'],
      ['Profile fit', '#24', 'Nov 1, 2026', 'logistic', '0.720 (0.670–0.770)', '—'],
    ]);
    expect($(element, '[data-id="no-candidate"]')).toBeNull();
  });

  it('lists every version with its state and who changed it when, newest first', async () => {
    const { element } = await render();
    const rows = tableText($(element, '[data-id="history"] table'));
    expect(rows[0]).toEqual([
      'Version',
      'Model',
      'Trained',
      'State',
      'Changed',
      'Roll-out',
      'Method',
      'AUC (95% interval)',
      'Identification rate',
    ]);
    expect(rows.slice(1).map((row) => row[0])).toEqual(MODELS.map((row) => `#${row.id}`));
    expect(rows[1]).toEqual([
      '#26',
      'Engagement',
      'Nov 1, 2026',
      'Candidate',
      'Nov 1, 2026 by system',
      'Nov 29, 2026',
      '—',
      '—',
      '—',
    ]);
    expect(rows[8].slice(0, 6)).toEqual([
      '#19',
      'Intent',
      'Oct 20, 2026',
      'Rejected',
      'Oct 20, 2026 by system',
      '—',
    ]);
    expect(rows[16].slice(0, 4)).toEqual(['#11', 'Intent', 'Sep 1, 2026', 'Retired']);
  });

  it('compares per stage and fit band: the backtest, the tiles, the charts and the tables', async () => {
    const { element } = await render();
    expect(textOf($(element, '[data-id="backtest"]'))).toBe(
      'Backtest: both versions score the accounts as of Aug 21, 2026 and are judged on the relevant opportunities opened until Nov 19, 2026: 200 accounts, 20 converters, 25 opportunities.',
    );
    // What the backtest's figures mean: both sides saw part of the window.
    expect(textOf($(element, '[data-id="backtest-note"]'))).toBe(
      "The candidate was trained on facts before 2026-11-01, which include the outcomes of 2026-08-21 to 2026-11-01 (not included) of this window; the active was trained on facts before 2026-10-01, which include the outcomes of 2026-08-21 to 2026-10-01 (not included) of this window: each side's figures here lean in its favour, the more so the later it was trained; the roll-out gate uses each version's own out-of-fold figures instead. Compared on Nov 19, 2026.",
    );
    expect(textOf($(element, '[data-id="identification-rates"]'))).toBe('55% active · 60% candidate');
    expect(textOf($(element, '[data-id="aucs"]'))).toBe(
      '0.780 (0.740–0.820) active · 0.800 (0.760–0.840) candidate',
    );
    const share = $(element, 'sf-report-chart[data-chart="share"]').spec;
    expect(share.labels).toEqual(['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase']);
    expect(share.datasets.map((set) => [set.kind, set.label])).toEqual([
      ['bar', 'Accounts, active'],
      ['bar', 'Accounts, candidate'],
      ['line', 'Opportunities, active'],
      ['line', 'Opportunities, candidate'],
    ]);
    expect(share.datasets[1].data).toEqual([0.375, 0.25, 0.2, 0.11, 0.065]);
    expect(share.datasets[3].data).toEqual([0.04, 0.12, 0.2, 0.36, 0.28]);
    const conversion = $(element, 'sf-report-chart[data-chart="conversion"]').spec;
    expect(conversion.datasets.map((set) => [set.label, set.axis || 'y'])).toEqual([
      ['Conversion, active', 'y'],
      ['Conversion, candidate', 'y'],
      ['Lift, active', 'y2'],
      ['Lift, candidate', 'y2'],
    ]);
    const lifts = conversion.datasets[2].data;
    [0.25, 0.6, 1, 3, 5].forEach((lift, index) => expect(lifts[index]).toBeCloseTo(lift, 12));

    const stages = reportTableText(element, 'stages');
    expect(stages[0].slice(0, 5)).toEqual([
      'Buying stage',
      'Accounts, active',
      'Accounts, candidate',
      'Share of accounts, active',
      'Share of accounts, candidate',
    ]);
    expect(stages[4]).toEqual([
      'Decision',
      '20',
      '22',
      '10%',
      '11%',
      '32%',
      '36%',
      '6',
      '7',
      '30%',
      '31.8%',
      '3.00×',
      '3.18×',
    ]);
    const fit = reportTableText(element, 'fit');
    expect(fit.map((row) => row[0])).toEqual(['Profile fit', 'Strong', 'Moderate', 'Weak']);
    expect(fit[1]).toEqual([
      'Strong',
      '40',
      '45',
      '20%',
      '22.5%',
      '52%',
      '56%',
      '25%',
      '24.4%',
      '2.50×',
      '2.44×',
    ]);
  });

  it('shows the qualified impact: the spike on the day against the 90-day averages', async () => {
    const { element } = await render();
    expect(textOf($(element, '[data-id="impact"] h2'))).toBe('Qualified accounts on Nov 19, 2026');
    expect(textOf($(element, '[data-id="qualified"]'))).toBe('30 active · 55 candidate');
    expect(textOf($(element, 'button[data-kind="becoming_qualified"]'))).toBe('37');
    expect(textOf($(element, 'button[data-kind="stopping_qualified"]'))).toBe('12');
    expect($(element, 'button[data-kind="becoming_qualified"]').getAttribute('aria-label')).toBe(
      '37 accounts become qualified: list them',
    );
    expect(textOf($(element, '[data-id="average"]'))).toBe('28.5 active · 52.3 candidate');
    expect(textOf($(element, '[data-id="sampled"]'))).toBe(
      'Qualified accounts per day under each version over the last 90 days, averaged over 6 sampled days.',
    );
    const spec = $(element, 'sf-report-chart[data-chart="impact"]').spec;
    expect(spec.labels).toEqual(['90-day average', 'On Nov 19, 2026']);
    expect(spec.datasets.map((set) => [set.label, set.data])).toEqual([
      ['Qualified, active', [28.5, 30]],
      ['Qualified, candidate', [52.333333333333336, 55]],
    ]);
  });

  it('draws both transition matrices with totals, leaving out "not scored" when no account has it', async () => {
    const { element } = await render();
    expect(reportTableText(element, 'transitions-stage')).toEqual([
      [
        'Active: buying stage',
        'Candidate: Target',
        'Candidate: Awareness',
        'Candidate: Consideration',
        'Candidate: Decision',
        'Candidate: Purchase',
        'All',
      ],
      ['Target', '70', '8', '2', '0', '0', '80'],
      ['Awareness', '5', '40', '5', '0', '0', '50'],
      ['Consideration', '0', '2', '33', '5', '0', '40'],
      ['Decision', '0', '0', '0', '17', '3', '20'],
      ['Purchase', '0', '0', '0', '0', '10', '10'],
      ['All', '75', '50', '40', '22', '13', '200'],
    ]);
    const fit = reportTableText(element, 'transitions-fit');
    expect(fit[0]).toEqual([
      'Active: profile fit',
      'Candidate: Strong',
      'Candidate: Moderate',
      'Candidate: Weak',
      'All',
    ]);
    expect(fit[2]).toEqual(['Moderate', '7', '70', '3', '80']);
    // Zero cells list nothing: they are not buttons.
    const stageCells = reportTable(element, 'transitions-stage').shadowRoot;
    expect(stageCells.querySelectorAll('tr[data-row="Target"] button[data-drill]')).toHaveLength(4);
  });

  it('lists the accounts behind a transition cell, linked to the account view', async () => {
    const second = { ...ACCOUNTS, accounts: [{ ...ACCOUNTS.accounts[0], account_id: '001Ax00000GaMa3IAF' }] };
    const { element, fetch } = await render(VIEWER, {
      '/api/models/compare/accounts': (url) => answer(200, url.endsWith('offset=0') ? ACCOUNTS : second),
    });
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    const cell = reportTable(element, 'transitions-stage').shadowRoot.querySelector(
      'tr[data-row="Target"] button[data-drill="stage|Target|Awareness"]',
    );
    expect(textOf(cell)).toBe('8');
    cell.click();
    await flushPromises();
    expect(fetch.mock.calls.map(([url]) => url)).toContain(
      '/api/models/compare/accounts?kind=stage&from=Target&to=Awareness&limit=50&offset=0',
    );
    const drill = $(element, 'sf-model-drill');
    expect(textOf($(drill, 'h1'))).toBe(
      'Accounts: buying stage Target with the active versions, Awareness with the candidate',
    );
    expect(textOf($(drill, '[data-id="drill-total"]'))).toBe('8 accounts, 2 shown');
    expect(tableText($(drill, 'table'))).toEqual([
      [
        'Account',
        'Buying stage (active → candidate)',
        'Profile fit',
        'Intent score',
        'Profile score',
        'Qualified',
      ],
      ['Acme Cloud', 'Target → Awareness', 'Strong → Strong', '41 → 52', '88 → 87', 'No → Yes'],
      ['001Ax00000BeTa2IAF', 'Target → Awareness', 'Moderate → Moderate', '38 → 47', '61 → 60', 'No → No'],
    ]);
    expect(drill.shadowRoot.activeElement).toBe($(drill, '[data-id="close"]'));
    $(drill, 'tbody a').click();
    expect(navigate.mock.calls[0][0].detail).toEqual({ path: '/accounts/001Ax00000AcMe1IAF' });

    // Load more asks for the next page.
    $(drill, '[data-id="drill-more"]').click();
    await flushPromises();
    expect(fetch.mock.calls.map(([url]) => url)).toContain(
      '/api/models/compare/accounts?kind=stage&from=Target&to=Awareness&limit=50&offset=2',
    );
    expect($$(drill, 'tbody tr').map((tr) => tr.dataset.account)).toEqual([
      '001Ax00000AcMe1IAF',
      '001Ax00000BeTa2IAF',
      '001Ax00000GaMa3IAF',
    ]);
    expect(textOf($(drill, '[data-id="drill-total"]'))).toBe('8 accounts, 3 shown');
    $(drill, '[data-id="close"]').click();
    await flushPromises();
    expect($(element, 'sf-model-drill')).toBeNull();
  });

  it('lists the accounts of a row total and of the qualified changes', async () => {
    const { element, fetch } = await render(VIEWER, { '/api/models/compare/accounts': ACCOUNTS });
    reportTable(element, 'transitions-fit')
      .shadowRoot.querySelector('button[data-drill="fit|Weak|"]')
      .click();
    await flushPromises();
    expect(textOf($($(element, 'sf-model-drill'), 'h1'))).toBe(
      'Accounts: profile fit Weak with the active versions',
    );
    $($(element, 'sf-model-drill'), '[data-id="close"]').click();
    await flushPromises();
    $(element, 'button[data-kind="stopping_qualified"]').click();
    await flushPromises();
    expect(textOf($($(element, 'sf-model-drill'), 'h1'))).toBe(
      'Accounts: qualified with the active versions, not with the candidate',
    );
    const urls = fetch.mock.calls.map(([url]) => url).filter((url) => url.includes('/compare/accounts'));
    expect(urls).toEqual([
      '/api/models/compare/accounts?kind=fit&from=Weak&limit=50&offset=0',
      '/api/models/compare/accounts?kind=stopping_qualified&limit=50&offset=0',
    ]);
  });

  it('says what each action will change before doing it', async () => {
    const { element } = await render();
    let open = await ask(element, 'approve');
    expect(open.heading).toBe('Approve versions 23–26?');
    expect(open.message).toBe(
      'Approve: versions 23–26 become active now; the scores as of Nov 19, 2026 are recomputed with them and the changes are written back to Salesforce: 37 accounts become qualified, 12 stop. Versions 15–18 are retired; Roll back brings them back.',
    );
    $(open, '[data-id="cancel"]').click();
    await flushPromises();

    const days = $(element, '[data-id="postpone-days"]');
    expect(days.value).toBe('14');
    days.value = '10';
    days.dispatchEvent(new CustomEvent('input'));
    await flushPromises();
    open = await ask(element, 'postpone');
    expect(open.message).toBe(
      'Postpone: versions 23–26 roll out on Dec 9, 2026 instead of Nov 29, 2026 (10 days later); versions 15–18 stay active until then.',
    );
    $(open, '[data-id="cancel"]').click();
    await flushPromises();

    open = await ask(element, 'reject');
    expect(open.message).toBe(
      'Reject: versions 23–26 are rejected and never roll out; versions 15–18 stay active. Their figures stay in the version history.',
    );
    expect(open.variant).toBe('destructive');
    $(open, '[data-id="cancel"]').click();
    await flushPromises();

    open = await ask(element, 'rollback');
    expect(open.heading).toBe('Roll back versions 15–18?');
    expect(open.message).toBe(
      'Roll back: versions 15–18 are set aside and versions 11–14 (trained Sep 1, 2026) become active again; the scores as of Nov 19, 2026 are recomputed with them and the changes are written back to Salesforce.',
    );
  });

  it("speaks of today's scores when the current run is today's", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const { element } = await render(ADMIN, {
      '/api/scoring/status': { ...SCORING_STATUS, lastRun: { ...SCORING_STATUS.lastRun, asOf: today } },
    });
    const open = await ask(element, 'approve');
    expect(open.message).toMatch(
      /^Approve: versions 23–26 become active now; today's scores are recomputed with them and the changes are written back to Salesforce: 37 accounts become qualified, 12 stop\./,
    );
  });

  it('keeps the focus in the confirmation, on Cancel first; Escape and Cancel close it without a call', async () => {
    const { element, fetch } = await render();
    const open = await ask(element, 'approve');
    const section = $(open, 'section');
    expect(section.getAttribute('role')).toBe('alertdialog');
    expect(section.getAttribute('aria-modal')).toBe('true');
    expect(textOf($(open, `[id="${section.getAttribute('aria-labelledby')}"]`))).toBe(
      'Approve versions 23–26?',
    );
    expect(textOf($(open, `[id="${section.getAttribute('aria-describedby')}"]`))).toMatch(
      /^Approve: versions 23–26/,
    );
    const cancel = $(open, '[data-id="cancel"]');
    const confirm = $(open, '[data-id="confirm"]');
    expect(open.shadowRoot.activeElement).toBe(cancel);
    // Tab from the last button goes round to the first, Shift+Tab from the first to the last.
    confirm.focus();
    section.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }));
    expect(open.shadowRoot.activeElement).toBe(cancel);
    section.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true }));
    expect(open.shadowRoot.activeElement).toBe(confirm);
    section.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flushPromises();
    await flushPromises();
    expect(dialog(element)).toBeNull();
    // The focus goes back to the button that opened it.
    expect(element.shadowRoot.activeElement).toBe($(element, 'button[data-action="approve"]'));
    expect(posts(fetch)).toEqual([]);
  });

  it.each([
    [
      'approve',
      '/api/models/23/approve',
      {},
      'Approved: versions 23–26 are active. The scores as of Nov 19, 2026 were recomputed with them.',
    ],
    [
      'postpone',
      '/api/models/23/postpone',
      { days: 14 },
      'Postponed: versions 23–26 roll out on Dec 13, 2026.',
    ],
    ['reject', '/api/models/23/reject', {}, 'Rejected: versions 23–26 will not roll out.'],
    ['rollback', '/api/models/rollback', {}, 'Rolled back: versions 11–14 are active again.'],
  ])('%s: calls %s once confirmed, says what happened and reloads', async (action, url, body, notice) => {
    const answers = {
      approve: { trainingId: 6, activated: [], run: { runId: 9, asOf: '2026-11-19' } },
      postpone: { trainingId: 6, rolloutOn: '2026-12-13' },
      reject: { trainingId: 6, rejected: [] },
      rollback: { restored: MODELS.filter((row) => row.training_id === 3), rolledBack: [], run: null },
    };
    const { element, fetch } = await render(ADMIN, { [url]: answers[action] });
    const loads = fetch.mock.calls.filter(([u]) => u === '/api/models').length;
    const open = await ask(element, action);
    $(open, '[data-id="confirm"]').click();
    await flushPromises();
    await flushPromises();
    expect(posts(fetch)).toEqual([{ url, body }]);
    const call = fetch.mock.calls.find(([u]) => u === url);
    expect(call[1].headers.Authorization).toBe('Bearer access-token-1');
    expect(textOf($(element, '[data-id="notice"]'))).toBe(notice);
    expect(dialog(element)).toBeNull();
    expect(fetch.mock.calls.filter(([u]) => u === '/api/models').length).toBe(loads + 1);
  });

  it("shows the service's refusal of an action", async () => {
    const { element } = await render(ADMIN, {
      '/api/models/rollback': () =>
        answer(409, {
          error: { code: 'conflict', message: 'nothing to roll back to: no earlier active version' },
        }),
    });
    const open = await ask(element, 'rollback');
    $(open, '[data-id="confirm"]').click();
    await flushPromises();
    await flushPromises();
    expect(textOf($(element, '[data-id="action-error"]'))).toBe(
      'nothing to roll back to: no earlier active version',
    );
    expect($(element, '[data-id="notice"]')).toBeNull();
  });

  it('refuses a postponement outside 1–90 days', async () => {
    const { element } = await render();
    const days = $(element, '[data-id="postpone-days"]');
    days.value = '0';
    days.dispatchEvent(new CustomEvent('input'));
    await flushPromises();
    expect($(element, 'button[data-action="postpone"]').disabled).toBe(true);
    expect(textOf($(element, '#postpone-days-help, .slds-form-element__help'))).toBe(
      'Between 1 and 90 days.',
    );
    days.value = '90';
    days.dispatchEvent(new CustomEvent('input'));
    await flushPromises();
    expect($(element, 'button[data-action="postpone"]').disabled).toBe(false);
  });

  it('offers no buttons without models.manage, and shows the same comparison', async () => {
    const { element } = await render(VIEWER);
    expect($(element, '[data-id="actions"]')).toBeNull();
    expect($$(element, 'button[data-action]')).toEqual([]);
    expect($(element, '[data-id="comparison"]')).not.toBeNull();
    expect($(element, '[data-id="candidate"]')).not.toBeNull();
  });

  it('without a candidate (404) shows the active versions and the list only; Roll back stays', async () => {
    const { element } = await render(ADMIN, {
      '/api/models': MODELS.filter((row) => row.training_id !== 6),
      '/api/models/pending': null,
      '/api/models/compare': () => NO_CANDIDATE,
    });
    expect(textOf($(element, '[data-id="no-candidate"]'))).toBe(
      'No candidate model: the active versions are shown.',
    );
    expect($(element, '[data-id="rollout"]')).toBeNull();
    expect($(element, '[data-id="candidate"]')).toBeNull();
    expect($(element, '[data-id="comparison"]')).toBeNull();
    expect($(element, '[data-id="transitions"]')).toBeNull();
    expect($(element, '[data-id="comparison-refused"]')).toBeNull();
    expect($(element, '[data-id="active"]')).not.toBeNull();
    expect($$(element, '[data-id="history"] tbody tr')).toHaveLength(12);
    expect($$(element, 'button[data-action]').map((button) => button.dataset.action)).toEqual(['rollback']);
  });

  it('offers no Roll back when no earlier version was active', async () => {
    const { element } = await render(ADMIN, {
      '/api/models': MODELS.filter((row) => row.training_id === 4),
      '/api/models/pending': null,
      '/api/models/compare': () => NO_CANDIDATE,
    });
    expect($(element, '[data-id="actions"]')).toBeNull();
  });

  it('before the first scoring run (409) keeps the versions and the buttons and says why there is no comparison', async () => {
    const { element } = await render(ADMIN, {
      '/api/models/compare': () =>
        answer(409, {
          error: { code: 'conflict', message: 'score first: there is no scoring run to compare on' },
        }),
    });
    expect(textOf($(element, '[data-id="comparison-refused"]'))).toBe(
      'No comparison yet: score first: there is no scoring run to compare on',
    );
    expect($(element, '[data-id="comparison"]')).toBeNull();
    expect($(element, '[data-id="candidate"]')).not.toBeNull();
    expect($$(element, 'button[data-action]').map((button) => button.dataset.action)).toEqual([
      'approve',
      'postpone',
      'reject',
      'rollback',
    ]);
    const open = await ask(element, 'approve');
    expect(open.message).toBe(
      'Approve: versions 23–26 become active now; the scores as of Nov 19, 2026 are recomputed with them and the changes are written back to Salesforce. Versions 15–18 are retired; Roll back brings them back.',
    );
  });

  it('says when the versions cannot be read', async () => {
    const { element } = await render(ADMIN, {
      '/api/models': () =>
        answer(403, {
          error: {
            code: 'forbidden',
            message: 'the Models page is for the Admin, Operations, Marketing, View Only roles',
          },
        }),
    });
    expect(textOf($(element, '[data-id="error"]'))).toBe(
      'the Models page is for the Admin, Operations, Marketing, View Only roles',
    );
    expect($(element, '[data-id="history"]')).toBeNull();
  });
});
