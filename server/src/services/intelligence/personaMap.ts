import { ENGAGEMENT_GRADES } from '../../domain/vocabulary';
import type { PersonSummary } from './accountPeople';

/** How many people each persona lists; the rest are counted. */
export const PEOPLE_PER_PERSONA = 5;

/**
 * Why a persona needs attention: nobody with that persona is known at the account, or nobody
 * known is engaged (engagement grade A or B).
 */
export type PersonaGap = 'no_one_known' | 'no_one_engaged' | null;

export interface PersonaGroup {
  persona: string;
  /** Everyone with the persona, most engaged first (at most PEOPLE_PER_PERSONA of them). */
  people: PersonSummary[];
  total: number;
  gap: PersonaGap;
}

export interface PersonaMap {
  personas: PersonaGroup[];
  /** People who match no persona (or are not scored yet). */
  unassigned: number;
}

/**
 * The buying committee: the configured personas in priority order, each with its known people
 * and its gap. Personas found on people but no longer configured follow, by name.
 */
export function personaMap(
  personas: readonly { name: string }[],
  people: readonly PersonSummary[],
): PersonaMap {
  const names = personas.map((p) => p.name);
  const extra = [
    ...new Set(people.map((p) => p.persona).filter((n): n is string => !!n && !names.includes(n))),
  ];
  const groups = [...names, ...extra.sort()].map((persona): PersonaGroup => {
    const members = people.filter((p) => p.persona === persona).sort(byEngagement);
    const engaged = members.some((p) => p.engagementGrade === 'A' || p.engagementGrade === 'B');
    return {
      persona,
      people: members.slice(0, PEOPLE_PER_PERSONA),
      total: members.length,
      gap: members.length === 0 ? 'no_one_known' : engaged ? null : 'no_one_engaged',
    };
  });
  return { personas: groups, unassigned: people.filter((p) => !p.persona).length };
}

function byEngagement(a: PersonSummary, b: PersonSummary): number {
  const grade = (p: PersonSummary) => (p.engagementGrade ? ENGAGEMENT_GRADES.indexOf(p.engagementGrade) : 4);
  return (
    grade(a) - grade(b) ||
    (b.engagementScore ?? -1) - (a.engagementScore ?? -1) ||
    (b.lastActivityAt ?? '').localeCompare(a.lastActivityAt ?? '') ||
    a.name.localeCompare(b.name)
  );
}
