import { LightningElement, api } from 'lwc';
import {
  fetchOrchestration,
  fetchPreviewCsv,
  fetchRuns,
  previewOrchestration,
  runOrchestration,
} from 'sf/orchestrationsApi';
import { SKIP_REASONS } from 'sf/vocabulary';
import { RUN_STATE_LABELS, SKIP_REASON_LABELS, labelOf } from 'sf/orchestrationDefinition';
import { formatDate, formatNumber, saveBlob } from 'sf/format';

/** A run in one of these states is over. */
const FINISHED = new Set(['complete', 'failed', 'interrupted']);

const ACQUIRE_COLUMNS = [
  { key: 'name', label: 'Name' },
  { key: 'title', label: 'Title' },
  { key: 'level', label: 'Level' },
  { key: 'function', label: 'Function' },
  { key: 'country', label: 'Country' },
  { key: 'confidence', label: 'Email confidence' },
  { key: 'cost', label: 'Cost', numeric: true },
  { key: 'account', label: 'Account' },
  { key: 'why', label: 'Why' },
];
const AUDIENCE_COLUMNS = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'title', label: 'Title' },
  { key: 'account', label: 'Account' },
  { key: 'why', label: 'Why' },
];

const personName = (row) => [row.first_name, row.last_name].filter(Boolean).join(' ') || row.email || '—';
const text = (value) => (value === null || value === undefined || value === '' ? '—' : String(value));

/**
 * An orchestration's preview (nothing is bought, charged or created): what a run would do in
 * numbers, up to 100 sample people with why each was chosen, the downloads of every candidate
 * and every account considered, the credits meter, and Run now for those who may manage, which
 * queues a run and follows it until it is over.
 */
export default class OrchestrationPreview extends LightningElement {
  @api client;
  @api orchestrationId;
  /** `can['orchestrations.manage']` of the session. */
  @api canManage = false;
  /** How often a queued run is looked at, in ms. */
  @api pollInterval = 2000;

  orchestration;
  preview;
  loading = true;
  error;
  run;
  runError;
  downloadError;
  _pollTimer;

  connectedCallback() {
    this.load();
  }

  disconnectedCallback() {
    clearTimeout(this._pollTimer);
  }

  async load() {
    this.loading = true;
    this.error = undefined;
    try {
      const { orchestration } = await this.client.call((token) =>
        fetchOrchestration(this.orchestrationId, token),
      );
      this.orchestration = orchestration;
      this.preview = await this.client.call((token) => previewOrchestration(this.orchestrationId, token));
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
  }

  get heading() {
    return this.orchestration ? `Preview: ${this.orchestration.name}` : 'Preview';
  }
  get basePath() {
    return `/orchestrations/${encodeURIComponent(this.orchestrationId)}`;
  }
  get historyHref() {
    return `${this.basePath}/history`;
  }
  get editHref() {
    return `${this.basePath}/edit`;
  }
  get candidatesHref() {
    return `/api${this.basePath}/preview/candidates.csv`;
  }
  get accountsHref() {
    return `/api${this.basePath}/preview/accounts.csv`;
  }
  get acquire() {
    return this.orchestration && this.orchestration.goal === 'acquire_contacts';
  }
  get hasPreview() {
    return !!this.preview;
  }
  get countTiles() {
    const c = this.preview.counts;
    const tiles = [
      { key: 'accounts', label: 'Accounts in the segment', value: c.accounts },
      { key: 'accountsWithCandidates', label: 'Accounts with candidates', value: c.accountsWithCandidates },
      { key: 'candidates', label: 'Candidates', value: c.candidates },
      { key: 'toBuy', label: this.acquire ? 'To buy' : 'To push', value: c.toBuy },
    ];
    if (this.acquire) {
      tiles.push({ key: 'cost', label: 'Cost (credits)', value: c.cost });
    }
    return tiles.map((tile) => ({ ...tile, text: formatNumber(tile.value || 0) }));
  }
  get skipped() {
    const skipped = this.preview.counts.skipped || {};
    return SKIP_REASONS.filter((reason) => skipped[reason]).map((reason) => ({
      key: reason,
      label: labelOf(SKIP_REASON_LABELS, reason),
      text: formatNumber(skipped[reason]),
    }));
  }
  get hasSkipped() {
    return this.skipped.length > 0;
  }
  get columns() {
    return this.acquire ? ACQUIRE_COLUMNS : AUDIENCE_COLUMNS;
  }
  get sampleRows() {
    return (this.preview.sample || []).map((row, index) => {
      const cells = this.acquire
        ? [
            personName(row),
            text(row.title),
            text(row.job_level),
            text(row.job_function),
            text(row.country),
            text(row.email_confidence),
            formatNumber(row.cost),
            text(row.account_name || row.account_id),
            text(row.why),
          ]
        : [
            personName(row),
            text(row.email),
            text(row.title),
            text(row.account_name || row.account_id),
            text(row.why),
          ];
      return {
        key: String(row.provider_id || row.person_id || index),
        cells: cells.map((t) => ({ text: t })),
      };
    });
  }
  get sampleCaption() {
    const n = (this.preview.sample || []).length;
    return `Sample: ${formatNumber(n)} ${n === 1 ? 'person' : 'people'}${n >= 100 ? ' (the first 100)' : ''}`;
  }
  get sampleFileName() {
    return `orchestration-${this.orchestrationId}-preview.csv`;
  }
  get runText() {
    const run = this.run;
    const state = labelOf(RUN_STATE_LABELS, run.state);
    const when = formatDate(run.finishedAt || run.startedAt || run.queuedAt);
    const c = run.counts || {};
    const counts = FINISHED.has(run.state)
      ? ` — ${formatNumber(c.purchased || 0)} purchased, ${formatNumber(c.pushed || 0)} pushed, ${formatNumber(
          c.skipped || 0,
        )} skipped, ${formatNumber(c.failed || 0)} failed`
      : '';
    return `Run ${run.id} (${when}): ${state}${counts}${run.message ? `. ${run.message}` : ''}`;
  }
  get runBusy() {
    return !!this.run && !FINISHED.has(this.run.state);
  }
  get runDisabled() {
    return this.runBusy || !!(this.orchestration && this.orchestration.state !== 'idle' && !this.run);
  }

  async handleRun() {
    this.runError = undefined;
    try {
      const { run } = await this.client.call((token) => runOrchestration(this.orchestrationId, token));
      this.run = run;
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

  /** Reads the runs until this one is over; then the credits may have changed. */
  async poll() {
    try {
      const { runs } = await this.client.call((token) => fetchRuns(this.orchestrationId, token));
      const run = runs.find((r) => r.id === this.run.id);
      if (run) {
        this.run = run;
      }
    } catch (error) {
      this.runError = `The run could not be followed: ${error.message}`;
    }
    if (this.runBusy) {
      this.schedulePoll();
    } else {
      const meter = this.template.querySelector('sf-credits-meter');
      if (meter) {
        meter.refresh();
      }
    }
  }

  async handleDownload(event) {
    event.preventDefault();
    const file = event.currentTarget.dataset.file;
    this.downloadError = undefined;
    try {
      const blob = await this.client.call((token) => fetchPreviewCsv(this.orchestrationId, file, token));
      saveBlob(blob, `orchestration-${this.orchestrationId}-${file}.csv`);
    } catch (error) {
      this.downloadError = error.message;
    }
  }

  handleOpen(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }
}
