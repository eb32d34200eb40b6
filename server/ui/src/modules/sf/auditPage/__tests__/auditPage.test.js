import { createElement } from 'lwc';
import AuditPage from 'sf/auditPage';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const CLIENT = { call: (request) => request('access-token-1') };
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

function entry(id, fields = {}) {
  return {
    id,
    at: `2026-11-${String(10 + (id % 10)).padStart(2, '0')}T09:30:00.000Z`,
    actor: 'ada@example.com',
    actorKind: 'user',
    action: 'segment.publish',
    targetType: 'segment',
    targetId: String(id),
    summary: `published segment "S${id}"`,
    counts: {},
    ...fields,
  };
}

async function render(query = '') {
  const element = createElement('sf-audit-page', { is: AuditPage });
  Object.assign(element, { client: CLIENT, query });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

const rows = (element) =>
  $$(element, 'tbody tr').map((tr) => [...tr.querySelectorAll('td')].map((td) => textOf(td)));

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-audit-page', () => {
  it('shows the entries newest first with who, what and counts, asking with the filters of its address', async () => {
    const fetch = stubFetch({
      '/api/audit': {
        entries: [
          entry(12, {
            actor: 'command line',
            actorKind: 'operator',
            action: 'import.file',
            summary: 'imported accounts.csv',
            counts: { rows: 3, inserted: 2 },
          }),
          entry(11, { actor: 'nightly sync', actorKind: 'api_key' }),
        ],
        next: null,
      },
    });
    const element = await render('since=2026-11-01&action=segment');
    expect(String(fetch.mock.calls[0][0])).toBe('/api/audit?since=2026-11-01&action=segment&limit=50');
    expect(fetch.mock.calls[0][1].headers.Authorization).toBe('Bearer access-token-1');
    expect(rows(element)).toEqual([
      [
        '2026-11-12 09:30:00 UTC',
        'command line (operator)',
        'import.file',
        'imported accounts.csv',
        'rows 3, inserted 2',
      ],
      ['2026-11-11 09:30:00 UTC', 'nightly sync (api key)', 'segment.publish', 'published segment "S11"', ''],
    ]);
    expect(textOf($(element, '[data-id="count"]'))).toBe('2 entries');
    expect($(element, '[data-id="load-more"]')).toBeNull();
    expect($(element, '[data-id="download"]').getAttribute('href')).toBe(
      '/api/audit.csv?since=2026-11-01&action=segment',
    );
    expect($(element, '[data-filter="since"]').value).toBe('2026-11-01');
  });

  it("loads older entries with the page before's next, and stops on the last page", async () => {
    const fetch = stubFetch({
      '/api/audit': (url) =>
        answer(
          200,
          String(url).includes('before=40')
            ? { entries: [entry(39), entry(38)], next: null }
            : { entries: [entry(41), entry(40)], next: 40 },
        ),
    });
    const element = await render('actor=ada%40example.com');
    expect(textOf($(element, '[data-id="count"]'))).toBe('2 entries shown, more below');
    $(element, '[data-id="load-more"]').click();
    await flushPromises();
    expect(String(fetch.mock.calls[1][0])).toBe('/api/audit?actor=ada%40example.com&limit=50&before=40');
    expect($$(element, 'tbody tr').map((tr) => tr.dataset.entry)).toEqual(['41', '40', '39', '38']);
    expect($(element, '[data-id="load-more"]')).toBeNull();
  });

  it('applies the filters as a new address, and clears them', async () => {
    stubFetch({ '/api/audit': { entries: [], next: null } });
    const element = await render();
    expect(textOf($(element, '[data-id="empty"]'))).toBe('No entries match these filters.');
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    for (const [name, value] of [
      ['since', '2026-11-01'],
      ['until', '2026-11-30'],
      ['actor', ' schedule '],
      ['action', 'score.run'],
    ]) {
      const input = $(element, `[data-filter="${name}"]`);
      input.value = value;
      input.dispatchEvent(new CustomEvent('change'));
    }
    $(element, 'form').dispatchEvent(new CustomEvent('submit', { cancelable: true }));
    expect(navigate.mock.calls[0][0].detail).toEqual({
      path: '/audit?since=2026-11-01&until=2026-11-30&actor=schedule&action=score.run',
    });
    // Edits not applied yet leave the download as the list is.
    expect($(element, '[data-id="download"]').getAttribute('href')).toBe('/api/audit.csv');
    // The shell follows the new address: the page asks again and the download follows.
    element.query = 'since=2026-11-01&until=2026-11-30&actor=schedule&action=score.run';
    await flushPromises();
    expect(String(global.fetch.mock.calls[1][0])).toBe(
      '/api/audit?since=2026-11-01&until=2026-11-30&actor=schedule&action=score.run&limit=50',
    );
    expect($(element, '[data-id="download"]').getAttribute('href')).toBe(
      '/api/audit.csv?since=2026-11-01&until=2026-11-30&actor=schedule&action=score.run',
    );
    $(element, '[data-id="clear"]').click();
    expect(navigate.mock.calls[1][0].detail).toEqual({ path: '/audit' });
  });

  it('downloads the CSV of the filters with the bearer token', async () => {
    const fetch = stubFetch({
      '/api/audit': { entries: [entry(1)], next: null },
      '/api/audit.csv': () => answer(200, 'id,at\n'),
    });
    URL.createObjectURL = jest.fn(() => 'blob:audit');
    URL.revokeObjectURL = jest.fn();
    const element = await render('action=credits');
    $(element, '[data-id="download"]').click();
    await flushPromises();
    const call = fetch.mock.calls.find(([url]) => String(url).startsWith('/api/audit.csv'));
    expect(String(call[0])).toBe('/api/audit.csv?action=credits');
    expect(call[1].headers.Authorization).toBe('Bearer access-token-1');
    expect(URL.createObjectURL).toHaveBeenCalledWith(expect.any(Blob));
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:audit');
  });

  it("shows the service's refusal", async () => {
    stubFetch({
      '/api/audit': () =>
        answer(403, {
          error: { code: 'forbidden', message: 'reading the audit log is for the Admin roles' },
        }),
    });
    const element = await render();
    expect(textOf($(element, '[data-id="error"]'))).toBe('reading the audit log is for the Admin roles');
    expect($(element, '[data-id="entries"]')).toBeNull();
  });
});
