import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { connectSalesforce, type SalesforceSettings } from '../../integrations/salesforce/client';
import { DEFAULT_FIELD_MAPPING } from '../../integrations/salesforce/fieldMapping';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedOrg, type SeededOrg } from '../../../test/salesforceStandIn/fixtures';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { syncSalesforce } from '../salesforce/syncSalesforce';
import { insertScoreRun } from '../salesforce/testing';
import { writebackSalesforce } from '../salesforce/writebackSalesforce';
import { clearSalesforceFields } from './clearSalesforceFields';
import { packageMembers, writeSalesforceCleanup } from './salesforceCleanup';

jest.setTimeout(60_000);

/** What force-app ships today: the clean-up must list every piece of it. */
const SHIPPED = {
  ApexClass: [
    'SignalfitEmbedController',
    'SignalfitEmbedControllerTest',
    'SignalfitJwt',
    'SignalfitJwtTest',
    'SignalfitTokenSigner',
  ],
  CspTrustedSite: ['Signalfit_Service'],
  CustomField: [
    'Account.Signalfit_Buying_Stage__c',
    'Account.Signalfit_Intent_Score__c',
    'Account.Signalfit_Profile_Fit__c',
    'Account.Signalfit_Profile_Score__c',
    'Account.Signalfit_Qualified_Since__c',
    'Account.Signalfit_Qualified__c',
    'Account.Signalfit_Reach__c',
    'Account.Signalfit_Scored_At__c',
    'Account.Signalfit_Segments__c',
    'Contact.Signalfit_Engagement_Grade__c',
    'Contact.Signalfit_Engagement_Score__c',
    'Contact.Signalfit_Persona__c',
    'Contact.Signalfit_Profile_Fit__c',
    'Contact.Signalfit_Source_Type__c',
    'Lead.Signalfit_Engagement_Grade__c',
    'Lead.Signalfit_Engagement_Score__c',
    'Lead.Signalfit_Persona__c',
    'Lead.Signalfit_Profile_Fit__c',
    'Lead.Signalfit_Source_Type__c',
  ],
  CustomObject: ['Signalfit_Setting__mdt'],
  CustomPermission: ['Signalfit_Access', 'Signalfit_Admin', 'Signalfit_Sales_Actions'],
  FlexiPage: ['Signalfit_Account_Record_Page', 'Signalfit_Contact_Record_Page', 'Signalfit_Lead_Record_Page'],
  LightningComponentBundle: ['signalfitEmbedUtils', 'signalfitPanel'],
  PermissionSet: ['Signalfit_Admin', 'Signalfit_Integration', 'Signalfit_User'],
};

describe.each(testStoreTargets())('Salesforce clean-up on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'signalfit-sfclean-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every component force-app ships in destructiveChanges.xml, with an empty package.xml', async () => {
    expect(packageMembers()).toEqual(SHIPPED);
    const files = await writeSalesforceCleanup({ db, actor: OPERATOR, dir });
    const xml = new XMLParser({
      isArray: (name) => ['types', 'members'].includes(name),
      parseTagValue: false,
    });
    const destructive = xml.parse(readFileSync(files.destructiveChangesXml, 'utf8')) as {
      Package: { types: { name: string; members: string[] }[]; version?: string };
    };
    expect(Object.fromEntries(destructive.Package.types.map((t) => [t.name, t.members]))).toEqual(SHIPPED);
    const pkg = xml.parse(readFileSync(files.packageXml, 'utf8')) as {
      Package: { types?: unknown; version: string };
    };
    expect(pkg.Package).toEqual({ version: '67.0' });
    expect(files.command).toBe(
      `sf project deploy start --manifest ${path.join(dir, 'package.xml')} --post-destructive-changes ${path.join(dir, 'destructiveChanges.xml')}`,
    );
  });

  describe('--clear-fields', () => {
    let standIn: SalesforceStandIn;
    let settings: SalesforceSettings;
    let org: SeededOrg;
    const poll = { pollIntervalMs: 10, pollTimeoutMs: 5_000 };
    beforeAll(async () => {
      ({ standIn, settings } = await startStandIn());
      org = seedOrg(standIn);
      const connect = (guard: Parameters<typeof connectSalesforce>[1]) => connectSalesforce(settings, guard);
      await syncSalesforce({
        db,
        connect,
        mapping: DEFAULT_FIELD_MAPPING,
        budgetPercent: 20,
        now: () => new Date('2026-01-08T00:00:00Z'),
        poll,
      });
      await insertScoreRun(
        db,
        '2026-01-07',
        [
          {
            account_id: org.acme,
            intent_score: 81,
            buying_stage: 'Decision',
            profile_score: 90,
            profile_fit: 'Strong',
            reach: 'High',
            qualified: true,
            qualified_since: '2026-01-06',
          },
        ],
        [
          {
            contact_id: org.ada,
            account_id: org.acme,
            engagement_score: 77,
            engagement_grade: 'A',
            profile_fit: 'Strong',
            persona: 'Security leader',
          },
        ],
      );
      await writebackSalesforce({ db, connect, budgetPercent: 20, poll });
    });
    afterAll(() => standIn.close());

    it('blanks the Signalfit fields of every record the write-back wrote, through Bulk API 2.0', async () => {
      expect(standIn.get('Account', org.acme)).toMatchObject({ Signalfit_Intent_Score__c: '81' });
      const report = await clearSalesforceFields({
        db,
        actor: OPERATOR,
        connect: () => connectSalesforce(settings),
        poll,
      });
      expect(report).toEqual({
        objects: {
          Account: { sent: 1, cleared: 1, failed: 0 },
          Contact: { sent: 1, cleared: 1, failed: 0 },
          Lead: { sent: 0, cleared: 0, failed: 0 },
        },
        errors: [],
      });
      expect(standIn.get('Account', org.acme)).toMatchObject({
        Signalfit_Intent_Score__c: null,
        Signalfit_Buying_Stage__c: null,
        Signalfit_Qualified__c: null,
        Signalfit_Segments__c: null,
        Signalfit_Scored_At__c: null,
      });
      expect(standIn.get('Contact', org.ada)).toMatchObject({
        Signalfit_Persona__c: null,
        Signalfit_Engagement_Grade__c: null,
      });
      expect(await db.query('SELECT * FROM salesforce_written_values')).toEqual([]);
    });
  });
});
