import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { CONTACT_FIELDS, LEAD_FIELDS, MEMBER_FIELDS } from '../../services/orchestrations/salesforcePush';
import { FIELDS, SCORED_AT_FIELD, WRITEBACK_ORDER } from '../../services/salesforce/writebackTargets';
import { DEFAULT_FIELD_MAPPING } from './fieldMapping';
import { SYNC_OBJECTS, SYNC_ORDER, buildSyncQuery } from './syncObjects';

/**
 * The Signalfit_Integration permission set (force-app) grants the integration user exactly what
 * the sync reads with the default field mapping, what the write-back writes and what the
 * orchestrations' Salesforce push creates: derived here from the queries the sync sends, the
 * write-back's field lists and the push's columns, so a new field on any side fails this test
 * until the permission set follows.
 */
const FORCE_APP = path.resolve(__dirname, '../../../../force-app/main/default');
const PERMISSION_SET = path.join(FORCE_APP, 'permissionsets/Signalfit_Integration.permissionset-meta.xml');

/**
 * Fields Salesforce keeps out of field-level security (system fields, required name fields, and
 * fields it derives): readable by anyone who can read the object, and refused in a permission set.
 */
const OUTSIDE_FLS: Record<string, readonly string[]> = {
  '*': ['Id', 'IsDeleted', 'SystemModstamp', 'CreatedDate'],
  Account: ['Name', 'OwnerId'],
  Campaign: ['Name'],
  CampaignMember: ['CampaignId', 'ContactId', 'LeadId', 'Status', 'HasResponded', 'FirstRespondedDate'],
  Contact: ['FirstName', 'LastName'],
  Event: ['AccountId', 'StartDateTime'],
  Lead: ['FirstName', 'LastName', 'Company', 'IsConverted', 'ConvertedAccountId', 'ConvertedContactId'],
  Opportunity: ['Name', 'StageName', 'CloseDate', 'IsClosed', 'IsWon'],
  Task: ['AccountId', 'TaskSubtype'],
  User: ['Name'],
};
/** Relationships named otherwise than their object: `Owner.Name` is the owning User's name. */
const RELATIONSHIP_OBJECTS: Record<string, string> = { Owner: 'User' };
/** Address parts are secured as their compound address field. */
const SECURED_AS: Record<string, string> = {
  'Account.BillingCountry': 'Account.BillingAddress',
  'Contact.MailingCountry': 'Contact.MailingAddress',
  'Lead.Country': 'Lead.Address',
};
/**
 * Objects without object permissions: activities and campaign members are visible through their
 * parents (adding campaign members takes read on Campaign, edit on Lead or Contact and the
 * Marketing User flag of the user record); users' names through user sharing (a permission set
 * cannot grant read on User).
 */
const THROUGH_PARENTS = new Set(['Task', 'Event', 'CampaignMember', 'User']);

/** `Object.Field` for every field a sync query reads, parents' fields (`Campaign.Name`) included. */
function fieldsRead(): string[] {
  return SYNC_ORDER.flatMap((sobject) => {
    const soql = buildSyncQuery(SYNC_OBJECTS[sobject], DEFAULT_FIELD_MAPPING, new Date(0), new Date());
    const select = /^SELECT (.+) FROM (\w+) WHERE /.exec(soql);
    if (!select || select[2] !== sobject) throw new Error(`unexpected sync query: ${soql}`);
    return select[1]!.split(', ').map((field) => {
      if (!field.includes('.')) return `${sobject}.${field}`;
      const [relationship, name] = field.split('.') as [string, string];
      return `${RELATIONSHIP_OBJECTS[relationship] ?? relationship}.${name}`;
    });
  });
}

function fieldsWritten(): string[] {
  return WRITEBACK_ORDER.flatMap((sobject) => [
    ...FIELDS[sobject].map((field) => `${sobject}.${field}`),
    ...(sobject === 'Account' ? [`Account.${SCORED_AT_FIELD}`] : []),
  ]);
}

/** `Object.Field` for every field the Salesforce push sets when it creates a record. */
function fieldsCreated(): string[] {
  return [
    ...LEAD_FIELDS.map((field) => `Lead.${field}`),
    ...CONTACT_FIELDS.map((field) => `Contact.${field}`),
    ...MEMBER_FIELDS.map((field) => `CampaignMember.${field}`),
  ];
}

