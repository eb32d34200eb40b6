import { LightningElement, api } from 'lwc';
import { formatDate, plural } from 'sf/format';

const GAP_TEXT = {
  no_one_known: 'Gap: no one known',
  no_one_engaged: 'Gap: no one engaged',
};

/** The buying committee: personas in priority order, their people, and where no one is known or engaged. */
export default class PersonaMap extends LightningElement {
  @api personaMap;

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

  handleOpen(event) {
    this.dispatchEvent(new CustomEvent('openperson', { detail: { id: event.currentTarget.dataset.id } }));
  }
}
