import { LightningElement, api } from 'lwc';
import { fetchCredits } from 'sf/orchestrationsApi';
import { formatDate, formatNumber } from 'sf/format';

/**
 * The credits meter: the period's allowance, what was used, the balance and any overage, from
 * GET /api/credits. `refresh()` reads it again (after a run bought something).
 */
export default class CreditsMeter extends LightningElement {
  /** `{ call(request) }` from the app shell. */
  @api client;

  credits = null;
  loaded = false;
  error;

  connectedCallback() {
    this.refresh();
  }

  @api
  async refresh() {
    this.error = undefined;
    try {
      const answer = await this.client.call((token) => fetchCredits(token));
      this.credits = (answer && answer.credits) || null;
    } catch (error) {
      this.error = `Credits could not be read: ${error.message}`;
    }
    this.loaded = true;
  }

  get hasCredits() {
    return this.loaded && !!this.credits;
  }
  get noAllowance() {
    return this.loaded && !this.error && !this.credits;
  }
  get usedPercent() {
    const { used, allowance } = this.credits;
    return allowance > 0 ? Math.min(100, Math.round((used / allowance) * 100)) : 100;
  }
  get facts() {
    const c = this.credits;
    return [
      { key: 'allowance', label: 'Allowance', text: formatNumber(c.allowance) },
      { key: 'used', label: 'Used', text: formatNumber(c.used) },
      { key: 'balance', label: 'Balance', text: formatNumber(c.balance) },
      { key: 'overage', label: 'Overage', text: formatNumber(c.overage) },
    ];
  }
  get periodText() {
    const c = this.credits;
    const overage = c.allowOverage ? 'overage allowed' : 'buying stops at the allowance';
    return `This month: ${formatDate(c.periodStart)} to ${formatDate(c.periodEnd)} · ${overage}`;
  }
  get meterLabel() {
    return `${this.usedPercent}% of the allowance used`;
  }
}
