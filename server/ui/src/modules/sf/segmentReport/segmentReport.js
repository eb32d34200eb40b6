import { LightningElement, api } from 'lwc';
import { fetchSegments } from 'sf/segmentsApi';
import {
  defaultTimeframes,
  fetchSegmentPerformance,
  parseSegmentReportQuery,
  segmentReportQuery,
} from 'sf/reportsApi';
import { formatNumber, formatUsd, plural, sourceLabel, typeLabel } from 'sf/format';
import { BUYING_STAGES } from 'sf/vocabulary';
import { CHART_COLORS } from 'sf/reportChart';

/** Accounts without a score in a timeframe's runs: their own bucket, below Target. */
const NOT_SCORED = 'not_scored';
const STAGE_KEYS = [NOT_SCORED, ...BUYING_STAGES];
const STATE_LABELS = Object.freeze({
  not_scored: 'Not scored',
  no_engagement: 'No engagement',
  intent: 'Intent',
  anonymous_web_visit: 'Anonymous web visit',
  known_engagement: 'Known engagement',
  opportunity_opened: 'Opportunity opened',
  opportunity_won: 'Opportunity won',
});
const PANEL_LABELS = Object.freeze({
  intent: 'Intent',
  reached: 'Reached',
  engaged: 'Engaged',
  marketing_reached: 'Marketing reached',
  marketing_engaged: 'Marketing engaged',
  sales_reached: 'Sales reached',
  sales_engaged: 'Sales engaged',
});
const METRIC_LABELS = Object.freeze({
  total: 'Total',
  web_visit_anonymous: 'Anonymous web visit',
  web_visit_known: 'Known web visit',
});
const OTHER_SOURCES = 'Other sources';
const COHORT_LABELS = Object.freeze({
  today: 'Accounts in the segments today',
  baseline: 'Accounts in the segments in the baseline timeframe',
  analysis: 'Accounts in the segments in the analysis timeframe',
});

const label = (labels, key) =>
  labels[key] ||
  String(key)
    .replace(/_/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());
/** The reports' team view: the sales panels, and marketing's (intent included). */
export const teamOf = (panel) => (String(panel).startsWith('sales') ? 'Sales' : 'Marketing');

/** `▲ 25.0%`, `▼ 20.0%`, `0.0%`; `new` when the baseline had none (change_pct null). */
export function changeText(row) {
  if (row.change_pct === null || row.change_pct === undefined) {
    return row.analysis_accounts > 0 ? 'new' : '—';
  }
  const text = `${Math.abs(row.change_pct).toFixed(1)}%`;
  if (row.change_pct > 0) {
    return `▲ ${text}`;
  }
  return row.change_pct < 0 ? `▼ ${text}` : text;
}

/** The key of an activity row in drill-downs: `<panel>.<metric>[.<source>]`. */
const activityKey = (row) => [row.panel, row.metric, row.source].filter(Boolean).join('.');

const metricLabel = (row) => {
  const metric = METRIC_LABELS[row.metric] || typeLabel(row.metric);
  const source = row.source === 'other' ? OTHER_SOURCES : sourceLabel(row.source);
  return row.source ? `${metric} · ${source}` : metric;
};

/** The categories of the distribution in order: the stages, or the states as the report lists them. */
export function distributionKeys(report) {
  return report.parameters && report.parameters.type === 'engagement'
    ? Object.keys(report.distribution)
    : STAGE_KEYS.filter((stage) => stage in report.distribution);
}

/** The grouped-bar chart of the distribution: baseline and analysis accounts per stage or state. */
export function distributionChart(report) {
  const keys = distributionKeys(report);
  const side = (which) => keys.map((key) => report.distribution[key][which].accounts);
  // Pipeline and won where the stage or state carries them (null: not for this state).
  const money = (cell) =>
    [
      cell.pipeline_amount === null
        ? null
        : `pipeline ${formatUsd(cell.pipeline_amount)} (${formatNumber(cell.pipeline_count)})`,
      cell.won_amount === null ? null : `won ${formatUsd(cell.won_amount)} (${formatNumber(cell.won_count)})`,
    ]
      .filter(Boolean)
      .join(', ') || 'no amounts';
  return {
    labels: keys.map((key) => label(STATE_LABELS, key)),
    datasets: [
      { kind: 'bar', label: 'Baseline', data: side('baseline'), color: CHART_COLORS.baseline },
      { kind: 'bar', label: 'Analysis', data: side('analysis'), color: CHART_COLORS.analysis },
    ],
    axes: { y: { title: 'Accounts' } },
    footers: keys.map((key) => [
      `Baseline: ${money(report.distribution[key].baseline)}`,
      `Analysis: ${money(report.distribution[key].analysis)}`,
    ]),
  };
}

