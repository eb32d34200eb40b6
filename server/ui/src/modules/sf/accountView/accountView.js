import { LightningElement, api } from 'lwc';
import { formatDate, formatNumber } from 'sf/format';
import { scoredByText } from 'sf/modelsApi';

/** The account view: scores and their reasons, the buying committee, research and activity. */
export default class AccountView extends LightningElement {
  @api intelligence;
  /** The bearer access token; with it the persona map offers "Add to Outreach sequence". */
  @api accessToken;
  /** In the standalone app the account's segments link to their pages; the panel names them. */
  @api segmentLinks = false;
  /** In the standalone app, for users who may `models.view`: the model versions line links to the Models page. */
  @api modelsLink = false;

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

  /** "Scored by model versions: intent #12, profile fit #13, …" (an older label as it is). */
  get scoredByText() {
    return this.scores ? scoredByText(this.scores.modelVersion) : '';
  }

  get reasonGroups() {
    const reasons = this.scores ? this.scores.reasons : { profile: [], intent: [], reach: [] };
    return [
      { key: 'profile', title: 'Why this profile fit', reasons: reasons.profile },
      { key: 'intent', title: 'Why this intent', reasons: reasons.intent },
      { key: 'reach', title: 'Why this reach', reasons: reasons.reach },
    ];
  }

  /** The segments the account is in (current run), published ones marked. */
  get segmentItems() {
    const segments = this.intelligence.segments || [];
    return segments.map((s, i) => ({
      ...s,
      href: `/segments/${encodeURIComponent(s.id)}`,
      separator: i < segments.length - 1 ? ', ' : '',
    }));
  }

  get hasSegments() {
    return this.segmentItems.length > 0;
  }

  handleOpenModels(event) {
    event.preventDefault();
    this.dispatchEvent(new CustomEvent('navigate', { detail: { path: '/models' } }));
  }

  handleOpenSegment(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }

  handleOpenPerson(event) {
    this.dispatchEvent(new CustomEvent('openperson', { detail: event.detail }));
  }
}
