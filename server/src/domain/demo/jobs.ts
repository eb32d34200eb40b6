import type { JobLevel } from '../canonical';
import { WeightedTable } from './random';

/**
 * People's jobs: function, level, title, and the part they play in buying our product.
 *
 * Function shares (all accounts): Engineering 24%, Sales 12%, IT 12%, Marketing 10%, Product 8%,
 * Operations 8%, Security 7%, DevOps 7%, Finance 6%, HR 6%.
 * Level shares: Staff 42%, Manager 27%, Director 17%, VP 9%, C-Level 5% (C-Level ×3 in companies
 * under 100 employees, where the founders are in the CRM).
 * The title is drawn from the titles of that (function, level).
 */

export const JOB_FUNCTIONS = [
  'Engineering',
  'IT',
  'Security',
  'DevOps',
  'Product',
  'Finance',
  'Marketing',
  'Sales',
  'HR',
  'Operations',
] as const;
export type JobFunction = (typeof JOB_FUNCTIONS)[number];

export const JOB_FUNCTION_TABLE = new WeightedTable<JobFunction>([
  ['Engineering', 24],
  ['IT', 12],
  ['Security', 7],
  ['DevOps', 7],
  ['Product', 8],
  ['Finance', 6],
  ['Marketing', 10],
  ['Sales', 12],
  ['HR', 6],
  ['Operations', 8],
]);

const LEVEL_WEIGHTS: ReadonlyArray<readonly [JobLevel, number]> = [
  ['C-Level', 5],
  ['VP', 9],
  ['Director', 17],
  ['Manager', 27],
  ['Staff', 42],
];
export const JOB_LEVEL_TABLE = new WeightedTable<JobLevel>(LEVEL_WEIGHTS);
export const SMALL_COMPANY_JOB_LEVEL_TABLE = new WeightedTable<JobLevel>(
  LEVEL_WEIGHTS.map(([level, weight]) => [level, level === 'C-Level' ? weight * 3 : weight]),
);

// prettier-ignore
export const TITLES: Readonly<Record<JobFunction, Readonly<Record<JobLevel, readonly string[]>>>> = {
  Engineering: {
    'C-Level': ['Chief Technology Officer', 'CTO'],
    VP: ['VP of Engineering', 'VP Engineering'],
    Director: ['Director of Engineering', 'Director, Software Engineering'],
    Manager: ['Engineering Manager', 'Software Development Manager'],
    Staff: ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Backend Developer', 'Full Stack Developer'],
  },
  IT: {
    'C-Level': ['Chief Information Officer', 'CIO'],
    VP: ['VP of IT', 'VP Information Technology'],
    Director: ['Director of IT', 'IT Director'],
    Manager: ['IT Manager', 'Infrastructure Manager'],
    Staff: ['Systems Administrator', 'IT Specialist', 'Network Engineer'],
  },
  Security: {
    'C-Level': ['Chief Information Security Officer', 'CISO'],
    VP: ['VP of Security', 'VP Information Security'],
    Director: ['Director of Information Security', 'Director, Application Security'],
    Manager: ['Security Engineering Manager', 'AppSec Manager'],
    Staff: ['Security Engineer', 'Application Security Engineer', 'Security Analyst'],
  },
  DevOps: {
    'C-Level': ['Chief Platform Officer'],
    VP: ['VP of Platform Engineering', 'VP Infrastructure'],
    Director: ['Director of DevOps', 'Director, Platform Engineering'],
    Manager: ['DevOps Manager', 'Platform Engineering Manager', 'SRE Manager'],
    Staff: ['DevOps Engineer', 'Site Reliability Engineer', 'Platform Engineer', 'Cloud Engineer'],
  },
  Product: {
    'C-Level': ['Chief Product Officer'],
    VP: ['VP of Product'],
    Director: ['Director of Product Management'],
    Manager: ['Product Manager', 'Senior Product Manager'],
    Staff: ['Product Analyst', 'Associate Product Manager', 'Product Designer'],
  },
  Finance: {
    'C-Level': ['Chief Financial Officer', 'CFO'],
    VP: ['VP of Finance'],
    Director: ['Director of Finance', 'Procurement Director'],
    Manager: ['Finance Manager', 'Procurement Manager'],
    Staff: ['Financial Analyst', 'Accountant', 'Procurement Specialist'],
  },
  Marketing: {
    'C-Level': ['Chief Marketing Officer'],
    VP: ['VP of Marketing'],
    Director: ['Director of Demand Generation', 'Marketing Director'],
    Manager: ['Marketing Manager', 'Content Marketing Manager'],
    Staff: ['Marketing Specialist', 'Marketing Coordinator'],
  },
  Sales: {
    'C-Level': ['Chief Revenue Officer'],
    VP: ['VP of Sales'],
    Director: ['Sales Director', 'Director of Sales Operations'],
    Manager: ['Sales Manager', 'Account Manager'],
    Staff: ['Account Executive', 'Sales Development Representative'],
  },
  HR: {
    'C-Level': ['Chief People Officer'],
    VP: ['VP of People'],
    Director: ['HR Director'],
    Manager: ['HR Manager', 'Talent Acquisition Manager'],
    Staff: ['Recruiter', 'HR Generalist'],
  },
  Operations: {
    'C-Level': ['Chief Executive Officer', 'Chief Operating Officer', 'Founder & CEO'],
    VP: ['VP of Operations'],
    Director: ['Director of Operations'],
    Manager: ['Operations Manager', 'Program Manager'],
    Staff: ['Operations Analyst', 'Business Analyst'],
  },
};

/**
 * Who does what in a purchase, given the seller's committee functions (sellers.ts; for the
 * developer-security product Engineering, Security, DevOps and IT):
 * - `evaluator`: a committee function at Manager level or above — runs the
 *   evaluation, attends webinars, asks for the demo;
 * - `practitioner`: the same functions at Staff level — reads docs, tries the product;
 * - `signer`: Finance at Manager level or above, or any C-Level — signs the order (when Finance
 *   is not a committee function);
 * - `bystander`: everyone else.
 */
export type BuyingRole = 'evaluator' | 'practitioner' | 'signer' | 'bystander';

export function buyingRoleOf(
  jobFunction: JobFunction,
  level: JobLevel,
  committeeFunctions: ReadonlySet<JobFunction>,
): BuyingRole {
  if (committeeFunctions.has(jobFunction)) return level === 'Staff' ? 'practitioner' : 'evaluator';
  if (level === 'C-Level' || (jobFunction === 'Finance' && level !== 'Staff')) return 'signer';
  return 'bystander';
}

/**
 * Relative share of a buying cycle's known engagement (form fills, webinars, clicks, replies)
 * that a person of each role carries: the buying committee (evaluators and signers) carries
 * most of it.
 */
export const CYCLE_ENGAGEMENT_WEIGHT: Readonly<Record<BuyingRole, number>> = {
  evaluator: 10,
  practitioner: 3,
  signer: 4,
  bystander: 0.4,
};
