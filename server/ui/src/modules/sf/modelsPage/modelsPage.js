import { LightningElement, api } from 'lwc';
import { ApiError } from 'sf/api';
import { fetchScoringStatus } from 'sf/accountsApi';
import {
  POSTPONE_DAYS,
  addDays,
  approveModels,
  aucText,
  byKind,
  countOf,
  fetchModelComparison,
  fetchModels,
  fetchPendingModels,
  intervalText,
  kindLabel,
  postponeModels,
  qualifiedChangeText,
  rejectModels,
  rollbackModels,
  rollbackTargets,
  trainedText,
  versionsText,
} from 'sf/modelsApi';
import { formatDate, formatNumber, formatPercent, plural } from 'sf/format';
import { BUYING_STAGES, FIT_BANDS } from 'sf/vocabulary';
import { CHART_COLORS } from 'sf/reportChart';
import { entriesOf, formatMetric } from 'sf/modelInsights';

/** The matrices' key of a stage or fit a side did not score (docs/models.md "Comparison"). */
const NONE = 'none';
const NOT_SCORED = 'Not scored';
const STATE_LABELS = Object.freeze({
  active: 'Active',
  candidate: 'Candidate',
  rejected: 'Rejected',
  retired: 'Retired',
});
const STATE_BADGES = Object.freeze({
  active: 'slds-badge slds-theme_success',
  candidate: 'slds-badge slds-badge_lightest',
  rejected: 'slds-badge slds-theme_error',
  retired: 'slds-badge',
});
const METRIC_LABELS = Object.freeze({
  accounts: 'Accounts',
  share: 'Share of accounts',
  opportunity_share: 'Share of opportunities',
  converters: 'Converters',
  conversion: 'Conversion',
  lift: 'Lift',
});
const STAGE_METRICS = ['accounts', 'share', 'opportunity_share', 'converters', 'conversion', 'lift'];
const FIT_METRICS = ['accounts', 'share', 'opportunity_share', 'conversion', 'lift'];
const FIELD_LABELS = Object.freeze({ stage: 'Buying stage', fit: 'Profile fit' });

const capitalized = (text) => text.charAt(0).toUpperCase() + text.slice(1);
/** The verb for one version or several ("becomes" / "become"). */
const verb = (ids, one, many) => (ids.length === 1 ? one : many);
const todayUtc = () => new Date().toISOString().slice(0, 10);
const keyLabel = (key) => (key === NONE ? NOT_SCORED : key);
/** A side's figures per profile-fit band (`account_fit`, as model insights names them). */
const fitOf = (side) => side.account_fit || side.fit;
/** "55% active · 60% candidate". */
const pairText = (active, candidate) => `${active} active · ${candidate} candidate`;

/** The per-stage (per-band) table of both sides: each metric's active column, then the candidate's. */
function pairedTable(active, candidate, order, field, firstLabel, metrics) {
  const activeRows = new Map(entriesOf(active, order, field));
  const candidateRows = new Map(entriesOf(candidate, order, field));
  const keys = [...new Set([...activeRows.keys(), ...candidateRows.keys()])];
  const ordered = entriesOf(Object.fromEntries(keys.map((key) => [key, {}])), order, field).map(([k]) => k);
  const columns = [{ key: field, label: firstLabel }];
  for (const metric of metrics) {
    columns.push({ key: `${metric}:active`, label: `${METRIC_LABELS[metric]}, active`, numeric: true });
    columns.push({ key: `${metric}:candidate`, label: `${METRIC_LABELS[metric]}, candidate`, numeric: true });
  }
  const cell = (row, metric) => {
    const value = row ? row[metric] : undefined;
    return { text: formatMetric(metric, value), csv: value };
  };
  return {
    columns,
    rows: ordered.map((key) => ({
      key,
      cells: [
        { text: key },
        ...metrics.flatMap((metric) => [
          cell(activeRows.get(key), metric),
          cell(candidateRows.get(key), metric),
        ]),
      ],
    })),
  };
}

