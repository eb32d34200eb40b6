import { LightningElement, api } from 'lwc';
import {
  addOptOut,
  exportOptOuts,
  fetchOptOutReport,
  fetchOptOuts,
  importOptOuts,
  removeOptOut,
} from 'sf/optOutsApi';
import { formatDate, formatNumber, plural, saveBlob } from 'sf/format';

/** A file's text (UTF-8), with FileReader. */
function readText(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

const PLACE_LABELS = {
  outreach_enrollment: 'Outreach enrolment (panel)',
  orchestration_record: 'Orchestration push',
  orchestration_audience: 'Orchestration audience',
  salesforce_campaign_member: 'Salesforce campaign member',
  salesforce_lead: 'Salesforce Lead created',
  salesforce_contact: 'Salesforce Contact created',
  purchase: 'Provider purchase',
};

const targetOf = (text) => (text.includes('@') ? { email: text } : { domain: text });

/**
 * The central opt-out list (Admin and Operations: `can['optouts.manage']`): the entries with a
 * search, add one address or domain, remove one after a confirmation, import a CSV (its counts
 * and bad rows shown), export the list, and the report of the last 7 days (new opt-outs, and
 * opted-out addresses still in pushed audiences).
 */
export default class OptOutsPage extends LightningElement {
  @api client;

  entries = [];
  total = 0;
  search = '';
  newValue = '';
  newReason = '';
  loading = true;
  error;
  notice;
  /** The entry awaiting the user's confirmation of its removal: `kind:value`. */
  confirming;
  importResult;
  report;
  _searchTimer;

  connectedCallback() {
    this.load();
  }

  async load() {
    this.error = undefined;
    try {
      const { entries, total } = await this.client.call((token) =>
        fetchOptOuts({ q: this.search.trim() }, token),
      );
      this.entries = entries || [];
      this.total = total;
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
  }

  get countText() {
    return this.loading ? '' : plural(this.total, 'entry', 'entries');
  }
  get rows() {
    return this.entries.map((e) => {
      const key = `${e.kind}:${e.value}`;
      return {
        key,
        kind: e.kind === 'email' ? 'Address' : 'Domain',
        value: e.value,
        source: e.source,
        reason: e.reason || '',
        added: `${formatDate(e.createdAt)} · ${e.createdBy}`,
        confirming: this.confirming === key,
        removeLabel: `Remove ${e.value}`,
      };
    });
  }
  get hasRows() {
    return this.entries.length > 0;
  }
  get isEmpty() {
    return !this.loading && !this.error && this.entries.length === 0;
  }
  get importSummary() {
    const r = this.importResult;
    return r
      ? `${formatNumber(r.rows)} rows: ${formatNumber(r.added)} added, ${formatNumber(r.already)} already listed, ${formatNumber(r.bad)} bad`
      : '';
  }
  get hasBadRows() {
    return !!this.importResult && this.importResult.badRows.length > 0;
  }
  get badRows() {
    return this.importResult ? this.importResult.badRows.map((r) => ({ ...r, key: String(r.line) })) : [];
  }
  get reportSummary() {
    const r = this.report;
    if (!r) {
      return '';
    }
    const n = r.newOptOuts;
    return `${formatDate(r.since)} to ${formatDate(r.until)}: ${plural(n.listEmails, 'address', 'addresses')} and ${plural(n.listDomains, 'domain', 'domains')} added to the list, ${plural(n.people, 'person', 'people')} flagged opted out.`;
  }
  get stillPresentText() {
    const total = this.report ? this.report.stillPresent.total : 0;
    return total === 0
      ? 'No opted-out address is still in a pushed audience.'
      : `${plural(total, 'record', 'records')} of opted-out addresses still where Signalfit pushed them: clean them up there.`;
  }
  get stillPresent() {
    return this.report
      ? this.report.stillPresent.records.map((r, i) => ({
          key: `${i}`,
          email: r.email,
          place: PLACE_LABELS[r.place] || r.place,
          target: r.target || '',
          pushedAt: formatDate(r.pushedAt),
          why: r.why,
        }))
      : [];
  }
  get hasStillPresent() {
    return this.stillPresent.length > 0;
  }

  handleSearch(event) {
    this.search = event.target.value;
    clearTimeout(this._searchTimer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this._searchTimer = setTimeout(() => this.load(), 250);
  }
  handleValue(event) {
    this.newValue = event.target.value;
  }
  handleReason(event) {
    this.newReason = event.target.value;
  }

  async handleAdd(event) {
    event.preventDefault();
    this.error = undefined;
    this.notice = undefined;
    const value = this.newValue.trim();
    if (!value) {
      this.error = 'Give an address (jo@acme.com) or a domain (acme.com).';
      return;
    }
    try {
      const body = {
        ...targetOf(value),
        ...(this.newReason.trim() ? { reason: this.newReason.trim() } : {}),
      };
      const { entry, added } = await this.client.call((token) => addOptOut(body, token));
      this.notice = added ? `Added ${entry.value}.` : `${entry.value} is already on the list.`;
      this.newValue = '';
      this.newReason = '';
    } catch (error) {
      this.error = error.message;
    }
    await this.load();
  }

  handleAskRemove(event) {
    this.confirming = event.currentTarget.dataset.key;
  }
  handleCancelRemove() {
    this.confirming = undefined;
  }
  async handleConfirmRemove(event) {
    const key = event.currentTarget.dataset.key;
    const at = key.indexOf(':');
    const target = { [key.slice(0, at)]: key.slice(at + 1) };
    this.confirming = undefined;
    this.error = undefined;
    try {
      const { entry } = await this.client.call((token) => removeOptOut(target, token));
      this.notice = `Removed ${entry.value}.`;
    } catch (error) {
      this.error = error.message;
    }
    await this.load();
  }

  async handleImport(event) {
    const [file] = event.target.files;
    this.importResult = undefined;
    this.error = undefined;
    if (!file) {
      return;
    }
    try {
      const csv = await readText(file);
      this.importResult = await this.client.call((token) => importOptOuts(csv, token));
    } catch (error) {
      this.error = error.message;
    }
    await this.load();
  }

  async handleExport() {
    this.error = undefined;
    try {
      const blob = await this.client.call((token) => exportOptOuts(token));
      saveBlob(blob, `signalfit-opt-outs-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (error) {
      this.error = error.message;
    }
  }

  async handleReport() {
    this.error = undefined;
    try {
      this.report = await this.client.call((token) => fetchOptOutReport(token));
    } catch (error) {
      this.error = error.message;
    }
  }
}
