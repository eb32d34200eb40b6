import type { AccountRow } from '../canonical';
import { COUNTRIES, type Country } from './geography';
import { INDUSTRIES, type Industry } from './industries';
import { companyIdentity, type CompanyNaming } from './names';
import { Random, WeightedTable } from './random';
import { adoptionProbability, TECHNOLOGIES, type Technology } from './technologies';
import type { ResolvedShape } from './shape';
import { DAY_MS, type MarketWindow } from './time';

/**
 * Firmographics and technographics of one account.
 *
 * - industry: by the industry shares (industries.ts); country: by the country shares (geography.ts).
 * - employees: ln(employees) ~ N(ln(180 × industry.sizeFactor × sizeMix), 1.9²) (sizeMix: shape.ts), clipped to 5…200,000;
 *   above 1,000 rounded to tens. Median ≈ 180–450 by industry, ~2% above 10,000.
 * - annual_revenue (USD): employees × industry.revenuePerEmployee × LogNormal(0, 0.45²), in thousands.
 * - naics: one of the industry's codes; technologies: each catalog entry independently with its
 *   adoption probability (technologies.ts), then the seller's own technologies (sellers.ts).
 * - domain: the unique company label (names.ts) + `.com`, or the country's TLD for 40% of
 *   non-US companies.
 * - created_at: 20 days + Exponential(mean 700 days) before the window starts (capped at 12 years).
 *
 * Missing values, as in a real CRM: industry 3%, employees 3%, annual_revenue 6%, naics 8%,
 * technologies unknown (empty) 7%. The hidden profile keeps the true values.
 */

export interface AccountProfile {
  readonly industry: Industry;
  readonly country: Country;
  /** True head count, also when the row does not show it. */
  readonly employees: number;
  /** True technologies, also when the row does not show them. */
  readonly technologies: readonly Technology[];
  /**
   * ln(employees) / ln(250): 0.29 (5 people) … 1 (250) … 2.2 (200,000). Scales background
   * activity and the size of the buying committee's footprint.
   */
  readonly sizeScale: number;
}

const INDUSTRY_TABLE = new WeightedTable<Industry>(INDUSTRIES.map((industry) => [industry, industry.share]));
const COUNTRY_TABLE = new WeightedTable<Country>(COUNTRIES.map((country) => [country, country.share]));
const LEGAL_FORMS: Readonly<Record<string, string>> = {
  US: 'Inc.',
  CA: 'Inc.',
  GB: 'Ltd',
  IE: 'Ltd',
  DE: 'GmbH',
  CH: 'AG',
  FR: 'SA',
  NL: 'B.V.',
  SE: 'AB',
};
const LN_250 = Math.log(250);
const MIN_EMPLOYEES = 5;
const MAX_EMPLOYEES = 200_000;

export interface AccountContext {
  readonly naming: CompanyNaming;
  readonly window: MarketWindow;
  readonly shape: ResolvedShape;
}

function drawEmployees(random: Random, industry: Industry, sizeMix: number): number {
  const raw = random.logNormal(Math.log(180 * industry.sizeFactor * sizeMix), 1.9);
  const clipped = Math.min(MAX_EMPLOYEES, Math.max(MIN_EMPLOYEES, raw));
  return clipped > 1000 ? Math.round(clipped / 10) * 10 : Math.round(clipped);
}

function companyName(random: Random, compound: string, industry: Industry, country: Country): string {
  if (random.chance(0.8)) return `${compound} ${random.pick(industry.nameSuffixes)}`;
  return `${compound} ${LEGAL_FORMS[country.code] ?? 'Inc.'}`;
}

export function drawAccount(
  random: Random,
  context: AccountContext,
  index: number,
  id: string,
): { row: AccountRow; profile: AccountProfile } {
  const industry = INDUSTRY_TABLE.draw(random);
  const country = COUNTRY_TABLE.draw(random);
  const employees = drawEmployees(random, industry, context.shape.sizeMix);
  const revenue =
    Math.round((employees * industry.revenuePerEmployee * random.logNormal(0, 0.45)) / 1000) * 1000;
  const adopts = (technology: Technology) =>
    random.chance(adoptionProbability(technology, industry.techIntensity, employees));
  const technologies = [
    ...TECHNOLOGIES.filter(adopts),
    ...context.shape.seller.extraTechnologies.filter(adopts),
  ];

  const { compound, domainLabel } = companyIdentity(context.naming, index);
  const tld = country.code !== 'US' && random.chance(0.4) ? country.tld : 'com';
  const ageDays = Math.min(12 * 365, 20 + random.exponential(700));
  const createdAtMs = Math.floor(context.window.startMs - ageDays * DAY_MS);

  const row: AccountRow = {
    id,
    name: companyName(random, compound, industry, country),
    domain: `${domainLabel}.${tld}`,
    industry: random.chance(0.03) ? null : industry.name,
    employees: random.chance(0.03) ? null : employees,
    annual_revenue: random.chance(0.06) ? null : Math.max(1000, revenue),
    country: country.code,
    naics: random.chance(0.08) ? null : random.pick(industry.naics),
    technologies: random.chance(0.07) ? [] : technologies.map((technology) => technology.name),
    created_at: new Date(createdAtMs),
  };
  const profile: AccountProfile = {
    industry,
    country,
    employees,
    technologies,
    sizeScale: Math.log(employees) / LN_250,
  };
  return { row, profile };
}
