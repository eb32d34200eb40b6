import { createElement } from 'lwc';
import SegmentBuilder from 'sf/segmentBuilder';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const SEGMENTS = require('../../../../../test/data/segments.json');
const SEGMENT = require('../../../../../test/data/segment.json');
const PREVIEW = require('../../../../../test/data/segmentPreview.json');

const CLIENT = { call: (request) => request('access-token-1') };
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const conditions = (element) => $$(element, 'sf-segment-condition');
/** The condition editor's own input. */
const inner = (condition, selector) => condition.shadowRoot.querySelector(selector);
const previewBodies = (fetch) =>
  fetch.mock.calls
    .filter(([url]) => url === '/api/segments/preview')
    .map(([, init]) => JSON.parse(init.body));

async function render(props = {}) {
  const element = createElement('sf-segment-builder', { is: SegmentBuilder });
  Object.assign(element, { client: CLIENT, ...props });
  const navigated = [];
  element.addEventListener('navigate', (event) => navigated.push(event.detail.path));
  document.body.appendChild(element);
  await flushPromises();
  return { element, navigated };
}

/** Lets the preview's debounce run out, then its answer arrive. */
async function settle() {
  jest.advanceTimersByTime(500);
  await flushPromises();
}

function type(input, value) {
  input.value = value;
  input.dispatchEvent(new CustomEvent(input.tagName === 'SELECT' ? 'change' : 'input'));
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => {
  clearBody();
  delete global.fetch;
  jest.useRealTimers();
});

