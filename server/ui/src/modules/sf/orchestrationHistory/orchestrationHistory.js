import { LightningElement, api } from 'lwc';
import {
  fetchOrchestration,
  fetchRun,
  fetchRunCsv,
  fetchRuns,
  repushOrchestration,
} from 'sf/orchestrationsApi';
import { RECORD_OUTCOMES } from 'sf/vocabulary';
import {
  OUTCOME_LABELS,
  RUN_STATE_LABELS,
  SKIP_REASON_LABELS,
  TRIGGER_LABELS,
  labelOf,
} from 'sf/orchestrationDefinition';
import { formatDate, formatNumber, saveBlob } from 'sf/format';

const FINISHED = new Set(['complete', 'failed', 'interrupted']);
const WHEN = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** A run's time to the minute, in UTC like the rest of the app. */
function whenText(iso) {
  const date = iso ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime()) ? `${WHEN.format(date)} UTC` : formatDate(iso);
}

const RUN_COLUMNS = [
  { key: 'when', label: 'When' },
  { key: 'trigger', label: 'Trigger' },
  { key: 'state', label: 'State' },
  { key: 'requestedBy', label: 'Requested by' },
  { key: 'purchased', label: 'Purchased', numeric: true },
  { key: 'pushed', label: 'Pushed', numeric: true },
  { key: 'skipped', label: 'Skipped', numeric: true },
  { key: 'failed', label: 'Failed', numeric: true },
  { key: 'message', label: 'Message' },
  { key: 'records', label: 'Records' },
];
const RECORD_COLUMNS = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'account', label: 'Account' },
  { key: 'outcome', label: 'Outcome' },
  { key: 'reason', label: 'Reason' },
  { key: 'error', label: 'Error' },
  { key: 'target', label: 'Target id' },
];

