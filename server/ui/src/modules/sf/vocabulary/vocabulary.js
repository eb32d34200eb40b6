// Generated from server/src/domain/vocabulary.ts, server/src/domain/segments/definition.ts and
// server/src/domain/orchestrations/vocabulary.ts by `node bin/tsx.js scripts/ui-vocabulary.ts`:
// change the words there (where they are explained), then run it.
export const BUYING_STAGES = Object.freeze(['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase']);
export const ENGAGEMENT_GRADES = Object.freeze(['A', 'B', 'C', 'D']);
export const FIT_BANDS = Object.freeze(['Strong', 'Moderate', 'Weak']);
export const REACH_LEVELS = Object.freeze(['Low', 'Medium', 'High']);
export const ROLES = Object.freeze(['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only']);
// The segment filter language (definition.ts).
export const ACCOUNT_FIELDS = Object.freeze({
  name: 'text',
  domain: 'text',
  industry: 'text',
  employees: 'number',
  annual_revenue: 'number',
  country: 'text',
  naics: 'text',
  technologies: 'list',
  created_at: 'date',
});
export const ACTIVITY_TYPES = Object.freeze([
  'keyword_research',
  'web_visit',
  'email_open',
  'email_click',
  'form_fill',
  'webinar',
  'trade_show',
  'field_event',
  'ad_click',
  'sales_reply',
  'ad_impression',
  'email_sent',
  'sales_email',
  'sales_call',
  'sales_meeting',
]);
export const ALERT_DELIVERIES = Object.freeze(['immediate', 'daily']);
export const ALERT_EVENTS = Object.freeze(['became_qualified', 'stage_advanced', 'entered_segment']);
export const CRM_FIELD_PATTERN = '^crm\\.[A-Za-z][A-Za-z0-9_.]*$';
export const OPS_BY_KIND = Object.freeze({
  text: Object.freeze(['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'exists']),
  number: Object.freeze(['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists']),
  date: Object.freeze(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'exists']),
  ordered: Object.freeze(['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists']),
  boolean: Object.freeze(['eq', 'neq', 'exists']),
  list: Object.freeze(['has_any', 'has_all', 'has_none', 'exists']),
});
export const ORDERED_VALUES = Object.freeze({
  profile_fit: Object.freeze(['Weak', 'Moderate', 'Strong']),
  buying_stage: Object.freeze(['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase']),
  reach: Object.freeze(['Low', 'Medium', 'High']),
});
export const RESEARCH_SOURCES = Object.freeze(['first_party', 'bombora', 'g2', 'trustradius']);
export const SCORE_FIELDS = Object.freeze({
  profile_fit: 'ordered',
  profile_score: 'number',
  intent_score: 'number',
  buying_stage: 'ordered',
  reach: 'ordered',
  qualified: 'boolean',
  qualified_since: 'date',
});
export const SEGMENT_KINDS = Object.freeze(['filter', 'list', 'crm']);
export const STRUCTURED_FIELDS = Object.freeze([
  'activity',
  'keyword_researched',
  'opportunity',
  'person',
  'segment',
]);
// Orchestrations (orchestrations/vocabulary.ts), and the job levels a title filter names.
export const ACCOUNT_SKIP_REASONS = Object.freeze(['no_domain', 'cooldown', 'no_candidates']);
export const EMAIL_CONFIDENCES = Object.freeze(['A', 'B', 'C', 'D']);
export const JOB_LEVELS = Object.freeze(['C-Level', 'VP', 'Director', 'Manager', 'Staff']);
export const LEAD_SOURCE = 'Signalfit';
export const ORCHESTRATION_GOALS = Object.freeze(['acquire_contacts', 'add_to_audience']);
export const PROVIDER_TYPES = Object.freeze(['csv', 'http']);
export const RECORD_OUTCOMES = Object.freeze(['purchased', 'pushed', 'skipped', 'failed']);
export const RESTRICTED_COUNTRIES = Object.freeze([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
  'GB',
  'CH',
  'BR',
  'CA',
]);
export const RUN_STATES = Object.freeze(['queued', 'running', 'complete', 'failed', 'interrupted']);
export const RUN_TRIGGERS = Object.freeze(['manual', 'schedule', 'repush']);
export const SALESFORCE_CREATE = Object.freeze(['lead', 'contact']);
export const SKIP_REASONS = Object.freeze([
  'no_email',
  'opted_out',
  'already_in_crm',
  'restricted_region',
  'filtered_out',
  'cooldown',
  'cap_reached',
]);
export const SOURCE_TYPES = Object.freeze(['Orchestration', 'Sales Intelligence']);
export const TARGET_TYPES = Object.freeze(['salesforce_campaign', 'outreach_sequence', 'csv']);
export const WEEKDAYS = Object.freeze([
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
]);
// Model versions: their kinds (scoring/modelCodec.ts) and states (models/versionStore.ts).
export const MODEL_KINDS = Object.freeze(['intent', 'profile_fit', 'contact_fit', 'engagement']);
export const MODEL_STATES = Object.freeze(['active', 'candidate', 'rejected', 'retired']);