/** The keys of a transition matrix: the vocabulary's order, others after it, `none` last when any account has it. */
function matrixKeys(matrix, order) {
  const seen = new Set();
  for (const [from, row] of Object.entries(matrix)) {
    for (const [to, count] of Object.entries(row || {})) {
      if (count > 0) {
        seen.add(from);
        seen.add(to);
      }
    }
  }
  const others = [...seen].filter((key) => !order.includes(key) && key !== NONE).sort();
  return [...order, ...others, ...(seen.has(NONE) ? [NONE] : [])];
}

/**
 * The Models page (`/models`, `models.view`; docs/models.md): the active and the candidate
 * versions side by side, the candidate's roll-out date, the comparison (per stage and fit band,
 * the qualified-account impact, the two transition matrices with drill-downs to the accounts),
 * Approve, Postpone, Reject and Roll back for `models.manage` (each after a confirmation that
 * says what will change), and every version's history.
 */
export default class ModelsPage extends LightningElement {
  @api client;
  /** `{ [action]: boolean }` of GET /api/session. */
  @api can = {};

  loading = true;
  error;
  versions = [];
  pending = null;
  comparison = null;
  /** Why there is no comparison: `{ code, message }` of the service's answer. */
  comparisonProblem = null;
  /** The day of the current scoring run (the one an approval or a roll-back rescores). */
  currentDay = null;
  notice;
  actionError;
  /** The confirmation open: `{ action, heading, message, confirmLabel, variant }`. */
  dialog = null;
  busy = false;
  postponeDays = String(POSTPONE_DAYS.default);
  /** The drill-down open: `{ filter, label }`. */
  drill = null;
  _returnFocus;

  connectedCallback() {
    this.load();
  }

  async load() {
    const call = (request) => this.client.call(request);
    const [versions, pending, comparison, status] = await Promise.allSettled([
      call((token) => fetchModels(token)),
      call((token) => fetchPendingModels(token)),
      call((token) => fetchModelComparison(token)),
      call((token) => fetchScoringStatus(token)),
    ]);
    this.loading = false;
    if (versions.status === 'rejected') {
      this.error = versions.reason.message;
      return;
    }
    this.error = undefined;
    this.versions = versions.value;
    this.pending = pending.status === 'fulfilled' && pending.value ? pending.value : null;
    if (pending.status === 'rejected' && !isNotFound(pending.reason)) {
      this.error = pending.reason.message;
    }
    if (comparison.status === 'fulfilled') {
      this.comparison = comparison.value;
      this.comparisonProblem = null;
    } else {
      const reason = comparison.reason;
      this.comparison = null;
      this.comparisonProblem = {
        code: reason instanceof ApiError ? reason.code : 'internal_error',
        message: reason.message,
      };
    }
    const lastRun = status.status === 'fulfilled' && status.value && status.value.lastRun;
    this.currentDay = (lastRun && lastRun.asOf) || null;
  }

  // ---- state --------------------------------------------------------------------------------

  get isReady() {
    return !this.loading && !this.error;
  }
  get canManage() {
    return !!(this.can && this.can['models.manage']);
  }
  get activeVersions() {
    return byKind(this.versions.filter((row) => row.state === 'active'));
  }
  /**
   * The pending training's versions, from the list (which has their intervals) or the pending
   * answer; without a pending answer, the candidate versions of the comparison's training.
   */
  get candidateVersions() {
    if (this.pending) {
      const fromList = this.versions.filter((row) => row.training_id === this.pending.trainingId);
      return byKind(fromList.length ? fromList : this.pending.versions || []);
    }
    const compared = this.comparison && this.comparison.candidate;
    if (!compared) {
      return [];
    }
    return byKind(
      this.versions.filter((row) => row.training_id === compared.training_id && row.state === 'candidate'),
    );
  }
  get hasCandidate() {
    return this.candidateVersions.length > 0;
  }
  get hasActive() {
    return this.activeVersions.length > 0;
  }
  get noCandidate() {
    return !this.hasCandidate;
  }
  get hasComparison() {
    return !!this.comparison && this.hasCandidate;
  }
  /** A comparison refused for another reason than "no candidate" (409: score first). */
  get comparisonRefused() {
    return this.hasCandidate && !!this.comparisonProblem && this.comparisonProblem.code !== 'not_found';
  }
  get comparisonRefusedText() {
    return this.comparisonProblem ? `No comparison yet: ${this.comparisonProblem.message}` : '';
  }
  get candidateIds() {
    return this.candidateVersions.map((row) => row.id);
  }
  get activeIds() {
    return this.activeVersions.map((row) => row.id);
  }
  get rollbackVersions() {
    return rollbackTargets(this.versions);
  }
  get canRollBack() {
    return this.canManage && this.hasActive && this.rollbackVersions.length > 0;
  }
  get showCandidateActions() {
    return this.canManage && this.hasCandidate;
  }
  get showActions() {
    return this.showCandidateActions || this.canRollBack;
  }
  get rolloutOn() {
    if (this.pending) {
      return this.pending.rolloutOn || null;
    }
    const [first] = this.candidateVersions;
    return (first && first.rollout_on) || null;
  }

