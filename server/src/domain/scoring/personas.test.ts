import { DEFAULT_PERSONAS, personaMatches, personaOf, type Persona, type PersonJob } from './personas';

function job(job_level: string | null, job_function: string | null, title: string | null = null): PersonJob {
  return { job_level, job_function, title };
}

function persona(overrides: Partial<Persona> & { name: string }): Persona {
  return { jobLevels: [], jobFunctions: [], titleIncludes: [], titleExcludes: [], ...overrides };
}

describe('personaOf with the default persona map', () => {
  it.each([
    // C-Level in Engineering matches both the executive sponsor and the business leader: the first wins.
    [job('C-Level', 'Engineering', 'CTO'), 'Executive sponsor'],
    [job('VP', 'Product', 'VP Product'), 'Executive sponsor'],
    [job('VP', 'security', 'VP Security'), 'Executive sponsor'], // functions compare case-insensitively
    [job('C-Level', 'Sales', 'Chief Revenue Officer'), 'Business leader'],
    [job('Director', 'IT', 'Director of IT'), 'Technical decision maker'],
    [job('Manager', 'DevOps', 'Platform Engineering Manager'), 'Technical decision maker'],
    [job('Director', 'Finance', 'Director of Procurement'), 'Finance and procurement'],
    [job('C-Level', 'Finance', 'CFO'), 'Finance and procurement'], // not a technical function: skips the sponsor
    [job('Staff', 'Engineering', 'Software Engineer'), 'Practitioner'],
    [job('Staff', 'Engineering', 'Engineering Intern'), null], // excluded word
    [job('VP', 'Engineering', 'Executive Assistant to the VP of Engineering'), null], // excluded by both
    [job('Manager', 'Marketing', 'Marketing Manager'), null],
    [job(null, 'Engineering', 'Engineer'), null],
    [job('Staff', null, 'Engineer'), null],
  ])('%j → %s', (person, expected) => {
    expect(personaOf(person, DEFAULT_PERSONAS)).toBe(expected);
  });

  it('has no match in an empty map', () => {
    expect(personaOf(job('C-Level', 'Engineering', 'CTO'), [])).toBeNull();
  });
});

describe('priority', () => {
  const broad = persona({ name: 'Anyone senior', jobLevels: ['C-Level', 'VP', 'Director'] });
  const narrow = persona({ name: 'Security leader', jobFunctions: ['Security'], jobLevels: ['VP'] });
  const vpSecurity = job('VP', 'Security', 'VP Security');

  it('takes the first match in the order given, even when a later one is more specific', () => {
    expect(personaOf(vpSecurity, [broad, narrow])).toBe('Anyone senior');
    expect(personaOf(vpSecurity, [narrow, broad])).toBe('Security leader');
  });

  it('falls through to the next persona when an earlier one does not match', () => {
    expect(personaOf(job('Director', 'Security', null), [narrow, broad])).toBe('Anyone senior');
  });
});

describe('personaMatches: title words', () => {
  const cto = persona({ name: 'CTO', titleIncludes: ['cto'] });

  it.each([
    ['CTO & Co-founder', true],
    ['cto', true],
    ['Interim CTO', true],
    ['Co-Founder/CTO', true],
    ['Director', false], // "cto" inside a word does not count
    ['CTOs Office Lead', false],
    ['', false],
    [null, false],
  ])('includes "cto": %j → %s', (title, expected) => {
    expect(personaMatches(cto, job('C-Level', 'Engineering', title))).toBe(expected);
  });

  it('matches phrases as whole words whatever the punctuation and case', () => {
    const vp = persona({ name: 'VP', titleIncludes: ['vice president', 'VP'] });
    expect(personaMatches(vp, job(null, null, 'Senior Vice-President, Sales'))).toBe(true);
    expect(personaMatches(vp, job(null, null, 'SVP Sales'))).toBe(false);
    expect(personaMatches(vp, job(null, null, 'vp/Engineering'))).toBe(true);
    expect(personaMatches(vp, job(null, null, 'President'))).toBe(false);
  });

  it('excludes a title that has any excluded word, and only whole words', () => {
    const lead = persona({ name: 'Lead', titleIncludes: ['engineer'], titleExcludes: ['intern', 'student'] });
    expect(personaMatches(lead, job(null, null, 'Engineer'))).toBe(true);
    expect(personaMatches(lead, job(null, null, 'Engineer (Intern)'))).toBe(false);
    expect(personaMatches(lead, job(null, null, 'Student Engineer'))).toBe(false);
    // "internal" is not "intern".
    expect(personaMatches(lead, job(null, null, 'Internal Tools Engineer'))).toBe(true);
    // "engineering" is not "engineer".
    expect(personaMatches(lead, job(null, null, 'VP Engineering'))).toBe(false);
  });

  it('matches letters beyond ASCII', () => {
    const dsi = persona({ name: 'DSI', titleIncludes: ['directeur des systèmes'] });
    expect(personaMatches(dsi, job(null, null, "Directeur des Systèmes d'Information"))).toBe(true);
  });

  it('ignores empty phrases', () => {
    expect(personaMatches(persona({ name: 'x', titleIncludes: [' '] }), job(null, null, 'CTO'))).toBe(false);
    expect(personaMatches(persona({ name: 'x', titleExcludes: ['-'] }), job(null, null, 'CTO'))).toBe(true);
  });

  it('sets no condition with empty lists', () => {
    expect(personaMatches(persona({ name: 'Anyone' }), job(null, null, null))).toBe(true);
  });
});
