import { type ActivityType, type CanonicalEntity } from '../../domain/canonical';
import { toCountryCode } from './countries';
import type { FieldMapping } from './fieldMapping';
import { jobLevelFromTitle } from './jobLevel';

/**
 * The Salesforce objects the sync pulls, in the order it pulls them (accounts before what
 * refers to them), and how one Bulk API result row (CSV cells by field name) becomes the cells
 * of a canonical row. The canonical import's field rules then check and convert those cells.
 */
export type SyncedSObject =
  'Account' | 'Contact' | 'Lead' | 'Opportunity' | 'Task' | 'Event' | 'CampaignMember';
export const SYNC_ORDER: readonly SyncedSObject[] = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'Task',
  'Event',
  'CampaignMember',
];

type Cells = Record<string, string | undefined>;
type SalesforceRow = Record<string, string | undefined>;

/** One record ready to land, or why it is left out. */
export interface MappedRecord {
  id: string;
  cells: Cells;
  /** When `account_id` is blank: where the account is looked up. */
  accountFrom?: { emailDomain: string } | { personId: string };
  /** A converted lead: kept, but Salesforce refuses updates to it. */
  converted?: boolean;
  /** An account's CRM fields (`account.crmFields`) by their names in the mapping; blanks left out. */
  crmFields?: Record<string, string>;
}

export interface SyncObject {
  sobject: SyncedSObject;
  entity: Exclude<CanonicalEntity, 'keywords'>;
  /** The fields to query besides Id, IsDeleted and SystemModstamp. */
  fields(mapping: FieldMapping): string[];
  /** The canonical cells, or null for a record that is not data for Signalfit (a to-do task). */
  map(row: SalesforceRow, mapping: FieldMapping): MappedRecord | null;
}

const present = (...names: (string | null)[]) => names.filter((n): n is string => n !== null);
const read = (row: SalesforceRow, name: string | null) => (name ? (row[name] ?? '') : '');

/**
 * The CRM fields' non-blank values, keyed as the mapping names them. Field names are not case
 * sensitive in Salesforce, so a column is found whatever case the results give it.
 */
function crmValues(row: SalesforceRow, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  let byLowerCase: Map<string, string | undefined> | null = null;
  for (const name of names) {
    let value = row[name];
    if (value === undefined) {
      byLowerCase ??= new Map(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));
      value = byLowerCase.get(name.toLowerCase());
    }
    if (value !== undefined && value !== '') values[name] = value;
  }
  return values;
}

