import { createElement } from 'lwc';
import SegmentsPage from 'sf/segmentsPage';
import { clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const SEGMENTS = require('../../../../../test/data/segments.json');
const CLIENT = { call: (request) => request('access-token-1') };
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

async function render(props = {}) {
  const element = createElement('sf-segments-page', { is: SegmentsPage });
  Object.assign(element, { client: CLIENT, ...props });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

/** Each folder with its rows' cells. */
const shown = (element) =>
  $$(element, 'section[data-folder]').map((section) => [
    section.dataset.folder,
    [...section.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((cell) => textOf(cell)),
    ),
  ]);

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-segments-page', () => {
  it('groups the segments by folder, the folder-less last, with kind, tags, owner, members and state', async () => {
    // (The tags are badges, read one by one below.)
    stubFetch({ '/api/segments': SEGMENTS });
    const element = await render({ canEdit: true });
    expect(textOf($(element, '[data-id="count"]'))).toBe('4 segments');
    expect(shown(element)).toEqual([
      [
        'Events - FY27 Q1 - RSA',
        [['Trade show leads', 'List', 'events', 'sam@example.com', '12', 'Not published']],
      ],
      [
        'Marketing - FY27 Q1 - ABM',
        [
          ['EMEA software', 'Filter', 'emea', 'rita@example.com', '7', 'Not published'],
          ['In-market strong fit', 'Filter', 'abmsecurity', 'rita@example.com', '4', 'Published'],
        ],
      ],
      ['No folder', [['Enterprise customers (CRM)', 'CRM', '', '—', '0', 'Not published']]],
    ]);
    expect($$(element, '[data-segment="3"] .slds-badge').map((b) => textOf(b))).toEqual([
      'abm',
      'security',
      'Published',
    ]);
    expect($(element, '[data-segment="3"] a').getAttribute('href')).toBe('/segments/3');
    expect($(element, '[data-id="new-segment"]')).not.toBeNull();
    expect($(element, '[data-id="upload-list"]')).not.toBeNull();
  });

  it('searches names, folders and tags', async () => {
    stubFetch({ '/api/segments': SEGMENTS });
    const element = await render();
    const search = $(element, '[data-id="search"]');
    const names = () => $$(element, '[data-id="segment-link"]').map((a) => textOf(a));
    search.value = 'SECURITY';
    search.dispatchEvent(new CustomEvent('input'));
    await flushPromises();
    expect(names()).toEqual(['In-market strong fit']);
    expect(textOf($(element, '[data-id="count"]'))).toBe('1 of 4 segments');
    search.value = 'events - fy27';
    search.dispatchEvent(new CustomEvent('input'));
    await flushPromises();
    expect(names()).toEqual(['Trade show leads']);
    search.value = 'nothing like this';
    search.dispatchEvent(new CustomEvent('input'));
    await flushPromises();
    expect(names()).toEqual([]);
    expect(textOf($(element, '[role="status"]'))).toBe('No segment matches this search.');
  });

  it('hides New segment and Upload list from those who may not edit segments', async () => {
    stubFetch({ '/api/segments': SEGMENTS });
    const element = await render({ canEdit: false });
    expect($(element, '[data-id="new-segment"]')).toBeNull();
    expect($(element, '[data-id="upload-list"]')).toBeNull();
  });

  it('opens a segment in the app, and says when there is none yet', async () => {
    stubFetch({ '/api/segments': SEGMENTS });
    let element = await render();
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    $(element, '[data-segment="7"] a').click();
    expect(navigate.mock.calls[0][0].detail).toEqual({ path: '/segments/7' });
    clearBody();
    stubFetch({ '/api/segments': { segments: [] } });
    element = await render();
    expect(textOf($(element, '[role="status"]'))).toBe(
      'No segments yet. A segment is a set of accounts, from filters or an uploaded list.',
    );
  });
});
