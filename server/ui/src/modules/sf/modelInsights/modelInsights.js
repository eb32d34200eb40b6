import { LightningElement, api } from 'lwc';
import { fetchModelInsights, monthOffset } from 'sf/reportsApi';
import { formatNumber, formatPercent } from 'sf/format';
import { BUYING_STAGES, ENGAGEMENT_GRADES, FIT_BANDS } from 'sf/vocabulary';
import { CHART_COLORS } from 'sf/reportChart';

/** Signals shown at most, and the category coverage under which a signal is hidden (0.1 %). */
export const TOP_SIGNALS = 50;
export const MIN_CATEGORY_COVERAGE = 0.001;

const COLUMN_LABELS = Object.freeze({
  accounts: 'Accounts',
  share: 'Share of accounts',
  converters: 'Converters',
  converter_share: 'Share of converters',
  conversion: 'Conversion',
  baseline: 'Baseline',
  lift: 'Lift',
  winners: 'Winners',
  win_conversion: 'Win conversion',
  win_baseline: 'Win baseline',
  win_lift: 'Win lift',
  people: 'People',
  converted: 'People whose account converted',
});
/** `kind`: firmographic, technographic or demographic; `category`: industry, technology, job level… */
const SIGNAL_COLUMNS = Object.freeze([
  { key: 'kind', label: 'Type' },
  { key: 'category', label: 'Category' },
  { key: 'signal', label: 'Signal' },
  { key: 'count', label: 'Count', numeric: true },
  { key: 'conversions', label: 'Conversions', numeric: true },
  { key: 'rate', label: 'Conversion rate', numeric: true },
  { key: 'baseline', label: 'Baseline', numeric: true },
  { key: 'lift', label: 'Lift', numeric: true },
  { key: 'category_coverage', label: 'Category coverage', numeric: true },
  { key: 'conversion_coverage', label: 'Conversion coverage', numeric: true },
]);

/** Fractions the app shows as percentages; lifts as ratios; the rest as counts. */
const isFraction = (key) => /share|conversion|baseline|rate|coverage/.test(key) && key !== 'conversions';
const isLift = (key) => /lift/.test(key);

export function formatMetric(key, value) {
  if (typeof value !== 'number') {
    return value === null || value === undefined ? '—' : String(value);
  }
  if (isLift(key)) {
    return Number.isFinite(value) ? `${value.toFixed(2)}×` : '—';
  }
  return isFraction(key) ? formatPercent(value) : formatNumber(value);
}

/**
 * A per-stage (band, grade) table of the report as `[key, values]` pairs in the vocabulary's
 * order: the JSON gives it as an object keyed by stage, or as a list with a `stage`/`band`/`grade`.
 */
export function entriesOf(table, order, field) {
  const pairs = Array.isArray(table) ? table.map((row) => [row[field], row]) : Object.entries(table || {});
  const rank = (key) => (order.includes(key) ? order.indexOf(key) : order.length);
  return pairs.sort((a, b) => rank(a[0]) - rank(b[0]));
}

/** The account behaviour chart: share of accounts per stage (bars), conversion and lift (lines). */
export function behaviorChart(report) {
  const rows = entriesOf(report.account_behavior, BUYING_STAGES, 'stage');
  return {
    labels: rows.map(([stage]) => stage),
    datasets: [
      {
        kind: 'bar',
        label: 'Share of accounts',
        data: rows.map(([, r]) => r.share),
        color: CHART_COLORS.analysis,
      },
      {
        kind: 'line',
        label: 'Conversion',
        data: rows.map(([, r]) => r.conversion),
        color: CHART_COLORS.line,
      },
      {
        kind: 'line',
        label: 'Lift',
        data: rows.map(([, r]) => r.lift),
        color: CHART_COLORS.secondLine,
        axis: 'y2',
      },
    ],
    axes: { y: { title: 'Share and conversion', percent: true }, y2: { title: 'Lift', percent: false } },
  };
}

/** The signals as shown: type (kind) and category filters, hidden under 0.1 % coverage, sorted, top 50. */
export function shownSignals(signals, { category, kind, sortKey, sortDirection }) {
  const direction = sortDirection === 'asc' ? 1 : -1;
  const compare = (a, b) => {
    const [x, y] = [a[sortKey], b[sortKey]];
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order * direction || String(a.signal).localeCompare(String(b.signal));
  };
  return signals
    .filter((signal) => !category || signal.category === category)
    .filter((signal) => !kind || signal.kind === kind)
    .filter((signal) => signal.category_coverage >= MIN_CATEGORY_COVERAGE)
    .sort(compare)
    .slice(0, TOP_SIGNALS);
}

const cellsOf = (key, row, columns) => [
  { text: key },
  ...columns.map((column) => ({ text: formatMetric(column, row[column]), csv: row[column] })),
];

/**
 * Model insights (`/reports/model-insights?month=YYYY-MM`, default three months ago): the
 * backtest of the run as of the month's first day against the next three months' relevant
 * opportunities — account behaviour (chart and table), identification rate, AUC, account and
 * contact fit, contact behaviour, and the signals (sort, filter, top 50).
 */
export default class ModelInsights extends LightningElement {
  @api client;
  report;
  error;
  loading = false;
  month;
  category = '';
  kind = '';
  sortKey = 'rate';
  sortDirection = 'desc';
  _query = '';

