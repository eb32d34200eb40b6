import { JOB_LEVELS } from '../canonical';
import { contactFeatures, contactVocabulary, titleWords } from './contactFeatures';
import type { PersonJob } from './personas';

describe('titleWords', () => {
  it.each([
    ['VP of Engineering', ['vp', 'engineering']],
    ['CTO & Co-founder', ['cto', 'founder']],
    ['Sr. IT Manager, IT', ['it', 'manager']],
    ['Head of QA / SRE', ['head', 'qa', 'sre']],
    ['Ingénieur Sécurité', ['ingénieur', 'sécurité']],
    ['Director, Data-Platform (EMEA)', ['director', 'data', 'platform', 'emea']],
    ['AI Lead', ['lead']],
    ['', []],
    ['  ', []],
    [null, []],
  ])('%j → %j', (title, words) => {
    expect(titleWords(title)).toEqual(words);
  });
});

describe('contactVocabulary and contactFeatures', () => {
  const people: PersonJob[] = [
    { job_level: 'VP', job_function: 'Engineering', title: 'VP Engineering' },
    { job_level: 'Director', job_function: 'Engineering', title: 'Director of Engineering' },
    { job_level: 'Staff', job_function: 'IT', title: 'IT Administrator' },
    { job_level: 'Manager', job_function: 'IT', title: 'IT Manager' },
    { job_level: 'Manager', job_function: 'Sales', title: 'Sales Manager' },
  ];
  const vocabulary = contactVocabulary(people);

  it('has every job level, then the common functions and title words', () => {
    expect(vocabulary.names).toEqual([
      ...JOB_LEVELS.map((level) => `level:${level}`),
      'function:Engineering',
      'function:IT',
      'title:engineering',
      'title:it',
      'title:manager',
    ]);
    expect(vocabulary.texts.slice(5)).toEqual([
      'Job function: Engineering',
      'Job function: IT',
      "Title mentions 'engineering'",
      "Title mentions 'it'",
      "Title mentions 'manager'",
    ]);
  });

  it('turns on the level, the function and the title words it knows', () => {
    const names = (p: PersonJob) => contactFeatures(p, vocabulary).map((j) => vocabulary.names[j]);
    expect(names({ job_level: 'Manager', job_function: 'IT', title: 'IT Service Manager' })).toEqual([
      'level:Manager',
      'function:IT',
      'title:it',
      'title:manager',
    ]);
    expect(names({ job_level: 'C-Level', job_function: 'Finance', title: 'CFO' })).toEqual(['level:C-Level']);
    expect(names({ job_level: null, job_function: null, title: null })).toEqual([]);
  });
});
