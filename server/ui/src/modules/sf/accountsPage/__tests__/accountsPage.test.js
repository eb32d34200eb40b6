import { createElement } from 'lwc';
import AccountsPage from 'sf/accountsPage';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

// Real answers of GET /api/accounts (23 accounts; a filter no account matches).
const BY_INTENT = require('../../../../../test/data/accountsByIntent.json');
const NO_MATCH = require('../../../../../test/data/accountsStrongDecision.json');
const INDUSTRIES = require('../../../../../test/data/industries.json');
const SCORING_STATUS = require('../../../../../test/data/scoringStatus.json');
const SEGMENTS = require('../../../../../test/data/segments.json');

/** The app shell's client: runs a request with the access token. */
const CLIENT = { call: (request) => request('access-token-1') };

function stubApi(list) {
  return stubFetch({
    '/api/accounts': list,
    '/api/accounts/industries': INDUSTRIES,
    '/api/scoring/status': SCORING_STATUS,
  });
}

async function render(query) {
  const element = createElement('sf-accounts-page', { is: AccountsPage });
  Object.assign(element, { client: CLIENT, query });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
/** The queries of the list requests made so far, as plain objects. */
const listQueries = (fetch) =>
  fetch.mock.calls
    .map(([url]) => url)
    .filter((url) => url.startsWith('/api/accounts?'))
    .map((url) => Object.fromEntries(new URLSearchParams(url.split('?')[1])));
const rows = (element) =>
  [...element.shadowRoot.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.querySelectorAll('th, td')].map((cell) => textOf(cell)),
  );
