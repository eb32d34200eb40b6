import type { PersonSummary } from './accountPeople';
import { personaMap, PEOPLE_PER_PERSONA } from './personaMap';
import { reasonsOf } from './reasons';

const person = (id: string, persona: string | null, grade: PersonSummary['engagementGrade'], score = 50) =>
  ({
    id,
    name: id,
    title: null,
    kind: 'contact',
    optedOut: false,
    persona,
    engagementGrade: grade,
    engagementScore: grade ? score : null,
    profileFit: null,
    lastActivityAt: null,
  }) satisfies PersonSummary;

describe('personaMap', () => {
  it('keeps the configured order, marks gaps, and lists the most engaged first', () => {
    const map = personaMap(
      [{ name: 'Buyer' }, { name: 'Champion' }, { name: 'User' }],
      [
        person('u1', 'User', 'C'),
        person('u2', 'User', 'A', 70),
        person('u3', 'User', 'A', 90),
        person('b1', 'Buyer', 'D'),
      ],
    );
    expect(map.personas.map((g) => [g.persona, g.gap, g.people.map((p) => p.id)])).toEqual([
      ['Buyer', 'no_one_engaged', ['b1']],
      ['Champion', 'no_one_known', []],
      ['User', null, ['u3', 'u2', 'u1']],
    ]);
  });

  it('lists at most five people per persona and counts them all; personas no longer configured come last', () => {
    const many = Array.from({ length: 7 }, (_, i) => person(`p${i}`, 'User', 'B', i));
    const map = personaMap(
      [{ name: 'User' }],
      [...many, person('x', 'Retired persona', 'A'), person('n', null, null)],
    );
    expect(map.personas[0]!.people).toHaveLength(PEOPLE_PER_PERSONA);
    expect(map.personas[0]!.total).toBe(7);
    expect(map.personas[1]).toMatchObject({ persona: 'Retired persona', total: 1, gap: null });
    expect(map.unassigned).toBe(1);
  });
});

describe('reasonsOf', () => {
  it('returns the strongest signals first by absolute weight and drops malformed entries', () => {
    const stored = {
      intent: [
        { text: 'small', weight: 0.1 },
        { text: 'against', weight: -0.9 },
        { text: 'for', weight: 0.5 },
        { text: 'no weight' },
        'junk',
      ],
    };
    expect(reasonsOf(stored, 'intent')).toEqual([
      { text: 'against', weight: -0.9 },
      { text: 'for', weight: 0.5 },
      { text: 'small', weight: 0.1 },
    ]);
    expect(reasonsOf(stored, 'reach')).toEqual([]);
    expect(reasonsOf(null, 'intent')).toEqual([]);
  });
});
