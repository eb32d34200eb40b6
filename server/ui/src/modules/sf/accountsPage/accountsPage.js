import { LightningElement, api } from 'lwc';
import { fetchAccounts, fetchAccountsCsv, fetchIndustries } from 'sf/accountsApi';
import { fetchSegmentAccounts, fetchSegmentCsv, fetchSegments } from 'sf/segmentsApi';
import { formatDate, formatNumber } from 'sf/format';
import { BUYING_STAGES, FIT_BANDS } from 'sf/vocabulary';

const COLUMNS = [
  { key: 'name', label: 'Name', defaultDir: 'asc' },
  { key: 'domain', label: 'Domain', defaultDir: 'asc' },
  { key: 'industry', label: 'Industry', defaultDir: 'asc' },
  { key: 'employees', label: 'Employees', defaultDir: 'desc' },
  { key: 'fit', label: 'Profile fit', defaultDir: 'desc' },
  { key: 'intent', label: 'Intent', defaultDir: 'desc' },
  { key: 'stage', label: 'Buying stage', defaultDir: 'desc' },
  { key: 'reach', label: 'Reach', defaultDir: 'desc' },
  { key: 'qualified', label: 'Qualified (since)', defaultDir: 'desc' },
];
const FILTERS = ['fit', 'stage', 'qualified', 'industry', 'segment', 'q'];
const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

const option = (value, label) => ({ value, label: label || value });
const ANY = option('', 'Any');

/**
 * The Accounts page: every account with its current scores, sorted, filtered and searched on the
 * server, paged with the list's cursors, with the count of matches and a CSV export of the view.
 * Sort and filters live in the URL (`query`), so the back button and deep links restore them.
 * With a `segmentId` it is a segment's members list (the segment's own accounts and export
 * routes, its page's path), otherwise it offers a filter by segment.
 */
export default class AccountsPage extends LightningElement {
  /** `{ call(request) }` from the app shell: runs a request with the access token. */
  @api client;
  /** Limits the list to a segment's members. */
  @api segmentId;
  /** The page's path, which the sort and filters are added to (`/accounts` by default). */
  /** `{ [action]: boolean }` of GET /api/session: the CSV export is offered with `exports.csv`. */
  @api can = {};
  @api basePath = '/accounts';

  rows = [];
  count = null;
  countCapped = false;
  loading = true;
  error;
  exporting = false;

  get canExport() {
    return !!(this.can && this.can['exports.csv']);
  }
  industries = [];
  segments = [];
  searchText = '';
  /** The list query (sort and filters) that the rows and count shown answer. */
  answeredQuery = '';

  _query = '';
  _cursors = [null];
  _nextCursor = null;
  _searchTimer;
  _loadSeq = 0;
  _connected = false;

  @api
  get query() {
    return this._query;
  }
  set query(value) {
    const next = value || '';
    const changed = next !== this._query;
    this._query = next;
    this.searchText = this.params.get('q') || '';
    if (changed && this._connected) {
      this._cursors = [null];
      this.load();
    }
  }

  connectedCallback() {
    this._connected = true;
    this.load();
    this.loadIndustries();
    if (!this.segmentId) {
      this.loadSegments();
    }
  }

  disconnectedCallback() {
    this._connected = false;
    clearTimeout(this._searchTimer);
  }

  get params() {
    return new URLSearchParams(this._query);
  }
  get sort() {
    return this.params.get('sort') || 'intent';
  }
  get dir() {
    return this.params.get('dir') || 'desc';
  }

  get columns() {
    return COLUMNS.map((column) => {
      const active = column.key === this.sort;
      return {
        ...column,
        thClass: `slds-is-sortable${active ? ' slds-is-sorted slds-has-focus' : ''}`,
        ariaSort: active ? (this.dir === 'asc' ? 'ascending' : 'descending') : 'none',
        icon: active && this.dir === 'asc' ? 'utility:arrowup' : 'utility:arrowdown',
        iconClass: active ? '' : 'sf-sort-icon_hidden',
      };
    });
  }