function underFls(qualified: string): boolean {
  const [object, field] = qualified.split('.') as [string, string];
  return ![...OUTSIDE_FLS['*']!, ...(OUTSIDE_FLS[object] ?? [])].includes(field);
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

type FieldPermission = { field: string; readable: string; editable: string };
type ObjectPermission = Record<string, string>;

function permissionSet() {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });
  return parser.parse(readFileSync(PERMISSION_SET, 'utf8')).PermissionSet;
}

describe('the Signalfit_Integration permission set', () => {
  const ps = permissionSet();
  const written = new Set([...fieldsWritten(), ...fieldsCreated()]);
  const created = new Set(fieldsCreated().map((field) => field.split('.')[0]!));

  test('grants read on every secured field the sync reads, and edit on exactly the fields the write-back writes and the push sets', () => {
    const expected = new Map<string, { readable: string; editable: string }>();
    for (const field of fieldsRead().filter(underFls)) {
      expected.set(SECURED_AS[field] ?? field, { readable: 'true', editable: 'false' });
    }
    for (const field of [...written].filter(underFls))
      expected.set(SECURED_AS[field] ?? field, { readable: 'true', editable: 'true' });

    const granted = asArray<FieldPermission>(ps.fieldPermissions).map((p) => [
      p.field,
      { readable: p.readable, editable: p.editable },
    ]);
    expect(Object.fromEntries(granted)).toEqual(Object.fromEntries(expected));
    expect(granted).toHaveLength(expected.size);
  });

  test('lists its fields in the order Salesforce retrieves them (by name)', () => {
    const names = asArray<FieldPermission>(ps.fieldPermissions).map((p) => p.field);
    expect(names).toEqual([...names].sort());
  });

  test('every Signalfit field it names is in force-app', () => {
    for (const field of asArray<FieldPermission>(ps.fieldPermissions).map((p) => p.field)) {
      const [object, name] = field.split('.') as [string, string];
      if (!name.endsWith('__c')) continue;
      const file = path.join(FORCE_APP, 'objects', object, 'fields', `${name}.field-meta.xml`);
      expect({ field, exists: existsSync(file) }).toEqual({ field, exists: true });
    }
  });

  test('reads (View All) every object the sync reads, edits only what the write-back and the push write, creates only Leads and Contacts, never deletes', () => {
    const readObjects = new Set(fieldsRead().map((field) => field.split('.')[0]!));
    const writtenObjects = new Set([...written].map((field) => field.split('.')[0]!));
    const expected = [...readObjects]
      .filter((object) => !THROUGH_PARENTS.has(object))
      .sort()
      .map((object) => ({
        allowCreate: String(created.has(object)),
        allowDelete: 'false',
        allowEdit: String(writtenObjects.has(object)),
        allowRead: 'true',
        modifyAllRecords: 'false',
        object,
        viewAllRecords: 'true',
      }));

    expect(asArray<ObjectPermission>(ps.objectPermissions)).toEqual(expected);
    // The sync reaches Campaign through CampaignMember.Campaign.Name.
    expect(expected.map((p) => p.object)).toEqual(['Account', 'Campaign', 'Contact', 'Lead', 'Opportunity']);
    expect(expected.filter((p) => p.allowCreate === 'true').map((p) => p.object)).toEqual([
      'Contact',
      'Lead',
    ]);
  });

  test('enables only the API (Bulk API 2.0 needs nothing more) and nothing of the panel', () => {
    expect(asArray(ps.userPermissions)).toEqual([{ enabled: 'true', name: 'ApiEnabled' }]);
    expect(ps.classAccesses).toBeUndefined();
    expect(ps.customPermissions).toBeUndefined();
    expect(ps.customMetadataTypeAccesses).toBeUndefined();
    expect(ps.tabSettings).toBeUndefined();
    // No license: it can be assigned to a user of the Salesforce Integration license.
    expect(ps.license).toBeUndefined();
    expect(ps.hasActivationRequired).toBe('false');
    expect(ps.label).toBe('Signalfit Integration');
  });
});
