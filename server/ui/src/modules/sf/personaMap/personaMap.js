import { LightningElement, api } from 'lwc';
import { formatDate, plural } from 'sf/format';
import { canAddToOutreach } from 'sf/outreachApi';
import { fetchSession } from 'sf/segmentsApi';

const GAP_TEXT = {
  no_one_known: 'Gap: no one known',
  no_one_engaged: 'Gap: no one engaged',
};

/**
 * The buying committee: personas in priority order, their people, and where no one is known or
 * engaged. Given an access token of a user who may enroll (and Outreach set up on the service),
 * people can be selected and added to an Outreach sequence; opted-out people are shown but
 * cannot be selected. A user who may buy contacts (`contacts.acquire`) can look for people like a
 * persona that has no one at the account, and buy them one by one.
 */
export default class PersonaMap extends LightningElement {
  @api personaMap;
  /** The account's id, for "find more people like this". */
  @api accountId;

  @api
  get accessToken() {
    return this._accessToken;
  }
  set accessToken(value) {
    this._accessToken = value;
    this.loadOutreachStatus();
    this.loadCanAcquire();
  }

  _accessToken;
  canEnroll = false;
  canAcquire = false;
  selectedIds = [];
  dialogOpen = false;

  async loadOutreachStatus() {
    this.canEnroll = await canAddToOutreach(this._accessToken);
  }

  /** Whether this user may buy people (the session's `contacts.acquire`); no by default. */
  async loadCanAcquire() {
    if (!this._accessToken) {
      this.canAcquire = false;
      return;
    }
    try {
      const session = await fetchSession(this._accessToken);
      this.canAcquire = !!(session && session.can && session.can['contacts.acquire']);
    } catch {
      this.canAcquire = false;
    }
  }

  get groups() {
    return this.personaMap.personas.map((group, index) => ({
      key: group.persona,
      headingId: `persona-${index}`,
      persona: group.persona,
      gapText: GAP_TEXT[group.gap] || '',
      hasGap: !!group.gap,
      countText: plural(group.total, 'person', 'people'),
      more: group.total > group.people.length ? `and ${group.total - group.people.length} more` : '',
      hasPeople: group.people.length > 0,
      people: group.people.map((person) => ({
        ...person,
        subtitle: [person.title, person.kind === 'lead' ? 'Lead' : null].filter(Boolean).join(' · '),
        grade: person.engagementGrade || '–',
        gradeLabel: person.engagementGrade ? `Engagement grade ${person.engagementGrade}` : 'Not scored yet',
        gradeClass: `sf-grade sf-grade_${(person.engagementGrade || 'none').toLowerCase()}`,
        fit: person.profileFit ? `${person.profileFit} fit` : 'Fit unknown',
        last: person.lastActivityAt
          ? `Last activity ${formatDate(person.lastActivityAt)}`
          : 'No activity in 90 days',
        buttonLabel: `Open ${person.name}`,
        checkboxId: `select-${person.id}`,
        checked: this.selectedIds.includes(person.id),
        selectLabel: person.optedOut
          ? `${person.name} opted out and cannot be added to a sequence`
          : `Select ${person.name}`,
      })),
    }));
  }

  get hasPersonas() {
    return this.personaMap.personas.length > 0;
  }

  get unassignedText() {
    const n = this.personaMap.unassigned;
    return n > 0 ? `${plural(n, 'person matches', 'people match')} no persona.` : '';
  }

  get selectedCount() {
    return this.selectedIds.length;
  }

  get selectionText() {
    return this.selectedIds.length
      ? `${plural(this.selectedIds.length, 'person', 'people')} selected`
      : 'Select people to add them to an Outreach sequence';
  }

  get addDisabled() {
    return this.selectedIds.length === 0;
  }

  get selectedPeople() {
    const people = this.personaMap.personas.flatMap((group) => group.people);
    return this.selectedIds.map((id) => {
      const person = people.find((p) => p.id === id);
      return { id, name: person ? person.name : id };
    });
  }

  handleSelect(event) {
    const id = event.target.dataset.id;
    const others = this.selectedIds.filter((selected) => selected !== id);
    this.selectedIds = event.target.checked ? [...others, id] : others;
  }

  handleAdd() {
    this.dialogOpen = true;
  }

  handleDialogClose(event) {
    this.dialogOpen = false;
    if (event.detail && event.detail.enrolled) {
      this.selectedIds = [];
    }
  }

  handleOpen(event) {
    this.dispatchEvent(new CustomEvent('openperson', { detail: { id: event.currentTarget.dataset.id } }));
  }
}
