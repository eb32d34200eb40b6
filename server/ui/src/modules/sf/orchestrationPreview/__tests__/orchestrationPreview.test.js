import { createElement } from 'lwc';
import OrchestrationPreview from 'sf/orchestrationPreview';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const ORCHESTRATION = require('../../../../../test/data/orchestration.json');
const CLIENT = { call: (request) => request('access-token-1') };
const PREVIEW = {
  sample: [
    {
      provider_id: 'p-1',
      email: 'ana@acme.example',
      first_name: 'Ana',
      last_name: 'Lima',
      title: 'Chief Accountant',
      job_level: 'Director',
      job_function: 'Finance',
      country: 'US',
      email_confidence: 'A',
      cost: 2,
      account_id: 'acme',
      account_name: 'Acme',
      why: 'title entry 1; email A',
    },
  ],
  counts: {
    accounts: 12,
    accountsWithCandidates: 3,
    candidates: 5,
    toBuy: 4,
    cost: 6,
    skipped: { restricted_region: 2, no_email: 1, cap_reached: 1 },
  },
  credits: null,
};
const CREDITS = {
  credits: {
    allowance: 100,
    period: 'month',
    allowOverage: true,
    periodStart: '2026-11-01T00:00:00.000Z',
    periodEnd: '2026-12-01T00:00:00.000Z',
    used: 110,
    balance: 0,
    overage: 10,
  },
  entries: [],
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

async function render(props) {
  const element = createElement('sf-orchestration-preview', { is: OrchestrationPreview });
  Object.assign(element, { client: CLIENT, orchestrationId: '4', pollInterval: 5, ...props });
  document.body.appendChild(element);
  await flushPromises();
  // The credits meter appears with the preview, then reads the credits.
  await flushPromises();
  return element;
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-orchestration-preview', () => {
  it('shows the counts, the skipped by reason, the sample and the credits; buys nothing', async () => {
    const fetch = stubFetch({
      '/api/orchestrations/4': ORCHESTRATION,
      '/api/orchestrations/4/preview': PREVIEW,
      '/api/credits': CREDITS,
    });
    const element = await render({ canManage: true });
    expect(textOf($(element, 'h1'))).toBe('Preview: EMEA finance buyers');
    expect(
      $$(element, '[data-count]').map((tile) => [tile.dataset.count, textOf(tile.querySelector('dd'))]),
    ).toEqual([
      ['accounts', '12'],
      ['accountsWithCandidates', '3'],
      ['candidates', '5'],
      ['toBuy', '4'],
      ['cost', '6'],
    ]);
    // In the vocabulary's order of precedence.
    expect($$(element, '[data-reason]').map((li) => textOf(li))).toEqual([
      'No email: 1',
      'Restricted region: 2',
      'Over the per-account maximum: 1',
    ]);
    const table = $(element, 'sf-report-table');
    expect(table.columns.map((c) => c.label)).toEqual([
      'Name',
      'Title',
      'Level',
      'Function',
      'Country',
      'Email confidence',
      'Cost',
      'Account',
      'Why',
    ]);
    expect(table.rows.map((row) => row.cells.map((cell) => cell.text))).toEqual([
      [
        'Ana Lima',
        'Chief Accountant',
        'Director',
        'Finance',
        'US',
        'A',
        '2',
        'Acme',
        'title entry 1; email A',
      ],
    ]);
    expect(table.caption).toBe('Sample: 1 person');
    const facts = $(element, 'sf-credits-meter').shadowRoot.querySelectorAll('[data-fact] dd');
    expect([...facts].map((dd) => textOf(dd))).toEqual(['100', '110', '0', '10']);
    const methods = fetch.mock.calls.map(([url, init]) => `${init.method || 'GET'} ${url}`);
    expect(methods).toEqual(
      expect.arrayContaining([
        'GET /api/orchestrations/4',
        'POST /api/orchestrations/4/preview',
        'GET /api/credits',
      ]),
    );
    expect(methods.some((m) => m.includes('/run'))).toBe(false);
  });

  it('downloads candidates.csv and accounts.csv with the bearer token', async () => {
    const fetch = stubFetch({
      '/api/orchestrations/4': ORCHESTRATION,
      '/api/orchestrations/4/preview': PREVIEW,
      '/api/credits': CREDITS,
      '/api/orchestrations/4/preview/candidates.csv': () => answer(200, 'provider_id,email\n'),
      '/api/orchestrations/4/preview/accounts.csv': () => answer(200, 'account_id,name\n'),
    });
    URL.createObjectURL = jest.fn(() => 'blob:preview');
    URL.revokeObjectURL = jest.fn();
    const element = await render({ canManage: false });
    const candidates = $(element, '[data-id="download-candidates"]');
    const accounts = $(element, '[data-id="download-accounts"]');
    expect(candidates.getAttribute('href')).toBe('/api/orchestrations/4/preview/candidates.csv');
    expect(accounts.getAttribute('href')).toBe('/api/orchestrations/4/preview/accounts.csv');
    expect(textOf(candidates)).toBe('Download every candidate (candidates.csv)');
    const saved = [];
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function record() {
      if (this.download) saved.push(this.download);
    });
    // The page's own handler fetches with the token; the anchor's click is the save.
    candidates.dispatchEvent(new CustomEvent('click', { cancelable: true }));
    await flushPromises();
    accounts.dispatchEvent(new CustomEvent('click', { cancelable: true }));
    await flushPromises();
    click.mockRestore();
    expect(saved).toEqual(['orchestration-4-candidates.csv', 'orchestration-4-accounts.csv']);
    const csvCalls = fetch.mock.calls.filter(([url]) => url.endsWith('.csv'));
    expect(csvCalls.map(([url, init]) => [url, init.headers.Authorization])).toEqual([
      ['/api/orchestrations/4/preview/candidates.csv', 'Bearer access-token-1'],
      ['/api/orchestrations/4/preview/accounts.csv', 'Bearer access-token-1'],
    ]);
    // A viewer who may not manage has no Run now and no Edit.
    expect($(element, '[data-id="run"]')).toBeNull();
    expect($(element, '[data-id="edit"]')).toBeNull();
  });

  it('queues a run with Run now, then follows it until it is complete', async () => {
    let polls = 0;
    const run = { id: 31, trigger: 'manual', state: 'queued', queuedAt: '2026-11-20T10:00:00Z', counts: {} };
    stubFetch({
      '/api/orchestrations/4': ORCHESTRATION,
      '/api/orchestrations/4/preview': PREVIEW,
      '/api/credits': CREDITS,
      '/api/orchestrations/4/run': () => answer(202, { run }),
      '/api/orchestrations/4/runs': () => {
        polls += 1;
        const state = polls === 1 ? 'running' : 'complete';
        return answer(200, {
          runs: [
            {
              ...run,
              state,
              finishedAt: state === 'complete' ? '2026-11-20T10:01:00Z' : null,
              counts: { purchased: 4, pushed: 3, skipped: 4, failed: 1 },
              message: state === 'complete' ? 'One Lead was refused by Salesforce.' : null,
            },
          ],
        });
      },
    });
    const element = await render({ canManage: true });
    $(element, '[data-id="run"]').click();
    await flushPromises();
    expect(textOf($(element, 'h2[data-id="run-status"]'))).toBe('Run 31 (Nov 20, 2026): Queued');
    expect($(element, 'button[data-id="run"]').disabled).toBe(true);
    await wait(20);
    await flushPromises();
    await wait(20);
    await flushPromises();
    expect(polls).toBe(2);
    expect(textOf($(element, 'h2[data-id="run-status"]'))).toBe(
      'Run 31 (Nov 20, 2026): Complete — 4 purchased, 3 pushed, 4 skipped, 1 failed. One Lead was refused by Salesforce.',
    );
    expect($(element, 'button[data-id="run"]').disabled).toBe(false);
    await wait(20);
    expect(polls).toBe(2);
  });

  it('says why the preview could not be made', async () => {
    stubFetch({
      '/api/orchestrations/4': ORCHESTRATION,
      '/api/orchestrations/4/preview': () =>
        answer(503, {
          error: { code: 'provider_unavailable', message: 'The provider Vendor export has no file.' },
        }),
      '/api/credits': CREDITS,
    });
    const element = await render({ canManage: true });
    expect(textOf($(element, '[data-id="error"]'))).toBe('The provider Vendor export has no file.');
  });
});
