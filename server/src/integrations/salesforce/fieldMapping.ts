import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ACTIVITY_TYPES } from '../../domain/canonical';

/**
 * Which Salesforce fields feed the canonical data, in one place. The defaults fit a standard
 * org (standard fields only); `SALESFORCE_FIELD_MAPPING_FILE` names a JSON file whose keys
 * replace the defaults they name, e.g.
 * `{"account": {"technologies": "Technologies__c", "naics": "NaicsCode"},
 *   "opportunity": {"relevantTypes": ["New Business"]}}`.
 * A field set to null is not read (the canonical value stays empty).
 */
const field = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.]*$/, 'must be a Salesforce field API name')
  .nullable();
const crmFields = z
  .array(
    z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/,
        'must be a Salesforce field API name (Field or Relationship.Field)',
      ),
  )
  .max(100, 'at most 100 fields')
  .refine((names) => new Set(names.map((n) => n.toLowerCase())).size === names.length, 'names a field twice');
const activityType = z.enum(ACTIVITY_TYPES as [string, ...string[]]);

const mappingSchema = z.object({
  account: z.object({
    name: field,
    /** A URL or a bare domain: the domain is taken from it. */
    website: field,
    industry: field,
    employees: field,
    annualRevenue: field,
    /** A country name or ISO code: names are turned into ISO 3166 alpha-2 codes. */
    country: field,
    naics: field,
    /** A multi-select picklist or `;`-separated text. */
    technologies: field,
    /**
     * The account fields CRM segments filter on (`crm.<name>`), kept as the sync reads them in
     * account_crm_fields: fields of the account or of a parent (`Owner.Name`).
     */
    crmFields: crmFields,
  }),
  contact: z.object({ title: field, jobFunction: field, jobLevel: field, country: field, optedOut: field }),
  lead: z.object({ title: field, jobFunction: field, jobLevel: field, country: field, optedOut: field }),
  opportunity: z.object({
    currency: field,
    /** Opportunity types that count for the models; null (and no record types) leaves it to the scoring rule. */
    relevantTypes: z.array(z.string()).nullable(),
    /** Record type developer names that count for the models. */
    relevantRecordTypes: z.array(z.string()).nullable(),
  }),
  campaignMember: z.object({
    /** Member status → activity type; wins over the campaign-type rules below. */
    statusTypes: z.record(z.string(), activityType),
    /** Campaign type → activity type of a member who responded. */
    respondedByCampaignType: z.record(z.string(), activityType),
    respondedDefault: activityType,
    /** Campaign type → activity type of a member who did not (yet) respond: a touch of ours. */
    sentByCampaignType: z.record(z.string(), activityType),
    sentDefault: activityType,
  }),
});

export type FieldMapping = z.infer<typeof mappingSchema>;

export const DEFAULT_FIELD_MAPPING: FieldMapping = {
  account: {
    name: 'Name',
    website: 'Website',
    industry: 'Industry',
    employees: 'NumberOfEmployees',
    annualRevenue: 'AnnualRevenue',
    country: 'BillingCountry',
    naics: null,
    technologies: null,
    crmFields: ['OwnerId', 'Owner.Name', 'Type'],
  },
  contact: {
    title: 'Title',
    jobFunction: 'Department',
    jobLevel: null, // derived from the title
    country: 'MailingCountry',
    optedOut: 'HasOptedOutOfEmail',
  },
  lead: {
    title: 'Title',
    jobFunction: null,
    jobLevel: null,
    country: 'Country',
    optedOut: 'HasOptedOutOfEmail',
  },
  opportunity: { currency: null, relevantTypes: null, relevantRecordTypes: null },
  campaignMember: {
    statusTypes: {},
    respondedByCampaignType: {
      Webinar: 'webinar',
      'Trade Show': 'trade_show',
      Conference: 'trade_show',
      Seminar: 'field_event',
      Event: 'field_event',
      Email: 'email_click',
      Advertisement: 'ad_click',
      'Banner Ads': 'ad_click',
    },
    respondedDefault: 'form_fill',
    sentByCampaignType: { Advertisement: 'ad_impression', 'Banner Ads': 'ad_impression' },
    sentDefault: 'email_sent',
  },
};

const overridesSchema = z
  .object({
    account: mappingSchema.shape.account.partial(),
    contact: mappingSchema.shape.contact.partial(),
    lead: mappingSchema.shape.lead.partial(),
    opportunity: mappingSchema.shape.opportunity.partial(),
    campaignMember: mappingSchema.shape.campaignMember.partial(),
  })
  .partial()
  .strict();

/** The defaults with the overrides of a JSON file laid over them; throws naming every problem. */
export function loadFieldMapping(file: string | null): FieldMapping {
  if (!file) return DEFAULT_FIELD_MAPPING;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read the field mapping ${file}: ${error instanceof Error ? error.message : error}`,
    );
  }
  const parsed = overridesSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`the field mapping ${file} is invalid: ${problems}`);
  }
  const o = parsed.data;
  const d = DEFAULT_FIELD_MAPPING;
  return {
    account: { ...d.account, ...o.account },
    contact: { ...d.contact, ...o.contact },
    lead: { ...d.lead, ...o.lead },
    opportunity: { ...d.opportunity, ...o.opportunity },
    campaignMember: { ...d.campaignMember, ...o.campaignMember },
  };
}
