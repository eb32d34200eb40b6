import type { JobLevel } from '../canonical';

/**
 * The persona map: an ordered list of the roles a buying committee is made of. A person maps to
 * the FIRST persona that matches, so the order is the priority (the dashboard shows personas in
 * this order, with the gaps where nobody is known).
 *
 * A persona matches a person when every condition it sets holds:
 * - `jobLevels`: the person's job level is one of them (empty: any level);
 * - `jobFunctions`: the person's job function is one of them, compared case-insensitively
 *   (empty: any function);
 * - `titleIncludes`: the title contains at least one of these words or phrases (empty: no
 *   condition); `titleExcludes`: the title contains none of them. Title words match whole words,
 *   case-insensitively ("cto" matches "CTO & Co-founder", not "Director").
 */
export interface Persona {
  name: string;
  jobLevels: JobLevel[];
  jobFunctions: string[];
  titleIncludes: string[];
  titleExcludes: string[];
}

export interface PersonJob {
  job_level: string | null;
  job_function: string | null;
  title: string | null;
}

const TECHNICAL_FUNCTIONS = ['Engineering', 'IT', 'Security', 'DevOps'];

/**
 * Defaults for a B2B software product sold to technical teams: who signs, who decides, who
 * evaluates, who pays, and who uses it. Operators replace them in the settings.
 */
export const DEFAULT_PERSONAS: Persona[] = [
  {
    name: 'Executive sponsor',
    jobLevels: ['C-Level', 'VP'],
    jobFunctions: [...TECHNICAL_FUNCTIONS, 'Product'],
    titleIncludes: [],
    titleExcludes: ['assistant'],
  },
  {
    name: 'Technical decision maker',
    jobLevels: ['Director', 'Manager'],
    jobFunctions: TECHNICAL_FUNCTIONS,
    titleIncludes: [],
    titleExcludes: ['assistant', 'intern'],
  },
  {
    name: 'Finance and procurement',
    jobLevels: ['C-Level', 'VP', 'Director', 'Manager'],
    jobFunctions: ['Finance'],
    titleIncludes: [],
    titleExcludes: [],
  },
  {
    name: 'Practitioner',
    jobLevels: ['Staff'],
    jobFunctions: TECHNICAL_FUNCTIONS,
    titleIncludes: [],
    titleExcludes: ['intern', 'student'],
  },
  {
    name: 'Business leader',
    jobLevels: ['C-Level', 'VP'],
    jobFunctions: [],
    titleIncludes: [],
    titleExcludes: ['assistant'],
  },
];

function normalised(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
}

function titleHas(title: string, phrase: string): boolean {
  const needle = normalised(phrase);
  return needle.trim() !== '' && title.includes(needle);
}

export function personaMatches(persona: Persona, person: PersonJob): boolean {
  if (persona.jobLevels.length > 0 && !persona.jobLevels.some((level) => level === person.job_level))
    return false;
  if (persona.jobFunctions.length > 0) {
    const jobFunction = person.job_function?.toLowerCase();
    if (!persona.jobFunctions.some((candidate) => candidate.toLowerCase() === jobFunction)) return false;
  }
  const title = normalised(person.title ?? '');
  if (persona.titleIncludes.length > 0 && !persona.titleIncludes.some((phrase) => titleHas(title, phrase)))
    return false;
  return !persona.titleExcludes.some((phrase) => titleHas(title, phrase));
}

/** The name of the first persona the person matches, or null. */
export function personaOf(person: PersonJob, personas: readonly Persona[]): string | null {
  return personas.find((persona) => personaMatches(persona, person))?.name ?? null;
}