  // ---- the two sides ------------------------------------------------------------------------

  versionRows(rows) {
    return rows.map((row) => ({
      key: row.id,
      kind: kindLabel(row.kind),
      version: `#${row.id}`,
      trained: formatDate(row.trained_as_of),
      method: row.method || '—',
      aucValue: typeof row.auc === 'number' ? row.auc.toFixed(3) : '—',
      // On its own line under the AUC; the space keeps the two apart for screen readers.
      aucInterval: intervalText(row.auc_ci) ? ` ${intervalText(row.auc_ci)}` : '',
      identification: formatPercent(row.identification_rate),
    }));
  }
  /** The two sides, active then candidate (when there is one), each with its versions per kind. */
  get sides() {
    const sides = [
      {
        key: 'active',
        heading: 'Active versions',
        summary: this.activeSummary,
        rows: this.versionRows(this.activeVersions),
      },
    ];
    if (this.hasCandidate) {
      sides.push({
        key: 'candidate',
        heading: 'Candidate versions',
        summary: this.candidateSummary,
        rows: this.versionRows(this.candidateVersions),
      });
    }
    return sides.map((side) => ({
      ...side,
      summaryId: `${side.key}-summary`,
      hasRows: side.rows.length > 0,
    }));
  }
  get activeSummary() {
    return this.hasActive
      ? `${capitalized(versionsText(this.activeIds))}, ${trainedText(this.activeVersions)}`
      : 'None yet: the first scoring run trains and activates them.';
  }
  get candidateSummary() {
    return `${capitalized(versionsText(this.candidateIds))}, ${trainedText(this.candidateVersions)}`;
  }
  get rolloutText() {
    const versions = capitalized(versionsText(this.candidateIds));
    const trained = trainedText(this.candidateVersions);
    if (!this.rolloutOn) {
      return `${versions} (${trained}) wait for a decision: they roll out only when approved.`;
    }
    return `${versions} (${trained}) ${verb(this.candidateIds, 'rolls', 'roll')} out on ${formatDate(this.rolloutOn)} unless postponed or rejected.`;
  }
  get announcedText() {
    const { announcedAt, remindedAt } = this.pending || {};
    const parts = [];
    if (announcedAt) {
      parts.push(`Announced to the Admins on ${formatDate(announcedAt)}`);
    }
    if (remindedAt) {
      parts.push(`last reminder on ${formatDate(remindedAt)}`);
    }
    return parts.length ? `${parts.join('; ')}.` : '';
  }

  // ---- the comparison -----------------------------------------------------------------------

