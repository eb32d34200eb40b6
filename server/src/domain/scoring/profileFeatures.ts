import { binIndex, topValues } from './oneHot';

/**
 * The profile-fit model's features of an account, from its row alone (firmographics and
 * technographics), all 0/1:
 *   industry:<name>      one per common industry (the 25 most frequent)
 *   employees:<range>    one per size range (EMPLOYEE_BOUNDS)
 *   revenue:<range>      one per annual revenue range (REVENUE_BOUNDS, in the account's currency)
 *   country:<code>       one per common country (the 20 most frequent)
 *   naics:<2 digits>     one per common NAICS sector (the 20 most frequent)
 *   uses:<technology>    one per common technology (the 40 most frequent)
 * Size and revenue are ranges rather than numbers because fit is rarely monotone in size (too
 * small cannot pay, too large buys elsewhere); the ranges let the model find the sweet spot.
 */
export interface AccountProfile {
  industry: string | null;
  employees: number | null;
  annual_revenue: number | null;
  country: string | null;
  naics: string | null;
  technologies: readonly string[];
}

export const EMPLOYEE_BOUNDS = [11, 51, 201, 1001, 5001, 20001];
const EMPLOYEE_RANGES = [
  '1–10',
  '11–50',
  '51–200',
  '201–1,000',
  '1,001–5,000',
  '5,001–20,000',
  'over 20,000',
];
export const REVENUE_BOUNDS = [1e6, 1e7, 5e7, 2.5e8, 1e9];
const REVENUE_RANGES = ['under 1M', '1M–10M', '10M–50M', '50M–250M', '250M–1B', 'over 1B'];

export interface ProfileVocabulary {
  readonly names: readonly string[];
  readonly texts: readonly string[];
  readonly industries: ReadonlyMap<string, number>;
  readonly countries: ReadonlyMap<string, number>;
  readonly naics: ReadonlyMap<string, number>;
  readonly technologies: ReadonlyMap<string, number>;
  readonly employeesAt: number;
  readonly revenueAt: number;
}

export function naicsSector(naics: string | null): string | null {
  const digits = naics?.trim().slice(0, 2) ?? '';
  return /^\d\d$/.test(digits) ? digits : null;
}

export function profileVocabulary(accounts: readonly AccountProfile[]): ProfileVocabulary {
  const names: string[] = [];
  const texts: string[] = [];
  const block = (values: string[], prefix: string, text: (value: string) => string): Map<string, number> => {
    const map = new Map<string, number>();
    for (const value of values) {
      map.set(value, names.length);
      names.push(`${prefix}:${value}`);
      texts.push(text(value));
    }
    return map;
  };
  const industries = block(
    topValues(
      accounts.map((a) => a.industry),
      25,
    ),
    'industry',
    (v) => `Industry: ${v}`,
  );
  const employeesAt = names.length;
  block(EMPLOYEE_RANGES, 'employees', (v) => `Size: ${v} employees`);
  const revenueAt = names.length;
  block(REVENUE_RANGES, 'revenue', (v) => `Annual revenue: ${v}`);
  const countries = block(
    topValues(
      accounts.map((a) => a.country),
      20,
    ),
    'country',
    (v) => `Country: ${v}`,
  );
  const naics = block(
    topValues(
      accounts.map((a) => naicsSector(a.naics)),
      20,
    ),
    'naics',
    (v) => `NAICS sector ${v}`,
  );
  const technologies = block(
    topValues(
      accounts.flatMap((a) => a.technologies),
      40,
    ),
    'uses',
    (v) => `Uses ${v}`,
  );
  return { names, texts, industries, countries, naics, technologies, employeesAt, revenueAt };
}

/** Indices of the account's features that are on (each once). */
export function profileFeatures(account: AccountProfile, vocabulary: ProfileVocabulary): number[] {
  const active: number[] = [];
  const set = (index: number | undefined) => {
    if (index !== undefined && !active.includes(index)) active.push(index);
  };
  if (account.industry !== null) set(vocabulary.industries.get(account.industry));
  if (account.employees !== null) set(vocabulary.employeesAt + binIndex(account.employees, EMPLOYEE_BOUNDS));
  if (account.annual_revenue !== null)
    set(vocabulary.revenueAt + binIndex(account.annual_revenue, REVENUE_BOUNDS));
  if (account.country !== null) set(vocabulary.countries.get(account.country));
  const sector = naicsSector(account.naics);
  if (sector !== null) set(vocabulary.naics.get(sector));
  for (const technology of account.technologies) set(vocabulary.technologies.get(technology));
  return active;
}