  /** Options of a filter's select, the current value selected. */
  options(name, list) {
    const current = this.params.get(name) || '';
    return list.map((o) => ({ ...o, selected: o.value === current }));
  }
  get fitOptions() {
    return this.options('fit', [ANY, ...FIT_BANDS.map((fit) => option(fit))]);
  }
  get stageOptions() {
    // Latest stage first: the accounts closest to buying are the ones looked for.
    return this.options('stage', [ANY, ...[...BUYING_STAGES].reverse().map((stage) => option(stage))]);
  }
  get qualifiedOptions() {
    return this.options('qualified', [ANY, option('true', 'Qualified'), option('false', 'Not qualified')]);
  }
  get industryOptions() {
    return this.options('industry', [ANY, ...this.industries.map((i) => option(i))]);
  }
  get segmentOptions() {
    return this.options('segment', [ANY, ...this.segments.map((s) => option(String(s.id), s.name))]);
  }
  get filters() {
    const filters = [
      { name: 'fit', label: 'Profile fit', options: this.fitOptions },
      { name: 'stage', label: 'Buying stage', options: this.stageOptions },
      { name: 'qualified', label: 'Qualified', options: this.qualifiedOptions },
      { name: 'industry', label: 'Industry', options: this.industryOptions },
    ];
    if (!this.segmentId) {
      filters.push({ name: 'segment', label: 'Segment', options: this.segmentOptions });
    }
    return filters.map((f) => ({ ...f, dataId: `filter-${f.name}` }));
  }
  /** The scoring run's status and recompute belong to the whole list, not to a segment's. */
  get showScoringStatus() {
    return !this.segmentId;
  }
  get headingId() {
    return this.segmentId ? 'members-heading' : 'accounts-heading';
  }
  get heading() {
    return this.segmentId ? 'Members' : 'Accounts';
  }
  get pageIndex() {
    return this._cursors.length - 1;
  }
  get countText() {
    if (this.count === null) {
      return '';
    }
    const total = `${formatNumber(this.count)}${this.countCapped ? '+' : ''}`;
    const noun = this.count === 1 && !this.countCapped ? 'account' : 'accounts';
    if (this.rows.length === 0) {
      return `${total} ${noun}`;
    }
    const first = this.pageIndex * PAGE_SIZE + 1;
    return `${formatNumber(first)}–${formatNumber(first + this.rows.length - 1)} of ${total} ${noun}`;
  }
  /** `aria-busy` of the list and its count: a newer view is being fetched, what shows is the previous one. */
  get busy() {
    return this.loading ? 'true' : 'false';
  }
  get hasRows() {
    return this.rows.length > 0;
  }
  get isEmpty() {
    return !this.loading && !this.error && this.rows.length === 0;
  }
  get previousDisabled() {
    return this.loading || this.pageIndex === 0;
  }
  get nextDisabled() {
    return this.loading || !this._nextCursor;
  }

  /** The list query of this view and page (what the API and the CSV export get). */
  apiQuery(cursor) {
    const params = new URLSearchParams();
    params.set('sort', this.sort);
    params.set('dir', this.dir);
    for (const name of FILTERS) {
      const value = this.params.get(name);
      if (value) {
        params.set(name, value);
      }
    }
    return { params, cursor };
  }

  async load() {
    if (!this.client) {
      return;
    }
    const seq = ++this._loadSeq;
    const { params } = this.apiQuery();
    const query = params.toString();
    params.set('limit', String(PAGE_SIZE));
    const cursor = this._cursors[this._cursors.length - 1];
    if (cursor) {
      params.set('cursor', cursor);
    }
    this.loading = true;
    this.error = undefined;
    try {
      const pageQuery = params.toString();
      const page = await this.client.call((token) => this.fetchPage(pageQuery, token));
      // Only the answer to the latest request shows: an older one arriving late is dropped, and
      // the rows and their count always come from the same answer.
      if (seq !== this._loadSeq) {
        return;
      }
      this.answeredQuery = query;
      this.rows = page.accounts.map((a) => this.toRow(a));
      this.count = page.count;
      this.countCapped = page.countCapped;
      this._nextCursor = page.nextCursor;
    } catch (error) {
      if (seq === this._loadSeq) {
        // The previous rows and count answered other filters: never show them beside these.
        this.answeredQuery = query;
        this.rows = [];
        this.count = null;
        this.countCapped = false;
        this._nextCursor = null;
        this.error = error.message;
      }
    }
    if (seq === this._loadSeq) {
      this.loading = false;
    }
  }