describe('sf-segment-builder', () => {
  it('starts a new segment with one condition and waits for its value before counting', async () => {
    const fetch = stubFetch({ '/api/segments': SEGMENTS, '/api/segments/preview': PREVIEW });
    const { element } = await render();
    await settle();
    expect(textOf($(element, 'h1'))).toBe('New segment');
    expect($(element, '[data-id="folder"]').placeholder).toBe('Team - FY## Q# - Name');
    expect(conditions(element).map((c) => c.label)).toEqual(['Condition 1']);
    expect(previewBodies(fetch)).toEqual([]);
    expect(textOf($(element, '[data-id="preview-count"]'))).toBe(
      'Finish Condition 1 to see the matching accounts.',
    );

    type(inner(conditions(element)[0], '[data-id="value"]'), '50');
    await flushPromises();
    // Nothing is asked while the user types; once they pause, the count comes.
    expect(previewBodies(fetch)).toEqual([]);
    await settle();
    expect(previewBodies(fetch)).toEqual([
      { kind: 'filter', definition: { all: [{ field: 'intent_score', op: 'gte', value: 50 }] } },
    ]);
    expect(textOf($(element, '[data-id="preview-count"]'))).toBe('12 accounts match');
    const firstMembers = $$(element, '[data-member]').map((tr) =>
      [...tr.querySelectorAll('th, td')].map((cell) => textOf(cell)),
    );
    expect(firstMembers).toHaveLength(10);
    expect(firstMembers[0]).toEqual(['Vandelay Imports', 'Awareness', '96']);
    expect($(element, '[data-member] a').getAttribute('href')).toBe('/accounts/acct-009');
    expect(textOf($(element, '.sf-builder__preview p.slds-text-body_small'))).toBe(
      'Scores as of Nov 19, 2026',
    );
  });

  it('adds, nests and removes conditions and groups, and counts each new definition', async () => {
    let count = 0;
    const fetch = stubFetch({
      '/api/segments': SEGMENTS,
      '/api/segments/preview': () => answer(200, { ...PREVIEW, count: (count += 1) * 10 }),
    });
    const { element } = await render();
    type(inner(conditions(element)[0], '[data-id="value"]'), '70');
    await settle();
    expect(textOf($(element, '[data-id="preview-count"]'))).toBe('10 accounts match');

    // A nested "any" group with a condition on the fit (the operator "at least" stays).
    $(element, '[data-id="add-group"]').click();
    await flushPromises();
    expect(conditions(element).map((c) => c.label)).toEqual(['Condition 1', 'Condition 2.1']);
    const nested = conditions(element)[1];
    type(inner(nested, '[data-id="field"]'), 'profile_fit');
    await flushPromises();
    type(inner(conditions(element)[1], '[data-id="value"]'), 'Strong');
    await flushPromises();
    $$(element, '[data-id="add-condition"]')[1].click();
    await flushPromises();
    const third = conditions(element)[2];
    expect(third.label).toBe('Condition 2.2');
    type(inner(third, '[data-id="field"]'), 'qualified');
    await flushPromises();
    type(inner(conditions(element)[2], '[data-id="value"]'), 'true');
    await settle();
    expect(previewBodies(fetch).at(-1).definition).toEqual({
      all: [
        { field: 'intent_score', op: 'gte', value: 70 },
        {
          any: [
            { field: 'profile_fit', op: 'gte', value: 'Strong' },
            { field: 'qualified', op: 'eq', value: true },
          ],
        },
      ],
    });
    expect(textOf($(element, '[data-id="preview-count"]'))).toBe('20 accounts match');

    // The nested group becomes "none of", then the first condition goes.
    const groupOps = $$(element, '[data-id="group-op"]');
    type(groupOps[1], 'not');
    conditions(element)[0].dispatchEvent(new CustomEvent('remove'));
    await settle();
    expect(previewBodies(fetch).at(-1).definition).toEqual({
      all: [
        {
          not: {
            all: [
              { field: 'profile_fit', op: 'gte', value: 'Strong' },
              { field: 'qualified', op: 'eq', value: true },
            ],
          },
        },
      ],
    });
    $(element, '[data-id="remove-group"]').click();
    await settle();
    expect(conditions(element)).toHaveLength(0);
    expect(textOf($(element, '[data-id="preview-count"]'))).toBe(
      'Add a condition to see the matching accounts.',
    );
  });

  it("shows an invalid definition's message with its path, on the condition it names", async () => {
    stubFetch({
      '/api/segments': SEGMENTS,
      '/api/segments/preview': () =>
        answer(400, {
          error: {
            code: 'invalid_segment',
            message: 'all[1].value: a two-letter country code (ISO 3166)',
            details: { path: 'all[1].value' },
          },
        }),
    });
    const { element } = await render();
    type(inner(conditions(element)[0], '[data-id="value"]'), '10');
    $(element, '[data-id="add-condition"]').click();
    await flushPromises();
    type(inner(conditions(element)[1], '[data-id="field"]'), 'country');
    await flushPromises();
    type(inner(conditions(element)[1], '[data-id="value"]'), 'Germany');
    await settle();
    expect(textOf($(element, '[data-id="preview-error"]'))).toBe(
      'all[1].value: a two-letter country code (ISO 3166)',
    );
    expect(conditions(element).map((c) => c.errorMessage)).toEqual([
      undefined,
      'all[1].value: a two-letter country code (ISO 3166)',
    ]);
    expect(textOf($(element, '[data-id="preview-count"]'))).toBe('');
  });

  it('creates the segment with its name, folder, tags and description, then opens it', async () => {
    const fetch = stubFetch({
      '/api/segments': (url, init) => {
        return init.method === 'POST'
          ? answer(201, { segment: { ...SEGMENT.segment, id: 42, name: 'High intent' } })
          : answer(200, SEGMENTS);
      },
      '/api/segments/preview': PREVIEW,
    });
    const { element, navigated } = await render();
    type($(element, '[data-id="name"]'), ' High intent ');
    type($(element, '[data-id="folder"]'), 'Marketing - FY27 Q1 - ABM');
    type($(element, '[data-id="tags"]'), 'abm, intent');
    type($(element, '[data-id="description"]'), 'Researching now.');
    type(inner(conditions(element)[0], '[data-id="value"]'), '80');
    await flushPromises();
    $(element, 'form').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    const post = fetch.mock.calls.find(([url, init]) => url === '/api/segments' && init.method === 'POST');
    expect(JSON.parse(post[1].body)).toEqual({
      name: 'High intent',
      kind: 'filter',
      folder: 'Marketing - FY27 Q1 - ABM',
      description: 'Researching now.',
      tags: ['abm', 'intent'],
      definition: { all: [{ field: 'intent_score', op: 'gte', value: 80 }] },
    });
    expect(navigated).toEqual(['/segments/42']);
  });

  it('asks for a name before saving, and shows what the service refuses', async () => {
    stubFetch({
      '/api/segments': (url, init) => {
        return init.method === 'POST'
          ? answer(409, { error: { code: 'conflict', message: 'a segment named "EMEA software" exists' } })
          : answer(200, SEGMENTS);
      },
      '/api/segments/preview': PREVIEW,
    });
    const { element, navigated } = await render();
    type(inner(conditions(element)[0], '[data-id="value"]'), '80');
    $(element, 'form').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    expect(textOf($(element, '[data-id="save-error"]'))).toBe('Give the segment a name.');
    type($(element, '[data-id="name"]'), 'EMEA software');
    $(element, 'form').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    expect(textOf($(element, '[data-id="save-error"]'))).toBe('a segment named "EMEA software" exists');
    expect(navigated).toEqual([]);
  });

  it('edits a saved segment: its fields and tree filled in, only the changes sent with PATCH', async () => {
    const fetch = stubFetch({
      '/api/segments': SEGMENTS,
      '/api/segments/3': (url, init) => {
        return init.method === 'PATCH' ? answer(200, { segment: SEGMENT.segment }) : answer(200, SEGMENT);
      },
      '/api/segments/preview': PREVIEW,
    });
    const { element, navigated } = await render({ segmentId: '3' });
    await settle();
    expect(textOf($(element, 'h1'))).toBe('Edit segment: In-market strong fit');
    expect($(element, '[data-id="name"]').value).toBe('In-market strong fit');
    expect($(element, '[data-id="tags"]').value).toBe('abm, security');
    expect($(element, '[data-id="description"]').value).toBe('Strong-fit accounts deciding or buying.');
    expect(conditions(element).map((c) => c.label)).toEqual([
      'Condition 1',
      'Condition 2',
      'Condition 3.1',
      'Condition 3.2',
      'Condition 4.1',
    ]);
    // The saved definition is counted as it is.
    expect(previewBodies(fetch)).toEqual([
      { kind: 'filter', definition: SEGMENT.segment.definition, segmentId: 3 },
    ]);
    // The segment picker offers the other segments, not this one.
    expect(conditions(element)[0].segmentNames).toEqual([
      'EMEA software',
      'Enterprise customers (CRM)',
      'Trade show leads',
    ]);

    type($(element, '[data-id="folder"]'), '');
    $(element, 'form').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    const patch = fetch.mock.calls.find(([, init]) => init.method === 'PATCH');
    expect(patch[0]).toBe('/api/segments/3');
    expect(JSON.parse(patch[1].body)).toEqual({ folder: null });
    expect(navigated).toEqual(['/segments/3']);
  });
});
