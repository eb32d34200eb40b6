/**
 * The fields the stand-in's objects have (a standard org plus the Signalfit package's fields).
 * A query or upload naming another field is refused as Salesforce refuses it.
 */
const COMMON = ['Id', 'IsDeleted', 'SystemModstamp', 'CreatedDate', 'LastModifiedDate'];

export const KEY_PREFIXES: Record<string, string> = {
  Account: '001',
  Contact: '003',
  Lead: '00Q',
  Opportunity: '006',
  Task: '00T',
  Event: '00U',
  Campaign: '701',
  CampaignMember: '00v',
  RecordType: '012',
  User: '005',
};

export const STANDARD_FIELDS: Record<string, string[]> = {
  Account: [
    ...COMMON,
    'Name',
    'Website',
    'Industry',
    'NumberOfEmployees',
    'AnnualRevenue',
    'BillingCountry',
    'NaicsCode',
    'Type',
    'OwnerId',
    'Signalfit_Profile_Fit__c',
    'Signalfit_Profile_Score__c',
    'Signalfit_Intent_Score__c',
    'Signalfit_Buying_Stage__c',
    'Signalfit_Reach__c',
    'Signalfit_Qualified__c',
    'Signalfit_Qualified_Since__c',
    'Signalfit_Segments__c',
    'Signalfit_Scored_At__c',
  ],
  Contact: [
    ...COMMON,
    'AccountId',
    'Email',
    'FirstName',
    'LastName',
    'Title',
    'Department',
    'MailingCountry',
    'HasOptedOutOfEmail',
    'LeadSource',
    'Signalfit_Source_Type__c',
    'Signalfit_Engagement_Grade__c',
    'Signalfit_Engagement_Score__c',
    'Signalfit_Profile_Fit__c',
    'Signalfit_Persona__c',
  ],
  Lead: [
    ...COMMON,
    'Email',
    'FirstName',
    'LastName',
    'Title',
    'Company',
    'Country',
    'HasOptedOutOfEmail',
    'IsConverted',
    'ConvertedAccountId',
    'ConvertedContactId',
    'LeadSource',
    'Signalfit_Source_Type__c',
    'Signalfit_Engagement_Grade__c',
    'Signalfit_Engagement_Score__c',
    'Signalfit_Profile_Fit__c',
    'Signalfit_Persona__c',
  ],
  Opportunity: [
    ...COMMON,
    'AccountId',
    'Name',
    'Type',
    'Amount',
    'StageName',
    'IsClosed',
    'IsWon',
    'CloseDate',
    'RecordTypeId',
  ],
  Task: [
    ...COMMON,
    'AccountId',
    'WhoId',
    'WhatId',
    'Subject',
    'TaskSubtype',
    'Type',
    'ActivityDate',
    'Status',
  ],
  Event: [...COMMON, 'AccountId', 'WhoId', 'WhatId', 'Subject', 'StartDateTime', 'EndDateTime'],
  Campaign: [...COMMON, 'Name', 'Type', 'IsActive'],
  CampaignMember: [
    ...COMMON,
    'CampaignId',
    'ContactId',
    'LeadId',
    'Status',
    'HasResponded',
    'FirstRespondedDate',
  ],
  RecordType: [...COMMON, 'DeveloperName', 'SobjectType'],
  User: [...COMMON, 'Name', 'Username', 'Email', 'IsActive'],
};

/** Lookup relationships whose name is not their object's: `Owner.Name` reads the owning User. */
export const RELATIONSHIP_OBJECTS: Record<string, string> = { Owner: 'User' };

/** Fields an insert must set (Salesforce answers REQUIRED_FIELD_MISSING without them). */
export const REQUIRED_ON_INSERT: Record<string, string[]> = {
  Lead: ['LastName', 'Company'],
  Contact: ['LastName'],
  Campaign: ['Name'],
  CampaignMember: ['CampaignId'],
};

/** Lookups an insert may set: the id must be a live record of the object named. */
export const LOOKUPS: Record<string, Record<string, string>> = {
  Contact: { AccountId: 'Account' },
  CampaignMember: { CampaignId: 'Campaign', LeadId: 'Lead', ContactId: 'Contact' },
};

/** Restricted picklists of the Signalfit package: any other value is refused. */
export const RESTRICTED_PICKLISTS: Record<string, Record<string, readonly string[]>> = {
  Lead: { Signalfit_Source_Type__c: ['Orchestration', 'Sales Intelligence'] },
  Contact: { Signalfit_Source_Type__c: ['Orchestration', 'Sales Intelligence'] },
};
