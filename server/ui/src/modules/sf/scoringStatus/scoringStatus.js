import { LightningElement, api } from 'lwc';
import { fetchScoringStatus, startRecompute } from 'sf/accountsApi';
import { formatDate } from 'sf/format';
import { modelVersionText } from 'sf/modelsApi';

const POLL_MS = 1000;
const STEP_LABELS = Object.freeze({
  read: 'Reading the facts',
  model: 'Training and scoring',
  write: 'Storing the scores',
});

/**
 * "Scores last computed …" with the model version, and, for those who may (`scores.recompute` in
 * the session's `can`: Admin and Operations), a button that recomputes the scores now, with the run's progress step by step. Tells its parent when a
 * recompute finished (`recomputed`), so the list shows the new scores.
 */
export default class ScoringStatus extends LightningElement {
  @api client;
  /** `{ [action]: boolean }` of GET /api/session. */
  @api can = {};
  status;
  error;
  _timer;
  _wasRunning = false;

  connectedCallback() {
    this.refresh();
  }

  disconnectedCallback() {
    clearTimeout(this._timer);
  }

  get lastRunText() {
    const run = this.status && this.status.lastRun;
    if (!this.status) {
      return '';
    }
    if (!run) {
      return 'Not scored yet';
    }
    const when = run.finishedAt ? formatDate(run.finishedAt) : formatDate(run.asOf);
    const model = modelVersionText(run.modelVersion) || 'model unknown';
    return `Scores last computed ${when} (as of ${formatDate(run.asOf)}) · ${model}`;
  }
  get mayRecompute() {
    return !!(this.status && this.can && this.can['scores.recompute']);
  }
  get running() {
    return !!(this.status && this.status.recompute.state === 'running');
  }
  get progress() {
    const r = this.status.recompute;
    return Math.round((100 * r.stepsDone) / r.stepsTotal);
  }
  get progressText() {
    const r = this.status.recompute;
    return `${STEP_LABELS[r.step] || 'Recomputing'} (step ${Math.min(r.stepsDone + 1, r.stepsTotal)} of ${r.stepsTotal})`;
  }
  get failedText() {
    const r = this.status && this.status.recompute;
    return r && r.state === 'failed' ? `The last recompute failed: ${r.error}` : '';
  }

  async refresh() {
    clearTimeout(this._timer);
    try {
      this.status = await this.client.call((token) => fetchScoringStatus(token));
      this.error = undefined;
    } catch (error) {
      this.error = error.message;
      return;
    }
    if (this.running) {
      this._wasRunning = true;
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      this._timer = setTimeout(() => this.refresh(), POLL_MS);
    } else if (this._wasRunning) {
      this._wasRunning = false;
      this.dispatchEvent(new CustomEvent('recomputed'));
    }
  }

  async handleRecompute() {
    try {
      await this.client.call((token) => startRecompute(token));
    } catch (error) {
      this.error = error.message;
    }
    this.refresh();
  }
}