const dash = (value) => (value === null || value === undefined || value === '' ? '—' : String(value));
const personName = (r) => [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email || '—';

/**
 * An orchestration's history: its runs (when, trigger, state, who asked, counts, message), and
 * one run's records (name, email, account, outcome, reason, error, target id) with an outcome
 * filter, the records.csv download, and Re-push for those who may manage when the run has people
 * bought and not pushed or failures; a re-push is queued and followed until it is over.
 */
export default class OrchestrationHistory extends LightningElement {
  @api client;
  @api orchestrationId;
  @api canManage = false;
  @api pollInterval = 2000;

  @api
  get runId() {
    return this._runId;
  }
  set runId(value) {
    this._runId = value ? String(value) : '';
    this.outcome = '';
    if (this._connected) {
      this.loadRun();
    }
  }

  _runId = '';
  _connected = false;
  _pollTimer;
  orchestration;
  runs = [];
  loading = true;
  error;
  run;
  records = [];
  outcome = '';
  repushable = false;
  runError;
  repushRun;
  notice;

  connectedCallback() {
    this._connected = true;
    this.load();
  }

  disconnectedCallback() {
    this._connected = false;
    clearTimeout(this._pollTimer);
  }

  async load() {
    this.error = undefined;
    try {
      const [{ orchestration }, { runs }] = await Promise.all([
        this.client.call((token) => fetchOrchestration(this.orchestrationId, token)),
        this.client.call((token) => fetchRuns(this.orchestrationId, token)),
      ]);
      this.orchestration = orchestration;
      this.runs = runs;
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
    if (this._runId) {
      await this.loadRun();
    }
  }

  /** The run's records; without a filter, also whether it can be pushed again. */
  async loadRun() {
    if (!this._runId) {
      this.run = undefined;
      this.records = [];
      return;
    }
    this.runError = undefined;
    try {
      const { run, records } = await this.client.call((token) =>
        fetchRun(this.orchestrationId, this._runId, this.outcome, token),
      );
      this.run = run;
      this.records = records;
      if (!this.outcome) {
        this.repushable =
          (run.counts && run.counts.failed > 0) || records.some((r) => r.outcome === 'purchased');
      }
    } catch (error) {
      this.runError = error.message;
    }
  }

  get heading() {
    return this.orchestration ? `History: ${this.orchestration.name}` : 'History';
  }
  get basePath() {
    return `/orchestrations/${encodeURIComponent(this.orchestrationId)}`;
  }
  get historyPath() {
    return `${this.basePath}/history`;
  }
  get runColumns() {
    return RUN_COLUMNS;
  }
  get runRows() {
    return this.runs.map((run) => {
      const c = run.counts || {};
      const cells = [
        whenText(run.finishedAt || run.startedAt || run.queuedAt),
        labelOf(TRIGGER_LABELS, run.trigger),
        labelOf(RUN_STATE_LABELS, run.state),
        dash(run.requestedBy),
        formatNumber(c.purchased || 0),
        formatNumber(c.pushed || 0),
        formatNumber(c.skipped || 0),
        formatNumber(c.failed || 0),
        dash(run.message),
      ].map((text) => ({ text }));
      cells.push({ text: `Run ${run.id}`, drill: String(run.id) });
      return { key: String(run.id), cells };
    });
  }
  get hasRuns() {
    return this.runs.length > 0;
  }
  get noRuns() {
    return !this.loading && !this.error && this.runs.length === 0;
  }
  get recordColumns() {
    return RECORD_COLUMNS;
  }
  get recordRows() {
    return this.records.map((r, index) => ({
      key: `${r.provider_id || r.person_id || r.email}-${index}`,
      cells: [
        personName(r),
        dash(r.email),
        dash(r.account_name || r.account_id),
        labelOf(OUTCOME_LABELS, r.outcome),
        r.reason ? labelOf(SKIP_REASON_LABELS, r.reason) : '—',
        dash(r.error),
        dash(r.target_id),
      ].map((text) => ({ text })),
    }));
  }
  get runHeading() {
    return this.run ? `Run ${this.run.id}: ${whenText(this.run.finishedAt || this.run.queuedAt)}` : '';
  }
  get recordsCaption() {
    return `${formatNumber(this.records.length)} ${this.records.length === 1 ? 'record' : 'records'}`;
  }
  get recordsFileName() {
    return `orchestration-${this.orchestrationId}-run-${this._runId}-shown.csv`;
  }
  get recordsCsvHref() {
    return `/api${this.basePath}/runs/${encodeURIComponent(this._runId)}/records.csv`;
  }
  get outcomeOptions() {
    return [
      { value: '', label: 'All outcomes', selected: !this.outcome },
      ...RECORD_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o], selected: this.outcome === o })),
    ];
  }
  get showRepush() {
    return this.canManage && this.repushable;
  }
  get repushBusy() {
    return !!this.repushRun && !FINISHED.has(this.repushRun.state);
  }
  get repushText() {
    const r = this.repushRun;
    return `Re-push run ${r.id}: ${labelOf(RUN_STATE_LABELS, r.state)}${r.message ? `. ${r.message}` : ''}`;
  }

  handleDrill(event) {
    const runId = event.detail.key;
    this.dispatchEvent(
      new CustomEvent('navigate', {
        detail: { path: `${this.historyPath}?run=${encodeURIComponent(runId)}` },
      }),
    );
  }

  handleOutcome(event) {
    this.outcome = event.currentTarget.value;
    this.loadRun();
  }

  async handleRecordsCsv(event) {
    event.preventDefault();
    this.runError = undefined;
    try {
      const blob = await this.client.call((token) => fetchRunCsv(this.orchestrationId, this._runId, token));
      saveBlob(blob, `orchestration-${this.orchestrationId}-run-${this._runId}-records.csv`);
    } catch (error) {
      this.runError = error.message;
    }
  }

  async handleRepush() {
    this.runError = undefined;
    try {
      const { run } = await this.client.call((token) =>
        repushOrchestration(this.orchestrationId, Number(this._runId), token),
      );
      this.repushRun = run;
      this.schedulePoll();
    } catch (error) {
      this.runError = error.message;
    }
  }

  schedulePoll() {
    clearTimeout(this._pollTimer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this._pollTimer = setTimeout(() => this.poll(), this.pollInterval);
  }

  async poll() {
    try {
      const { runs } = await this.client.call((token) => fetchRuns(this.orchestrationId, token));
      this.runs = runs;
      const run = runs.find((r) => r.id === this.repushRun.id);
      if (run) {
        this.repushRun = run;
      }
    } catch (error) {
      this.runError = `The re-push could not be followed: ${error.message}`;
    }
    if (this.repushBusy) {
      this.schedulePoll();
    } else {
      await this.loadRun();
    }
  }

  handleOpen(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }
}
