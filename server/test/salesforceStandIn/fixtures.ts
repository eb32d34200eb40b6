import type { SalesforceStandIn } from './standIn';

/** A small org with a bit of everything the sync maps, at fixed times well in the past. */
export const SEEDED_AT = new Date('2026-01-05T09:00:00Z');

export interface SeededOrg {
  /** The user who owns Acme (Globex has no type and the integration user as owner). */
  owner: string;
  acme: string;
  globex: string;
  ada: string;
  grace: string;
  leadByDomain: string;
  leadConverted: string;
  leadNowhere: string;
  opportunity: string;
  call: string;
  todo: string;
  meeting: string;
  webinarAttendee: string;
  emailInvitee: string;
}

export function seedOrg(org: SalesforceStandIn, at: Date = SEEDED_AT): SeededOrg {
  const owner = org.insert(
    'User',
    {
      Name: 'Ada Byron',
      Username: 'ada.byron@signalfit.test',
      Email: 'ada.byron@signalfit.test',
      IsActive: true,
    },
    at,
  );
  const integrationUser = org.insert(
    'User',
    { Name: 'Integration User', Username: 'integration@signalfit.test', IsActive: true },
    at,
  );
  const acme = org.insert(
    'Account',
    {
      OwnerId: owner,
      Type: 'Customer',
      Name: 'Acme Corp',
      Website: 'https://www.acme.com/en',
      Industry: 'Software',
      NumberOfEmployees: 1200,
      AnnualRevenue: 15000000,
      BillingCountry: 'United States',
    },
    at,
  );
  const globex = org.insert(
    'Account',
    {
      OwnerId: integrationUser,
      Name: 'Globex',
      Website: 'globex.de',
      Industry: 'Manufacturing',
      NumberOfEmployees: 300,
      BillingCountry: 'DE',
    },
    at,
  );
  const ada = org.insert(
    'Contact',
    {
      AccountId: acme,
      Email: 'Ada@Acme.com',
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Title: 'VP Engineering',
      Department: 'Engineering',
      MailingCountry: 'USA',
      HasOptedOutOfEmail: false,
    },
    at,
  );
  const grace = org.insert(
    'Contact',
    {
      AccountId: globex,
      Email: 'grace@globex.de',
      FirstName: 'Grace',
      LastName: 'Hopper',
      Title: 'Chief Technology Officer',
      HasOptedOutOfEmail: true,
    },
    at,
  );
  const leadByDomain = org.insert(
    'Lead',
    {
      Email: 'linus@acme.com',
      FirstName: 'Linus',
      LastName: 'T',
      Title: 'Security Manager',
      Company: 'Acme',
      Country: 'Finland',
      IsConverted: false,
    },
    at,
  );
  const leadConverted = org.insert(
    'Lead',
    {
      Email: 'old@elsewhere.org',
      LastName: 'Converted',
      Company: 'Globex',
      IsConverted: true,
      ConvertedAccountId: globex,
      ConvertedContactId: grace,
    },
    at,
  );
  const leadNowhere = org.insert(
    'Lead',
    { Email: 'someone@unknown.io', LastName: 'Nobody', Company: 'Unknown', IsConverted: false },
    at,
  );
  const rt = org.insert('RecordType', { DeveloperName: 'New_Logo', SobjectType: 'Opportunity' }, at);
  const opportunity = org.insert(
    'Opportunity',
    {
      AccountId: acme,
      Name: 'Acme platform',
      Type: 'New Business',
      Amount: 50000,
      StageName: 'Closed Won',
      IsClosed: true,
      IsWon: true,
      CloseDate: '2026-01-03',
      RecordTypeId: rt,
    },
    at,
  );
  const call = org.insert(
    'Task',
    { AccountId: acme, WhoId: ada, Subject: 'Call', TaskSubtype: 'Call', Type: 'Call' },
    at,
  );
  const todo = org.insert('Task', { AccountId: acme, Subject: 'Send contract', TaskSubtype: 'Task' }, at);
  const meeting = org.insert(
    'Event',
    { WhoId: leadByDomain, Subject: 'Demo', StartDateTime: '2026-01-04T15:00:00.000Z' },
    at,
  );
  const webinar = org.insert('Campaign', { Name: 'Supply-chain security webinar', Type: 'Webinar' }, at);
  const newsletter = org.insert('Campaign', { Name: 'January newsletter', Type: 'Email' }, at);
  const webinarAttendee = org.insert(
    'CampaignMember',
    {
      CampaignId: webinar,
      ContactId: ada,
      Status: 'Attended',
      HasResponded: true,
      FirstRespondedDate: '2026-01-02',
    },
    at,
  );
  const emailInvitee = org.insert(
    'CampaignMember',
    { CampaignId: newsletter, LeadId: leadByDomain, Status: 'Sent', HasResponded: false },
    at,
  );
  return {
    owner,
    acme,
    globex,
    ada,
    grace,
    leadByDomain,
    leadConverted,
    leadNowhere,
    opportunity,
    call,
    todo,
    meeting,
    webinarAttendee,
    emailInvitee,
  };
}
