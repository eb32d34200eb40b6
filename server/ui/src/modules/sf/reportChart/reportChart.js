import { LightningElement, api } from 'lwc';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';

// Only what the reports draw (bars, lines on a category axis), so the bundle carries no more.
Chart.register(
  BarController,
  LineController,
  BarElement,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);

/** SLDS design-token values (the canvas cannot read CSS custom properties reliably). */
export const CHART_COLORS = Object.freeze({
  baseline: '#aacbff', // palette blue 80
  analysis: '#0176d3', // color-brand-accessible
  line: '#2e844a', // color-success (palette green 50)
  secondLine: '#dd7a01', // color-warning (palette orange 65)
  text: '#444444', // color-text-weak
  grid: '#e5e5e5', // color-border
});

const FONT = { family: "'Salesforce Sans', Arial, sans-serif", size: 12 };

/**
 * The Chart.js configuration of a chart spec: `labels` (the categories), `datasets`
 * (`{ kind: 'bar' | 'line', label, data, color, axis: 'y' | 'y2' }`), `axes`
 * (`{ y: { title, percent }, y2?: { title, percent } }`; a percent axis holds fractions) and
 * `footers` (extra tooltip lines per category, e.g. the pipeline and won of a bar).
 */
export function chartConfig(spec) {
  const percentOf = (axis) => !!(spec.axes[axis] && spec.axes[axis].percent);
  const scale = (axis, position) => ({
    type: 'linear',
    position,
    beginAtZero: true,
    title: { display: true, text: spec.axes[axis].title, color: CHART_COLORS.text, font: FONT },
    ticks: {
      color: CHART_COLORS.text,
      font: FONT,
      callback: percentOf(axis) ? (value) => `${Math.round(value * 1000) / 10}%` : undefined,
    },
    grid: { color: CHART_COLORS.grid, drawOnChartArea: axis === 'y' },
  });
  const scales = {
    x: { type: 'category', ticks: { color: CHART_COLORS.text, font: FONT }, grid: { display: false } },
    y: scale('y', 'left'),
  };
  if (spec.axes.y2) {
    scales.y2 = scale('y2', 'right');
  }
  return {
    type: 'bar',
    // Plain copies: Chart.js marks its data arrays, which LWC's read-only proxies refuse.
    data: {
      labels: [...spec.labels],
      datasets: spec.datasets.map((set, index) => ({
        type: set.kind,
        label: set.label,
        data: [...set.data],
        yAxisID: set.axis || 'y',
        backgroundColor: set.color,
        borderColor: set.color,
        borderWidth: set.kind === 'line' ? 2 : 0,
        pointRadius: set.kind === 'line' ? 3 : undefined,
        // Lines in front of the bars.
        order: set.kind === 'line' ? 0 : index + 1,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { color: CHART_COLORS.text, font: FONT, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (item) => {
              if (typeof item.parsed.y !== 'number' || Number.isNaN(item.parsed.y)) {
                return `${item.dataset.label}: —`;
              }
              const axis = item.dataset.yAxisID;
              const value = percentOf(axis)
                ? `${Math.round(item.parsed.y * 1000) / 10}%`
                : item.parsed.y.toLocaleString('en-US');
              return `${item.dataset.label}: ${value}`;
            },
            footer: (items) => (spec.footers && items.length ? spec.footers[items[0].dataIndex] : undefined),
          },
        },
      },
      scales,
    },
  };
}

/**
 * A chart of a report (Chart.js on a canvas the component creates in its manual-DOM box). The
 * numbers are also in the table beside it; the canvas carries `label` for screen readers.
 */
export default class ReportChart extends LightningElement {
  @api label;
  _spec;
  chart;

  @api
  get spec() {
    return this._spec;
  }
  set spec(value) {
    this._spec = value;
    if (this.chart && value) {
      const config = chartConfig(value);
      this.chart.data = config.data;
      this.chart.options = config.options;
      this.chart.update();
    }
  }

  renderedCallback() {
    if (this.chart || !this._spec) {
      return;
    }
    const box = this.template.querySelector('.sf-report-chart__box');
    box.textContent = '';
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', this.label || '');
    box.appendChild(canvas);
    this.chart = new Chart(canvas, chartConfig(this._spec));
  }

  disconnectedCallback() {
    if (this.chart) {
      this.chart.destroy();
      this.chart = undefined;
    }
  }
}
