import { LightningElement, api } from 'lwc';
import { auditCsvPath, auditQuery, fetchAudit, fetchAuditCsv, parseAuditQuery } from 'sf/auditApi';

/**
 * The Admin "Audit log" page (`/audit?since=&until=&actor=&action=`): who changed or sent what,
 * when, with counts, newest first; filters by day, actor and action kept in the address, "Load
 * more" for older entries, and the same filters as a CSV download. The service refuses other
 * roles; the navigation shows the page only when the session's `can['audit.view']` allows it.
 */
export default class AuditPage extends LightningElement {
  @api client;
  entries = [];
  next = null;
  loading = false;
  loadingMore = false;
  downloading = false;
  error;
  filters = { since: '', until: '', actor: '', action: '' };

  _query = '';
  _loaded = false;

  /** The filters, as the app's address holds them. */
  @api
  get query() {
    return this._query;
  }
  set query(value) {
    this._query = value || '';
    this.filters = parseAuditQuery(this._query);
    if (this._loaded) {
      this.load();
    }
  }

  connectedCallback() {
    this._loaded = true;
    this.load();
  }

  get rows() {
    return this.entries.map((entry) => ({
      key: entry.id,
      when: `${entry.at.slice(0, 19).replace('T', ' ')} UTC`,
      actor: entry.actor,
      actorKind: entry.actorKind.replace('_', ' '),
      action: entry.action,
      summary: entry.summary,
      counts: Object.entries(entry.counts)
        .map(([name, value]) => `${name.replace(/_/g, ' ')} ${value}`)
        .join(', '),
    }));
  }
  get hasEntries() {
    return this.entries.length > 0;
  }
  get isEmpty() {
    return !this.loading && !this.error && this.entries.length === 0;
  }
  get hasMore() {
    return this.next !== null;
  }
  /** The filters of the address (what the list shows), not the form's edits not yet applied. */
  get appliedQuery() {
    return auditQuery(parseAuditQuery(this._query));
  }
  get csvHref() {
    return auditCsvPath(this.appliedQuery);
  }
  get countText() {
    const n = this.entries.length;
    return `${n} ${n === 1 ? 'entry' : 'entries'}${this.hasMore ? ' shown, more below' : ''}`;
  }

  async load() {
    const query = this.appliedQuery;
    this.loading = true;
    this.error = undefined;
    try {
      const page = await this.client.call((token) => fetchAudit(query, null, token));
      if (query !== this.appliedQuery) {
        return;
      }
      this.entries = page.entries;
      this.next = page.next;
    } catch (error) {
      this.entries = [];
      this.next = null;
      this.error = error.message;
    }
    this.loading = false;
  }

  async handleLoadMore() {
    const query = this.appliedQuery;
    this.loadingMore = true;
    try {
      const page = await this.client.call((token) => fetchAudit(query, this.next, token));
      this.entries = [...this.entries, ...page.entries];
      this.next = page.next;
    } catch (error) {
      this.error = error.message;
    }
    this.loadingMore = false;
  }

  handleFilterChange(event) {
    this.filters = { ...this.filters, [event.target.dataset.filter]: (event.target.value || '').trim() };
  }

  /** Applies the filters: a new address (the app reloads the page's query from it). */
  handleApply(event) {
    event.preventDefault();
    const query = auditQuery(this.filters);
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: `/audit${query ? `?${query}` : ''}` } }),
    );
  }

  handleClear() {
    this.dispatchEvent(new CustomEvent('navigate', { detail: { path: '/audit' } }));
  }

  /** The link names the CSV with the filters; it is fetched with the bearer token and saved. */
  async handleDownload(event) {
    event.preventDefault();
    this.downloading = true;
    try {
      const blob = await this.client.call((token) => fetchAuditCsv(this.appliedQuery, token));
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `signalfit-audit-${new Date().toISOString().slice(0, 10)}.csv`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      this.error = error.message;
    }
    this.downloading = false;
  }
}
