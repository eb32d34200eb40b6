import { LightningElement, api } from 'lwc';
import { fetchSegment, setPublished } from 'sf/segmentsApi';
import { describeDefinition } from 'sf/segmentDefinition';
import { formatDate, formatNumber } from 'sf/format';

const KIND_LABELS = Object.freeze({ filter: 'Filter segment', list: 'List segment', crm: 'CRM segment' });
const ACTION_LABELS = Object.freeze({
  created: 'Created',
  updated: 'Changed',
  list_uploaded: 'List uploaded',
  published: 'Published',
  unpublished: 'Unpublished',
  deleted: 'Deleted',
});

/**
 * A segment's page: what it is (kind, folder, tags, owner, members, published state), its
 * definition in words, its members as the Accounts list limited to it (sort, filters, paging and
 * CSV export included), its history, the publish toggle for those allowed to publish, and its
 * alerts.
 */
export default class SegmentPage extends LightningElement {
  @api client;
  @api segmentId;
  /** The members list's sort and filters (the URL's query). */
  @api query = '';
  /** The session's `can` (`segments.edit`, `segments.publish`, `alerts.manage`, …). */
  @api can = {};

  segment;
  history = [];
  loading = true;
  error;
  publishing = false;
  publishError;

  connectedCallback() {
    this.load();
  }

  async load() {
    this.loading = true;
    this.error = undefined;
    try {
      const { segment, history } = await this.client.call((token) => fetchSegment(this.segmentId, token));
      this.segment = segment;
      this.history = history || [];
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
  }

  get ready() {
    return !!this.segment;
  }
  get kindText() {
    return KIND_LABELS[this.segment.kind] || this.segment.kind;
  }
  get facts() {
    const s = this.segment;
    return [
      this.kindText,
      s.folder ? `Folder: ${s.folder}` : 'No folder',
      s.owner ? `Owner: ${s.owner}` : null,
      `Version ${s.version}`,
    ]
      .filter(Boolean)
      .join(' · ');
  }
  get membersText() {
    const s = this.segment;
    if (s.members == null) {
      return 'Members: not counted yet';
    }
    const asOf = s.membersAsOf ? ` (as of ${formatDate(s.membersAsOf)})` : '';
    return `${formatNumber(s.members)} ${s.members === 1 ? 'member' : 'members'}${asOf}`;
  }
  get publishedText() {
    const s = this.segment;
    if (!s.published) {
      return 'Not published to Salesforce';
    }
    const by = s.publishedBy ? ` by ${s.publishedBy}` : '';
    return `Published to Salesforce${s.publishedAt ? ` on ${formatDate(s.publishedAt)}` : ''}${by}`;
  }
  get publishedClass() {
    return `slds-badge sf-segment__state${this.segment.published ? ' slds-theme_success' : ''}`;
  }
  get canEdit() {
    return !!this.can['segments.edit'];
  }
  get canPublish() {
    return !!this.can['segments.publish'];
  }
  get canManageAlerts() {
    return !!this.can['alerts.manage'];
  }
  get isList() {
    return this.segment.kind === 'list';
  }
  get editHref() {
    return this.isList
      ? `/segments/upload?name=${encodeURIComponent(this.segment.name)}`
      : `/segments/${encodeURIComponent(this.segment.id)}/edit`;
  }
  get editLabel() {
    return this.isList ? 'Upload list again' : 'Edit';
  }
  get publishLabel() {
    return this.segment.published ? 'Published' : 'Not published';
  }
  get basePath() {
    return `/segments/${encodeURIComponent(this.segmentId)}`;
  }
  get definitionLines() {
    return describeDefinition(this.segment.definition).map((line) => ({
      ...line,
      style: `padding-left: ${line.depth * 1.25}rem`,
    }));
  }
  get hasDefinition() {
    return !!this.segment.definition;
  }
  get historyRows() {
    return this.history.map((h, i) => ({
      key: `${h.version}-${i}`,
      version: h.version,
      action: ACTION_LABELS[h.action] || h.action,
      changedBy: h.changedBy || '—',
      changedAt: formatDate(h.changedAt),
    }));
  }
  get hasHistory() {
    return this.history.length > 0;
  }
  get alertSegment() {
    return { id: this.segment.id, name: this.segment.name };
  }

  async handlePublish(event) {
    const toggle = event.target;
    const published = toggle.checked;
    this.publishing = true;
    this.publishError = undefined;
    try {
      const { segment } = await this.client.call((token) => setPublished(this.segment.id, published, token));
      this.segment = segment;
      // The history gains the publish entry.
      const { history } = await this.client.call((token) => fetchSegment(this.segment.id, token));
      this.history = history || [];
    } catch (error) {
      this.publishError = error.message;
      // The toggle shows the state the service has.
      toggle.checked = this.segment.published;
    }
    this.publishing = false;
  }

  handleLink(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }

  handleNavigate(event) {
    this.dispatchEvent(new CustomEvent('navigate', { detail: event.detail }));
  }
}
