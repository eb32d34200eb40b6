import { createElement } from 'lwc';
import OrchestrationHistory from 'sf/orchestrationHistory';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const ORCHESTRATION = require('../../../../../test/data/orchestration.json');
const CLIENT = { call: (request) => request('access-token-1') };
const RUN = {
  id: 9,
  trigger: 'manual',
  state: 'complete',
  requestedBy: 'ops@example.com',
  queuedAt: '2026-11-16T06:00:00Z',
  startedAt: '2026-11-16T06:00:01Z',
  finishedAt: '2026-11-16T06:02:00Z',
  counts: { purchased: 2, pushed: 1, skipped: 1, failed: 1 },
  message: 'One record failed in Salesforce.',
};
const RECORDS = [
  {
    provider_id: 'p-1',
    person_id: null,
    email: 'ana@acme.example',
    first_name: 'Ana',
    last_name: 'Lima',
    title: 'Controller',
    account_id: 'acme',
    account_name: 'Acme',
    outcome: 'pushed',
    reason: null,
    error: null,
    target_id: '00QAx0000001',
  },
  {
    provider_id: 'p-2',
    person_id: null,
    email: 'bo@acme.example',
    first_name: 'Bo',
    last_name: 'Chen',
    title: 'Accountant',
    account_id: 'acme',
    account_name: 'Acme',
    outcome: 'failed',
    reason: null,
    error: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone required',
    target_id: null,
  },
  {
    provider_id: 'p-3',
    person_id: null,
    email: 'cy@acme.example',
    first_name: 'Cy',
    last_name: null,
    title: 'Intern',
    account_id: 'acme',
    account_name: 'Acme',
    outcome: 'skipped',
    reason: 'filtered_out',
    error: null,
    target_id: null,
  },
];
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

