/**
 * Countries of the demo market: US-heavy, like most B2B software markets.
 * `fitWeight` is the country's term in the hidden fit logit: where the product has a sales team,
 * local payment terms and data residency (US, UK, DACH, Nordics, Israel…) it sells better.
 */
export interface Country {
  /** ISO 3166-1 alpha-2. */
  readonly code: string;
  readonly share: number;
  readonly fitWeight: number;
  /** Country-code top-level domain used by ~40% of local companies (the rest use `.com`). */
  readonly tld: string;
}

export const COUNTRIES: readonly Country[] = [
  { code: 'US', share: 0.52, fitWeight: 0.3, tld: 'com' },
  { code: 'GB', share: 0.08, fitWeight: 0.15, tld: 'co.uk' },
  { code: 'DE', share: 0.06, fitWeight: 0.1, tld: 'de' },
  { code: 'CA', share: 0.05, fitWeight: 0.15, tld: 'ca' },
  { code: 'FR', share: 0.04, fitWeight: -0.05, tld: 'fr' },
  { code: 'IN', share: 0.04, fitWeight: -0.4, tld: 'in' },
  { code: 'NL', share: 0.03, fitWeight: 0.15, tld: 'nl' },
  { code: 'AU', share: 0.03, fitWeight: 0.1, tld: 'com.au' },
  { code: 'JP', share: 0.02, fitWeight: -0.5, tld: 'jp' },
  { code: 'BR', share: 0.02, fitWeight: -0.4, tld: 'com.br' },
  { code: 'SE', share: 0.02, fitWeight: 0.1, tld: 'se' },
  { code: 'IL', share: 0.02, fitWeight: 0.25, tld: 'co.il' },
  { code: 'SG', share: 0.02, fitWeight: 0.0, tld: 'sg' },
  { code: 'ES', share: 0.015, fitWeight: -0.2, tld: 'es' },
  { code: 'IT', share: 0.015, fitWeight: -0.25, tld: 'it' },
  { code: 'IE', share: 0.01, fitWeight: 0.1, tld: 'ie' },
  { code: 'CH', share: 0.01, fitWeight: 0.05, tld: 'ch' },
  { code: 'MX', share: 0.01, fitWeight: -0.4, tld: 'com.mx' },
  { code: 'PL', share: 0.01, fitWeight: -0.1, tld: 'pl' },
  { code: 'DK', share: 0.01, fitWeight: 0.1, tld: 'dk' },
];
