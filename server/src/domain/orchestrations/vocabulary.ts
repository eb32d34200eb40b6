/**
 * The words of orchestrations (docs/orchestrations.md), one source for the service, the CLI and
 * the app (the app's copy is checked against this one by server/ui/vocabulary.test.ts).
 */

/** What an orchestration does: buy new people for a segment's accounts, or push its known people. */
export const ORCHESTRATION_GOALS = ['acquire_contacts', 'add_to_audience'] as const;
export type OrchestrationGoal = (typeof ORCHESTRATION_GOALS)[number];

/** Where the people go. */
export const TARGET_TYPES = ['salesforce_campaign', 'outreach_sequence', 'csv'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** What a purchase creates in Salesforce for a new person. */
export const SALESFORCE_CREATE = ['lead', 'contact'] as const;
export type SalesforceCreate = (typeof SALESFORCE_CREATE)[number];

/**
 * Why a provider row is not bought, in the order the tests are made: a row that fails several
 * is reported with the FIRST reason of this list.
 */
export const SKIP_REASONS = [
  'no_email',
  'opted_out',
  'already_in_crm',
  'restricted_region',
  'filtered_out',
  'cooldown',
  'cap_reached',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Why an account of the segment gives no purchase (the accounts download). */
export const ACCOUNT_SKIP_REASONS = ['no_domain', 'cooldown', 'no_candidates'] as const;
export type AccountSkipReason = (typeof ACCOUNT_SKIP_REASONS)[number];

/** Each record of a run ends in one of these. */
export const RECORD_OUTCOMES = ['purchased', 'pushed', 'skipped', 'failed'] as const;
export type RecordOutcome = (typeof RECORD_OUTCOMES)[number];

export const RUN_STATES = ['queued', 'running', 'complete', 'failed', 'interrupted'] as const;
export type RunState = (typeof RUN_STATES)[number];

export const RUN_TRIGGERS = ['manual', 'schedule', 'repush'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** A provider's grade of how sure it is that an email reaches the person; A is best. */
export const EMAIL_CONFIDENCES = ['A', 'B', 'C', 'D'] as const;
export type EmailConfidence = (typeof EMAIL_CONFIDENCES)[number];

export const PROVIDER_TYPES = ['csv', 'http'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * The value written to the package field Signalfit_Source_Type__c of a Lead or Contact that
 * Signalfit bought: by an orchestration, or from the panel's "find more people like this".
 */
export const SOURCE_TYPES = ['Orchestration', 'Sales Intelligence'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** LeadSource of every Lead (and Contact) Signalfit creates. */
export const LEAD_SOURCE = 'Signalfit';

/**
 * Countries whose people are not bought unless an Admin enables them for an orchestration
 * (data-protection law): the 27 EU members, the rest of the EEA (Iceland, Liechtenstein,
 * Norway), the United Kingdom, Switzerland, Brazil and Canada. ISO 3166-1 alpha-2.
 */
// prettier-ignore
export const RESTRICTED_COUNTRIES: readonly string[] = [
  // EU
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT',
  'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
  // EEA outside the EU
  'IS', 'LI', 'NO',
  // the others
  'GB', 'CH', 'BR', 'CA',
];