async function render(props) {
  const element = createElement('sf-orchestration-history', { is: OrchestrationHistory });
  Object.assign(element, { client: CLIENT, orchestrationId: '4', pollInterval: 5, ...props });
  document.body.appendChild(element);
  await flushPromises();
  await flushPromises();
  return element;
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const texts = (table) => table.rows.map((row) => row.cells.map((cell) => cell.text));

function runRoute(url) {
  const outcome = new URL(url, 'http://x').searchParams.get('outcome');
  return answer(200, { run: RUN, records: outcome ? RECORDS.filter((r) => r.outcome === outcome) : RECORDS });
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-orchestration-history', () => {
  it('lists the runs newest first and opens one in the address', async () => {
    stubFetch({ '/api/orchestrations/4': ORCHESTRATION, '/api/orchestrations/4/runs': { runs: [RUN] } });
    const element = await render({ canManage: true });
    expect(textOf($(element, 'h1'))).toBe('History: EMEA finance buyers');
    const runs = $(element, 'sf-report-table[data-id="runs"]');
    expect(runs.columns.map((c) => c.label)).toEqual([
      'When',
      'Trigger',
      'State',
      'Requested by',
      'Purchased',
      'Pushed',
      'Skipped',
      'Failed',
      'Message',
      'Records',
    ]);
    expect(texts(runs)).toEqual([
      [
        'Nov 16, 2026, 06:02 UTC',
        'Run now',
        'Complete',
        'ops@example.com',
        '2',
        '1',
        '1',
        '1',
        'One record failed in Salesforce.',
        'Run 9',
      ],
    ]);
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    runs.dispatchEvent(new CustomEvent('drill', { detail: { key: '9', label: 'Records Run 9' } }));
    expect(navigate.mock.calls[0][0].detail).toEqual({ path: '/orchestrations/4/history?run=9' });
  });

  it("shows a run's records, filters them by outcome, and downloads records.csv", async () => {
    const fetch = stubFetch({
      '/api/orchestrations/4': ORCHESTRATION,
      '/api/orchestrations/4/runs': { runs: [RUN] },
      '/api/orchestrations/4/runs/9': runRoute,
      '/api/orchestrations/4/runs/9/records.csv': () => answer(200, 'provider_id,email\n'),
    });
    const element = await render({ runId: '9', canManage: false });
    const records = () => $(element, 'sf-report-table[data-id="records"]');
    expect(records().columns.map((c) => c.label)).toEqual([
      'Name',
      'Email',
      'Account',
      'Outcome',
      'Reason',
      'Error',
      'Target id',
    ]);
    expect(texts(records())).toEqual([
      ['Ana Lima', 'ana@acme.example', 'Acme', 'Pushed', '—', '—', '00QAx0000001'],
      [
        'Bo Chen',
        'bo@acme.example',
        'Acme',
        'Failed',
        '—',
        'FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone required',
        '—',
      ],
      ['Cy', 'cy@acme.example', 'Acme', 'Skipped', 'Filtered out', '—', '—'],
    ]);
    const outcome = $(element, '[data-id="outcome"]');
    expect([...outcome.options].map((o) => o.value)).toEqual([
      '',
      'purchased',
      'pushed',
      'skipped',
      'failed',
    ]);
    outcome.value = 'failed';
    outcome.dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    expect(fetch.mock.calls.map(([url]) => url)).toContain('/api/orchestrations/4/runs/9?outcome=failed');
    expect(texts(records()).map((cells) => cells[0])).toEqual(['Bo Chen']);

    const csv = $(element, '[data-id="records-csv"]');
    expect(csv.getAttribute('href')).toBe('/api/orchestrations/4/runs/9/records.csv');
    URL.createObjectURL = jest.fn(() => 'blob:records');
    URL.revokeObjectURL = jest.fn();
    const saved = [];
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function record() {
      if (this.download) saved.push(this.download);
    });
    csv.dispatchEvent(new CustomEvent('click', { cancelable: true }));
    await flushPromises();
    click.mockRestore();
    expect(saved).toEqual(['orchestration-4-run-9-records.csv']);
    // A viewer does not re-push.
    expect($(element, '[data-id="repush"]')).toBeNull();
  });

  it('re-pushes a run with failures, then follows the re-push until it is over', async () => {
    const posted = [];
    let polls = 0;
    const repush = {
      id: 10,
      trigger: 'repush',
      state: 'queued',
      queuedAt: '2026-11-20T10:00:00Z',
      counts: {},
    };
    stubFetch({
      '/api/orchestrations/4': ORCHESTRATION,
      '/api/orchestrations/4/runs': () => {
        polls += 1;
        return answer(200, {
          runs: polls < 3 ? [RUN] : [{ ...repush, state: 'complete', counts: { pushed: 1 } }, RUN],
        });
      },
      '/api/orchestrations/4/runs/9': runRoute,
      '/api/orchestrations/4/repush': (url, init) => {
        posted.push(JSON.parse(init.body));
        return answer(202, { run: repush });
      },
    });
    const element = await render({ runId: '9', canManage: true });
    const button = $(element, '[data-id="repush"]');
    expect(textOf(button)).toBe('Re-push');
    button.click();
    await flushPromises();
    expect(posted).toEqual([{ runId: 9 }]);
    expect(textOf($(element, '[data-id="repush-run"]'))).toBe('Re-push run 10: Queued');
    expect($(element, '[data-id="repush"]').disabled).toBe(true);
    // Two polls (5 ms apart): the first does not see the re-push yet, the second sees it complete.
    await wait(40);
    await flushPromises();
    await wait(40);
    await flushPromises();
    expect(textOf($(element, '[data-id="repush-run"]'))).toBe('Re-push run 10: Complete');
    expect(texts($(element, 'sf-report-table[data-id="runs"]')).map((cells) => cells[1])).toEqual([
      'Re-push',
      'Run now',
    ]);
  });

  it('offers no re-push for a run where everything was pushed', async () => {
    const clean = { ...RUN, counts: { purchased: 1, pushed: 1, skipped: 0, failed: 0 } };
    stubFetch({
      '/api/orchestrations/4': ORCHESTRATION,
      '/api/orchestrations/4/runs': { runs: [clean] },
      '/api/orchestrations/4/runs/9': { run: clean, records: [RECORDS[0]] },
    });
    const element = await render({ runId: '9', canManage: true });
    expect($(element, 'sf-report-table[data-id="records"]')).not.toBeNull();
    expect($(element, '[data-id="repush"]')).toBeNull();
  });
});
