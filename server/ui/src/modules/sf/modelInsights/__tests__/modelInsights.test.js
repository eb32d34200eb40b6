import { createElement } from 'lwc';
import { Chart } from 'chart.js';
import ModelInsights, { behaviorChart, entriesOf, formatMetric, shownSignals } from 'sf/modelInsights';
import { clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const INSIGHTS = require('../../../../../test/data/modelInsights.json');
const CLIENT = { call: (request) => request('access-token-1') };
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const tableOf = (element, name) => $(element, `sf-report-table[data-table="${name}"]`);
const texts = (table) =>
  [...table.shadowRoot.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.children].map((cell) => textOf(cell)),
  );
const headers = (table) => [...table.shadowRoot.querySelectorAll('thead th')].map((th) => textOf(th));

async function render(query) {
  const fetch = stubFetch({ '/api/reports/model-insights': INSIGHTS });
  const element = createElement('sf-model-insights', { is: ModelInsights });
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

describe('sf-model-insights helpers', () => {
  it('shows fractions as percentages, lifts as ratios and counts as numbers', () => {
    expect(formatMetric('conversion', 0.3)).toBe('30%');
    expect(formatMetric('converter_share', 0.2)).toBe('20%');
    expect(formatMetric('category_coverage', 0.0005)).toBe('0.1%');
    expect(formatMetric('lift', 2)).toBe('2.00×');
    expect(formatMetric('lift', null)).toBe('—');
    expect(formatMetric('conversions', 1200)).toBe('1,200');
    expect(formatMetric('signal', '=Retail')).toBe('=Retail');
  });

  it('orders per-stage tables by the vocabulary, given as an object or a list', () => {
    expect(entriesOf({ Weak: 1, Strong: 2 }, ['Strong', 'Moderate', 'Weak'], 'band').map(([k]) => k)).toEqual(
      ['Strong', 'Weak'],
    );
    expect(
      entriesOf([{ band: 'Weak' }, { band: 'Strong' }], ['Strong', 'Weak'], 'band').map(([k]) => k),
    ).toEqual(['Strong', 'Weak']);
  });

  it('charts the share of accounts as bars, conversion and lift as lines (lift on its own axis)', () => {
    const spec = behaviorChart(INSIGHTS);
    expect(spec.labels).toEqual(['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase']);
    expect(spec.datasets.map((set) => [set.kind, set.label, set.axis || 'y'])).toEqual([
      ['bar', 'Share of accounts', 'y'],
      ['line', 'Conversion', 'y'],
      ['line', 'Lift', 'y2'],
    ]);
    expect(spec.datasets[0].data).toEqual([0.4, 0.3, 0.15, 0.1, 0.05]);
    expect(spec.datasets[1].data[3]).toBeCloseTo(0.3, 12);
    expect(spec.datasets[2].data[3]).toBeCloseTo(2, 12);
    expect(spec.axes.y.percent).toBe(true);
  });

  it('filters, hides signals under 0.1 % category coverage, sorts either way and keeps the top 50', () => {
    const options = { category: '', kind: '', sortKey: 'rate', sortDirection: 'desc' };
    expect(shownSignals(INSIGHTS.signals, options).map((s) => s.signal)).toEqual([
      'Snowflake',
      'Director',
      '1000–4999',
      'IT',
      // 7/35 and 8/40 tie at 20 %: by name.
      'Salesforce',
      'Software',
      'US',
      'Healthcare',
      '=Retail',
    ]);
    expect(
      shownSignals(INSIGHTS.signals, {
        ...options,
        kind: 'firmographic',
        sortKey: 'count',
        sortDirection: 'asc',
      }).map((s) => s.signal),
    ).toEqual(['1000–4999', '=Retail', 'Healthcare', 'Software', 'US']);
    const many = Array.from({ length: 80 }, (_, i) => ({
      ...INSIGHTS.signals[0],
      signal: `s${i}`,
      count: i,
    }));
    expect(shownSignals(many, { ...options, sortKey: 'count' })).toHaveLength(50);
    expect(shownSignals(many, { ...options, sortKey: 'count' })[0].signal).toBe('s79');
  });
});

describe('sf-model-insights', () => {
  it('asks for three months ago by default', async () => {
    const { fetch } = await render('');
    const now = new Date();
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 1))
      .toISOString()
      .slice(0, 7);
    expect(fetch.mock.calls[0][0]).toBe(`/api/reports/model-insights?month=${month}`);
  });

  it('shows the backtest: identification rate, AUC with its interval, the chart and the tables in percentages', async () => {
    const { element, fetch } = await render('month=2026-09');
    expect(fetch.mock.calls[0][0]).toBe('/api/reports/model-insights?month=2026-09');
    expect(textOf($(element, '[data-id="identification-rate"]'))).toBe('50%');
    expect(textOf($(element, '[data-id="auc"]'))).toBe('0.780');
    expect(textOf($(element, '[data-id="auc-interval"]'))).toBe('95% interval 0.650 – 0.910');
    expect(Chart.instances).toHaveLength(1);
    expect(Chart.instances[0].data.datasets.map((set) => set.type)).toEqual(['bar', 'line', 'line']);
    const behavior = tableOf(element, 'account_behavior');
    expect(headers(behavior)).toEqual([
      'Buying stage',
      'Accounts',
      'Share of accounts',
      'Converters',
      'Share of converters',
      'Conversion',
      'Baseline',
      'Lift',
    ]);
    expect(texts(behavior)[3]).toEqual(['Decision', '10', '10%', '3', '30%', '30%', '15%', '2.00×']);
    expect(texts(tableOf(element, 'account_fit'))[0]).toEqual([
      'Strong',
      '20',
      '20%',
      '5',
      '25%',
      '10%',
      '2.50×',
      '3',
      '15%',
      '4%',
      '3.75×',
    ]);
    expect(texts(tableOf(element, 'contact_behavior')).map((row) => row[0])).toEqual(['A', 'B', 'C', 'D']);
    expect(headers(tableOf(element, 'contact_fit'))).toEqual([
      'Profile fit',
      'People',
      'Share of people',
      'People whose account converted',
      'Conversion',
      'Baseline',
      'Lift',
      'Winners',
      'Win conversion',
      'Win baseline',
      'Win lift',
    ]);
    expect(texts(tableOf(element, 'contact_fit'))).toHaveLength(3);
  });

  it('sorts the signals by a column header and filters them by category', async () => {
    const { element } = await render('month=2026-09');
    const signals = () => tableOf(element, 'signals');
    expect(texts(signals())).toHaveLength(9);
    expect(textOf($(element, '[data-id="signals-summary"]'))).toBe(
      '10 signals; the top 50 shown, 1 under 0.1% category coverage hidden',
    );
    expect(texts(signals())[0].slice(0, 6)).toEqual([
      'technographic',
      'technology',
      'Snowflake',
      '10',
      '4',
      '40%',
    ]);
    signals().shadowRoot.querySelector('button[data-key="count"]').click();
    await flushPromises();
    expect(
      texts(signals())
        .map((row) => row[2])
        .slice(0, 2),
    ).toEqual(['US', 'Software']);
    signals().shadowRoot.querySelector('button[data-key="count"]').click();
    await flushPromises();
    expect(texts(signals())[0][2]).toBe('Snowflake');
    const type = $(element, 'select[data-id="kind"]');
    type.value = 'demographic';
    type.dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    expect([...$(element, 'select[data-id="category"]').options].map((o) => o.value)).toEqual([
      '',
      'job_level',
      'job_function',
    ]);
    await flushPromises();
    expect(texts(signals()).map((row) => row[2])).toEqual(['Director', 'IT']);
  });

  it('changes the month through the address', async () => {
    const { element } = await render('month=2026-09');
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    const input = $(element, '[data-id="month"]');
    input.value = '2026-06';
    input.dispatchEvent(new CustomEvent('change'));
    expect(navigate.mock.calls[0][0].detail).toEqual({
      path: '/reports/model-insights?month=2026-06',
      replace: true,
    });
  });
});
