import { LightningElement, api } from 'lwc';
import { fetchOrchestrations, runOrchestration } from 'sf/orchestrationsApi';
import {
  GOAL_LABELS,
  RUN_STATE_LABELS,
  TARGET_LABELS,
  labelOf,
  weekdayLabel,
} from 'sf/orchestrationDefinition';
import { formatDate, formatNumber, plural } from 'sf/format';

/** "Salesforce campaign 701…" etc.: the target in a few words. */
function targetText(target) {
  const label = labelOf(TARGET_LABELS, target.type);
  if (target.type === 'salesforce_campaign') {
    return `${label} ${target.campaignId} (${target.create === 'contact' ? 'Contacts' : 'Leads'})`;
  }
  if (target.type === 'outreach_sequence') {
    return `${label} ${target.sequenceId}`;
  }
  return label;
}

function scheduleText(schedule) {
  if (schedule && typeof schedule === 'object') {
    return `Weekly on ${weekdayLabel(schedule.weekly)}`;
  }
  return schedule === 'daily' ? 'Daily' : 'Manual';
}

function countsText(counts) {
  return ['purchased', 'pushed', 'skipped', 'failed']
    .map((key) => `${formatNumber(counts[key] || 0)} ${key}`)
    .join(' · ');
}

/**
 * The Orchestrations list: each orchestration's goal, segment, target, schedule, state, last run
 * (when, counts) and next run, with Preview and History for every viewer and Run now and Edit for
 * those who may manage orchestrations; "New orchestration" and the credits meter in the header.
 */
export default class OrchestrationsPage extends LightningElement {
  @api client;
  /** `can['orchestrations.manage']` of the session. */
  @api canManage = false;

  orchestrations = [];
  loading = true;
  error;
  notice;

  connectedCallback() {
    this.load();
  }

  async load() {
    this.error = undefined;
    try {
      const { orchestrations } = await this.client.call((token) => fetchOrchestrations(token));
      this.orchestrations = orchestrations;
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
  }

  get rows() {
    return this.orchestrations.map((o) => {
      const base = `/orchestrations/${encodeURIComponent(o.id)}`;
      const last = o.lastRun;
      return {
        id: o.id,
        name: o.name,
        previewHref: base,
        historyHref: `${base}/history`,
        editHref: `${base}/edit`,
        goal: labelOf(GOAL_LABELS, o.goal),
        segment: o.segment ? o.segment.name : '—',
        target: targetText(o.target),
        schedule: scheduleText(o.schedule),
        state: labelOf(RUN_STATE_LABELS, o.state),
        lastRunWhen: last
          ? `${formatDate(last.finishedAt || last.queuedAt)} · ${labelOf(RUN_STATE_LABELS, last.state)}`
          : 'Never run',
        lastRunCounts: last ? countsText(last.counts || {}) : '',
        nextRun: o.nextRunAt ? formatDate(o.nextRunAt) : 'When someone presses Run now',
        busy: o.state !== 'idle',
        runLabel: `Run ${o.name} now`,
        previewLabel: `Preview ${o.name}`,
        historyLabel: `History of ${o.name}`,
        editLabel: `Edit ${o.name}`,
      };
    });
  }

  get countText() {
    return this.loading ? '' : plural(this.orchestrations.length, 'orchestration', 'orchestrations');
  }
  get hasRows() {
    return this.orchestrations.length > 0;
  }
  get isEmpty() {
    return !this.loading && !this.error && this.orchestrations.length === 0;
  }

  async handleRun(event) {
    const id = event.currentTarget.dataset.orchestrationId;
    this.notice = undefined;
    this.error = undefined;
    try {
      const { run } = await this.client.call((token) => runOrchestration(id, token));
      this.notice = `Run ${run.id} is queued: it buys and pushes in the background. Its history shows it when done.`;
    } catch (error) {
      this.error = error.message;
    }
    await this.load();
  }

  handleOpen(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }
}