  get metrics() {
    return this.comparison.metrics || {};
  }
  get sideMetrics() {
    const { active = {}, candidate = {} } = this.metrics;
    return { active, candidate };
  }
  get backtestText() {
    const b = this.metrics.backtest;
    if (!b) {
      return '';
    }
    return `Backtest: both versions score the accounts as of ${formatDate(b.scored_as_of)} and are judged on the relevant opportunities opened until ${formatDate(b.outcomes_until)}: ${plural(b.accounts, 'account', 'accounts')}, ${plural(b.converters, 'converter', 'converters')}, ${plural(b.opportunities, 'opportunity', 'opportunities')}.`;
  }
  /** Which side's training saw part of the window (its figures lean in its favour), and when it was compared. */
  get backtestNote() {
    const note = this.metrics.backtest && this.metrics.backtest.note;
    const parts = [];
    if (note) {
      parts.push(`${note.charAt(0).toUpperCase()}${note.slice(1)}.`);
    }
    if (this.comparison.compared_at) {
      parts.push(`Compared on ${formatDate(this.comparison.compared_at)}.`);
    }
    return parts.join(' ');
  }
  get identificationText() {
    const { active, candidate } = this.sideMetrics;
    return pairText(formatPercent(active.identification_rate), formatPercent(candidate.identification_rate));
  }
  get aucPairText() {
    const { active, candidate } = this.sideMetrics;
    return pairText(aucText(active.auc, active.auc_ci), aucText(candidate.auc, candidate.auc_ci));
  }
  stageRows(side) {
    return entriesOf(this.sideMetrics[side].account_behavior, BUYING_STAGES, 'stage');
  }
  /** Share of accounts (bars) and of opportunities (lines) per stage, both sides. */
  get shareSpec() {
    const active = this.stageRows('active');
    const candidate = new Map(this.stageRows('candidate'));
    const labels = active.map(([stage]) => stage);
    const of = (rows, field) => rows.map(([, row]) => (row ? row[field] : null));
    const candidateRows = labels.map((stage) => [stage, candidate.get(stage)]);
    return {
      labels,
      datasets: [
        { kind: 'bar', label: 'Accounts, active', data: of(active, 'share'), color: CHART_COLORS.baseline },
        {
          kind: 'bar',
          label: 'Accounts, candidate',
          data: of(candidateRows, 'share'),
          color: CHART_COLORS.analysis,
        },
        {
          kind: 'line',
          label: 'Opportunities, active',
          data: of(active, 'opportunity_share'),
          color: CHART_COLORS.secondLine,
        },
        {
          kind: 'line',
          label: 'Opportunities, candidate',
          data: of(candidateRows, 'opportunity_share'),
          color: CHART_COLORS.line,
        },
      ],
      axes: { y: { title: 'Share', percent: true } },
    };
  }
  /** Conversion (bars) and lift (lines) per stage, both sides. */
  get conversionSpec() {
    const active = this.stageRows('active');
    const candidate = new Map(this.stageRows('candidate'));
    const labels = active.map(([stage]) => stage);
    const candidateRows = labels.map((stage) => [stage, candidate.get(stage)]);
    const of = (rows, field) => rows.map(([, row]) => (row ? row[field] : null));
    return {
      labels,
      datasets: [
        {
          kind: 'bar',
          label: 'Conversion, active',
          data: of(active, 'conversion'),
          color: CHART_COLORS.baseline,
        },
        {
          kind: 'bar',
          label: 'Conversion, candidate',
          data: of(candidateRows, 'conversion'),
          color: CHART_COLORS.analysis,
        },
        {
          kind: 'line',
          label: 'Lift, active',
          data: of(active, 'lift'),
          color: CHART_COLORS.secondLine,
          axis: 'y2',
        },
        {
          kind: 'line',
          label: 'Lift, candidate',
          data: of(candidateRows, 'lift'),
          color: CHART_COLORS.line,
          axis: 'y2',
        },
      ],
      axes: { y: { title: 'Conversion', percent: true }, y2: { title: 'Lift', percent: false } },
    };
  }
  get stageTable() {
    const { active, candidate } = this.sideMetrics;
    return pairedTable(
      active.account_behavior,
      candidate.account_behavior,
      BUYING_STAGES,
      'stage',
      'Buying stage',
      STAGE_METRICS,
    );
  }
  get fitTable() {
    const { active, candidate } = this.sideMetrics;
    return pairedTable(fitOf(active), fitOf(candidate), FIT_BANDS, 'band', 'Profile fit', FIT_METRICS);
  }