  async loadIndustries() {
    try {
      const { industries } = await this.client.call((token) => fetchIndustries(token));
      this.industries = industries;
    } catch {
      this.industries = [];
    }
  }

  /** A page of the list: all accounts, or the segment's. */
  fetchPage(query, token) {
    return this.segmentId ? fetchSegmentAccounts(this.segmentId, query, token) : fetchAccounts(query, token);
  }

  fetchCsv(query, token) {
    return this.segmentId ? fetchSegmentCsv(this.segmentId, query, token) : fetchAccountsCsv(query, token);
  }

  async loadSegments() {
    try {
      const { segments } = await this.client.call((token) => fetchSegments(token));
      this.segments = [...segments].sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      // Without the list the filter offers only "Any"; a `segment` in the URL still applies.
      this.segments = [];
    }
  }

  toRow(a) {
    return {
      ...a,
      href: `/accounts/${encodeURIComponent(a.id)}`,
      nameText: a.name || a.id,
      employeesText: a.employees == null ? '' : formatNumber(a.employees),
      fitText: a.profileFit ? `${a.profileFit} (${a.profileScore})` : '—',
      intentText: a.intentScore == null ? '—' : String(a.intentScore),
      stageText: a.buyingStage || '—',
      reachText: a.reach || '—',
      qualifiedText: a.qualified
        ? `Yes, since ${formatDate(a.qualifiedSince)}`
        : a.qualified === false
          ? 'No'
          : '—',
      qualifiedClass: a.qualified ? 'slds-text-color_success' : '',
    };
  }

  /** Changes sort or filters: a new history entry (search typing replaces the current one). */
  update(changes, replace = false) {
    const params = this.params;
    for (const [name, value] of Object.entries(changes)) {
      if (value) {
        params.set(name, value);
      } else {
        params.delete(name);
      }
    }
    const query = params.toString();
    this.dispatchEvent(
      new CustomEvent('navigate', {
        detail: { path: `${this.basePath}${query ? `?${query}` : ''}`, replace },
      }),
    );
  }

  handleSort(event) {
    const key = event.currentTarget.dataset.key;
    const column = COLUMNS.find((c) => c.key === key);
    const dir = key === this.sort ? (this.dir === 'asc' ? 'desc' : 'asc') : column.defaultDir;
    this.update({ sort: key, dir });
  }

  handleFilter(event) {
    this.update({ [event.target.name]: event.target.value });
  }

  handleSearch(event) {
    const text = event.target.value;
    clearTimeout(this._searchTimer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this._searchTimer = setTimeout(() => this.update({ q: text.trim() }, true), SEARCH_DELAY_MS);
  }

  handleOpen(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }

  handleNext() {
    if (this._nextCursor) {
      this._cursors = [...this._cursors, this._nextCursor];
      this.load();
    }
  }

  handlePrevious() {
    if (this._cursors.length > 1) {
      this._cursors = this._cursors.slice(0, -1);
      this.load();
    }
  }

  handleRecomputed() {
    this._cursors = [null];
    this.load();
  }

  async handleExport() {
    this.exporting = true;
    try {
      const { params } = this.apiQuery();
      const query = params.toString();
      const blob = await this.client.call((token) => this.fetchCsv(query, token));
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      const what = this.segmentId ? `segment-${this.segmentId}` : 'accounts';
      link.download = `signalfit-${what}-${new Date().toISOString().slice(0, 10)}.csv`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      this.error = error.message;
    }
    this.exporting = false;
  }
}
