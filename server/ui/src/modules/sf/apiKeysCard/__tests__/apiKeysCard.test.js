import { createElement } from 'lwc';
import ApiKeysCard from 'sf/apiKeysCard';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const CLIENT = { call: (request) => request('access-token-1') };
const KEY = 'sfk_8vQ3m2Lx0aBcDeFgHiJkLmNoPqRsTuVwXyZ012345678';
const ETL = {
  id: 'key_1',
  name: 'warehouse',
  role: 'Insights',
  user: null,
  prefix: 'sfk_Wq0k1zPa',
  createdAt: '2026-11-02T09:00:00.000Z',
  createdBy: 'command line',
  lastUsedAt: '2026-11-30T10:00:00.000Z',
  revokedAt: null,
};
const OLD = {
  ...ETL,
  id: 'key_0',
  name: 'old',
  user: 'ana@example.com',
  lastUsedAt: null,
  revokedAt: '2026-11-10T09:00:00.000Z',
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

async function render(routes) {
  const fetch = stubFetch(routes);
  const element = createElement('sf-api-keys-card', { is: ApiKeysCard });
  Object.assign(element, { client: CLIENT, owners: ['ana@example.com'] });
  document.body.appendChild(element);
  await flushPromises();
  return { element, fetch };
}

function pick(element, selector, value) {
  const input = $(element, selector);
  input.value = value;
  input.dispatchEvent(new CustomEvent(input.tagName === 'SELECT' ? 'change' : 'input'));
}

/** The answer to a POST, or the one to any other method. */
function postOr(init, posted, other) {
  return init && init.method === 'POST' ? posted : other;
}

afterEach(() => {
  clearBody();
  delete global.fetch;
  delete navigator.clipboard;
});

describe('sf-api-keys-card', () => {
  it('lists each key with owner, first characters, last use and state; only live keys can be revoked', async () => {
    const { element } = await render({ '/api/apikeys': { apiKeys: [ETL, OLD] } });
    expect(textOf($(element, '[data-id="count"]'))).toBe('2 keys');
    const rows = $$(element, 'tbody tr').map((tr) => [...tr.querySelectorAll('th, td')].map(textOf));
    expect(rows).toEqual([
      [
        'warehouse',
        'Insights',
        'Service key',
        'sfk_Wq0k1zPa…',
        'Nov 2, 2026 by command line',
        'Nov 30, 2026',
        'Live',
        'Revoke',
      ],
      [
        'old',
        'Insights',
        'ana@example.com',
        'sfk_Wq0k1zPa…',
        'Nov 2, 2026 by command line',
        'Never',
        'Revoked Nov 10, 2026',
        '',
      ],
    ]);
  });

  it('creates a key and shows it once, with a copy button and a warning', async () => {
    const created = {
      ...ETL,
      id: 'key_2',
      name: 'crm bridge',
      role: 'Sales',
      user: 'ana@example.com',
      lastUsedAt: null,
    };
    const { element, fetch } = await render({
      '/api/apikeys': (url, init) =>
        postOr(init, answer(201, { key: KEY, apiKey: created }), answer(200, { apiKeys: [] })),
    });
    pick(element, '[data-id="key-name"]', 'crm bridge');
    pick(element, '[data-id="key-role"]', 'Sales');
    pick(element, '[data-id="key-owner"]', 'ana@example.com');
    await flushPromises();
    $(element, '[data-id="create-form"]').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    const post = fetch.mock.calls.find(([, init]) => init && init.method === 'POST');
    expect(JSON.parse(post[1].body)).toEqual({ name: 'crm bridge', role: 'Sales', user: 'ana@example.com' });

    const shown = $(element, '[data-id="created"]');
    expect(textOf(shown.querySelector('h3'))).toBe('Copy the key crm bridge now');
    expect(textOf(shown.querySelector('p'))).toMatch(/^It is not shown again/);
    expect($(element, '[data-id="new-key"]').value).toBe(KEY);
    expect($$(element, 'tbody th').map(textOf)).toEqual(['crm bridge']);

    const writeText = jest.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    $(element, '[data-id="copy"]').click();
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith(KEY);
    expect(textOf($(element, '[data-id="copy"]'))).toBe('Copied');

    $(element, '[data-id="done"]').click();
    await flushPromises();
    expect($(element, '[data-id="created"]')).toBeNull();
    expect(element.shadowRoot.textContent).not.toContain(KEY);
    expect($$(element, 'input').map((input) => input.value)).not.toContain(KEY);
  });

  it('sends no owner for a service key', async () => {
    const { element, fetch } = await render({
      '/api/apikeys': (url, init) =>
        postOr(init, answer(201, { key: KEY, apiKey: ETL }), answer(200, { apiKeys: [] })),
    });
    pick(element, '[data-id="key-name"]', 'warehouse');
    await flushPromises();
    $(element, '[data-id="create-form"]').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    const post = fetch.mock.calls.find(([, init]) => init && init.method === 'POST');
    expect(JSON.parse(post[1].body)).toEqual({ name: 'warehouse', role: 'View Only' });
  });

  it('revokes only after a confirmation', async () => {
    const { element, fetch } = await render({
      '/api/apikeys': { apiKeys: [ETL] },
      '/api/apikeys/key_1': () => answer(200, { apiKey: { ...ETL, revokedAt: '2026-12-01T09:00:00.000Z' } }),
    });
    $(element, '[data-id="revoke"]').click();
    await flushPromises();
    expect(textOf($(element, '[data-id="confirm"] h3'))).toBe('Revoke the key warehouse?');
    expect(fetch.mock.calls.some(([, init]) => init && init.method === 'DELETE')).toBe(false);
    $(element, '[data-id="confirm-yes"]').click();
    await flushPromises();
    expect(
      fetch.mock.calls.filter(([, init]) => init && init.method === 'DELETE').map(([url]) => url),
    ).toEqual(['/api/apikeys/key_1']);
    expect(textOf($(element, '[data-id="state"]'))).toBe('Revoked Dec 1, 2026');
    expect($(element, '[data-id="revoke"]')).toBeNull();
    expect(textOf($(element, '[data-id="notice"]'))).toBe('Revoked warehouse: it is refused from now on.');
  });
});