  get impact() {
    return this.comparison.qualified_impact || null;
  }
  get hasImpact() {
    return !!this.impact;
  }
  get impactView() {
    const impact = this.impact;
    const average = impact.average_qualified_per_day || {};
    const sampled = Array.isArray(average.days_sampled) ? average.days_sampled.length : average.days_sampled;
    /** An average to one decimal (the JSON's is unrounded). */
    const averageText = (value) => {
      return typeof value === 'number' ? formatNumber(Math.round(value * 10) / 10) : '—';
    };
    return {
      day: formatDate(impact.day),
      qualified: pairText(formatNumber(impact.active_qualified), formatNumber(impact.candidate_qualified)),
      becoming: formatNumber(countOf(impact.becoming_qualified)),
      stopping: formatNumber(countOf(impact.stopping_qualified)),
      becomingLabel: `${formatNumber(countOf(impact.becoming_qualified))} accounts become qualified: list them`,
      stoppingLabel: `${formatNumber(countOf(impact.stopping_qualified))} accounts stop being qualified: list them`,
      average: pairText(averageText(average.active), averageText(average.candidate)),
      sampledText:
        typeof sampled === 'number'
          ? `Qualified accounts per day under each version over the last 90 days, averaged over ${plural(sampled, 'sampled day', 'sampled days')}.`
          : 'Qualified accounts per day under each version over the last 90 days.',
    };
  }
  /** The spike against the usual level: the 90-day average and the roll-out day, both sides. */
  get impactSpec() {
    const impact = this.impact;
    const average = impact.average_qualified_per_day || {};
    return {
      labels: ['90-day average', `On ${formatDate(impact.day)}`],
      datasets: [
        {
          kind: 'bar',
          label: 'Qualified, active',
          data: [average.active, impact.active_qualified],
          color: CHART_COLORS.baseline,
        },
        {
          kind: 'bar',
          label: 'Qualified, candidate',
          data: [average.candidate, impact.candidate_qualified],
          color: CHART_COLORS.analysis,
        },
      ],
      axes: { y: { title: 'Qualified accounts', percent: false } },
    };
  }

  transitionTable(field) {
    const transitions = this.comparison.transitions || {};
    const matrix = transitions[field] || {};
    const keys = matrixKeys(matrix, field === 'stage' ? BUYING_STAGES : FIT_BANDS);
    const count = (from, to) => (matrix[from] && matrix[from][to]) || 0;
    const max = Math.max(1, ...keys.flatMap((from) => keys.map((to) => count(from, to))));
    const numberCell = (value, drill, heat) => ({
      text: formatNumber(value),
      csv: value,
      drill: value > 0 && drill ? drill : undefined,
      heat,
    });
    const rowTotal = (from) => keys.reduce((sum, to) => sum + count(from, to), 0);
    const columnTotal = (to) => keys.reduce((sum, from) => sum + count(from, to), 0);
    const all = keys.reduce((sum, from) => sum + rowTotal(from), 0);
    return {
      columns: [
        { key: 'from', label: `Active: ${FIELD_LABELS[field].toLowerCase()}` },
        ...keys.map((to) => ({ key: to, label: `Candidate: ${keyLabel(to)}`, numeric: true })),
        { key: 'all', label: 'All', numeric: true },
      ],
      rows: [
        ...keys.map((from) => ({
          key: from,
          cells: [
            { text: keyLabel(from) },
            ...keys.map((to) => numberCell(count(from, to), `${field}|${from}|${to}`, count(from, to) / max)),
            numberCell(rowTotal(from), `${field}|${from}|`),
          ],
        })),
        {
          key: 'all',
          cells: [
            { text: 'All' },
            ...keys.map((to) => numberCell(columnTotal(to), `${field}||${to}`)),
            numberCell(all),
          ],
        },
      ],
    };
  }
  get stageTransitions() {
    return this.transitionTable('stage');
  }
  get fitTransitions() {
    return this.transitionTable('fit');
  }

  // ---- the history --------------------------------------------------------------------------

  get historyRows() {
    return this.versions.map((row) => ({
      key: row.id,
      version: `#${row.id}`,
      kind: kindLabel(row.kind),
      trained: formatDate(row.trained_as_of),
      state: STATE_LABELS[row.state] || row.state,
      badge: STATE_BADGES[row.state] || 'slds-badge',
      method: row.method || '—',
      auc: aucText(row.auc, row.auc_ci),
      identification: formatPercent(row.identification_rate),
      changed: `${formatDate(row.state_changed_at)}${row.state_changed_by ? ` by ${row.state_changed_by}` : ''}`,
      rollout: row.state === 'candidate' && row.rollout_on ? formatDate(row.rollout_on) : '—',
    }));
  }
  get hasHistory() {
    return this.versions.length > 0;
  }

