import { LightningElement, api } from 'lwc';
import { buyPerson, findMorePeople } from 'sf/orchestrationsApi';
import { formatNumber } from 'sf/format';

const OUTCOME_TEXT = Object.freeze({
  pushed: 'Bought and added to Salesforce',
  purchased: 'Bought; not yet in Salesforce',
  failed: 'Not bought',
});

/**
 * "Find more people like this" for a persona without people at the account: up to 10 of the
 * provider's people who would fit (nothing is bought to show them), each with a Buy button that
 * buys that one person (source type "Sales Intelligence") and says what happened.
 */
export default class PersonaFinder extends LightningElement {
  @api accountId;
  @api persona;
  @api accessToken;

  searched = false;
  searching = false;
  provider = null;
  candidates = [];
  error;
  /** `{ [providerId]: { busy, text, failed } }`. */
  bought = {};

  get buttonLabel() {
    return `Find more people like this (${this.persona})`;
  }
  get noProvider() {
    return this.searched && !this.error && !this.provider;
  }
  get nothingFound() {
    return this.searched && !this.error && !!this.provider && this.candidates.length === 0;
  }
  get hasCandidates() {
    return this.candidates.length > 0;
  }
  get caption() {
    return `People like ${this.persona} from ${this.provider ? this.provider.name : ''}`;
  }
  get rows() {
    return this.candidates.map((c) => {
      const name = [c.first_name, c.last_name].filter(Boolean).join(' ') || c.email;
      const state = this.bought[c.provider_id] || {};
      return {
        id: c.provider_id,
        name,
        title: c.title || '—',
        country: c.country || '—',
        confidence: c.email_confidence || '—',
        cost: formatNumber(c.cost),
        buyLabel: `Buy ${name}`,
        busy: !!state.busy || !!state.text,
        result: state.text,
        resultClass: state.failed ? 'slds-text-color_error' : 'slds-text-color_success',
      };
    });
  }

  async handleFind() {
    this.searching = true;
    this.error = undefined;
    try {
      const answer = await findMorePeople(this.accountId, this.persona, this.accessToken);
      this.provider = answer.provider;
      this.candidates = (answer.candidates || []).slice(0, 10);
    } catch (error) {
      this.error = error.message;
    }
    this.searched = true;
    this.searching = false;
  }

  async handleBuy(event) {
    const providerId = event.currentTarget.dataset.providerId;
    this.bought = { ...this.bought, [providerId]: { busy: true } };
    let state;
    try {
      const result = await buyPerson(this.accountId, providerId, this.persona, this.accessToken);
      const text = OUTCOME_TEXT[result.outcome] || result.outcome;
      const detail = result.error ? `: ${result.error}` : result.target_id ? ` (${result.target_id})` : '';
      state = { text: `${text}${detail}`, failed: result.outcome === 'failed' };
    } catch (error) {
      state = { text: `Not bought: ${error.message}`, failed: true };
    }
    this.bought = { ...this.bought, [providerId]: state };
  }
}
