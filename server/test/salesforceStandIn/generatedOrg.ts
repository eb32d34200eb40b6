import type { SalesforceStandIn } from './standIn';

/**
 * A generated org of `accounts` accounts, each with `peoplePerAccount` contacts and leads (every
 * fifth a lead matched by e-mail domain), an opportunity for every fourth account, a call per
 * account, and campaign members for every third person; all saved at `at`.
 */
export function generateOrg(
  org: SalesforceStandIn,
  options: { accounts: number; peoplePerAccount: number; at: Date; withActivities?: boolean },
): { accounts: string[]; people: string[] } {
  const accounts: string[] = [];
  const people: string[] = [];
  const industries = ['Software', 'Banking', 'Retail', 'Manufacturing', 'Healthcare'];
  const titles = ['CISO', 'VP Engineering', 'Director of IT', 'DevOps Manager', 'Software Engineer'];
  const campaign = org.insert('Campaign', { Name: 'Webinar', Type: 'Webinar' }, options.at);
  const owners = ['Ada Byron', 'Alan Turing'].map((name) =>
    org.insert(
      'User',
      { Name: name, Username: `${name.split(' ')[0]!.toLowerCase()}@signalfit.test` },
      options.at,
    ),
  );
  const types = ['Prospect', 'Customer', 'Partner'];
  for (let a = 0; a < options.accounts; a++) {
    const domain = `company${a}.example.com`;
    const account = org.insert(
      'Account',
      {
        OwnerId: owners[a % owners.length]!,
        Type: types[a % types.length]!,
        Name: `Company ${a}`,
        Website: `https://www.${domain}`,
        Industry: industries[a % industries.length]!,
        NumberOfEmployees: 50 + ((a * 37) % 5000),
        AnnualRevenue: 1_000_000 + ((a * 7919) % 90_000_000),
        BillingCountry: a % 3 === 0 ? 'Germany' : 'US',
      },
      options.at,
    );
    accounts.push(account);
    for (let p = 0; p < options.peoplePerAccount; p++) {
      const lead = p % 5 === 4;
      const fields = {
        Email: `person${p}@${domain}`,
        FirstName: `First${p}`,
        LastName: `Last${a}`,
        Title: titles[(a + p) % titles.length]!,
        HasOptedOutOfEmail: p % 11 === 0,
      };
      const id = lead
        ? org.insert(
            'Lead',
            { ...fields, Company: `Company ${a}`, IsConverted: false, Country: 'US' },
            options.at,
          )
        : org.insert(
            'Contact',
            { ...fields, AccountId: account, Department: 'Engineering', MailingCountry: 'US' },
            options.at,
          );
      people.push(id);
      if (options.withActivities !== false && p % 3 === 0) {
        org.insert(
          'CampaignMember',
          {
            CampaignId: campaign,
            [lead ? 'LeadId' : 'ContactId']: id,
            Status: 'Attended',
            HasResponded: true,
            FirstRespondedDate: '2026-01-02',
          },
          options.at,
        );
      }
    }
    if (options.withActivities !== false) {
      if (a % 4 === 0)
        org.insert(
          'Opportunity',
          {
            AccountId: account,
            Name: `Deal ${a}`,
            Type: 'New Business',
            Amount: 25000,
            StageName: 'Prospecting',
            IsClosed: false,
            IsWon: false,
            CloseDate: '2026-03-01',
          },
          options.at,
        );
      org.insert(
        'Task',
        { AccountId: account, Subject: 'Call', TaskSubtype: 'Call', Type: 'Call' },
        options.at,
      );
    }
  }
  return { accounts, people };
}
