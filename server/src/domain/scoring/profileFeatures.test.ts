import { naicsSector, profileFeatures, profileVocabulary, type AccountProfile } from './profileFeatures';

function account(overrides: Partial<AccountProfile>): AccountProfile {
  return {
    industry: null,
    employees: null,
    annual_revenue: null,
    country: null,
    naics: null,
    technologies: [],
    ...overrides,
  };
}

describe('naicsSector', () => {
  it.each([
    ['541511', '54'],
    [' 52 ', '52'],
    ['44', '44'],
    ['5', null],
    ['ab12', null],
    ['', null],
    [null, null],
  ])('%j → %j', (naics, sector) => {
    expect(naicsSector(naics)).toBe(sector);
  });
});

describe('profileVocabulary and profileFeatures', () => {
  const accounts = [
    account({
      industry: 'Software',
      employees: 120,
      annual_revenue: 2e7,
      country: 'US',
      naics: '541511',
      technologies: ['aws', 'okta'],
    }),
    account({
      industry: 'Software',
      employees: 10,
      annual_revenue: 5e5,
      country: 'US',
      naics: '5112',
      technologies: ['aws'],
    }),
    account({
      industry: 'Retail',
      employees: 20_001,
      annual_revenue: 2e9,
      country: 'GB',
      naics: '44',
      technologies: ['gcp'],
    }),
    account({ industry: 'Finance' }),
    account({
      industry: 'Retail',
      employees: 1001,
      annual_revenue: 1e6,
      country: 'GB',
      naics: '541',
      technologies: ['aws', 'gcp'],
    }),
  ];
  const vocabulary = profileVocabulary(accounts);
  const namesOf = (a: AccountProfile) => profileFeatures(a, vocabulary).map((j) => vocabulary.names[j]);

  it('lists the common values (seen twice or more, ties by name), then every size and revenue range', () => {
    expect(vocabulary.names).toEqual([
      'industry:Retail',
      'industry:Software',
      'employees:1–10',
      'employees:11–50',
      'employees:51–200',
      'employees:201–1,000',
      'employees:1,001–5,000',
      'employees:5,001–20,000',
      'employees:over 20,000',
      'revenue:under 1M',
      'revenue:1M–10M',
      'revenue:10M–50M',
      'revenue:50M–250M',
      'revenue:250M–1B',
      'revenue:over 1B',
      'country:GB',
      'country:US',
      'naics:54',
      'uses:aws',
      'uses:gcp',
    ]);
    expect(vocabulary.employeesAt).toBe(2);
    expect(vocabulary.revenueAt).toBe(9);
    expect(vocabulary.texts[1]).toBe('Industry: Software');
    expect(vocabulary.texts[4]).toBe('Size: 51–200 employees');
    expect(vocabulary.texts[11]).toBe('Annual revenue: 10M–50M');
    expect(vocabulary.texts[17]).toBe('NAICS sector 54');
    expect(vocabulary.texts[18]).toBe('Uses aws');
  });

  it('turns on one feature per known value', () => {
    expect(namesOf(accounts[0]!)).toEqual([
      'industry:Software',
      'employees:51–200',
      'revenue:10M–50M',
      'country:US',
      'naics:54',
      'uses:aws', // okta is too rare to have a feature
    ]);
    expect(namesOf(accounts[2]!)).toEqual([
      'industry:Retail',
      'employees:over 20,000',
      'revenue:over 1B',
      'country:GB',
      'uses:gcp',
    ]);
    expect(namesOf(accounts[3]!)).toEqual([]);
  });

  it('puts a range bound in the range above it', () => {
    expect(namesOf(account({ employees: 10, annual_revenue: 999_999 }))).toEqual([
      'employees:1–10',
      'revenue:under 1M',
    ]);
    expect(namesOf(account({ employees: 11, annual_revenue: 1e6 }))).toEqual([
      'employees:11–50',
      'revenue:1M–10M',
    ]);
    expect(namesOf(account({ employees: 1001, annual_revenue: 1e9 }))).toEqual([
      'employees:1,001–5,000',
      'revenue:over 1B',
    ]);
  });

  it('lists each feature once', () => {
    expect(namesOf(account({ technologies: ['aws', 'aws', 'gcp'] }))).toEqual(['uses:aws', 'uses:gcp']);
  });
});
