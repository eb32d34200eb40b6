import { createElement } from 'lwc';
import OptOutsPage from 'sf/optOutsPage';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const CLIENT = { call: (request) => request('access-token-1') };
const ENTRIES = {
  total: 2,
  entries: [
    {
      kind: 'domain',
      value: 'acme.com',
      source: 'manual',
      reason: 'legal hold',
      createdAt: '2026-11-18T10:00:00.000Z',
      createdBy: 'ops@example.com',
    },
    {
      kind: 'email',
      value: 'jo@beta.io',
      source: 'import',
      reason: null,
      createdAt: '2026-11-17T10:00:00.000Z',
      createdBy: 'ops@example.com',
    },
  ],
};
const REPORT = {
  since: '2026-11-13T12:00:00.000Z',
  until: '2026-11-20T12:00:00.000Z',
  newOptOuts: { listEmails: 1, listDomains: 1, people: 3, list: [], flagged: [] },
  stillPresent: {
    total: 1,
    byPlace: {},
    records: [
      {
        email: 'jo@beta.io',
        place: 'salesforce_campaign_member',
        target: '701A',
        ref: 'person:c1',
        pushedAt: '2026-11-02T00:00:00.000Z',
        rule: 'list_email',
        why: 'the address jo@beta.io is on the opt-out list',
      },
    ],
  },
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

async function render() {
  const element = createElement('sf-opt-outs-page', { is: OptOutsPage });
  element.client = CLIENT;
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-opt-outs-page', () => {
  it('lists the entries with kind, value, source, reason and who added them', async () => {
    stubFetch({ '/api/optouts': ENTRIES });
    const element = await render();
    expect(textOf($(element, '[data-id="count"]'))).toBe('2 entries');
    expect(
      $$(element, 'tr[data-entry]').map((row) =>
        ['kind', 'value', 'source', 'reason'].map((id) => textOf(row.querySelector(`[data-id="${id}"]`))),
      ),
    ).toEqual([
      ['Domain', 'acme.com', 'manual', 'legal hold'],
      ['Address', 'jo@beta.io', 'import', ''],
    ]);
  });

  it('adds an address, and removes an entry only after the confirmation', async () => {
    const calls = [];
    stubFetch({
      '/api/optouts': (url, init) => {
        calls.push([init.method || 'GET', init.body || null]);
        if (init.method === 'POST') {
          return answer(201, { added: true, entry: { ...ENTRIES.entries[1], value: 'kim@acme.com' } });
        }
        if (init.method === 'DELETE') {
          return answer(200, { entry: ENTRIES.entries[0] });
        }
        return answer(200, ENTRIES);
      },
    });
    const element = await render();
    const input = $(element, '[data-id="new-value"]');
    input.value = ' kim@acme.com ';
    input.dispatchEvent(new CustomEvent('change'));
    $(element, '[data-id="add-form"]').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    expect(calls[1]).toEqual(['POST', JSON.stringify({ email: 'kim@acme.com' })]);
    expect(textOf($(element, '[data-id="notice"]'))).toBe('Added kim@acme.com.');

    $(element, 'tr[data-entry="domain:acme.com"] [data-id="remove"]').click();
    await flushPromises();
    expect(calls.filter(([method]) => method === 'DELETE')).toEqual([]);
    $(element, '[data-id="cancel-remove"]').click();
    await flushPromises();
    expect($(element, '[data-id="confirm-remove"]')).toBeNull();
    $(element, 'tr[data-entry="domain:acme.com"] [data-id="remove"]').click();
    await flushPromises();
    $(element, '[data-id="confirm-remove"]').click();
    await flushPromises();
    expect(calls.filter(([method]) => method === 'DELETE')).toEqual([
      ['DELETE', JSON.stringify({ domain: 'acme.com' })],
    ]);
    expect(textOf($(element, '[data-id="notice"]'))).toBe('Removed acme.com.');
  });

  it('imports a CSV file and shows the counts and each bad row', async () => {
    let sent;
    let posted;
    // FileReader answers on a later turn than the microtasks: the test waits for the upload itself.
    const uploaded = new Promise((resolve) => (posted = resolve));
    stubFetch({
      '/api/optouts': (url, init) => {
        if (init.method === 'POST') {
          sent = { type: init.headers['Content-Type'], body: init.body };
          posted();
          return answer(200, {
            rows: 3,
            added: 1,
            already: 0,
            bad: 2,
            badRows: [
              { line: 3, value: 'nope,', reason: 'malformed email' },
              { line: 4, value: ',', reason: 'empty' },
            ],
          });
        }
        return answer(200, ENTRIES);
      },
    });
    const element = await render();
    const input = $(element, '[data-id="import"]');
    Object.defineProperty(input, 'files', {
      value: [new File(['email,domain\nkim@acme.com,\nnope,\n,\n'], 'list.csv', { type: 'text/csv' })],
    });
    input.dispatchEvent(new CustomEvent('change'));
    await uploaded;
    await flushPromises();
    expect(sent).toEqual({ type: 'text/csv', body: 'email,domain\nkim@acme.com,\nnope,\n,\n' });
    expect(textOf($(element, '[data-id="import-summary"]'))).toBe('3 rows: 1 added, 0 already listed, 2 bad');
    const cells = (row) => [...row.querySelectorAll('td')].map(textOf);
    expect($$(element, '[data-id="bad-row"]').map(cells)).toEqual([
      ['3', 'nope,', 'malformed email'],
      ['4', ',', 'empty'],
    ]);
  });

  it('shows the report: new opt-outs and the records still present downstream', async () => {
    stubFetch({ '/api/optouts': ENTRIES, '/api/optouts/report': REPORT });
    const element = await render();
    $(element, '[data-id="show-report"]').click();
    await flushPromises();
    expect(textOf($(element, '[data-id="report-summary"]'))).toMatch(
      /: 1 address and 1 domain added to the list, 3 people flagged opted out\.$/,
    );
    expect(textOf($(element, '[data-id="still-present"]'))).toBe(
      '1 record of opted-out addresses still where Signalfit pushed them: clean them up there.',
    );
    const cells = (row) => [...row.querySelectorAll('td')].map(textOf);
    expect($$(element, '[data-id="present-row"]').map(cells)).toEqual([
      [
        'jo@beta.io',
        'Salesforce campaign member',
        '701A',
        'Nov 2, 2026',
        'the address jo@beta.io is on the opt-out list',
      ],
    ]);
  });

  it('says why when the service refuses', async () => {
    stubFetch({
      '/api/optouts': () =>
        answer(403, {
          error: {
            code: 'forbidden',
            message: 'viewing the opt-out list is for the Admin, Operations roles',
          },
        }),
    });
    const element = await render();
    expect(textOf($(element, '[data-id="error"]'))).toBe(
      'viewing the opt-out list is for the Admin, Operations roles',
    );
  });
});
