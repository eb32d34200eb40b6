/**
 * The industries of the demo market (a company selling a developer-security / DevOps product).
 *
 * `fitWeight` is the industry's term in the hidden fit logit (see trueFit.ts): software, finance
 * and IT services buy developer security; education and government rarely do.
 * Head count: ln(employees) ~ N(ln(180 × sizeFactor), 1.9²), clipped to 5…200,000 (account.ts).
 * Annual revenue ≈ employees × revenuePerEmployee × LogNormal(0, 0.45²) (USD).
 */
export interface Industry {
  readonly name: string;
  /** NAICS 2022 codes typical of the industry; an account takes one of them. */
  readonly naics: readonly string[];
  /** Share of the market's accounts (the shares sum to 1). */
  readonly share: number;
  /** Term of the hidden fit logit. */
  readonly fitWeight: number;
  /** Multiplier on the market's median head count. */
  readonly sizeFactor: number;
  /** Median annual revenue per employee, USD. */
  readonly revenuePerEmployee: number;
  /** 0–1: how software-heavy the industry is; raises technology adoption (technologies.ts). */
  readonly techIntensity: number;
  /** Last word of company names in this industry. */
  readonly nameSuffixes: readonly string[];
}

export const INDUSTRIES: readonly Industry[] = [
  {
    name: 'Software & Internet',
    naics: ['513210', '518210', '519290'],
    share: 0.17,
    fitWeight: 1.0,
    sizeFactor: 0.7,
    revenuePerEmployee: 260_000,
    techIntensity: 0.95,
    nameSuffixes: ['Software', 'Labs', 'Technologies', 'Cloud', 'Systems'],
  },
  {
    name: 'Financial Services',
    naics: ['522110', '523150', '524126', '523940'],
    share: 0.11,
    fitWeight: 0.8,
    sizeFactor: 1.6,
    revenuePerEmployee: 420_000,
    techIntensity: 0.7,
    nameSuffixes: ['Bank', 'Capital', 'Financial', 'Insurance', 'Partners'],
  },
  {
    name: 'IT Services & Consulting',
    naics: ['541511', '541512', '541519'],
    share: 0.09,
    fitWeight: 0.55,
    sizeFactor: 1.0,
    revenuePerEmployee: 180_000,
    techIntensity: 0.85,
    nameSuffixes: ['Consulting', 'Solutions', 'Digital', 'Group'],
  },
  {
    name: 'Telecommunications',
    naics: ['517111', '517112', '517810'],
    share: 0.04,
    fitWeight: 0.5,
    sizeFactor: 2.0,
    revenuePerEmployee: 450_000,
    techIntensity: 0.7,
    nameSuffixes: ['Telecom', 'Networks', 'Communications'],
  },
  {
    name: 'Healthcare & Life Sciences',
    naics: ['622110', '621111', '325412', '541714'],
    share: 0.1,
    fitWeight: 0.15,
    sizeFactor: 1.8,
    revenuePerEmployee: 160_000,
    techIntensity: 0.45,
    nameSuffixes: ['Health', 'Medical', 'Therapeutics', 'Biosciences'],
  },
  {
    name: 'Retail & E-commerce',
    naics: ['455110', '458110', '445110'],
    share: 0.09,
    fitWeight: 0.15,
    sizeFactor: 1.5,
    revenuePerEmployee: 220_000,
    techIntensity: 0.45,
    nameSuffixes: ['Retail', 'Stores', 'Brands', 'Market'],
  },
  {
    name: 'Manufacturing',
    naics: ['334111', '336390', '332710', '333249'],
    share: 0.13,
    fitWeight: -0.3,
    sizeFactor: 1.6,
    revenuePerEmployee: 310_000,
    techIntensity: 0.35,
    nameSuffixes: ['Industries', 'Manufacturing', 'Components', 'Works'],
  },
  {
    name: 'Media & Entertainment',
    naics: ['512110', '516210', '513110'],
    share: 0.05,
    fitWeight: 0.1,
    sizeFactor: 0.9,
    revenuePerEmployee: 300_000,
    techIntensity: 0.6,
    nameSuffixes: ['Media', 'Studios', 'Entertainment', 'Publishing'],
  },
  {
    name: 'Government & Public Sector',
    naics: ['921110', '922120', '928110'],
    share: 0.05,
    fitWeight: -0.6,
    sizeFactor: 2.5,
    revenuePerEmployee: 150_000,
    techIntensity: 0.3,
    nameSuffixes: ['County', 'Authority', 'Agency'],
  },
  {
    name: 'Education',
    naics: ['611310', '611110', '611710'],
    share: 0.07,
    fitWeight: -0.8,
    sizeFactor: 1.3,
    revenuePerEmployee: 110_000,
    techIntensity: 0.35,
    nameSuffixes: ['University', 'College', 'Academy'],
  },
  {
    name: 'Transportation & Logistics',
    naics: ['484121', '488510', '492110'],
    share: 0.06,
    fitWeight: -0.45,
    sizeFactor: 1.4,
    revenuePerEmployee: 230_000,
    techIntensity: 0.35,
    nameSuffixes: ['Logistics', 'Freight', 'Transport'],
  },
  {
    name: 'Energy & Utilities',
    naics: ['221122', '211120', '221310'],
    share: 0.04,
    fitWeight: -0.35,
    sizeFactor: 1.8,
    revenuePerEmployee: 700_000,
    techIntensity: 0.35,
    nameSuffixes: ['Energy', 'Power', 'Utilities'],
  },
];