/** A count or an amount; null where a state carries no amounts (shown as a dash, empty in CSV). */
const NO_AMOUNT = Object.freeze({ text: '—', csv: '' });
function countCell(value, drill) {
  return value === null || value === undefined ? NO_AMOUNT : { text: formatNumber(value), csv: value, drill };
}
function usdCell(value) {
  return value === null || value === undefined ? NO_AMOUNT : { text: formatUsd(value), csv: value };
}

/**
 * The segment performance report (`/reports/segment-performance?…`, the API's own query): its
 * configuration panel (open until the report is configured) and the report — summary tiles, the
 * distribution chart and table, the movement heat table (stage analysis), activities by source
 * (by activity type or by team), the notes; every number with accounts behind it opens them.
 */
export default class SegmentReport extends LightningElement {
  @api client;
  segments = [];
  segmentsError;
  settings;
  draft;
  configOpen = false;
  configError;
  report;
  loading = false;
  error;
  view = 'type';
  drill;
  _query = '';

  @api
  get query() {
    return this._query;
  }
  set query(value) {
    this._query = value || '';
    this.settings = parseSegmentReportQuery(this._query, new Date());
    this.draft = { ...this.settings };
    this.configOpen = this.settings.segments.length === 0;
    this.report = undefined;
    if (this.settings.segments.length > 0 && this.client) {
      this.loadReport();
    }
  }

  connectedCallback() {
    this.loadSegments();
    if (this.settings && this.settings.segments.length > 0 && !this.report && !this.loading) {
      this.loadReport();
    }
  }

  async loadSegments() {
    try {
      const answer = await this.client.call((token) => fetchSegments(token));
      this.segments = answer.segments;
    } catch (error) {
      this.segmentsError = error.message;
    }
  }