  @api
  get query() {
    return this._query;
  }
  set query(value) {
    this._query = value || '';
    const month = new URLSearchParams(this._query).get('month');
    this.month = /^\d{4}-\d{2}$/.test(month || '') ? month : monthOffset(new Date(), -3);
    if (this.client) {
      this.load();
    }
  }

  connectedCallback() {
    if (!this.month) {
      this.month = monthOffset(new Date(), -3);
    }
    if (!this.report && !this.loading) {
      this.load();
    }
  }

  async load() {
    const month = this.month;
    this.loading = true;
    this.error = undefined;
    try {
      const report = await this.client.call((token) => fetchModelInsights(month, token));
      if (month === this.month) {
        this.report = report;
      }
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
  }

  handleMonth(event) {
    const month = event.target.value;
    if (/^\d{4}-\d{2}$/.test(month)) {
      this.dispatchEvent(
        new CustomEvent('navigate', {
          detail: { path: `/reports/model-insights?month=${month}`, replace: true },
        }),
      );
    }
  }

  handleBack(event) {
    event.preventDefault();
    this.dispatchEvent(new CustomEvent('navigate', { detail: { path: '/reports' } }));
  }

  get windowText() {
    const { window: w } = this.report.parameters;
    return `Scores as of ${this.report.run.asOf} (run ${this.report.run.runId}); relevant opportunities opened from ${w.start} to before ${w.end}`;
  }
  get hasNotes() {
    return this.report.notes && this.report.notes.length > 0;
  }
  get notes() {
    return this.report.notes.map((text, index) => ({ key: index, text }));
  }
  get identificationRate() {
    return formatPercent(this.report.identification_rate);
  }
  get aucText() {
    const { auc } = this.report;
    return typeof auc === 'number' ? auc.toFixed(3) : '—';
  }
  get aucInterval() {
    const ci = this.report.auc_ci;
    return Array.isArray(ci) && typeof ci[0] === 'number'
      ? `95% interval ${ci[0].toFixed(3)} – ${ci[1].toFixed(3)}`
      : '';
  }
  get behaviorSpec() {
    return behaviorChart(this.report);
  }

  /** A per-stage (band, grade) table; `share` is of accounts, or of people in the contact tables. */
  table(data, order, field, firstLabel) {
    const entries = entriesOf(data, order, field);
    const keys = entries.length ? Object.keys(entries[0][1]).filter((key) => key !== field) : [];
    return {
      columns: [
        { key: field, label: firstLabel },
        ...keys.map((key) => ({
          key,
          label: key === 'share' && keys.includes('people') ? 'Share of people' : COLUMN_LABELS[key] || key,
          numeric: true,
        })),
      ],
      rows: entries.map(([key, row]) => ({ key, cells: cellsOf(key, row, keys) })),
    };
  }
  get behaviorTable() {
    return this.table(this.report.account_behavior, BUYING_STAGES, 'stage', 'Buying stage');
  }
  get accountFitTable() {
    return this.table(this.report.account_fit, FIT_BANDS, 'band', 'Profile fit');
  }
  get contactBehaviorTable() {
    return this.table(this.report.contact_behavior, ENGAGEMENT_GRADES, 'grade', 'Engagement grade');
  }
  get contactFitTable() {
    return this.table(this.report.contact_fit, FIT_BANDS, 'band', 'Profile fit');
  }

  get kindOptions() {
    const kinds = [...new Set(this.report.signals.map((signal) => signal.kind))];
    return [{ label: 'All types', value: '' }, ...kinds.map((value) => ({ label: value, value }))].map(
      (option) => ({ ...option, selected: option.value === this.kind }),
    );
  }
  /** The categories of the chosen type (all when none is chosen). */
  get categoryOptions() {
    const categories = [
      ...new Set(
        this.report.signals.filter((s) => !this.kind || s.kind === this.kind).map((s) => s.category),
      ),
    ];
    return [
      { label: 'All categories', value: '' },
      ...categories.map((value) => ({ label: value, value })),
    ].map((option) => ({ ...option, selected: option.value === this.category }));
  }
  get signalColumns() {
    return SIGNAL_COLUMNS.map((column) => ({ ...column, sortable: true }));
  }
  get signalRows() {
    return shownSignals(this.report.signals, this).map((signal) => ({
      key: `${signal.category}:${signal.kind}:${signal.signal}`,
      cells: SIGNAL_COLUMNS.map((column) => ({
        text: formatMetric(column.key, signal[column.key]),
        csv: signal[column.key],
      })),
    }));
  }
  get signalsSummary() {
    const hidden = this.report.signals.filter((s) => s.category_coverage < MIN_CATEGORY_COVERAGE).length;
    return `${formatNumber(this.report.signals.length)} signals; the top ${TOP_SIGNALS} shown, ${formatNumber(hidden)} under 0.1% category coverage hidden`;
  }

  handleKind(event) {
    this.kind = event.target.value;
    this.category = '';
  }
  handleCategory(event) {
    this.category = event.target.value;
  }
  handleSort(event) {
    const { key } = event.detail;
    if (key === this.sortKey) {
      this.sortDirection = this.sortDirection === 'asc' ? 'desc' : 'asc';
    } else {
      this.sortKey = key;
      this.sortDirection = SIGNAL_COLUMNS.find((c) => c.key === key).numeric ? 'desc' : 'asc';
    }
  }
}