  // ---- actions ------------------------------------------------------------------------------

  get postponeDaysNumber() {
    const days = Number(this.postponeDays);
    return Number.isInteger(days) && days >= POSTPONE_DAYS.min && days <= POSTPONE_DAYS.max ? days : null;
  }
  get postponeInvalid() {
    return this.postponeDaysNumber === null;
  }
  get postponeFieldClass() {
    return `slds-form-element sf-models__days${this.postponeInvalid ? ' slds-has-error' : ''}`;
  }
  get postponeDisabled() {
    return this.busy || this.postponeInvalid;
  }
  get postponeMin() {
    return POSTPONE_DAYS.min;
  }
  get postponeMax() {
    return POSTPONE_DAYS.max;
  }

  /** "today's scores", "the scores as of Nov 19, 2026", or "the current scores". */
  get rescoredText() {
    const day = this.currentDay || (this.hasComparison && this.impact ? this.impact.day : null);
    if (!day) {
      return 'the current scores';
    }
    return day === todayUtc() ? "today's scores" : `the scores as of ${formatDate(day)}`;
  }

  /** What each action changes, in words (the confirmation's text). */
  dialogFor(action) {
    const candidate = versionsText(this.candidateIds);
    const active = versionsText(this.activeIds);
    const ids = this.candidateIds;
    if (action === 'approve') {
      const impact = this.hasComparison && this.impact;
      const change = impact
        ? `: ${qualifiedChangeText(countOf(impact.becoming_qualified), countOf(impact.stopping_qualified))}`
        : '';
      const retired = this.hasActive
        ? ` ${capitalized(active)} ${verb(this.activeIds, 'is', 'are')} retired; Roll back brings ${verb(this.activeIds, 'it', 'them')} back.`
        : '';
      return {
        heading: `Approve ${candidate}?`,
        message: `Approve: ${candidate} ${verb(ids, 'becomes', 'become')} active now; ${this.rescoredText} are recomputed with ${verb(ids, 'it', 'them')} and the changes are written back to Salesforce${change}.${retired}`,
        confirmLabel: 'Approve',
        variant: 'brand',
      };
    }
    if (action === 'postpone') {
      const days = this.postponeDaysNumber;
      const later = plural(days, 'day', 'days');
      const when = this.rolloutOn
        ? `on ${formatDate(addDays(this.rolloutOn, days))} instead of ${formatDate(this.rolloutOn)} (${later} later)`
        : `${later} later than planned`;
      const stays = this.hasActive
        ? `; ${active} ${verb(this.activeIds, 'stays', 'stay')} active until then`
        : '';
      return {
        heading: `Postpone ${candidate}?`,
        message: `Postpone: ${candidate} ${verb(ids, 'rolls', 'roll')} out ${when}${stays}.`,
        confirmLabel: 'Postpone',
        variant: 'brand',
      };
    }
    if (action === 'reject') {
      const stays = this.hasActive ? `; ${active} ${verb(this.activeIds, 'stays', 'stay')} active` : '';
      return {
        heading: `Reject ${candidate}?`,
        message: `Reject: ${candidate} ${verb(ids, 'is', 'are')} rejected and never ${verb(ids, 'rolls', 'roll')} out${stays}. ${capitalized(verb(ids, 'its', 'their'))} figures stay in the version history.`,
        confirmLabel: 'Reject',
        variant: 'destructive',
      };
    }
    const targets = this.rollbackVersions;
    const back = versionsText(targets.map((row) => row.id));
    return {
      heading: `Roll back ${active}?`,
      message: `Roll back: ${active} ${verb(this.activeIds, 'is', 'are')} set aside and ${back} (${trainedText(targets)}) ${verb(targets, 'becomes', 'become')} active again; ${this.rescoredText} are recomputed with ${verb(targets, 'it', 'them')} and the changes are written back to Salesforce.`,
      confirmLabel: 'Roll back',
      variant: 'destructive',
    };
  }

