import { INDUSTRIES } from './industries';
import type { JobFunction } from './jobs';
import {
  BRANDED_KEYWORDS,
  GENERIC_KEYWORDS_BY_CATEGORY,
  SHIELD_CATEGORY,
  type KeywordCategory,
} from './keywords';
import { TECHNOLOGIES, type Technology } from './technologies';

/**
 * What the demo market's seller sells, and so who buys it: the keywords its buyers research, its
 * ideal customer (the observable terms of the hidden fit logit, trueFit.ts) and its buying
 * committee (jobs.ts). `developer-security` is the original demo market; the other kinds give
 * the benchmarks markets of a different shape (issue 21).
 */
export const SELLER_KINDS = ['developer-security', 'developer-tools', 'hr-software', 'it-security'] as const;
export type SellerKindId = (typeof SELLER_KINDS)[number];

export interface SellerKind {
  readonly id: SellerKindId;
  /** Product category of the branded keywords (keywords.csv). */
  readonly product: string;
  /** Configured generic keywords by product category: what a buying cycle researches. */
  readonly keywordCategories: readonly KeywordCategory[];
  /** Configured branded keywords: the buyer has the product on its short list. */
  readonly brandedKeywords: readonly string[];
  /** Industry term of the fit logit, by industry name (absent: 0). */
  readonly industryFit: Readonly<Record<string, number>>;
  /** Head count where the size term of the fit logit peaks (+0.9). */
  readonly peakEmployees: number;
  /** Technology term of the fit logit, by technology name, extra technologies included (absent: 0). */
  readonly technologyFit: Readonly<Record<string, number>>;
  /** Technologies of this seller's world beyond the shared catalog, drawn after it. */
  readonly extraTechnologies: readonly Technology[];
  /** Job functions whose managers evaluate and whose staff use the product. */
  readonly committeeFunctions: ReadonlySet<JobFunction>;
  /** Constant of the fit logit: sets the share of strong-fit accounts. */
  readonly fitCalibration: number;
}

const byName = <T extends { name: string }>(items: readonly T[], weight: (item: T) => number) =>
  Object.fromEntries(items.map((item) => [item.name, weight(item)]));

const tech = (name: string, adoption: number, techAffinity: number, fitWeight: number): Technology => ({
  name,
  category: 'operations',
  adoption,
  techAffinity,
  fitWeight,
});

/** The seller's extra technologies carry their own fit weight. */
function withExtraTechnologyFit(seller: SellerKind): SellerKind {
  return {
    ...seller,
    technologyFit: { ...byName(seller.extraTechnologies, (t) => t.fitWeight), ...seller.technologyFit },
  };
}

export const DEVELOPER_SECURITY: SellerKind = {
  id: 'developer-security',
  product: SHIELD_CATEGORY,
  keywordCategories: GENERIC_KEYWORDS_BY_CATEGORY,
  brandedKeywords: BRANDED_KEYWORDS,
  industryFit: byName(INDUSTRIES, (industry) => industry.fitWeight),
  peakEmployees: 2000,
  technologyFit: byName(TECHNOLOGIES, (technology) => technology.fitWeight),
  extraTechnologies: [],
  committeeFunctions: new Set(['Engineering', 'Security', 'DevOps', 'IT']),
  fitCalibration: -1.9,
};

const DEVELOPER_TOOLS: SellerKind = withExtraTechnologyFit({
  id: 'developer-tools',
  product: 'Signalfit Review',
  keywordCategories: [
    { category: 'Code Review', keywords: ['code review tool', 'pull request automation', 'code quality'] },
    {
      category: 'Developer Productivity',
      keywords: ['developer productivity', 'dora metrics', 'engineering analytics'],
    },
    { category: 'Testing', keywords: ['test automation', 'flaky tests', 'ci test optimization'] },
    { category: 'Internal Platforms', keywords: ['internal developer portal', 'platform engineering'] },
  ],
  brandedKeywords: ['signalfit review', 'signalfit review pricing', 'signalfit review vs gerrit'],
  industryFit: {
    'Software & Internet': 1.3,
    'IT Services & Consulting': 0.7,
    'Financial Services': 0.3,
    'Media & Entertainment': 0.3,
    Telecommunications: 0.2,
    'Retail & E-commerce': 0.1,
    'Government & Public Sector': -0.9,
    Education: -0.6,
    Manufacturing: -0.5,
    'Energy & Utilities': -0.6,
    'Transportation & Logistics': -0.5,
  },
  peakEmployees: 400,
  technologyFit: {
    'GitHub Actions': 0.4,
    'GitLab CI': 0.4,
    CircleCI: 0.35,
    Go: 0.3,
    'Node.js': 0.25,
    Kubernetes: 0.2,
    Jira: 0.2,
    Jenkins: -0.1,
    COBOL: -0.6,
    '.NET': -0.1,
    ServiceNow: -0.2,
  },
  extraTechnologies: [tech('Gerrit', 0.04, 0.6, -0.4), tech('Linear', 0.08, 0.9, 0.35)],
  committeeFunctions: new Set(['Engineering', 'DevOps', 'Product']),
  fitCalibration: -1.7,
});

