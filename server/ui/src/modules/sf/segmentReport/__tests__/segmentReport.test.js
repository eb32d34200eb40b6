import { createElement } from 'lwc';
import { Chart } from 'chart.js';
import SegmentReport, { changeText, distributionChart, teamOf } from 'sf/segmentReport';
import { clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const SEGMENTS = require('../../../../../test/data/segments.json');
const STAGE = require('../../../../../test/data/segmentPerformance.json');
const ENGAGEMENT = require('../../../../../test/data/segmentPerformanceEngagement.json');
const ACCOUNTS = require('../../../../../test/data/segmentPerformanceAccounts.json');
const CLIENT = { call: (request) => request('access-token-1') };
const QUERY =
  'segments=7%2C3&type=stage&baseline=2026-09&analysis=2026-10&cohort=analysis&excludeIrrelevant=true';
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const tableOf = (element, name) => $(element, `sf-report-table[data-table="${name}"]`);
const texts = (table) =>
  [...table.shadowRoot.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.children].map((cell) => textOf(cell)),
  );

async function render(query, routes = {}) {
  const fetch = stubFetch({
    '/api/segments': SEGMENTS,
    '/api/reports/segment-performance': STAGE,
    '/api/reports/segment-performance/accounts': ACCOUNTS,
    ...routes,
  });
  const element = createElement('sf-segment-report', { is: SegmentReport });
  Object.assign(element, { client: CLIENT, query });
  document.body.appendChild(element);
  await flushPromises();
  await flushPromises();
  return { element, fetch };
}

afterEach(() => {
  clearBody();
  delete global.fetch;
  Chart.instances.length = 0;
});

describe('sf-segment-report helpers', () => {
  it('writes changes with arrows, "new" when the baseline had none', () => {
    expect(changeText({ change_pct: 25, analysis_accounts: 5 })).toBe('▲ 25.0%');
    expect(changeText({ change_pct: -20, analysis_accounts: 4 })).toBe('▼ 20.0%');
    expect(changeText({ change_pct: 0, analysis_accounts: 4 })).toBe('0.0%');
    expect(changeText({ change_pct: null, analysis_accounts: 1 })).toBe('new');
    expect(changeText({ change_pct: null, analysis_accounts: 0 })).toBe('—');
  });

  it('puts the sales panels in the sales team, the others in marketing', () => {
    expect(['intent', 'marketing_reached', 'sales_reached', 'sales_engaged'].map(teamOf)).toEqual([
      'Marketing',
      'Marketing',
      'Sales',
      'Sales',
    ]);
  });

  it('charts baseline and analysis accounts per stage, with pipeline and won per bar', () => {
    const spec = distributionChart(STAGE);
    expect(spec.labels).toEqual(['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase']);
    expect(spec.datasets.map((set) => [set.label, set.data])).toEqual([
      ['Baseline', [4, 3, 2, 1, 0]],
      ['Analysis', [2, 3, 3, 1, 1]],
    ]);
    expect(spec.footers[3]).toEqual([
      'Baseline: pipeline $30,000 (1), won $30,000 (1)',
      'Analysis: pipeline $60,000 (1), won $0 (0)',
    ]);
  });

  it('charts the engagement states in the order of the report', () => {
    const spec = distributionChart(ENGAGEMENT);
    expect(spec.labels).toEqual([
      'No engagement',
      'Intent',
      'Anonymous web visit',
      'Known engagement',
      'Opportunity opened',
      'Opportunity won',
    ]);
    expect(spec.datasets[1].data).toEqual([2, 5, 3, 4, 3, 1]);
    expect(spec.footers[1]).toEqual(['Baseline: no amounts', 'Analysis: no amounts']);
    expect(spec.footers[4]).toEqual(['Baseline: pipeline $50,000 (2)', 'Analysis: pipeline $150,000 (3)']);
    expect(spec.footers[5]).toEqual(['Baseline: won $30,000 (1)', 'Analysis: won $40,000 (1)']);
  });
});

