import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toCountryCode } from './countries';
import { DEFAULT_FIELD_MAPPING, loadFieldMapping } from './fieldMapping';
import { jobLevelFromTitle } from './jobLevel';
import { SYNC_OBJECTS, buildSyncQuery, domainOf } from './syncObjects';

describe('the Salesforce field mapping', () => {
  test('websites, countries and titles become canonical values', () => {
    expect(['https://www.acme.com/en', 'acme.com', 'HTTP://Shop.Acme.co.uk', ''].map(domainOf)).toEqual([
      'acme.com',
      'acme.com',
      'shop.acme.co.uk',
      '',
    ]);
    expect(['United States', 'germany', 'de', 'UK', 'Côte d’Ivoire', 'Atlantis'].map(toCountryCode)).toEqual([
      'US',
      'DE',
      'DE',
      'GB',
      'CI',
      null,
    ]);
    expect(
      ['CISO', 'SVP Sales', 'Head of Security', 'Engineering Manager', 'Developer', ''].map(
        jobLevelFromTitle,
      ),
    ).toEqual(['C-Level', 'VP', 'Director', 'Manager', 'Staff', null]);
  });

  test('the pull of an object asks for its mapped fields in its window', () => {
    const until = new Date('2026-01-09T23:59:00.000Z');
    expect(buildSyncQuery(SYNC_OBJECTS.Account, DEFAULT_FIELD_MAPPING, null, until)).toBe(
      'SELECT Id, IsDeleted, SystemModstamp, CreatedDate, Name, Website, Industry, NumberOfEmployees, AnnualRevenue, BillingCountry, OwnerId, Owner.Name, Type FROM Account WHERE SystemModstamp <= 2026-01-09T23:59:00Z',
    );
    expect(
      buildSyncQuery(SYNC_OBJECTS.Task, DEFAULT_FIELD_MAPPING, new Date('2026-01-01T00:00:00Z'), until),
    ).toBe(
      'SELECT Id, IsDeleted, SystemModstamp, AccountId, WhoId, TaskSubtype, Type, CreatedDate FROM Task WHERE SystemModstamp > 2026-01-01T00:00:00Z AND SystemModstamp <= 2026-01-09T23:59:00Z',
    );
  });

  test('the CRM fields of an account are kept by their names in the mapping, blanks left out', () => {
    const mapping = {
      ...DEFAULT_FIELD_MAPPING,
      account: { ...DEFAULT_FIELD_MAPPING.account, crmFields: ['OwnerId', 'Owner.Name', 'Type', 'tier__c'] },
    };
    const row = {
      Id: '001x',
      Name: 'Acme',
      OwnerId: '005000000000002AAA',
      'Owner.Name': 'Ada Byron',
      Type: '',
      Tier__c: 'Gold', // the results spell it as the org does: Salesforce names ignore case
    };
    expect(SYNC_OBJECTS.Account.map(row, mapping)?.crmFields).toEqual({
      OwnerId: '005000000000002AAA',
      'Owner.Name': 'Ada Byron',
      tier__c: 'Gold',
    });
    // A field asked for twice (here Industry, also the industry's field) is selected once.
    const twice = {
      ...DEFAULT_FIELD_MAPPING,
      account: { ...DEFAULT_FIELD_MAPPING.account, crmFields: ['industry', 'Type'] },
    };
    expect(buildSyncQuery(SYNC_OBJECTS.Account, twice, null, new Date('2026-01-09T00:00:00Z'))).toBe(
      'SELECT Id, IsDeleted, SystemModstamp, CreatedDate, Name, Website, Industry, NumberOfEmployees, AnnualRevenue, BillingCountry, Type FROM Account WHERE SystemModstamp <= 2026-01-09T00:00:00Z',
    );
    expect(SYNC_OBJECTS.Account.map({ Id: '001y', Industry: 'Retail' }, twice)?.crmFields).toEqual({
      industry: 'Retail',
    });
  });

  test('a mapping file overrides the defaults it names, and a bad one is refused with every problem', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'signalfit-mapping-'));
    const good = path.join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        account: { technologies: 'Tech_Stack__c', crmFields: ['Type', 'Region__c'] },
        opportunity: { relevantRecordTypes: ['New_Logo'] },
      }),
    );
    const mapping = loadFieldMapping(good);
    expect(mapping.account).toEqual({
      ...DEFAULT_FIELD_MAPPING.account,
      technologies: 'Tech_Stack__c',
      crmFields: ['Type', 'Region__c'],
    });
    expect(mapping.opportunity.relevantRecordTypes).toEqual(['New_Logo']);
    expect(SYNC_OBJECTS.Opportunity.fields(mapping)).toContain('RecordType.DeveloperName');
    expect(
      SYNC_OBJECTS.Opportunity.map(
        { Id: '006x', AccountId: '001x', 'RecordType.DeveloperName': 'New_Logo', Type: 'Renewal' },
        mapping,
      )?.cells.relevant,
    ).toBe('true');

    const bad = path.join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        account: { industry: 'Industry; DROP', crmFields: ['Type', 'Owner.Name.Email', 'TYPE'] },
        campaignMember: { respondedDefault: 'clicked' },
        extra: 1,
      }),
    );
    expect(() => loadFieldMapping(bad)).toThrow(
      /account.industry: must be a Salesforce field API name.*account.crmFields.1: must be a Salesforce field API name \(Field or Relationship.Field\).*account.crmFields: names a field twice.*campaignMember.respondedDefault/,
    );
  });
});
