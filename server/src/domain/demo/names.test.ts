import { companyIdentity, companyNamingForSeed, emailLocalPart } from './names';

describe('company names', () => {
  it('gives every account a distinct domain label, across rounds and numbered rounds', () => {
    const naming = companyNamingForSeed(42);
    const labels = new Set<string>();
    const count = 6400 * 16 * 2 + 500; // past the named variants into the numbered ones
    for (let index = 0; index < count; index++) labels.add(companyIdentity(naming, index).domainLabel);
    expect(labels.size).toBe(count);
  });

  it('uses every compound once in the first 6,400 accounts', () => {
    const naming = companyNamingForSeed(7);
    const compounds = new Set<string>();
    for (let index = 0; index < 6400; index++) compounds.add(companyIdentity(naming, index).compound);
    expect(compounds.size).toBe(6400);
  });

  it('names domains with lower-case letters and digits only', () => {
    const naming = companyNamingForSeed(1);
    for (const index of [0, 1, 6400, 6400 * 16, 6400 * 40]) {
      expect(companyIdentity(naming, index).domainLabel).toMatch(/^[a-z0-9]+$/);
    }
  });

  it('shuffles names by seed', () => {
    const first = (seed: number) => companyIdentity(companyNamingForSeed(seed), 0).compound;
    expect(new Set([1, 2, 3, 4, 5].map(first)).size).toBeGreaterThan(2);
  });
});

describe('emailLocalPart', () => {
  it.each([
    ['Müller', 'muller'],
    ["O'Brien", 'obrien'],
    ['de Vries', 'devries'],
    ['Min-jun', 'minjun'],
  ])('%s → %s', (name, expected) => {
    expect(emailLocalPart(name)).toBe(expected);
  });
});