describe('sf-segment-report', () => {
  it('opens the configuration with the reference defaults when nothing is configured', async () => {
    const { element, fetch } = await render('');
    expect($(element, '[data-id="config"]')).not.toBeNull();
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['/api/segments']);
    expect($$(element, 'input[data-segment]').map((input) => input.dataset.segment)).toEqual(
      SEGMENTS.segments.map((segment) => String(segment.id)),
    );
    const now = new Date();
    const month = (offset) =>
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
    expect($(element, '[data-id="baseline-from"]').value).toBe(month(-2));
    expect($(element, '[data-id="analysis-from"]').value).toBe(month(-1));
    expect($(element, '[data-id="baseline-to"]')).toBeNull();
  });

  it('asks for a segment, refuses an analysis not after the baseline, and applies the settings as the address', async () => {
    const { element } = await render('');
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    $(element, '[data-id="apply"]').click();
    await flushPromises();
    expect(textOf($(element, '[data-id="config-error"]'))).toBe('Choose at least one segment.');

    const box = $(element, 'input[data-segment="7"]');
    box.checked = true;
    box.dispatchEvent(new CustomEvent('change'));
    const analysis = $(element, '[data-id="analysis-from"]');
    analysis.value = '2020-01';
    analysis.dispatchEvent(new CustomEvent('change'));
    $(element, '[data-id="apply"]').click();
    await flushPromises();
    expect(textOf($(element, '[data-id="config-error"]'))).toBe(
      'The analysis timeframe must come after the baseline timeframe.',
    );

    $(element, 'input[data-mode="range"]').click();
    await flushPromises();
    expect($(element, '[data-id="baseline-to"]')).not.toBeNull();
    $(element, 'input[data-type="engagement"]').click();
    $(element, 'input[data-field="excludeIrrelevant"]').click();
    const cohort = $(element, 'select[data-id="cohort"]');
    cohort.value = 'today';
    cohort.dispatchEvent(new CustomEvent('change'));
    $(element, '[data-id="apply"]').click();
    const { path } = navigate.mock.calls[0][0].detail;
    const params = new URLSearchParams(path.split('?')[1]);
    expect(path.startsWith('/reports/segment-performance?')).toBe(true);
    expect(params.get('segments')).toBe('7');
    expect(params.get('type')).toBe('engagement');
    expect(params.get('cohort')).toBe('today');
    expect(params.get('excludeIrrelevant')).toBe('true');
    expect(params.get('excludeZeroAmount')).toBeNull();
    expect(params.get('baseline')).toMatch(/^\d{4}-\d{2}\.\.\d{4}-\d{2}$/);
  });

  it('shows the stage report: tiles, notes, the distribution chart and table, the movement heat table', async () => {
    const { element, fetch } = await render(QUERY);
    expect(fetch.mock.calls.map(([url]) => url)).toContain(`/api/reports/segment-performance?${QUERY}`);
    expect($(element, '[data-id="config"]')).toBeNull();
    expect($$(element, '[data-id="tiles"] li').map((li) => [...li.children].map((p) => textOf(p)))).toEqual([
      ['Total accounts', '10'],
      ['Increased buying stage', '4'],
      ['Decreased buying stage', '1'],
      ['Unchanged', '5'],
      ['New pipeline (USD)', '$150,000', '3 opportunities'],
      ['Won (USD)', '$40,000', '1 opportunity'],
    ]);
    expect($$(element, '[data-id="notes"] li')).toHaveLength(2);
    expect(Chart.instances).toHaveLength(1);
    expect(Chart.instances[0].data.datasets.map((set) => set.data)).toEqual([
      [4, 3, 2, 1, 0],
      [2, 3, 3, 1, 1],
    ]);
    expect(texts(tableOf(element, 'distribution'))[3]).toEqual([
      'Decision',
      '1',
      '1',
      '$30,000',
      '1',
      '$30,000',
      '1',
      '1',
      '$60,000',
      '0',
      '$0',
    ]);
    const movement = tableOf(element, 'movement');
    expect(texts(movement)[0]).toEqual(['Target', '2', '1', '1', '0', '0']);
    expect(texts(movement)[3]).toEqual(['Decision', '0', '0', '1', '0', '0']);
  });

  it('shows activities by source by activity type (intent, reached, engaged) or by team (the five panels)', async () => {
    const { element } = await render(QUERY);
    const panels = () => $$(element, '[data-panel]').map((div) => div.dataset.panel);
    expect(panels()).toEqual(['intent', 'reached', 'engaged']);
    const intent = $(element, '[data-panel="intent"] sf-report-table');
    expect(texts(intent)).toEqual([
      ['Total', '4', '5', '▲ 25.0%', '$150,000', '$40,000'],
      ['Keyword research · Our website search', '3', '4', '▲ 33.3%', '$110,000', '$40,000'],
      ['Keyword research · Bombora', '2', '2', '0.0%', '$50,000', '$0'],
      ['Keyword research · G2', '0', '1', 'new', '$0', '$0'],
      ['Keyword research · TrustRadius', '0', '0', '—', '$0', '$0'],
    ]);
    expect(texts($(element, '[data-panel="reached"] sf-report-table')).map((row) => row[0])).toEqual([
      'Total',
      'Was sent an email',
      'Saw an ad · LinkedIn',
      'Sales call',
    ]);
    $(element, 'button[data-view="team"]').click();
    await flushPromises();
    expect(panels()).toEqual([
      'intent',
      'marketing_reached',
      'marketing_engaged',
      'sales_reached',
      'sales_engaged',
    ]);
    const sales = $(element, '[data-panel="sales_engaged"] sf-report-table');
    expect(textOf(sales.shadowRoot.querySelector('h3'))).toBe('Sales: Sales engaged');
    expect(texts(sales)).toEqual([
      ['Total', '1', '2', '▲ 100.0%', '$100,000', '$40,000'],
      ['Replied to sales', '1', '2', '▲ 100.0%', '$100,000', '$40,000'],
    ]);
    expect(texts($(element, '[data-panel="marketing_engaged"] sf-report-table'))[2][0]).toBe(
      'Anonymous web visit',
    );
  });

  it('drills from a movement cell and a tile into the accounts behind them, and opens an account', async () => {
    const { element, fetch } = await render(QUERY);
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    tableOf(element, 'movement').shadowRoot.querySelector('button[data-drill="Target.Decision"]').click();
    await flushPromises();
    await flushPromises();
    const drill = $(element, 'sf-report-drill');
    expect(drill).not.toBeNull();
    const url = fetch.mock.calls.map(([u]) => u).find((u) => u.includes('/accounts?'));
    const params = new URLSearchParams(url.split('?')[1]);
    expect([params.get('segments'), params.get('table'), params.get('key')]).toEqual([
      '7,3',
      'movement',
      'Target.Decision',
    ]);
    expect(textOf(drill.shadowRoot.querySelector('[data-id="drill-total"]'))).toBe('2 accounts');
    const link = drill.shadowRoot.querySelector('tbody a');
    expect(link.getAttribute('href')).toBe('/accounts/001A000001');
    link.click();
    expect(navigate.mock.calls[0][0].detail).toEqual({ path: '/accounts/001A000001' });
    drill.shadowRoot.querySelector('[data-id="close"]').click();
    await flushPromises();
    expect($(element, 'sf-report-drill')).toBeNull();

    $(element, 'button[data-tile="increased"]').click();
    await flushPromises();
    await flushPromises();
    const last = new URLSearchParams(fetch.mock.calls.at(-1)[0].split('?')[1]);
    expect([last.get('table'), last.get('key')]).toEqual(['summary', 'increased']);
  });

  it('leaves out the movement grid in an engagement analysis', async () => {
    const { element } = await render(QUERY.replace('type=stage', 'type=engagement'), {
      '/api/reports/segment-performance': ENGAGEMENT,
    });
    expect($(element, '[data-id="movement"]')).toBeNull();
    // States carry no amounts where the report has none (null): a dash.
    expect(texts(tableOf(element, 'distribution'))[1]).toEqual([
      'Intent',
      '4',
      '—',
      '—',
      '—',
      '—',
      '5',
      '—',
      '—',
      '—',
      '—',
    ]);
    expect(texts(tableOf(element, 'distribution'))[4]).toEqual([
      'Opportunity opened',
      '2',
      '2',
      '$50,000',
      '—',
      '—',
      '3',
      '3',
      '$150,000',
      '—',
      '—',
    ]);
    expect(textOf($$(element, '[data-id="tiles"] li')[1].firstChild)).toBe('Increased engagement');
  });

  it("shows the service's refusal", async () => {
    const { element } = await render(QUERY, {
      '/api/reports/segment-performance': () => ({
        ok: false,
        status: 400,
        json: async () => ({ error: { code: 'bad_request', message: 'unknown segment: Nope' } }),
      }),
    });
    expect(textOf($(element, '[data-id="error"]'))).toBe('unknown segment: Nope');
  });
});
