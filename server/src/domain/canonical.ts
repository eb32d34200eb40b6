/**
 * The canonical data model: one row type per file of the canonical import format
 * (docs/command-line.md, "Import"). Every source (CSV import, Salesforce sync, the demo
 * generator) produces these shapes; the store keeps them in tables of the same names.
 *
 * Optional values are `null` (never `undefined`) so that rows compare and serialise the same
 * way everywhere.
 */

export const JOB_LEVELS = ['C-Level', 'VP', 'Director', 'Manager', 'Staff'] as const;
export type JobLevel = (typeof JOB_LEVELS)[number];

export const PERSON_KINDS = ['contact', 'lead'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];

export const KEYWORD_KINDS = ['branded', 'generic'] as const;
export type KeywordKind = (typeof KEYWORD_KINDS)[number];

/** Activity types grouped by what they tell the models. */
export const ACTIVITY_CLASSES = {
  intent: ['keyword_research'],
  anonymous_engagement: ['web_visit'],
  known_engagement: [
    'email_open',
    'email_click',
    'form_fill',
    'webinar',
    'trade_show',
    'field_event',
    'ad_click',
    'sales_reply',
  ],
  reach: ['ad_impression', 'email_sent', 'sales_email', 'sales_call', 'sales_meeting'],
} as const;

export type ActivityClass = keyof typeof ACTIVITY_CLASSES;
export type ActivityType = (typeof ACTIVITY_CLASSES)[ActivityClass][number];
export const ACTIVITY_TYPES: readonly ActivityType[] = Object.values(ACTIVITY_CLASSES).flat();

/** Sources of keyword research the product knows (first-party site search and intent providers). */
export const RESEARCH_SOURCES = ['first_party', 'bombora', 'g2', 'trustradius'] as const;

export function activityClassOf(type: ActivityType): ActivityClass {
  for (const [cls, types] of Object.entries(ACTIVITY_CLASSES) as [ActivityClass, readonly string[]][]) {
    if (types.includes(type)) return cls;
  }
  throw new Error(`unreachable: activity type ${type} has no class`);
}

export interface AccountRow {
  id: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  annual_revenue: number | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
  naics: string | null;
  technologies: string[];
  created_at: Date | null;
}

export interface ContactRow {
  id: string;
  account_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  job_level: JobLevel | null;
  job_function: string | null;
  country: string | null;
  kind: PersonKind;
  opted_out: boolean;
  created_at: Date | null;
}

export interface OpportunityRow {
  id: string;
  account_id: string;
  name: string | null;
  type: string | null;
  amount: number | null;
  currency: string | null;
  stage: string | null;
  is_closed: boolean | null;
  is_won: boolean | null;
  /** Whether the opportunity counts for the models; null lets the configured rule decide. */
  relevant: boolean | null;
  created_at: Date;
  closed_at: Date | null;
}

export interface ActivityRow {
  id: string;
  occurred_at: Date;
  account_id: string;
  contact_id: string | null;
  type: ActivityType;
  source: string | null;
  keyword: string | null;
  url: string | null;
  campaign: string | null;
}

export interface KeywordRow {
  /** Lower case, trimmed: research matches keywords case-insensitively. */
  keyword: string;
  product_category: string | null;
  kind: KeywordKind | null;
}

/** The canonical files and their columns, in the order Signalfit writes them. */
export const CANONICAL_FILES = {
  accounts: {
    file: 'accounts.csv',
    columns: [
      'id',
      'name',
      'domain',
      'industry',
      'employees',
      'annual_revenue',
      'country',
      'naics',
      'technologies',
      'created_at',
    ],
    required: ['id'],
  },
  contacts: {
    file: 'contacts.csv',
    columns: [
      'id',
      'account_id',
      'email',
      'first_name',
      'last_name',
      'title',
      'job_level',
      'job_function',
      'country',
      'kind',
      'opted_out',
      'created_at',
    ],
    required: ['id', 'account_id'],
  },
  opportunities: {
    file: 'opportunities.csv',
    columns: [
      'id',
      'account_id',
      'name',
      'type',
      'amount',
      'currency',
      'stage',
      'is_closed',
      'is_won',
      'relevant',
      'created_at',
      'closed_at',
    ],
    required: ['id', 'account_id', 'created_at'],
  },
  activities: {
    file: 'activities.csv',
    columns: [
      'id',
      'occurred_at',
      'account_id',
      'contact_id',
      'type',
      'source',
      'keyword',
      'url',
      'campaign',
    ],
    required: ['id', 'occurred_at', 'account_id', 'type'],
  },
  keywords: {
    file: 'keywords.csv',
    columns: ['keyword', 'product_category', 'kind'],
    required: ['keyword'],
  },
} as const;

export type CanonicalEntity = keyof typeof CANONICAL_FILES;
/** Import order: referenced rows first, so that references can be checked. */
export const IMPORT_ORDER: readonly CanonicalEntity[] = [
  'accounts',
  'contacts',
  'opportunities',
  'activities',
  'keywords',
];

/**
 * One canonical row as a CSV record: timestamps ISO 8601 (UTC), technologies `;`-separated,
 * booleans `true`/`false`, absent values empty.
 */
export function toCsvRecord(row: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined) out[key] = '';
    else if (value instanceof Date) out[key] = value.toISOString();
    else if (Array.isArray(value)) out[key] = value.join(';');
    else out[key] = String(value);
  }
  return out;
}