/** `https://www.acme.com/en` → `acme.com`; blank when no host can be read. */
export function domainOf(website: string): string {
  const text = website.trim().toLowerCase();
  if (text === '') return '';
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`).hostname;
    return host.replace(/^www\./, '');
  } catch {
    return '';
  }
}

function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0
    ? ''
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

function country(value: string): string {
  return value.trim() === '' ? '' : (toCountryCode(value) ?? '');
}

/** Numbers as the canonical format writes them (the Bulk API may send `1.5E7`). */
function plainNumber(value: string, integer: boolean): string {
  const text = value.trim();
  if (text === '' || /^-?\d+(\.\d+)?$/.test(text)) return integer ? text.replace(/\.0+$/, '') : text;
  const n = Number(text);
  if (!Number.isFinite(n)) return text; // the field rules reject it with the value shown
  return integer ? String(Math.round(n)) : String(n);
}

const isId = (value: string, prefix: string) => value.startsWith(prefix) && value.length >= 15;

function person(kind: 'contact' | 'lead', sobject: 'Contact' | 'Lead'): SyncObject {
  const mapped = (m: FieldMapping) => (kind === 'contact' ? m.contact : m.lead);
  return {
    sobject,
    entity: 'contacts',
    fields: (m) => {
      const f = mapped(m);
      const own =
        kind === 'contact' ? ['AccountId'] : ['IsConverted', 'ConvertedAccountId', 'ConvertedContactId'];
      return [
        ...own,
        'Email',
        'FirstName',
        'LastName',
        'CreatedDate',
        ...present(f.title, f.jobFunction, f.jobLevel, f.country, f.optedOut),
      ];
    },
    map: (row, m) => {
      const f = mapped(m);
      const email = read(row, 'Email');
      const converted = kind === 'lead' && read(row, 'IsConverted') === 'true';
      const accountId =
        kind === 'contact' ? read(row, 'AccountId') : converted ? read(row, 'ConvertedAccountId') : '';
      const title = read(row, f.title);
      return {
        id: read(row, 'Id'),
        cells: {
          id: read(row, 'Id'),
          account_id: accountId,
          email,
          first_name: read(row, 'FirstName'),
          last_name: read(row, 'LastName'),
          title,
          job_level: f.jobLevel ? read(row, f.jobLevel) : (jobLevelFromTitle(title) ?? ''),
          job_function: read(row, f.jobFunction),
          country: country(read(row, f.country)),
          kind,
          opted_out: f.optedOut ? read(row, f.optedOut) : '',
          created_at: read(row, 'CreatedDate'),
        },
        accountFrom: accountId === '' && emailDomain(email) ? { emailDomain: emailDomain(email) } : undefined,
        converted,
      };
    },
  };
}

/** Tasks that are a touch of the account by sales: calls and e-mails (to-dos are not). */
function taskType(row: SalesforceRow): ActivityType | null {
  const subtype = read(row, 'TaskSubtype');
  if (subtype === 'Call') return 'sales_call';
  if (subtype === 'Email' || subtype === 'ListEmail') return 'sales_email';
  const type = read(row, 'Type');
  if (type === 'Call') return 'sales_call';
  if (type === 'Email') return 'sales_email';
  if (type === 'Meeting') return 'sales_meeting';
  return null;
}

function salesActivity(
  row: SalesforceRow,
  type: ActivityType,
  occurredAt: string,
  campaign = '',
  source = 'salesforce',
): MappedRecord {
  const accountId = read(row, 'AccountId');
  const who = read(row, 'WhoId') || read(row, 'ContactId') || read(row, 'LeadId');
  const personId = isId(who, '003') || isId(who, '00Q') ? who : '';
  return {
    id: read(row, 'Id'),
    cells: {
      id: read(row, 'Id'),
      occurred_at: occurredAt,
      account_id: accountId,
      contact_id: personId,
      type,
      source,
      keyword: '',
      url: '',
      campaign,
    },
    accountFrom: accountId === '' && personId ? { personId } : undefined,
  };
}

/** The source the models expect for a reach type (ACTIVITY_CLASSES in domain/canonical.ts). */
function sourceOf(type: ActivityType): string {
  if (type === 'ad_impression') return 'ads';
  if (type === 'email_sent') return 'map';
  return 'salesforce';
}

function campaignMemberType(row: SalesforceRow, m: FieldMapping): ActivityType {
  const rules = m.campaignMember;
  const byStatus = rules.statusTypes[read(row, 'Status')];
  if (byStatus) return byStatus as ActivityType;
  const campaignType = read(row, 'Campaign.Type');
  if (read(row, 'HasResponded') === 'true')
    return (rules.respondedByCampaignType[campaignType] ?? rules.respondedDefault) as ActivityType;
  return (rules.sentByCampaignType[campaignType] ?? rules.sentDefault) as ActivityType;
}

export const SYNC_OBJECTS: Record<SyncedSObject, SyncObject> = {
  Account: {
    sobject: 'Account',
    entity: 'accounts',
    fields: (m) => {
      const a = m.account;
      return [
        'CreatedDate',
        ...present(
          a.name,
          a.website,
          a.industry,
          a.employees,
          a.annualRevenue,
          a.country,
          a.naics,
          a.technologies,
        ),
        ...a.crmFields,
      ];
    },
    map: (row, m) => {
      const a = m.account;
      return {
        id: read(row, 'Id'),
        cells: {
          id: read(row, 'Id'),
          name: read(row, a.name),
          domain: domainOf(read(row, a.website)),
          industry: read(row, a.industry),
          employees: plainNumber(read(row, a.employees), true),
          annual_revenue: plainNumber(read(row, a.annualRevenue), false),
          country: country(read(row, a.country)),
          naics: read(row, a.naics),
          technologies: read(row, a.technologies),
          created_at: read(row, 'CreatedDate'),
        },
        crmFields: crmValues(row, a.crmFields),
      };
    },
  },
  Contact: person('contact', 'Contact'),
  Lead: person('lead', 'Lead'),
  Opportunity: {
    sobject: 'Opportunity',
    entity: 'opportunities',
    fields: (m) => {
      const o = m.opportunity;
      return [
        'AccountId',
        'Name',
        'Type',
        'Amount',
        'StageName',
        'IsClosed',
        'IsWon',
        'CreatedDate',
        'CloseDate',
        ...present(o.currency, o.relevantRecordTypes ? 'RecordType.DeveloperName' : null),
      ];
    },
    map: (row, m) => {
      const o = m.opportunity;
      const judged = o.relevantTypes !== null || o.relevantRecordTypes !== null;
      const relevant =
        (o.relevantTypes?.includes(read(row, 'Type')) ?? false) ||
        (o.relevantRecordTypes?.includes(read(row, 'RecordType.DeveloperName')) ?? false);
      const closed = read(row, 'IsClosed') === 'true';
      return {
        id: read(row, 'Id'),
        cells: {
          id: read(row, 'Id'),
          account_id: read(row, 'AccountId'),
          name: read(row, 'Name'),
          type: read(row, 'Type'),
          amount: plainNumber(read(row, 'Amount'), false),
          currency: read(row, o.currency),
          stage: read(row, 'StageName'),
          is_closed: read(row, 'IsClosed'),
          is_won: read(row, 'IsWon'),
          relevant: judged ? String(relevant) : '',
          created_at: read(row, 'CreatedDate'),
          closed_at: closed ? read(row, 'CloseDate') : '',
        },
      };
    },
  },
  Task: {
    sobject: 'Task',
    entity: 'activities',
    fields: () => ['AccountId', 'WhoId', 'TaskSubtype', 'Type', 'CreatedDate'],
    map: (row) => {
      const type = taskType(row);
      return type ? salesActivity(row, type, read(row, 'CreatedDate')) : null;
    },
  },
  Event: {
    sobject: 'Event',
    entity: 'activities',
    fields: () => ['AccountId', 'WhoId', 'StartDateTime', 'CreatedDate'],
    map: (row) => salesActivity(row, 'sales_meeting', read(row, 'StartDateTime') || read(row, 'CreatedDate')),
  },
  CampaignMember: {
    sobject: 'CampaignMember',
    entity: 'activities',
    fields: () => [
      'ContactId',
      'LeadId',
      'Status',
      'HasResponded',
      'FirstRespondedDate',
      'CreatedDate',
      'Campaign.Name',
      'Campaign.Type',
    ],
    map: (row, m) => {
      const type = campaignMemberType(row, m);
      const responded = read(row, 'HasResponded') === 'true' && read(row, 'FirstRespondedDate') !== '';
      const at = responded ? read(row, 'FirstRespondedDate') : read(row, 'CreatedDate');
      return salesActivity(row, type, at, read(row, 'Campaign.Name'), sourceOf(type));
    },
  },
};

/** SOQL datetime literal (whole seconds, UTC): SystemModstamp has no finer precision. */
export function soqlDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The fields a pull of the object selects, each once (Salesforce refuses a field selected twice, whatever its case). */
export function syncFields(object: SyncObject, mapping: FieldMapping): string[] {
  const seen = new Set<string>();
  return ['Id', 'IsDeleted', 'SystemModstamp', ...object.fields(mapping)].filter((f) => {
    const key = f.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The pull of one object: changes with SystemModstamp in (since, until]. */
export function buildSyncQuery(
  object: SyncObject,
  mapping: FieldMapping,
  since: Date | null,
  until: Date,
): string {
  const fields = syncFields(object, mapping);
  const window = [
    ...(since ? [`SystemModstamp > ${soqlDateTime(since)}`] : []),
    `SystemModstamp <= ${soqlDateTime(until)}`,
  ];
  return `SELECT ${fields.join(', ')} FROM ${object.sobject} WHERE ${window.join(' AND ')}`;
}
