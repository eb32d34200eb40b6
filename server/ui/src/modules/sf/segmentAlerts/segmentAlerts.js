import { LightningElement, api } from 'lwc';
import { createAlert, deleteAlert, fetchAlerts, sendTestAlert } from 'sf/segmentsApi';
import { ALERT_DELIVERIES, ALERT_EVENTS } from 'sf/vocabulary';
import { formatDate } from 'sf/format';

const EVENT_LABELS = Object.freeze({
  became_qualified: 'Became qualified',
  stage_advanced: 'Reached Decision or Purchase',
  entered_segment: 'Entered the segment',
});
const DELIVERY_LABELS = Object.freeze({ immediate: 'After each scoring run', daily: 'Daily digest' });

const label = (labels, value) => labels[value] || value;

/**
 * A segment's alerts: its Slack subscriptions (event, webhook shown masked, immediate or daily),
 * which those allowed to manage alerts can add, test and delete, and the alerts of the last 30
 * days for this segment, in the app for those who do not use Slack.
 */
export default class SegmentAlerts extends LightningElement {
  @api client;
  /** `{ id, name }`. */
  @api segment;
  /** `can['alerts.manage']` of the session. */
  @api canManage = false;

  subscriptions = [];
  recent = [];
  loading = true;
  error;
  event = ALERT_EVENTS[0];
  webhook = '';
  digest = ALERT_DELIVERIES[0];
  adding = false;
  addError;
  /** What the last test or delete said, per subscription id: `{ [id]: { text, ok } }`. */
  notes = {};

  connectedCallback() {
    this.load();
  }

  async load() {
    this.loading = true;
    this.error = undefined;
    try {
      const { subscriptions, recent } = await this.client.call((token) => fetchAlerts(token));
      const mine = (item) => String(item.segment.id) === String(this.segment.id);
      this.subscriptions = subscriptions.filter(mine);
      this.recent = recent.filter(mine);
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
  }

  get eventOptions() {
    return ALERT_EVENTS.map((value) => ({
      value,
      label: label(EVENT_LABELS, value),
      selected: value === this.event,
    }));
  }
  get digestOptions() {
    return ALERT_DELIVERIES.map((value) => ({
      value,
      label: label(DELIVERY_LABELS, value),
      selected: value === this.digest,
    }));
  }
  get subscriptionRows() {
    return this.subscriptions.map((s) => {
      const note = this.notes[s.id];
      return {
        id: s.id,
        event: label(EVENT_LABELS, s.event),
        digest: label(DELIVERY_LABELS, s.digest),
        webhook: s.slackWebhook || 'In the app only',
        hasWebhook: !!s.slackWebhook,
        createdText: `${s.createdBy || ''}${s.createdAt ? `, ${formatDate(s.createdAt)}` : ''}`,
        note: note ? note.text : '',
        noteClass: note && !note.ok ? 'slds-text-color_error' : 'slds-text-color_success',
      };
    });
  }
  get hasSubscriptions() {
    return this.subscriptions.length > 0;
  }
  get recentRows() {
    return this.recent.map((r, i) => ({
      key: `${r.subscriptionId}-${r.accountId}-${r.event}-${r.runDay}-${i}`,
      day: formatDate(r.runDay),
      account: r.accountName || r.accountId,
      href: `/accounts/${encodeURIComponent(r.accountId)}`,
      event: label(EVENT_LABELS, r.event),
      state: r.sentAt ? `Sent ${formatDate(r.sentAt)}` : r.state,
    }));
  }
  get hasRecent() {
    return this.recent.length > 0;
  }

  handleInput(event) {
    this[event.target.dataset.name] = event.target.value;
  }

  async handleAdd(event) {
    event.preventDefault();
    this.addError = undefined;
    this.adding = true;
    const fields = { segment: this.segment.id, event: this.event, digest: this.digest };
    if (this.webhook.trim()) {
      fields.slackWebhookUrl = this.webhook.trim();
    }
    try {
      await this.client.call((token) => createAlert(fields, token));
      this.webhook = '';
      await this.load();
    } catch (error) {
      this.addError = error.message;
    }
    this.adding = false;
  }

  async handleTest(event) {
    const id = event.currentTarget.dataset.subscription;
    try {
      await this.client.call((token) => sendTestAlert(id, token));
      this.notes = { ...this.notes, [id]: { text: 'Test message sent.', ok: true } };
    } catch (error) {
      this.notes = { ...this.notes, [id]: { text: error.message, ok: false } };
    }
  }

  async handleDelete(event) {
    const id = event.currentTarget.dataset.subscription;
    try {
      await this.client.call((token) => deleteAlert(id, token));
      await this.load();
    } catch (error) {
      this.notes = { ...this.notes, [id]: { text: error.message, ok: false } };
    }
  }

  handleOpenAccount(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }
}
