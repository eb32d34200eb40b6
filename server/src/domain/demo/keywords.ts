/**
 * Research keywords of the demo market.
 *
 * Configured keywords (what a Signalfit admin would set up for a developer-security product)
 * are grouped by product category. A buying cycle focuses on one or two categories
 * (buyingCycle.ts) and turns to the branded keywords in its late (decision) stage.
 * Unconfigured keywords are what every company researches anyway: they are noise, and
 * research on them must not move any score.
 */

export const SHIELD_CATEGORY = 'Signalfit Shield';

export interface KeywordCategory {
  readonly category: string;
  readonly keywords: readonly string[];
}

/** Configured generic keywords by product category. */
export const GENERIC_KEYWORDS_BY_CATEGORY: readonly KeywordCategory[] = [
  {
    category: 'Application Security Testing',
    keywords: ['sast', 'dast', 'application security testing', 'code scanning', 'secrets detection'],
  },
  {
    category: 'Software Composition Analysis',
    keywords: [
      'software composition analysis',
      'dependency scanning',
      'sbom',
      'open source license compliance',
      'software supply chain security',
    ],
  },
  {
    category: 'Container & Cloud Security',
    keywords: ['container security', 'kubernetes security', 'infrastructure as code security', 'cnapp'],
  },
  {
    category: 'DevSecOps Platform',
    keywords: ['devsecops', 'ci/cd security', 'vulnerability management'],
  },
];

/** Configured branded keywords: the buyer has our product on the short list. */
export const BRANDED_KEYWORDS: readonly string[] = [
  'signalfit shield',
  'signalfit shield pricing',
  'signalfit shield vs snyk',
];

export const ALL_CONFIGURED_KEYWORDS: readonly string[] = [
  ...GENERIC_KEYWORDS_BY_CATEGORY.flatMap((group) => group.keywords),
  ...BRANDED_KEYWORDS,
];

/** Unconfigured research: developer and IT topics of every company, plus unrelated software. */
export const UNCONFIGURED_KEYWORDS: readonly string[] = [
  'kubernetes tutorial',
  'python',
  'react hooks',
  'aws pricing',
  'docker compose',
  'terraform modules',
  'java 21 features',
  'microservices',
  'devops',
  'github copilot',
  'postgresql performance',
  'observability',
  'zero trust network access',
  'endpoint protection',
  'single sign-on',
  'vpn',
  'data warehouse',
  'machine learning',
  'crm software',
  'payroll software',
  'project management software',
  'agile',
  'cloud cost optimization',
  'it asset management',
];
