import { LightningElement, api } from 'lwc';
import { CLASS_LABELS, formatDate, sourceLabel, typeLabel } from 'sf/format';
import { isSalesforceId } from 'sf/protocol';
import { canAddToOutreach } from 'sf/outreachApi';

/** The person view: a contact or lead with engagement, fit, persona, reasons and recent activity. */
export default class PersonView extends LightningElement {
  @api detail;
  /** True when the user came here from the account view (the back button says so). */
  @api showBack = false;

  /** The bearer access token: with it, the Outreach history and "Add to Outreach sequence" show. */
  @api
  get accessToken() {
    return this._accessToken;
  }
  set accessToken(value) {
    this._accessToken = value;
    this.loadOutreachStatus();
  }

  _accessToken;
  canEnroll = false;
  dialogOpen = false;

  async loadOutreachStatus() {
    this.canEnroll = await canAddToOutreach(this._accessToken);
  }

  get showOutreach() {
    return !!this._accessToken;
  }

  get canAddToSequence() {
    return this.canEnroll && !this.person.optedOut;
  }

  get dialogPeople() {
    return [{ id: this.person.id, name: this.person.name }];
  }

  handleAddToSequence() {
    this.dialogOpen = true;
  }

  handleDialogClose() {
    this.dialogOpen = false;
    const history = this.template.querySelector('sf-outreach-history');
    if (history) {
      history.refresh();
    }
  }

  @api focusHeading() {
    const heading = this.template.querySelector('h1');
    if (heading) {
      heading.focus();
    }
  }

  get person() {
    return this.detail.person;
  }

  get scores() {
    return this.detail.scores;
  }

  get backLabel() {
    const name = this.detail.account.name || 'the account';
    return this.showBack ? `Back to ${name}` : `View ${name}`;
  }

  get icon() {
    return this.person.kind === 'lead' ? 'standard:lead' : 'standard:contact';
  }

  get kindLabel() {
    return this.person.kind === 'lead' ? 'Lead' : 'Contact';
  }

  get subtitle() {
    return [this.person.title, this.person.jobLevel, this.person.jobFunction].filter(Boolean).join(' · ');
  }

  get canOpenInSalesforce() {
    return isSalesforceId(this.person.id);
  }

  get tiles() {
    const s = this.scores;
    return [
      { key: 'grade', label: 'Engagement', value: s.engagementGrade, detail: `${s.engagementScore} / 100` },
      {
        key: 'fit',
        label: 'Profile fit',
        value: s.profileFit || 'Unknown',
        detail: s.profileScore == null ? 'no profile score' : `${s.profileScore} / 100`,
      },
      { key: 'persona', label: 'Persona', value: s.persona || 'None', detail: 'first matching persona' },
    ];
  }

  get asOfText() {
    return this.scores ? `Scores as of ${formatDate(this.scores.asOf)}` : '';
  }

  get hasActivity() {
    return this.detail.recentActivity.length > 0;
  }

  get activities() {
    return this.detail.recentActivity.map((a) => ({
      key: a.id,
      when: formatDate(a.occurredAt),
      what: typeLabel(a.type),
      kind: CLASS_LABELS[a.class] || '',
      detail: [a.keyword, a.campaign, a.source ? sourceLabel(a.source) : null].filter(Boolean).join(' · '),
    }));
  }

  handleBack() {
    this.dispatchEvent(new CustomEvent('back'));
  }

  handleOpenInSalesforce() {
    this.dispatchEvent(
      new CustomEvent('openrecord', {
        detail: { recordId: this.person.id, objectApiName: this.person.kind === 'lead' ? 'Lead' : 'Contact' },
      }),
    );
  }
}
