import { createElement } from 'lwc';
import { Chart } from 'chart.js';
import ReportChart, { CHART_COLORS, chartConfig } from 'sf/reportChart';
import { clearBody, flushPromises } from '../../../../../test/lwcTesting';

const SPEC = {
  labels: ['Target', 'Decision'],
  datasets: [
    { kind: 'bar', label: 'Share of accounts', data: [0.4, 0.1], color: CHART_COLORS.analysis },
    { kind: 'line', label: 'Lift', data: [0.17, 2], color: CHART_COLORS.secondLine, axis: 'y2' },
  ],
  axes: { y: { title: 'Share', percent: true }, y2: { title: 'Lift' } },
  footers: [['Target footer'], ['Decision footer']],
};

afterEach(() => {
  clearBody();
  Chart.instances.length = 0;
});

describe('sf-report-chart', () => {
  it('registers only the parts the reports draw', () => {
    expect(Chart.registered.map((part) => part.id).sort()).toEqual(
      [
        'bar',
        'barElement',
        'category',
        'legend',
        'line',
        'lineElement',
        'linear',
        'pointElement',
        'tooltip',
      ].sort(),
    );
  });

  it('turns a spec into a mixed bar and line chart on two axes, lines in front, SLDS colours', () => {
    const config = chartConfig(SPEC);
    expect(config.type).toBe('bar');
    expect(config.data.labels).toEqual(['Target', 'Decision']);
    expect(
      config.data.datasets.map(({ type, label, data, yAxisID, backgroundColor, order }) => ({
        type,
        label,
        data,
        yAxisID,
        backgroundColor,
        order,
      })),
    ).toEqual([
      {
        type: 'bar',
        label: 'Share of accounts',
        data: [0.4, 0.1],
        yAxisID: 'y',
        backgroundColor: '#0176d3',
        order: 1,
      },
      { type: 'line', label: 'Lift', data: [0.17, 2], yAxisID: 'y2', backgroundColor: '#dd7a01', order: 0 },
    ]);
    expect(config.options.maintainAspectRatio).toBe(false);
    expect(config.options.scales.y.ticks.callback(0.253)).toBe('25.3%');
    expect(config.options.scales.y2.ticks.callback).toBeUndefined();
    expect(config.options.scales.y2.grid.drawOnChartArea).toBe(false);
    const tooltip = config.options.plugins.tooltip.callbacks;
    expect(tooltip.label({ dataset: { yAxisID: 'y', label: 'Share of accounts' }, parsed: { y: 0.4 } })).toBe(
      'Share of accounts: 40%',
    );
    expect(tooltip.label({ dataset: { yAxisID: 'y2', label: 'Lift' }, parsed: { y: 1234.5 } })).toBe(
      'Lift: 1,234.5',
    );
    expect(tooltip.label({ dataset: { yAxisID: 'y2', label: 'Lift' }, parsed: { y: null } })).toBe('Lift: —');
    expect(tooltip.footer([{ dataIndex: 1 }])).toEqual(['Decision footer']);
  });

  it('draws on a canvas it creates, updates with a new spec and is destroyed when removed', async () => {
    const element = createElement('sf-report-chart', { is: ReportChart });
    Object.assign(element, { spec: SPEC, label: 'Share by stage' });
    document.body.appendChild(element);
    await flushPromises();
    expect(Chart.instances).toHaveLength(1);
    const [chart] = Chart.instances;
    const canvas = element.shadowRoot.querySelector('canvas');
    expect(chart.canvas).toBe(canvas);
    expect(canvas.getAttribute('aria-label')).toBe('Share by stage');
    expect(chart.data.datasets[0].data).toEqual([0.4, 0.1]);

    element.spec = { ...SPEC, datasets: [{ ...SPEC.datasets[0], data: [0.3, 0.2] }] };
    expect(chart.updates).toBe(1);
    expect(chart.data.datasets.map((set) => set.data)).toEqual([[0.3, 0.2]]);

    document.body.removeChild(element);
    expect(chart.destroyed).toBe(true);
  });
});