const options = (select) => [...select.querySelectorAll('option')].map((o) => o.textContent.trim());

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-accounts-page', () => {
  it('shows the rows and the count of one answer, sorted by intent by default', async () => {
    const fetch = stubApi(BY_INTENT);
    const element = await render('');
    expect(listQueries(fetch)).toEqual([{ sort: 'intent', dir: 'desc', limit: '50' }]);
    expect(fetch.mock.calls.every(([, init]) => init.headers.Authorization === 'Bearer access-token-1')).toBe(
      true,
    );

    expect(textOf($(element, '[data-id="count"]'))).toBe('1–23 of 23 accounts');
    const shown = rows(element);
    expect(shown).toHaveLength(23);
    const row = (id) => shown[BY_INTENT.accounts.findIndex((a) => a.id === id)];
    expect(shown[0]).toEqual([
      'Vandelay Imports',
      'vandelayimports.example',
      'Software',
      '1,200',
      'Weak (20)',
      '96',
      'Awareness',
      'High',
      'No',
    ]);
    // An account without a name is listed by its id; a qualified one says since when.
    expect(row('acct-006')[0]).toBe('acct-006');
    expect(row('acct-008')).toEqual([
      'Pied Piper',
      '',
      '',
      '300',
      'Moderate (62)',
      '59',
      'Purchase',
      'Medium',
      'Yes, since Nov 8, 2026',
    ]);
    // Imported after the scoring run: no scores yet.
    expect(row('acct-999')).toEqual([
      'Zeta Newco',
      'zeta.example',
      'Software',
      '10',
      '—',
      '—',
      '—',
      '—',
      '—',
    ]);
    expect($(element, 'a[data-id="account-link"]').getAttribute('href')).toBe('/accounts/acct-009');
    expect($(element, '[data-id="list"]').dataset.query).toBe('sort=intent&dir=desc');
    expect($(element, '[data-id="list"]').getAttribute('aria-busy')).toBe('false');
    expect($(element, '[data-id="next"]').disabled).toBe(true);
    expect($(element, 'th[aria-sort="descending"]').textContent).toContain('Intent');
  });

  it("asks for the URL's filters, shows them selected, and the empty answer's count", async () => {
    const fetch = stubApi(NO_MATCH);
    const element = await render('fit=Strong&stage=Decision');
    expect(listQueries(fetch)).toEqual([
      { sort: 'intent', dir: 'desc', fit: 'Strong', stage: 'Decision', limit: '50' },
    ]);
    expect(options($(element, '[data-id="filter-fit"]'))).toEqual(['Any', 'Strong', 'Moderate', 'Weak']);
    expect(options($(element, '[data-id="filter-stage"]'))).toEqual([
      'Any',
      'Purchase',
      'Decision',
      'Consideration',
      'Awareness',
      'Target',
    ]);
    expect($(element, '[data-id="filter-fit"]').value).toBe('Strong');
    expect($(element, '[data-id="filter-stage"]').value).toBe('Decision');
    expect($(element, '[data-id="filter-industry"]').value).toBe('');
    expect(options($(element, '[data-id="filter-industry"]'))).toEqual([
      'Any',
      'Healthcare',
      'Manufacturing',
      'Software',
    ]);
    expect(textOf($(element, '[data-id="count"]'))).toBe('0 accounts');
    expect(rows(element)).toEqual([]);
    expect(textOf($(element, '[role="status"]'))).toBe('No account matches these filters.');
    expect($(element, '[data-id="next"]').disabled).toBe(true);
  });

  it('changes a filter through the URL (a navigate event), keeping the others', async () => {
    stubApi(BY_INTENT);
    const element = await render('sort=name&dir=asc&stage=Decision');
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    const fit = $(element, '[data-id="filter-fit"]');
    fit.value = 'Moderate';
    fit.dispatchEvent(new CustomEvent('change'));
    expect(navigate.mock.calls[0][0].detail).toEqual({
      path: '/accounts?sort=name&dir=asc&stage=Decision&fit=Moderate',
      replace: false,
    });
  });

  it('drops an answer that arrives after a newer one: rows and count always answer the filters shown', async () => {
    let answerFirst;
    const fetch = stubFetch({
      '/api/accounts': (url) => {
        if (url.includes('fit=Strong')) {
          return answer(200, NO_MATCH);
        }
        return new Promise((resolve) => {
          answerFirst = () => resolve(answer(200, BY_INTENT));
        });
      },
      '/api/accounts/industries': INDUSTRIES,
      '/api/scoring/status': SCORING_STATUS,
    });
    const element = await render('');
    expect($(element, '[data-id="list"]').getAttribute('aria-busy')).toBe('true');

    element.query = 'fit=Strong&stage=Decision';
    await flushPromises();
    answerFirst();
    await flushPromises();

    expect(listQueries(fetch)).toHaveLength(2);
    expect(textOf($(element, '[data-id="count"]'))).toBe('0 accounts');
    expect(rows(element)).toEqual([]);
    expect($(element, '[data-id="list"]').dataset.query).toBe(
      'sort=intent&dir=desc&fit=Strong&stage=Decision',
    );
    expect($(element, '[data-id="list"]').getAttribute('aria-busy')).toBe('false');
  });

  it("shows the service's error instead of rows that answered other filters", async () => {
    stubFetch({
      '/api/accounts': (url) => {
        if (url.includes('fit=Weak')) {
          return answer(400, { error: { code: 'bad_request', message: 'fit: unknown value "Weak!"' } });
        }
        return answer(200, BY_INTENT);
      },
      '/api/accounts/industries': INDUSTRIES,
      '/api/scoring/status': SCORING_STATUS,
    });
    const element = await render('');
    element.query = 'fit=Weak';
    await flushPromises();
    expect(textOf($(element, '[role="alert"]'))).toBe('fit: unknown value "Weak!"');
    expect(rows(element)).toEqual([]);
    expect(textOf($(element, '[data-id="count"]'))).toBe('');
  });

  it('filters by segment: a select of the segments by name, sent as segment=<id>', async () => {
    const fetch = stubFetch({
      '/api/accounts': NO_MATCH,
      '/api/accounts/industries': INDUSTRIES,
      '/api/scoring/status': SCORING_STATUS,
      '/api/segments': SEGMENTS,
    });
    const element = await render('segment=7');
    expect(listQueries(fetch)).toEqual([{ sort: 'intent', dir: 'desc', segment: '7', limit: '50' }]);
    const select = $(element, '[data-id="filter-segment"]');
    expect(options(select)).toEqual([
      'Any',
      'EMEA software',
      'Enterprise customers (CRM)',
      'In-market strong fit',
      'Trade show leads',
    ]);
    expect(select.value).toBe('7');
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    select.value = '3';
    select.dispatchEvent(new CustomEvent('change'));
    expect(navigate.mock.calls[0][0].detail.path).toBe('/accounts?segment=3');
  });

  it("lists a segment's members from its own route, on its page's path, and exports them", async () => {
    const fetch = stubFetch({
      '/api/segments/3/accounts': BY_INTENT,
      '/api/segments/3/export.csv': 'id,name\r\n',
      '/api/accounts/industries': INDUSTRIES,
    });
    const element = createElement('sf-accounts-page', { is: AccountsPage });
    Object.assign(element, {
      client: CLIENT,
      query: 'fit=Moderate',
      segmentId: 3,
      basePath: '/segments/3',
      can: { 'exports.csv': true },
    });
    document.body.appendChild(element);
    await flushPromises();
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      '/api/segments/3/accounts?sort=intent&dir=desc&fit=Moderate&limit=50',
      '/api/accounts/industries',
    ]);
    expect($(element, 'h1')).toBeNull();
    expect(textOf($(element, 'h2'))).toBe('Members');
    expect($(element, '[data-id="filter-segment"]')).toBeNull();
    expect($(element, 'sf-scoring-status')).toBeNull();
    expect(rows(element)).toHaveLength(23);

    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    $(element, '[data-id="name"]').click();
    expect(navigate.mock.calls[0][0].detail.path).toBe('/segments/3?fit=Moderate&sort=name&dir=asc');

    URL.createObjectURL = jest.fn(() => 'blob:members');
    URL.revokeObjectURL = jest.fn();
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    $(element, '[data-id="export"]').click();
    await flushPromises();
    expect(fetch.mock.calls.at(-1)[0]).toBe('/api/segments/3/export.csv?sort=intent&dir=desc&fit=Moderate');
    expect(click).toHaveBeenCalled();
    click.mockRestore();
  });
});