  async loadReport() {
    const query = segmentReportQuery(this.settings);
    this.loading = true;
    this.error = undefined;
    try {
      const report = await this.client.call((token) => fetchSegmentPerformance(query, token));
      if (query === segmentReportQuery(this.settings)) {
        this.report = report;
      }
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
  }

  // ----- configuration -----

  get segmentOptions() {
    return this.segments.map((segment) => ({
      id: String(segment.id),
      inputId: `segment-${segment.id}`,
      name: segment.name,
      checked: this.draft.segments.includes(String(segment.id)) || this.draft.segments.includes(segment.name),
    }));
  }
  get isRange() {
    return this.draft.mode === 'range';
  }
  get modeOptions() {
    return [
      { label: 'One month to another', value: 'month' },
      { label: 'A range of months to another', value: 'range' },
    ].map((option) => ({
      ...option,
      inputId: `mode-${option.value}`,
      checked: this.draft.mode === option.value,
    }));
  }
  get typeOptions() {
    return [
      { label: 'Buying stage', value: 'stage' },
      { label: 'Engagement', value: 'engagement' },
    ].map((option) => ({
      ...option,
      inputId: `type-${option.value}`,
      checked: this.draft.type === option.value,
    }));
  }
  get cohortOptions() {
    return Object.entries(COHORT_LABELS).map(([value, text]) => ({
      label: text,
      value,
      selected: this.draft.cohort === value,
    }));
  }
  get opportunityOptions() {
    return [
      { field: 'excludeZeroAmount', label: 'Exclude opportunities with a blank or zero amount' },
      { field: 'excludeIrrelevant', label: 'Exclude irrelevant opportunities' },
    ].map((option) => ({ ...option, checked: !!this.draft[option.field] }));
  }
  get baselineFrom() {
    return this.draft.baseline.split('..')[0];
  }
  get baselineTo() {
    return this.draft.baseline.split('..').pop();
  }
  get analysisFrom() {
    return this.draft.analysis.split('..')[0];
  }
  get analysisTo() {
    return this.draft.analysis.split('..').pop();
  }
  get configToggleLabel() {
    return this.configOpen ? 'Hide configuration' : 'Configure';
  }

  handleToggleConfig() {
    this.configOpen = !this.configOpen;
  }

  handleSegmentToggle(event) {
    const id = event.target.dataset.segment;
    const others = this.draft.segments.filter((value) => value !== id);
    this.draft = { ...this.draft, segments: event.target.checked ? [...others, id] : others };
  }

  handleMode(event) {
    const mode = event.target.value;
    this.draft = { ...this.draft, mode, ...defaultTimeframes(new Date(), mode) };
  }

  handleMonth(event) {
    const { side, end } = event.target.dataset;
    const [from, to] = [this.draft[side].split('..')[0], this.draft[side].split('..').pop()];
    const value = event.target.value;
    const next = this.isRange ? (end === 'to' ? `${from}..${value}` : `${value}..${to}`) : value;
    this.draft = { ...this.draft, [side]: next };
  }

  handleChoice(event) {
    this.draft = { ...this.draft, [event.target.dataset.field]: event.target.value };
  }

  handleOption(event) {
    this.draft = { ...this.draft, [event.target.dataset.field]: event.target.checked };
  }

  handleApply() {
    const { draft } = this;
    const last = (timeframe) => timeframe.split('..').pop();
    const first = (timeframe) => timeframe.split('..')[0];
    if (draft.segments.length === 0) {
      this.configError = 'Choose at least one segment.';
      return;
    }
    if (
      [draft.baseline, draft.analysis].some(
        (t) => !/^\d{4}-\d{2}(\.\.\d{4}-\d{2})?$/.test(t) || first(t) > last(t),
      )
    ) {
      this.configError = 'Each timeframe needs its months, the first not after the last.';
      return;
    }
    if (first(draft.analysis) <= last(draft.baseline)) {
      this.configError = 'The analysis timeframe must come after the baseline timeframe.';
      return;
    }
    this.configError = undefined;
    const path = `/reports/segment-performance?${segmentReportQuery(draft)}`;
    this.dispatchEvent(new CustomEvent('navigate', { detail: { path } }));
  }

  // ----- the report -----

  get isStage() {
    return this.report && this.report.parameters.type !== 'engagement';
  }
  get title() {
    return this.report && this.report.parameters.type === 'engagement'
      ? 'Engagement analysis'
      : 'Buying stage analysis';
  }
  get segmentNames() {
    return this.report.parameters.segments.map((segment) => segment.name).join(', ');
  }
  get timeframesText() {
    const timeframe = (t) => (t.from === t.to ? t.from : `${t.from} – ${t.to}`);
    const { baseline, analysis, cohort } = this.report.parameters;
    return `Baseline ${timeframe(baseline)} · Analysis ${timeframe(analysis)} · ${COHORT_LABELS[cohort] || cohort}`;
  }
  get hasNotes() {
    return this.report.notes && this.report.notes.length > 0;
  }
  get notes() {
    return this.report.notes.map((text, index) => ({ key: index, text }));
  }

  get tiles() {
    const s = this.report.summary;
    const moved = this.isStage ? 'buying stage' : 'engagement';
    return [
      { key: 'accounts', label: 'Total accounts', value: formatNumber(s.accounts) },
      { key: 'increased', label: `Increased ${moved}`, value: formatNumber(s.increased) },
      { key: 'decreased', label: `Decreased ${moved}`, value: formatNumber(s.decreased) },
      { key: 'unchanged', label: 'Unchanged', value: formatNumber(s.unchanged) },
      {
        key: 'pipeline',
        label: 'New pipeline (USD)',
        value: formatUsd(s.pipeline_amount),
        detail: plural(s.pipeline_count, 'opportunity', 'opportunities'),
      },
      {
        key: 'won',
        label: 'Won (USD)',
        value: formatUsd(s.won_amount),
        detail: plural(s.won_count, 'opportunity', 'opportunities'),
      },
    ];
  }

  get distributionSpec() {
    return distributionChart(this.report);
  }
  get distributionLabel() {
    return `${this.isStage ? 'Accounts by buying stage' : 'Accounts by engagement state'}, baseline and analysis timeframes`;
  }
  get distributionColumns() {
    const sides = ['Baseline', 'Analysis'].flatMap((side) => [
      { key: `${side}.accounts`, label: `${side} accounts`, numeric: true },
      { key: `${side}.pipeline_count`, label: `${side} opportunities created`, numeric: true },
      { key: `${side}.pipeline_amount`, label: `${side} new pipeline (USD)`, numeric: true },
      { key: `${side}.won_count`, label: `${side} opportunities won`, numeric: true },
      { key: `${side}.won_amount`, label: `${side} won (USD)`, numeric: true },
    ]);
    return [{ key: 'key', label: this.isStage ? 'Buying stage' : 'Engagement state' }, ...sides];
  }
  get distributionRows() {
    return distributionKeys(this.report).map((key) => {
      const row = this.report.distribution[key];
      const side = (which) => [
        countCell(row[which].accounts, `${which}.${key}`),
        countCell(row[which].pipeline_count),
        usdCell(row[which].pipeline_amount),
        countCell(row[which].won_count),
        usdCell(row[which].won_amount),
      ];
      return { key, cells: [{ text: label(STATE_LABELS, key) }, ...side('baseline'), ...side('analysis')] };
    });
  }

  get movementColumns() {
    return [
      { key: 'from', label: 'Baseline stage \u2192 analysis stage' },
      ...BUYING_STAGES.map((stage) => ({ key: stage, label: stage, numeric: true })),
    ];
  }
  get movementRows() {
    const { movement } = this.report;
    const max = Math.max(
      1,
      ...BUYING_STAGES.flatMap((from) => BUYING_STAGES.map((to) => (movement[from] || {})[to] || 0)),
    );
    return BUYING_STAGES.map((from) => ({
      key: from,
      cells: [
        { text: from },
        ...BUYING_STAGES.map((to) => {
          const count = (movement[from] || {})[to] || 0;
          return { ...countCell(count, `${from}.${to}`), heat: count / max };
        }),
      ],
    }));
  }

  get activityColumns() {
    return [
      { key: 'metric', label: 'Activity' },
      { key: 'baseline', label: 'Baseline accounts', numeric: true },
      { key: 'analysis', label: 'Analysis accounts', numeric: true },
      { key: 'change', label: 'Change', numeric: true },
      { key: 'pipeline', label: 'New pipeline (USD)', numeric: true },
      { key: 'won', label: 'Won (USD)', numeric: true },
    ];
  }
  activityRow(row, name) {
    const key = activityKey(row);
    return {
      key,
      cells: [
        { text: name },
        countCell(row.baseline_accounts, `baseline.${key}`),
        countCell(row.analysis_accounts, `analysis.${key}`),
        { text: changeText(row), csv: row.change_pct === null ? '' : row.change_pct },
        usdCell(row.pipeline_amount),
        usdCell(row.won_amount),
      ],
    };
  }
  get isTypeView() {
    return this.view === 'type';
  }
  /**
   * A table per panel: by team, the report's `activities` (intent and marketing reached and
   * engaged for marketing, sales reached and engaged for sales); by activity type, its
   * `activities_by_type` (intent, reached, engaged: marketing and sales together).
   */
  get activityTables() {
    const byType = this.view === 'type' && this.report.activities_by_type;
    const rows = byType || this.report.activities;
    const panels = [...new Set(rows.map((row) => row.panel))];
    return panels.map((panel) => ({
      key: panel,
      caption: byType ? label(PANEL_LABELS, panel) : `${teamOf(panel)}: ${label(PANEL_LABELS, panel)}`,
      fileName: `segment-performance-activities-${panel}.csv`,
      rows: rows.filter((row) => row.panel === panel).map((row) => this.activityRow(row, metricLabel(row))),
    }));
  }

  handleView(event) {
    this.view = event.target.dataset.view;
  }

  handleTileDrill(event) {
    const { key, label: text } = event.currentTarget.dataset;
    this.drill = { table: 'summary', key, label: text };
  }

  handleDrill(event) {
    const table = event.currentTarget.dataset.table;
    this.drill = { table, key: event.detail.key, label: event.detail.label };
  }

  handleCloseDrill() {
    this.drill = undefined;
  }

  get isTeamView() {
    return this.view === 'team';
  }
  get rangeFromSuffix() {
    return this.isRange ? ' from' : '';
  }

  handleBack(event) {
    event.preventDefault();
    this.dispatchEvent(new CustomEvent('navigate', { detail: { path: '/reports' } }));
  }

  handleNavigate(event) {
    this.dispatchEvent(new CustomEvent('navigate', { detail: event.detail }));
  }

  get reportQuery() {
    return segmentReportQuery(this.settings);
  }
}
