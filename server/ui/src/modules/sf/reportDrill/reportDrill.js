import { LightningElement, api } from 'lwc';
import { fetchSegmentPerformanceAccounts } from 'sf/reportsApi';
import { downloadCsv, formatNumber, plural } from 'sf/format';

/**
 * The accounts behind one number of the segment performance report (`table` and `drillKey` of
 * GET /api/reports/segment-performance/accounts, with the report's `query`), in a modal with
 * links to the accounts; the first 500 by name, with the total.
 */
export default class ReportDrill extends LightningElement {
  @api client;
  @api query;
  @api table;
  @api drillKey;
  @api label;
  answer;
  error;
  loading = true;

  connectedCallback() {
    this.load();
  }

  async load() {
    try {
      this.answer = await this.client.call((token) =>
        fetchSegmentPerformanceAccounts(this.query, this.table, this.drillKey, token),
      );
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
  }

  renderedCallback() {
    if (!this._focused) {
      const close = this.template.querySelector('[data-id="close"]');
      if (close) {
        close.focus();
        this._focused = true;
      }
    }
  }

  get accounts() {
    return this.answer.accounts.map((account) => ({
      ...account,
      // An account without a name in the CRM is shown by its id.
      name: account.name || account.id,
      href: `/accounts/${encodeURIComponent(account.id)}`,
    }));
  }
  get totalText() {
    const { total, accounts } = this.answer;
    const all = plural(total, 'account', 'accounts');
    return total > accounts.length ? `${all}, the first ${formatNumber(accounts.length)} by name` : all;
  }

  handleOpen(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }

  handleExport() {
    if (!this.answer) {
      return;
    }
    downloadCsv(`segment-performance-${this.table}-${this.drillKey}.csv`, [
      ['id', 'name', 'domain'],
      ...this.answer.accounts.map((account) => [account.id, account.name, account.domain]),
    ]);
  }

  handleKeydown(event) {
    if (event.key === 'Escape') {
      this.handleClose();
    }
  }

  handleClose() {
    this.dispatchEvent(new CustomEvent('close'));
  }
}
