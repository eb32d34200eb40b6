import type { JobLevel } from '../canonical';
import type {
  AccountSkipReason,
  EmailConfidence,
  OrchestrationGoal,
  SalesforceCreate,
  SkipReason,
  Weekday,
} from './vocabulary';

/**
 * One person a contact-data provider offers (a row of a vendor's export, or of the HTTP
 * provider's search answer), after validation. Emails and domains as the provider gave them
 * (trimmed); the selection compares them normalized.
 */
export interface ProviderContact {
  providerId: string;
  /** null: the provider has no email for the person (skipped as `no_email`, never bought). */
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  jobLevel: JobLevel | null;
  jobFunction: string | null;
  companyDomain: string;
  /** ISO 3166-1 alpha-2, upper case; null when the provider does not know. */
  country: string | null;
  emailConfidence: EmailConfidence | null;
  /** Credits one purchase costs (an empty `cost` in a file means 1). */
  cost: number;
}

/** One entry of the titles filter; every field given must hold (see selectCandidates). */
export interface TitleFilter {
  levels?: JobLevel[];
  functions?: string[];
  include?: string[];
  exclude?: string[];
}

export interface OrchestrationFilters {
  /** Order the candidates of an account by the persona map's priority (after the title entry). */
  usePersonaMap?: boolean;
  /** Ordered entries; a row passes when it matches any (none given: all pass). */
  titles?: TitleFilter[];
  /** Ordered ISO alpha-2 lists: a row passes when its country is in `include` (when given) and not in `exclude`. */
  geography?: { include?: string[]; exclude?: string[] };
  /** Prefer people in the countries the account's web visits come from most. */
  prioritizeVisitedCountries?: boolean;
  /** Rows graded below this (A best) are filtered out; rows without a grade count as D. */
  minEmailConfidence?: EmailConfidence;
  /** Most people bought per account in one run (default 5). */
  maxPerAccount?: number;
  /** Buy people in RESTRICTED_COUNTRIES too; only an Admin may set it (recorded with who and when). */
  allowRestrictedRegions?: boolean;
}

export const DEFAULT_MAX_PER_ACCOUNT = 5;

/** When the scheduler runs it; manual (the default) never runs by itself. */
export type OrchestrationSchedule = 'manual' | 'daily' | { weekly: Weekday };

export type OrchestrationTarget =
  | { type: 'salesforce_campaign'; campaignId: string; create: SalesforceCreate }
  | { type: 'outreach_sequence'; sequenceId: string; mailboxId: string }
  | { type: 'csv' };

/** add_to_audience: which of the segment's known people are pushed (each when given). */
export interface AudienceFilters {
  personas?: string[];
  grades?: ('A' | 'B' | 'C' | 'D')[];
  fits?: ('Strong' | 'Moderate' | 'Weak')[];
  /** Remove from the campaign the people whose account left the segment (Salesforce targets). */
  removeLeavers?: boolean;
}

/** The definition a user writes (o.json), after validation. */
export interface OrchestrationDefinition {
  name: string;
  goal: OrchestrationGoal;
  /** Segment name or id, as given; stored as the segment's id. */
  segment: string | number;
  /** Provider name; required for acquire_contacts, refused for add_to_audience. */
  provider?: string;
  target: OrchestrationTarget;
  filters?: OrchestrationFilters;
  audience?: AudienceFilters;
  schedule?: OrchestrationSchedule;
  cooldownDays?: number;
}

// ---------------------------------------------------------------- selection (domain)

/** An account of the segment, as the selection sees it. */
export interface SelectionAccount {
  accountId: string;
  name: string | null;
  domain: string | null;
  /** Countries of the account's web visits, most visits first (ties by country code). */
  visitCountries: string[];
  /** When a run last bought at this account (any orchestration with a cooldown counts its own). */
  lastPickedAt: Date | null;
}

export interface SelectionInput {
  accounts: SelectionAccount[];
  rows: ProviderContact[];
  /** Emails of the store's contacts and leads and of people Signalfit bought before, normalized. */
  knownEmails: ReadonlySet<string>;
  /** Opted-out emails (normalized) and email domains (normalized, no `www.`). */
  optedOutEmails: ReadonlySet<string>;
  optedOutDomains: ReadonlySet<string>;
  filters: OrchestrationFilters;
  /** The persona map's priority of a row (0 first; null: no persona), used when usePersonaMap. */
  personaPriority: (row: ProviderContact) => number | null;
  /** The name of that persona, for the `why` of a bought row (optional: without it, the priority alone). */
  personaName?: (row: ProviderContact) => string | null;
  cooldownDays: number;
  now: Date;
}

/** What happened to one provider row at an account of the segment. */
export interface RowDecision {
  row: ProviderContact;
  accountId: string;
  /** null: bought (within the cap); otherwise the first reason it is not. */
  reason: SkipReason | null;
  /** In words, for the preview: why it was chosen, or why not. */
  why: string;
  /** 1-based place in the account's order, for candidates (bought or cut by the cap). */
  rank: number | null;
}

export interface AccountDecision {
  accountId: string;
  name: string | null;
  domain: string | null;
  /** Rows that passed every test but the cap (bought or cap_reached). */
  candidates: number;
  /** null when at least one person is bought here. */
  skippedReason: AccountSkipReason | null;
}

export interface SelectionResult {
  /** The rows to buy, accounts in the input's order, each account's rows in its order. */
  purchases: RowDecision[];
  /** Every row at an account of the segment (rows at other domains are not listed). */
  rows: RowDecision[];
  accounts: AccountDecision[];
}

// ---------------------------------------------------------------- credits (domain)

export type CreditPeriod = 'month';

export interface CreditSettings {
  allowance: number;
  period: CreditPeriod;
  allowOverage: boolean;
}

/** The ledger's state in the current period. */
export interface CreditBalance {
  allowance: number;
  period: CreditPeriod;
  allowOverage: boolean;
  periodStart: Date;
  periodEnd: Date;
  /** Credits charged in the period. */
  used: number;
  /** allowance − used, never below 0. */
  balance: number;
  /** used − allowance, never below 0. */
  overage: number;
}
