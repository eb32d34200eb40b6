import { LightningElement, api } from 'lwc';
import { formatDate, formatNumber } from 'sf/format';

/** The account view: scores and their reasons, the buying committee, research and activity. */
export default class AccountView extends LightningElement {
  @api intelligence;
  /** The bearer access token; with it the persona map offers "Add to Outreach sequence". */
  @api accessToken;

  @api focusHeading() {
    const heading = this.template.querySelector('h1');
    if (heading) {
      heading.focus();
    }
  }

  get account() {
    return this.intelligence.account;
  }

  get scores() {
    return this.intelligence.scores;
  }

  get facts() {
    const a = this.account;
    return [a.domain, a.industry, a.employees ? `${formatNumber(a.employees)} employees` : null, a.country]
      .filter(Boolean)
      .join(' · ');
  }

  get asOfText() {
    return this.scores ? `Scores as of ${formatDate(this.scores.asOf)}` : '';
  }

  get reasonGroups() {
    const reasons = this.scores ? this.scores.reasons : { profile: [], intent: [], reach: [] };
    return [
      { key: 'profile', title: 'Why this profile fit', reasons: reasons.profile },
      { key: 'intent', title: 'Why this intent', reasons: reasons.intent },
      { key: 'reach', title: 'Why this reach', reasons: reasons.reach },
    ];
  }

  handleOpenPerson(event) {
    this.dispatchEvent(new CustomEvent('openperson', { detail: event.detail }));
  }
}
