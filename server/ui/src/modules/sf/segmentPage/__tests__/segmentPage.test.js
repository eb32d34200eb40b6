import { createElement } from 'lwc';
import SegmentPage from 'sf/segmentPage';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const SEGMENT = require('../../../../../test/data/segment.json');
const ALERTS = require('../../../../../test/data/alerts.json');
const CLIENT = { call: (request) => request('access-token-1') };
const ALL = { 'segments.view': true, 'segments.edit': true, 'segments.publish': true, 'alerts.manage': true };
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

function stubApi(overrides = {}) {
  return stubFetch({
    '/api/segments/3': SEGMENT,
    '/api/alerts': ALERTS,
    '/api/scoring/status': {},
    '/api/accounts/industries': { industries: [] },
    '/api/segments/3/accounts': { accounts: [], count: 0, countCapped: false, nextCursor: null },
    ...overrides,
  });
}

async function render(props = {}) {
  const element = createElement('sf-segment-page', { is: SegmentPage });
  Object.assign(element, { client: CLIENT, segmentId: '3', query: 'sort=name&dir=asc', can: ALL, ...props });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-segment-page', () => {
  it('shows the segment, its definition in words and its history', async () => {
    stubApi();
    const element = await render();
    expect(textOf($(element, 'h1'))).toBe('In-market strong fit');
    expect(textOf($(element, '[data-id="facts"]'))).toBe(
      'Filter segment · Folder: Marketing - FY27 Q1 - ABM · Owner: rita@example.com · Version 3',
    );
    expect(textOf($(element, '[data-id="members"]'))).toBe('4 members (as of Nov 19, 2026)');
    expect(textOf($(element, '[data-id="published"]'))).toBe(
      'Published to Salesforce on Nov 15, 2026 by ops@example.com',
    );
    expect($$(element, '[data-id="definition"] li').map((li) => textOf(li))).toEqual([
      'All of these:',
      'Profile fit is Strong',
      'Buying stage is one of Decision, Purchase',
      'Any of these:',
      'At least 3 activities of type Web visit on pages containing "/pricing" in the last 30 days',
      'Researched devsecops, sast in the last 14 days',
      'None of these:',
      'Has an open opportunity',
    ]);
    const history = $$(element, '[data-id="history"] tbody tr').map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => textOf(td)),
    );
    expect(history).toEqual([
      ['1', 'Created', 'rita@example.com', 'Nov 12, 2026'],
      ['2', 'Changed', 'rita@example.com', 'Nov 14, 2026'],
      ['3', 'Published', 'ops@example.com', 'Nov 15, 2026'],
    ]);
  });

  it("lists the members with the accounts list limited to the segment, on the segment's path", async () => {
    stubApi();
    const element = await render();
    const list = $(element, 'sf-accounts-page');
    expect(list.segmentId).toBe(3);
    expect(list.basePath).toBe('/segments/3');
    expect(list.query).toBe('sort=name&dir=asc');
    const alerts = $(element, 'sf-segment-alerts');
    expect(alerts.segment).toEqual({ id: 3, name: 'In-market strong fit' });
    expect(alerts.canManage).toBe(true);
  });

  it('offers edit and publish only to those allowed', async () => {
    stubApi();
    let element = await render();
    expect($(element, '[data-id="edit"]').getAttribute('href')).toBe('/segments/3/edit');
    expect($(element, '[data-id="publish"]').checked).toBe(true);
    clearBody();
    element = await render({ can: { 'segments.view': true } });
    expect($(element, '[data-id="edit"]')).toBeNull();
    expect($(element, '[data-id="publish"]')).toBeNull();
    expect($(element, 'sf-segment-alerts').canManage).toBe(false);
  });

  it('unpublishes with the toggle and shows the new state and history', async () => {
    const unpublished = {
      ...SEGMENT.segment,
      published: false,
      publishedAt: null,
      publishedBy: null,
      version: 4,
    };
    const fetch = stubApi({
      '/api/segments/3/unpublish': { segment: unpublished },
    });
    const element = await render();
    const toggle = $(element, '[data-id="publish"]');
    toggle.checked = false;
    toggle.dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    const call = fetch.mock.calls.find(([url]) => url === '/api/segments/3/unpublish');
    expect(call[1].method).toBe('POST');
    expect(textOf($(element, '[data-id="published"]'))).toBe('Not published to Salesforce');
  });

  it('puts the toggle back and says why when publishing is refused', async () => {
    stubApi({
      '/api/segments/3/unpublish': () =>
        answer(403, {
          error: { code: 'forbidden', message: 'publishing segments is for the Admin, Operations roles' },
        }),
    });
    const element = await render();
    const toggle = $(element, '[data-id="publish"]');
    toggle.checked = false;
    toggle.dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    expect(toggle.checked).toBe(true);
    expect(textOf($(element, '[role="alert"]'))).toBe(
      'publishing segments is for the Admin, Operations roles',
    );
  });

  it('offers a list segment a new upload instead of the builder', async () => {
    stubApi({
      '/api/segments/3': { segment: { ...SEGMENT.segment, kind: 'list', definition: null }, history: [] },
    });
    const element = await render();
    expect(textOf($(element, '[data-id="edit"]'))).toBe('Upload list again');
    expect($(element, '[data-id="edit"]').getAttribute('href')).toBe(
      '/segments/upload?name=In-market%20strong%20fit',
    );
    expect($(element, '[data-id="definition"]')).toBeNull();
  });
});