  handleDays(event) {
    this.postponeDays = event.target.value;
  }

  handleAsk(event) {
    const action = event.currentTarget.dataset.action;
    if (action === 'postpone' && this.postponeInvalid) {
      return;
    }
    this.notice = undefined;
    this.actionError = undefined;
    this._returnFocus = action;
    this.dialog = { action, ...this.dialogFor(action) };
  }

  handleCancel() {
    this.dialog = null;
    this.restoreFocus();
  }

  async handleConfirm() {
    const { action } = this.dialog;
    const id = this.candidateIds[0];
    const candidate = versionsText(this.candidateIds);
    const ids = this.candidateIds;
    const days = this.postponeDaysNumber;
    const targets = this.rollbackVersions;
    const planned = this.rolloutOn;
    this.busy = true;
    try {
      if (action === 'approve') {
        const answer = await this.client.call((token) => approveModels(id, token));
        const run = answer && answer.run;
        this.notice = `Approved: ${candidate} ${verb(ids, 'is', 'are')} active.${
          run && run.asOf ? ` The scores as of ${formatDate(run.asOf)} were recomputed with them.` : ''
        }`;
      } else if (action === 'postpone') {
        const answer = await this.client.call((token) => postponeModels(id, days, token));
        const rolloutOn = (answer && answer.rolloutOn) || (planned ? addDays(planned, days) : null);
        this.notice = `Postponed: ${candidate} ${verb(ids, 'rolls', 'roll')} out ${
          rolloutOn ? `on ${formatDate(rolloutOn)}` : `${plural(days, 'day', 'days')} later`
        }.`;
      } else if (action === 'reject') {
        await this.client.call((token) => rejectModels(id, token));
        this.notice = `Rejected: ${candidate} will not roll out.`;
      } else {
        const answer = await this.client.call((token) => rollbackModels(token));
        const restored = answer && Array.isArray(answer.restored) ? answer.restored : targets;
        this.notice = `Rolled back: ${versionsText(restored.map((row) => row.id))} ${verb(
          restored,
          'is',
          'are',
        )} active again.`;
      }
    } catch (error) {
      this.actionError = error.message;
    }
    this.busy = false;
    this.dialog = null;
    await this.load();
    this.restoreFocus();
  }

  /** Back to the button that opened the confirmation, or to the heading when it is gone. */
  restoreFocus() {
    const action = this._returnFocus;
    Promise.resolve().then(() => {
      const button = action && this.template.querySelector(`button[data-action="${action}"]`);
      const target = button || this.template.querySelector('[data-id="heading"]');
      if (target) {
        target.focus();
      }
    });
  }

  handleImpactDrill(event) {
    const kind = event.currentTarget.dataset.kind;
    this.drill = {
      filter: { kind },
      label:
        kind === 'becoming_qualified'
          ? 'qualified with the candidate, not with the active versions'
          : 'qualified with the active versions, not with the candidate',
    };
  }

  /** A transition cell (`field|from|to`; an empty side is a whole row or column). */
  handleTransitionDrill(event) {
    const [kind, from, to] = event.detail.key.split('|');
    const name = FIELD_LABELS[kind].toLowerCase();
    let label;
    if (from && to) {
      label = `${name} ${keyLabel(from)} with the active versions, ${keyLabel(to)} with the candidate`;
    } else if (from) {
      label = `${name} ${keyLabel(from)} with the active versions`;
    } else {
      label = `${name} ${keyLabel(to)} with the candidate`;
    }
    const filter = { kind };
    if (from) {
      filter.from = from;
    }
    if (to) {
      filter.to = to;
    }
    this.drill = { filter, label };
  }

  handleCloseDrill() {
    this.drill = null;
  }

  handleNavigate(event) {
    this.dispatchEvent(new CustomEvent('navigate', { detail: event.detail }));
  }

  handleBack(event) {
    event.preventDefault();
    this.dispatchEvent(new CustomEvent('navigate', { detail: { path: '/reports' } }));
  }
}

function isNotFound(error) {
  return error instanceof ApiError && (error.code === 'not_found' || error.status === 404);
}
