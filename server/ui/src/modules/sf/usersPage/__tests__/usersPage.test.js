import { createElement } from 'lwc';
import UsersPage from 'sf/usersPage';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const CLIENT = { call: (request) => request('access-token-1') };
const ANA = {
  id: 'usr_1',
  email: 'ana@example.com',
  name: 'Ana Ortiz',
  role: 'Sales',
  active: true,
  externalId: null,
  lastSignInAt: '2026-11-30T08:15:00.000Z',
  createdAt: '2026-11-01T09:00:00.000Z',
  deactivatedAt: null,
};
const BO = {
  ...ANA,
  id: 'usr_2',
  email: 'bo@example.com',
  name: null,
  role: 'View Only',
  active: false,
  lastSignInAt: null,
  deactivatedAt: '2026-11-20T10:00:00.000Z',
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

async function render(routes) {
  const fetch = stubFetch({ '/api/apikeys': { apiKeys: [] }, ...routes });
  const element = createElement('sf-users-page', { is: UsersPage });
  element.client = CLIENT;
  document.body.appendChild(element);
  await flushPromises();
  return { element, fetch };
}

function type(element, selector, value) {
  const input = $(element, selector);
  input.value = value;
  input.dispatchEvent(new CustomEvent(input.tagName === 'SELECT' ? 'change' : 'input'));
}

const bodyOf = (fetch, method) => {
  const call = fetch.mock.calls.find(([, init]) => init && init.method === method);
  return call && { url: call[0], body: JSON.parse(call[1].body) };
};

/** The answer to a POST, or the one to any other method. */
function postOr(init, posted, other) {
  return init && init.method === 'POST' ? posted : other;
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-users-page', () => {
  it('lists each user with name, role, state and last sign-in', async () => {
    const { element } = await render({ '/api/users': { users: [ANA, BO] } });
    expect(textOf($(element, '[data-id="count"]'))).toBe('2 users');
    const rows = $$(element, 'tbody tr').map((tr) => [
      textOf(tr.querySelector('[data-id="email"]')),
      textOf(tr.querySelector('[data-id="name"]')),
      tr.querySelector('[data-id="user-role"]').value,
      textOf(tr.querySelector('[data-id="state"]')),
      textOf(tr.querySelector('[data-id="last-sign-in"]')),
      textOf(tr.querySelector('[data-id="toggle-active"]')),
    ]);
    expect(rows).toEqual([
      ['ana@example.com', 'Ana Ortiz', 'Sales', 'Active', 'Nov 30, 2026', 'Deactivate'],
      ['bo@example.com', '—', 'View Only', 'Deactivated Nov 20, 2026', 'Never', 'Reactivate'],
    ]);
    // Only active users may own a new API key.
    const owners = [
      ...$(element, 'sf-api-keys-card').shadowRoot.querySelectorAll('[data-id="key-owner"] option'),
    ];
    expect(owners.map((option) => option.value)).toEqual(['', 'ana@example.com']);
  });

  it('adds a user with the role picked', async () => {
    const created = {
      ...ANA,
      id: 'usr_3',
      email: 'cy@example.com',
      name: null,
      role: 'Marketing',
      lastSignInAt: null,
    };
    const { element, fetch } = await render({
      '/api/users': (url, init) =>
        postOr(init, answer(201, { user: created }), answer(200, { users: [ANA] })),
    });
    expect($(element, '[data-id="add"]').disabled).toBe(true);
    type(element, '[data-id="email"]', ' cy@example.com ');
    type(element, '[data-id="role"]', 'Marketing');
    await flushPromises();
    $(element, '[data-id="add-form"]').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    expect(bodyOf(fetch, 'POST')).toEqual({
      url: '/api/users',
      body: { email: 'cy@example.com', role: 'Marketing' },
    });
    expect(textOf($(element, '[data-id="notice"]'))).toBe('Added cy@example.com as Marketing.');
    expect($$(element, 'tbody [data-id="email"]').map(textOf)).toEqual(['ana@example.com', 'cy@example.com']);
  });

  it('changes a role from the select and shows the refusal of the service', async () => {
    const { element, fetch } = await render({
      '/api/users': { users: [ANA] },
      '/api/users/usr_1': () => answer(200, { user: { ...ANA, role: 'Operations' } }),
    });
    const select = $(element, '[data-id="user-role"]');
    select.value = 'Operations';
    select.dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    expect(bodyOf(fetch, 'PATCH')).toEqual({ url: '/api/users/usr_1', body: { role: 'Operations' } });
    expect(textOf($(element, '[data-id="notice"]'))).toBe(
      'ana@example.com is now Operations, from their next request.',
    );

    global.fetch.mockImplementationOnce(async () =>
      answer(409, { error: { code: 'conflict', message: 'you cannot change your own role' } }),
    );
    select.value = 'Sales';
    select.dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    expect(textOf($(element, '[data-id="error"]'))).toBe('you cannot change your own role');
  });

  it('deactivates only after a confirmation that says what it does', async () => {
    const { element, fetch } = await render({
      '/api/users': { users: [ANA] },
      '/api/users/usr_1': () =>
        answer(200, { user: { ...ANA, active: false, deactivatedAt: '2026-12-01T09:00:00.000Z' } }),
    });
    $(element, '[data-id="toggle-active"]').click();
    await flushPromises();
    expect(textOf($(element, '[data-id="confirm"] h2'))).toBe('Deactivate ana@example.com?');
    expect(textOf($(element, '[data-id="confirm"] p'))).toMatch(/signed out at once/);
    $(element, '[data-id="confirm-no"]').click();
    await flushPromises();
    expect($(element, '[data-id="confirm"]')).toBeNull();
    expect(bodyOf(fetch, 'PATCH')).toBeUndefined();

    $(element, '[data-id="toggle-active"]').click();
    await flushPromises();
    $(element, '[data-id="confirm-yes"]').click();
    await flushPromises();
    expect(bodyOf(fetch, 'PATCH')).toEqual({ url: '/api/users/usr_1', body: { active: false } });
    expect(textOf($(element, '[data-id="state"]'))).toBe('Deactivated Dec 1, 2026');
    expect(textOf($(element, '[data-id="toggle-active"]'))).toBe('Reactivate');
  });
});
