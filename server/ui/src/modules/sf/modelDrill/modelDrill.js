import { LightningElement, api } from 'lwc';
import { fetchComparisonAccounts } from 'sf/modelsApi';
import { downloadCsv, formatNumber, plural } from 'sf/format';

/** Accounts fetched at a time. */
export const PAGE_SIZE = 50;

const NOT_SCORED = 'Not scored';
const scoreText = (value) => (typeof value === 'number' ? formatNumber(value) : '—');
const qualifiedText = (state) => {
  if (!state) {
    return NOT_SCORED;
  }
  return state.qualified ? 'Yes' : 'No';
};

/**
 * The accounts behind one number of the model comparison (GET /api/models/compare/accounts with
 * `filter` = `{ kind, from?, to? }`) in a modal: each account's stage, fit, scores and qualified
 * under the active versions and the candidate, linked to the account; 50 at a time with
 * **Load more**, with the total.
 */
export default class ModelDrill extends LightningElement {
  @api client;
  @api filter;
  @api label;
  accounts = [];
  total = 0;
  error;
  loading = true;
  _focused = false;

  connectedCallback() {
    this.load(0);
  }

  async load(offset) {
    this.loading = true;
    this.error = undefined;
    try {
      const answer = await this.client.call((token) =>
        fetchComparisonAccounts({ ...this.filter, limit: PAGE_SIZE, offset }, token),
      );
      this.total = answer.total;
      this.accounts = offset === 0 ? answer.accounts : [...this.accounts, ...answer.accounts];
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

  get rows() {
    return this.accounts.map((account) => {
      const a = account.active;
      const c = account.candidate;
      return {
        id: account.account_id,
        name: account.name || account.account_id,
        href: `/accounts/${encodeURIComponent(account.account_id)}`,
        stage: `${(a && a.stage) || NOT_SCORED} → ${(c && c.stage) || NOT_SCORED}`,
        fit: `${(a && a.fit) || NOT_SCORED} → ${(c && c.fit) || NOT_SCORED}`,
        intent: `${scoreText(a && a.intent_score)} → ${scoreText(c && c.intent_score)}`,
        profile: `${scoreText(a && a.profile_score)} → ${scoreText(c && c.profile_score)}`,
        qualified: `${qualifiedText(a)} → ${qualifiedText(c)}`,
      };
    });
  }
  get hasRows() {
    return this.accounts.length > 0;
  }
  get totalText() {
    const all = plural(this.total, 'account', 'accounts');
    return this.total > this.accounts.length ? `${all}, ${formatNumber(this.accounts.length)} shown` : all;
  }
  get hasMore() {
    return !this.error && this.accounts.length < this.total;
  }
  get isFirstLoad() {
    return this.loading && this.accounts.length === 0;
  }

  handleMore() {
    this.load(this.accounts.length);
  }

  handleOpen(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }

  handleExport() {
    const side = (state) => {
      if (!state) {
        return ['', '', '', '', ''];
      }
      return [state.stage, state.fit, state.intent_score, state.profile_score, state.qualified];
    };
    downloadCsv(
      `model-comparison-${[this.filter.kind, this.filter.from, this.filter.to].filter(Boolean).join('-')}.csv`,
      [
        [
          'account_id',
          'name',
          'active_stage',
          'active_fit',
          'active_intent_score',
          'active_profile_score',
          'active_qualified',
          'candidate_stage',
          'candidate_fit',
          'candidate_intent_score',
          'candidate_profile_score',
          'candidate_qualified',
        ],
        ...this.accounts.map((account) => [
          account.account_id,
          account.name,
          ...side(account.active),
          ...side(account.candidate),
        ]),
      ],
    );
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
