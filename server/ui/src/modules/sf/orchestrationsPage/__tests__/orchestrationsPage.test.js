import { createElement } from 'lwc';
import OrchestrationsPage from 'sf/orchestrationsPage';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const CLIENT = { call: (request) => request('access-token-1') };
const ORCHESTRATIONS = {
  orchestrations: [
    {
      id: 4,
      name: 'EMEA finance buyers',
      goal: 'acquire_contacts',
      segment: { id: 7, name: 'In-market strong fit' },
      provider: { id: 1, name: 'Vendor export' },
      target: { type: 'salesforce_campaign', campaignId: '701Ax000001', create: 'lead' },
      schedule: { weekly: 'monday' },
      cooldownDays: 30,
      state: 'idle',
      lastRun: {
        id: 9,
        trigger: 'manual',
        state: 'complete',
        requestedBy: 'demo@example.com',
        queuedAt: '2026-11-16T06:00:00Z',
        startedAt: '2026-11-16T06:00:01Z',
        finishedAt: '2026-11-16T06:00:09Z',
        counts: { purchased: 3, pushed: 3, skipped: 12, failed: 0 },
        message: null,
      },
      nextRunAt: '2026-11-23T06:00:00Z',
    },
    {
      id: 5,
      name: 'Nurture',
      goal: 'add_to_audience',
      segment: { id: 3, name: 'EMEA software' },
      provider: null,
      target: { type: 'outreach_sequence', sequenceId: '42', mailboxId: '5' },
      schedule: 'manual',
      cooldownDays: 0,
      state: 'queued',
      lastRun: null,
      nextRunAt: null,
    },
  ],
};
const CREDITS = {
  credits: {
    allowance: 500,
    period: 'month',
    allowOverage: false,
    periodStart: '2026-11-01T00:00:00.000Z',
    periodEnd: '2026-12-01T00:00:00.000Z',
    used: 120,
    balance: 380,
    overage: 0,
  },
  entries: [],
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

async function render(props) {
  const element = createElement('sf-orchestrations-page', { is: OrchestrationsPage });
  Object.assign(element, { client: CLIENT, ...props });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-orchestrations-page', () => {
  it('lists each orchestration with goal, segment, target, schedule, state, last and next run', async () => {
    stubFetch({ '/api/orchestrations': ORCHESTRATIONS, '/api/credits': CREDITS });
    const element = await render({ canManage: true });
    expect(textOf($(element, '[data-id="count"]'))).toBe('2 orchestrations');
    // The last run's when and counts are two lines.
    const cellText = (cell) => {
      if (cell.dataset.id !== 'last-run') {
        return textOf(cell);
      }
      return [...cell.querySelectorAll('span')].map((span) => textOf(span)).join(' | ');
    };
    const cells = $$(element, 'tbody tr').map((tr) =>
      [...tr.querySelectorAll('th, td')].slice(0, 8).map(cellText),
    );
    expect(cells).toEqual([
      [
        'EMEA finance buyers',
        'Acquire new contacts',
        'In-market strong fit',
        'Salesforce campaign 701Ax000001 (Leads)',
        'Weekly on Monday',
        'Idle',
        'Nov 16, 2026 · Complete | 3 purchased · 3 pushed · 12 skipped · 0 failed',
        'Nov 23, 2026',
      ],
      [
        'Nurture',
        'Add to audience',
        'EMEA software',
        'Outreach sequence 42',
        'Manual',
        'Queued',
        'Never run',
        'When someone presses Run now',
      ],
    ]);
    const meter = $(element, 'sf-credits-meter').shadowRoot;
    expect(
      [...meter.querySelectorAll('[data-fact]')].map((fact) => [
        fact.dataset.fact,
        textOf(fact.querySelector('dd')),
      ]),
    ).toEqual([
      ['allowance', '500'],
      ['used', '120'],
      ['balance', '380'],
      ['overage', '0'],
    ]);
    expect(meter.querySelector('lightning-progress-bar').value).toBe(24);
  });

  it('gives managers New orchestration, Run now and Edit; a running one cannot be run again', async () => {
    stubFetch({ '/api/orchestrations': ORCHESTRATIONS, '/api/credits': CREDITS });
    const element = await render({ canManage: true });
    expect($(element, '[data-id="new-orchestration"]').getAttribute('href')).toBe('/orchestrations/new');
    const row = (id) => $(element, `[data-orchestration="${id}"]`);
    expect([...row(4).querySelectorAll('.slds-button-group > *')].map((button) => textOf(button))).toEqual([
      'Preview',
      'Run now',
      'History',
      'Edit',
    ]);
    expect(row(4).querySelector('[data-id="edit"]').getAttribute('href')).toBe('/orchestrations/4/edit');
    expect(row(4).querySelector('[data-id="history"]').getAttribute('href')).toBe(
      '/orchestrations/4/history',
    );
    expect(row(5).querySelector('[data-id="run"]').disabled).toBe(true);
  });

  it('shows a View Only user the list with Preview and History, and no New, Run now or Edit', async () => {
    stubFetch({ '/api/orchestrations': ORCHESTRATIONS, '/api/credits': CREDITS });
    const element = await render({ canManage: false });
    expect($(element, '[data-id="new-orchestration"]')).toBeNull();
    expect($$(element, '[data-id="run"]')).toHaveLength(0);
    expect($$(element, '[data-id="edit"]')).toHaveLength(0);
    expect($$(element, '[data-id="preview"]')).toHaveLength(2);
    expect($$(element, '[data-id="history"]')).toHaveLength(2);
  });

  it('queues a run with Run now and says so', async () => {
    const fetch = stubFetch({
      '/api/orchestrations': ORCHESTRATIONS,
      '/api/credits': { credits: null, entries: [] },
      '/api/orchestrations/4/run': () =>
        answer(202, { run: { id: 10, trigger: 'manual', state: 'queued', counts: {} } }),
    });
    const element = await render({ canManage: true });
    expect(textOf($(element, 'sf-credits-meter').shadowRoot.querySelector('[data-id="no-allowance"]'))).toBe(
      'No credit allowance is set. An Admin sets one with signalfit credits set --allowance N.',
    );
    $(element, '[data-orchestration="4"] [data-id="run"]').click();
    await flushPromises();
    const run = fetch.mock.calls.find(([url]) => url === '/api/orchestrations/4/run');
    expect(run[1].method).toBe('POST');
    expect(textOf($(element, '[data-id="notice"]'))).toBe(
      'Run 10 is queued: it buys and pushes in the background. Its history shows it when done.',
    );
  });
});