const HR_SOFTWARE: SellerKind = withExtraTechnologyFit({
  id: 'hr-software',
  product: 'Signalfit People',
  keywordCategories: [
    { category: 'Payroll', keywords: ['payroll software', 'payroll compliance', 'global payroll'] },
    {
      category: 'Recruiting',
      keywords: ['applicant tracking system', 'recruiting software', 'onboarding software'],
    },
    {
      category: 'Performance',
      keywords: ['performance reviews', 'employee engagement survey', 'okr software'],
    },
    { category: 'Workforce', keywords: ['shift scheduling', 'time and attendance', 'hris'] },
  ],
  brandedKeywords: ['signalfit people', 'signalfit people pricing', 'signalfit people vs workday'],
  industryFit: {
    'Retail & E-commerce': 0.8,
    'Healthcare & Life Sciences': 0.7,
    'Transportation & Logistics': 0.6,
    Manufacturing: 0.5,
    'IT Services & Consulting': 0.3,
    'Software & Internet': 0.2,
    'Financial Services': 0.1,
    'Media & Entertainment': 0.1,
    'Government & Public Sector': -0.8,
    Education: -0.3,
  },
  peakEmployees: 800,
  technologyFit: { 'Microsoft Azure': 0.1, Jira: 0.05, ServiceNow: 0.1, COBOL: -0.3 },
  extraTechnologies: [
    tech('Workday', 0.1, -0.2, -0.5),
    tech('ADP', 0.2, -0.4, 0.3),
    tech('BambooHR', 0.1, 0.3, 0.4),
    tech('Greenhouse', 0.08, 0.6, 0.3),
    tech('Slack', 0.35, 0.6, 0.2),
    tech('Microsoft 365', 0.5, -0.3, 0.1),
  ],
  committeeFunctions: new Set(['HR', 'Operations', 'Finance']),
  fitCalibration: -1.6,
});

const IT_SECURITY: SellerKind = withExtraTechnologyFit({
  id: 'it-security',
  product: 'Signalfit Guard',
  keywordCategories: [
    { category: 'Endpoint', keywords: ['endpoint protection', 'edr', 'mobile device management'] },
    { category: 'Identity', keywords: ['single sign-on', 'privileged access management', 'mfa'] },
    { category: 'Network', keywords: ['zero trust network access', 'vpn', 'secure web gateway'] },
    { category: 'Operations', keywords: ['siem', 'security awareness training', 'incident response'] },
  ],
  brandedKeywords: ['signalfit guard', 'signalfit guard pricing', 'signalfit guard vs crowdstrike'],
  industryFit: {
    'Financial Services': 1.0,
    'Healthcare & Life Sciences': 0.7,
    'Government & Public Sector': 0.5,
    'Energy & Utilities': 0.5,
    Telecommunications: 0.4,
    'IT Services & Consulting': 0.3,
    Manufacturing: 0.2,
    'Software & Internet': 0.1,
    Education: -0.2,
    'Media & Entertainment': -0.3,
  },
  peakEmployees: 5000,
  technologyFit: {
    'Microsoft Azure': 0.3,
    Splunk: 0.35,
    ServiceNow: 0.3,
    '.NET': 0.1,
    Datadog: 0.1,
  },
  extraTechnologies: [
    tech('CrowdStrike', 0.1, 0.3, -0.45),
    tech('Okta', 0.15, 0.5, 0.25),
    tech('Microsoft 365', 0.5, -0.3, 0.25),
    tech('Active Directory', 0.45, -0.4, 0.3),
  ],
  committeeFunctions: new Set(['Security', 'IT', 'Finance']),
  fitCalibration: -1.3,
});

export const SELLERS: Readonly<Record<SellerKindId, SellerKind>> = {
  'developer-security': DEVELOPER_SECURITY,
  'developer-tools': DEVELOPER_TOOLS,
  'hr-software': HR_SOFTWARE,
  'it-security': IT_SECURITY,
};
