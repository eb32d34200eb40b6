import fc from 'fast-check';
import { JOB_LEVELS } from '../canonical';
import { selectCandidates } from './selectCandidates';
import type {
  OrchestrationFilters,
  ProviderContact,
  SelectionAccount,
  SelectionInput,
  SelectionResult,
} from './types';
import { EMAIL_CONFIDENCES } from './vocabulary';

const NOW = new Date('2026-03-15T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

const row = (providerId: string, fields: Partial<ProviderContact> = {}): ProviderContact => ({
  providerId,
  email: `${providerId}@acme.com`,
  firstName: null,
  lastName: null,
  title: null,
  jobLevel: null,
  jobFunction: null,
  companyDomain: 'acme.com',
  country: 'US',
  emailConfidence: 'A',
  cost: 1,
  ...fields,
});

const account = (
  accountId: string,
  domain: string | null,
  fields: Partial<SelectionAccount> = {},
): SelectionAccount => ({
  accountId,
  name: accountId,
  domain,
  visitCountries: [],
  lastPickedAt: null,
  ...fields,
});

function select(rows: ProviderContact[], options: Partial<SelectionInput> = {}): SelectionResult {
  return selectCandidates({
    accounts: [account('acct-1', 'acme.com')],
    rows,
    knownEmails: new Set(),
    optedOutEmails: new Set(),
    optedOutDomains: new Set(),
    filters: {},
    personaPriority: () => null,
    cooldownDays: 0,
    now: NOW,
    ...options,
  });
}

const bought = (result: SelectionResult) => result.purchases.map((decision) => decision.row.providerId);
/** Each listed row as [provider id, reason, why]. */
const outcomes = (result: SelectionResult) =>
  result.rows.map((decision) => [decision.row.providerId, decision.reason, decision.why]);
const reasons = (result: SelectionResult) =>
  Object.fromEntries(result.rows.map((decision) => [decision.row.providerId, decision.reason]));

describe('selectCandidates on a small market', () => {
  const market: SelectionInput = {
    accounts: [
      account('acct-1', 'HTTPS://WWW.Acme.com/about'),
      account('acct-2', null),
      account('acct-3', 'gamma.io', { lastPickedAt: new Date(daysAgo(3).getTime() - 60 * 60 * 1000) }),
      account('acct-4', 'delta.org'),
      account('acct-5', 'acme.com'),
      account('acct-6', 'not a domain'),
      account('acct-7', 'zeta.net', { lastPickedAt: daysAgo(31) }),
    ],
    rows: [
      row('a11', { email: 'x@WWW.partner.example', jobLevel: 'VP', emailConfidence: 'C' }),
      row('a01', { email: 'cto@acme.com', jobLevel: 'C-Level', title: 'CTO', emailConfidence: 'B' }),
      row('g01', { email: 'ceo@gamma.io', companyDomain: 'gamma.io', jobLevel: 'C-Level' }),
      row('a04', {
        email: 'eng2@acme.com',
        companyDomain: 'www.acme.com',
        jobLevel: 'Staff',
        title: 'Senior Engineer',
        emailConfidence: null,
      }),
      row('a02', {
        email: 'vp@acme.com',
        companyDomain: 'ACME.com',
        jobLevel: 'VP',
        title: 'VP Engineering',
      }),
      row('a03', {
        email: 'eng1@acme.com',
        companyDomain: 'https://acme.com/team',
        jobLevel: 'Staff',
        title: 'Software Engineer',
        country: null,
      }),
      row('a05', { email: 'intern@acme.com', jobLevel: 'Staff', title: 'Engineering Intern' }),
      row('a06', { email: null, jobLevel: 'VP' }),
      row('a07', { email: 'OPT@acme.com ', jobLevel: 'VP' }),
      row('a08', { email: 'Known@Acme.com', jobLevel: 'VP' }),
      row('a09', { email: 'de@acme.com', jobLevel: 'VP', country: 'DE' }),
      row('a10', { email: 'Vp@Acme.com', jobLevel: 'VP' }),
      row('g02', { email: null, companyDomain: 'gamma.io' }),
      row('d01', {
        email: 'd1@delta.org',
        companyDomain: 'delta.org',
        jobLevel: 'Staff',
        title: 'Accountant',
      }),
      row('d02', { email: 'CEO@gamma.io', companyDomain: 'delta.org', jobLevel: 'VP' }),
      row('z01', { email: 'z@zeta.net', companyDomain: 'zeta.net', jobLevel: 'VP', emailConfidence: 'D' }),
      row('o01', { email: 'o@other.com', companyDomain: 'other.com', jobLevel: 'VP' }),
      row('b01', { email: 'b@beta.com', companyDomain: 'beta.com', jobLevel: 'VP' }),
    ],
    knownEmails: new Set(['known@acme.com']),
    optedOutEmails: new Set(['opt@acme.com']),
    optedOutDomains: new Set(['partner.example']),
    filters: {
      titles: [{ levels: ['C-Level', 'VP'] }, { include: ['engineer'], exclude: ['intern'] }],
      maxPerAccount: 3,
    },
    personaPriority: () => null,
    cooldownDays: 30,
    now: NOW,
  };
  const result = selectCandidates(market);

  it('buys exactly these rows, in order', () => {
    expect(bought(result)).toEqual(['a02', 'a01', 'a03', 'z01']);
  });

  it('gives every row at an account of the segment exactly one outcome, in order', () => {
    expect(outcomes(result)).toEqual([
      ['a02', null, 'title entry 1; email A'],
      ['a01', null, 'title entry 1; email B'],
      ['a03', null, 'title entry 2; email A'],
      ['a04', 'cap_reached', '4th at its account, cap 3'],
      ['a05', 'filtered_out', 'title "Engineering Intern" (Staff) matches no title entry'],
      ['a06', 'no_email', 'no email'],
      ['a07', 'opted_out', 'opt@acme.com has opted out'],
      ['a08', 'already_in_crm', 'known@acme.com is already a contact, a lead or a person bought before'],
      ['a09', 'restricted_region', 'country DE is in a restricted region'],
      ['a10', 'already_in_crm', 'same email as provider row a02'],
      ['a11', 'opted_out', 'email domain partner.example has opted out'],
      ['g01', 'cooldown', 'account picked 3 days ago, cooldown 30 days'],
      ['g02', 'no_email', 'no email'],
      ['d01', 'filtered_out', 'title "Accountant" (Staff) matches no title entry'],
      ['d02', 'already_in_crm', 'same email as provider row g01'],
      ['z01', null, 'title entry 1; email D'],
    ]);
    expect(result.rows.map((decision) => decision.rank)).toEqual([1, 2, 3, 4, ...Array(11).fill(null), 1]);
    expect(result.rows.map((decision) => decision.accountId)).toEqual([
      ...Array(11).fill('acct-1'),
      'acct-3',
      'acct-3',
      'acct-4',
      'acct-4',
      'acct-7',
    ]);
  });

  it('decides every account', () => {
    expect(result.accounts).toEqual([
      {
        accountId: 'acct-1',
        name: 'acct-1',
        domain: 'HTTPS://WWW.Acme.com/about',
        candidates: 4,
        skippedReason: null,
      },
      { accountId: 'acct-2', name: 'acct-2', domain: null, candidates: 0, skippedReason: 'no_domain' },
      { accountId: 'acct-3', name: 'acct-3', domain: 'gamma.io', candidates: 0, skippedReason: 'cooldown' },
      {
        accountId: 'acct-4',
        name: 'acct-4',
        domain: 'delta.org',
        candidates: 0,
        skippedReason: 'no_candidates',
      },
      {
        accountId: 'acct-5',
        name: 'acct-5',
        domain: 'acme.com',
        candidates: 0,
        skippedReason: 'no_candidates',
      },
      {
        accountId: 'acct-6',
        name: 'acct-6',
        domain: 'not a domain',
        candidates: 0,
        skippedReason: 'no_domain',
      },
      { accountId: 'acct-7', name: 'acct-7', domain: 'zeta.net', candidates: 1, skippedReason: null },
    ]);
  });
});

describe('selectCandidates: precedence', () => {
  it('reports the first reason a row fails', () => {
    // Each row fails its own test and every later one: the store, a restricted country, the
    // title filter and the account's cooldown.
    const later: Partial<ProviderContact> = { country: 'FR', title: 'Intern' };
    const result = select(
      [
        row('p0', { ...later, email: ' ' }),
        row('p1', later),
        row('p2', later),
        row('p3', later),
        row('p4', { ...later, country: 'US' }),
        row('p5', { ...later, country: 'US', title: 'Chief of staff' }),
      ],
      {
        accounts: [account('acct-1', 'acme.com', { lastPickedAt: daysAgo(1) })],
        knownEmails: new Set(['p1@acme.com', 'p2@acme.com']),
        optedOutEmails: new Set(['p1@acme.com']),
        filters: { titles: [{ include: ['chief'] }] },
        cooldownDays: 7,
      },
    );
    expect(reasons(result)).toEqual({
      p0: 'no_email',
      p1: 'opted_out',
      p2: 'already_in_crm',
      p3: 'restricted_region',
      p4: 'filtered_out',
      p5: 'cooldown',
    });
  });
});

describe('selectCandidates: domain matching', () => {
  it('ignores case, scheme, www., port, path and a final dot, and nothing more', () => {
    const domains = [
      'acme.com',
      'ACME.COM',
      'www.acme.com',
      'http://acme.com/x?y=1',
      'acme.com.',
      'acme.com:443',
      'sub.acme.com',
      'acme.co',
      'not a domain',
    ];
    const result = select(
      domains.map((companyDomain, i) => row(`r${i}`, { companyDomain })),
      { accounts: [account('acct-1', 'HTTPS://WWW.Acme.com/path?x')], filters: { maxPerAccount: 100 } },
    );
    expect(bought(result)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(result.rows).toHaveLength(6);
  });

  it('gives a shared domain to the first account with it', () => {
    const result = select([row('r1')], {
      accounts: [account('first', 'www.acme.com'), account('second', 'ACME.com')],
    });
    expect(result.purchases.map((decision) => decision.accountId)).toEqual(['first']);
    expect(result.accounts.map((decision) => decision.skippedReason)).toEqual([null, 'no_candidates']);
  });
});

describe('selectCandidates: each test', () => {
  it('no_email: null or blank', () => {
    expect(reasons(select([row('r1', { email: null }), row('r2', { email: '  ' }), row('r3')]))).toEqual({
      r3: null,
      r1: 'no_email',
      r2: 'no_email',
    });
  });

  it('opted_out: by email (normalized) or by email domain', () => {
    const result = select(
      [row('r1', { email: ' Jo@Acme.com' }), row('r2', { email: 'x@Mail.Partner.example' }), row('r3')],
      { optedOutEmails: new Set(['jo@acme.com']), optedOutDomains: new Set(['mail.partner.example']) },
    );
    expect(outcomes(result)).toEqual([
      ['r3', null, 'email A'],
      ['r1', 'opted_out', 'jo@acme.com has opted out'],
      ['r2', 'opted_out', 'email domain mail.partner.example has opted out'],
    ]);
  });

  it('opted_out: a listed domain covers its subdomains, by whole labels', () => {
    const result = select(
      [
        row('r1', { email: 'x@Mail.Partner.example' }),
        row('r2', { email: 'y@notpartner.example' }),
        row('r3', { email: 'z@partner.example.org' }),
      ],
      { optedOutDomains: new Set(['partner.example']) },
    );
    expect(reasons(result)).toEqual({ r1: 'opted_out', r2: null, r3: null });
    expect(outcomes(result).find(([id]) => id === 'r1')).toEqual([
      'r1',
      'opted_out',
      'email domain partner.example has opted out',
    ]);
  });

  it('already_in_crm: a known email, case-insensitively', () => {
    expect(
      reasons(
        select([row('r1', { email: 'JO@acme.com' }), row('r2')], { knownEmails: new Set(['jo@acme.com']) }),
      ),
    ).toEqual({
      r2: null,
      r1: 'already_in_crm',
    });
  });

  it('already_in_crm: the same email again keeps the row earlier in the account order', () => {
    // r2 has the better email grade, so it comes first although its id sorts after r1's.
    const result = select([
      row('r1', { email: 'jo@acme.com', emailConfidence: 'B' }),
      row('r2', { email: 'JO@acme.com' }),
    ]);
    expect(outcomes(result)).toEqual([
      ['r2', null, 'email A'],
      ['r1', 'already_in_crm', 'same email as provider row r2'],
    ]);
  });

  it('already_in_crm: the same email at a later account, even when the first is not bought', () => {
    const result = select(
      [
        row('r1', { email: 'jo@beta.com', companyDomain: 'beta.com', country: 'DE' }),
        row('r2', { email: 'jo@beta.com' }),
      ],
      { accounts: [account('beta', 'beta.com'), account('acme', 'acme.com')] },
    );
    expect(outcomes(result)).toEqual([
      ['r1', 'restricted_region', 'country DE is in a restricted region'],
      ['r2', 'already_in_crm', 'same email as provider row r1'],
    ]);
  });

  it('restricted_region: the listed countries, whatever their case, unless allowed; an unknown country is not', () => {
    const rows = [
      row('r1', { country: 'de' }),
      row('r2', { country: 'GB' }),
      row('r3', { country: 'CA' }),
      row('r4', { country: null }),
      row('r5'),
    ];
    expect(reasons(select(rows))).toEqual({
      r4: null,
      r5: null,
      r1: 'restricted_region',
      r2: 'restricted_region',
      r3: 'restricted_region',
    });
    expect(bought(select(rows, { filters: { allowRestrictedRegions: true } }))).toEqual([
      'r1',
      'r2',
      'r3',
      'r4',
      'r5',
    ]);
  });

  it('cooldown: less than cooldownDays × 24 h since the account was last picked', () => {
    const at = (lastPickedAt: Date | null, cooldownDays: number) =>
      outcomes(
        select([row('r1')], { accounts: [account('acct-1', 'acme.com', { lastPickedAt })], cooldownDays }),
      );
    expect(at(daysAgo(30), 30)).toEqual([['r1', null, 'email A']]);
    expect(at(new Date(daysAgo(30).getTime() + 1), 30)).toEqual([
      ['r1', 'cooldown', 'account picked 29 days ago, cooldown 30 days'],
    ]);
    expect(at(daysAgo(1), 1)).toEqual([['r1', null, 'email A']]);
    expect(at(daysAgo(0.5), 1)).toEqual([
      ['r1', 'cooldown', 'account picked less than a day ago, cooldown 1 day'],
    ]);
    expect(at(daysAgo(1.5), 2)).toEqual([['r1', 'cooldown', 'account picked 1 day ago, cooldown 2 days']]);
    expect(at(daysAgo(1), 0)).toEqual([['r1', null, 'email A']]);
    expect(at(null, 30)).toEqual([['r1', null, 'email A']]);
  });

  it('cooldown: an account whose rows all fail earlier tests has no candidates', () => {
    const result = select([row('r1', { email: null })], {
      accounts: [account('acct-1', 'acme.com', { lastPickedAt: daysAgo(1) })],
      cooldownDays: 7,
    });
    expect(result.accounts[0]?.skippedReason).toBe('no_candidates');
  });
});

describe('selectCandidates: each filter alone', () => {
  const filtered = (rows: ProviderContact[], filters: OrchestrationFilters) =>
    outcomes(select(rows, { filters }));

  it('titles: levels', () => {
    expect(
      filtered([row('r1', { jobLevel: 'VP' }), row('r2', { jobLevel: 'Staff' }), row('r3')], {
        titles: [{ levels: ['VP'] }],
      }),
    ).toEqual([
      ['r1', null, 'title entry 1; email A'],
      ['r2', 'filtered_out', 'no title (Staff) matches no title entry'],
      ['r3', 'filtered_out', 'no title matches no title entry'],
    ]);
  });

  it('titles: functions, case-insensitively', () => {
    const rows = [row('r1', { jobFunction: 'engineering' }), row('r2', { jobFunction: 'Sales' }), row('r3')];
    expect(filtered(rows, { titles: [{ functions: ['Engineering'] }] })).toEqual([
      ['r1', null, 'title entry 1; email A'],
      ['r2', 'filtered_out', 'no title (Sales) matches no title entry'],
      ['r3', 'filtered_out', 'no title matches no title entry'],
    ]);
  });

  it('titles: include and exclude words, case-insensitive substrings; a missing title contains nothing', () => {
    const rows = [
      row('r1', { title: 'Head of DevOps' }),
      row('r2', { title: 'DevOps Intern' }),
      row('r3', { title: 'Sales Director' }),
      row('r4'),
    ];
    expect(filtered(rows, { titles: [{ include: ['devops', 'SRE'], exclude: ['INTERN'] }] })).toEqual([
      ['r1', null, 'title entry 1; email A'],
      ['r2', 'filtered_out', 'title "DevOps Intern" matches no title entry'],
      ['r3', 'filtered_out', 'title "Sales Director" matches no title entry'],
      ['r4', 'filtered_out', 'no title matches no title entry'],
    ]);
    expect(reasons(select(rows, { filters: { titles: [{ exclude: ['intern'] }] } }))).toEqual({
      r1: null,
      r3: null,
      r4: null,
      r2: 'filtered_out',
    });
    expect(reasons(select(rows, { filters: { titles: [{ include: [] }] } }))).toEqual({
      r1: null,
      r2: null,
      r3: null,
      r4: null,
    });
  });

  it('titles: every condition of an entry holds; any entry will do; no entries pass everyone', () => {
    const rows = [
      row('r1', { jobLevel: 'VP', jobFunction: 'Sales', title: 'VP Sales' }),
      row('r2', { jobLevel: 'VP', jobFunction: 'IT', title: 'VP IT' }),
      row('r3', { jobLevel: 'Staff', jobFunction: 'IT', title: 'Engineer' }),
    ];
    const titles = [{ levels: ['VP' as const], functions: ['it'] }, { include: ['engineer'] }];
    expect(bought(select(rows, { filters: { titles } }))).toEqual(['r2', 'r3']);
    expect(bought(select(rows, { filters: { titles: [] } }))).toEqual(['r1', 'r2', 'r3']);
  });

  it('geography: include (an unknown country fails) and exclude, codes in any case', () => {
    const rows = [
      row('r1', { country: 'us' }),
      row('r2', { country: 'AU' }),
      row('r3', { country: 'JP' }),
      row('r4', { country: null }),
    ];
    expect(filtered(rows, { geography: { include: ['US', 'au'] } })).toEqual([
      ['r1', null, 'email A'],
      ['r2', null, 'email A'],
      ['r3', 'filtered_out', "country JP is not in the geography's include list"],
      ['r4', 'filtered_out', "country unknown is not in the geography's include list"],
    ]);
    expect(filtered(rows, { geography: { exclude: ['jp', 'AU'] } })).toEqual([
      ['r1', null, 'email A'],
      ['r4', null, 'email A'],
      ['r2', 'filtered_out', 'country AU is excluded by the geography'],
      ['r3', 'filtered_out', 'country JP is excluded by the geography'],
    ]);
    expect(bought(select(rows, { filters: { geography: { include: [] } } }))).toEqual([
      'r1',
      'r2',
      'r3',
      'r4',
    ]);
  });

  it('minimum email confidence: a missing grade counts as D', () => {
    const rows = [
      row('r1', { emailConfidence: 'A' }),
      row('r2', { emailConfidence: 'B' }),
      row('r3', { emailConfidence: 'C' }),
      row('r4', { emailConfidence: null }),
    ];
    expect(filtered(rows, { minEmailConfidence: 'B' })).toEqual([
      ['r1', null, 'email A'],
      ['r2', null, 'email B'],
      ['r3', 'filtered_out', 'email confidence C is below B'],
      ['r4', 'filtered_out', 'email confidence none (counts as D) is below B'],
    ]);
    expect(reasons(select(rows, { filters: { minEmailConfidence: 'D' } }))).toEqual({
      r1: null,
      r2: null,
      r3: null,
      r4: null,
    });
  });

  it('checks titles, then geography, then email confidence', () => {
    const rows = [
      row('r1', { title: 'Intern', country: 'JP', emailConfidence: 'D' }),
      row('r2', { title: 'Engineer', country: 'JP', emailConfidence: 'D' }),
      row('r3', { title: 'Engineer', country: 'US', emailConfidence: 'D' }),
    ];
    const filters = {
      titles: [{ include: ['engineer'] }],
      geography: { include: ['US'] },
      minEmailConfidence: 'A' as const,
    };
    expect(filtered(rows, filters).map(([, , why]) => why)).toEqual([
      'title "Intern" matches no title entry',
      "country JP is not in the geography's include list",
      'email confidence D is below A',
    ]);
  });
});

describe('selectCandidates: the cap', () => {
  const seven = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'].map((id) => row(id));

  it('buys the first 5 by default and ranks the rest', () => {
    const result = select(seven);
    expect(bought(result)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(outcomes(result).slice(5)).toEqual([
      ['r6', 'cap_reached', '6th at its account, cap 5'],
      ['r7', 'cap_reached', '7th at its account, cap 5'],
    ]);
    expect(result.rows.map((decision) => decision.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result.accounts[0]?.candidates).toBe(7);
  });

  it('buys min(cap, candidates) at each account', () => {
    expect(bought(select(seven, { filters: { maxPerAccount: 1 } }))).toEqual(['r1']);
    expect(bought(select(seven, { filters: { maxPerAccount: 100 } }))).toHaveLength(7);
    const accounts = [account('acme', 'acme.com'), account('beta', 'beta.com')];
    const rows = [
      ...seven,
      row('b1', { companyDomain: 'beta.com' }),
      row('b2', { companyDomain: 'beta.com' }),
    ];
    expect(bought(select(rows, { accounts, filters: { maxPerAccount: 2 } }))).toEqual([
      'r1',
      'r2',
      'b1',
      'b2',
    ]);
    expect(
      outcomes(select(rows, { accounts, filters: { maxPerAccount: 2 } })).map(([id, reason]) => [id, reason]),
    ).toEqual([
      ['r1', null],
      ['r2', null],
      ['r3', 'cap_reached'],
      ['r4', 'cap_reached'],
      ['r5', 'cap_reached'],
      ['r6', 'cap_reached'],
      ['r7', 'cap_reached'],
      ['b1', null],
      ['b2', null],
    ]);
  });

  it('refuses a cap below 1', () => {
    expect(() => select(seven, { filters: { maxPerAccount: 0 } })).toThrow(RangeError);
  });

  it('says 11th, 12th, 13th, 21st, 22nd, 23rd', () => {
    const many = Array.from({ length: 23 }, (_, i) => row(`r${String(i + 1).padStart(2, '0')}`));
    const whys = select(many, { filters: { maxPerAccount: 1 } }).rows.map((decision) => decision.why);
    expect([whys[10], whys[11], whys[12], whys[20], whys[21], whys[22]]).toEqual([
      '11th at its account, cap 1',
      '12th at its account, cap 1',
      '13th at its account, cap 1',
      '21st at its account, cap 1',
      '22nd at its account, cap 1',
      '23rd at its account, cap 1',
    ]);
  });
});

describe('selectCandidates: the order within an account', () => {
  const order = (rows: ProviderContact[], options: Partial<SelectionInput>) =>
    outcomes(select(rows, { ...options, filters: { maxPerAccount: 100, ...options.filters } })).map(
      ([id, , why]) => [id, why],
    );

  it('1: the first title entry matched, before the email grade', () => {
    const rows = [
      row('r1', { title: 'Engineer', emailConfidence: 'A' }),
      row('r2', { title: 'CTO', emailConfidence: 'D' }),
      row('r3', { title: 'CTO Engineer', emailConfidence: 'C' }),
    ];
    expect(order(rows, { filters: { titles: [{ include: ['cto'] }, { include: ['engineer'] }] } })).toEqual([
      ['r3', 'title entry 1; email C'],
      ['r2', 'title entry 1; email D'],
      ['r1', 'title entry 2; email A'],
    ]);
  });

  it('2: the persona priority when usePersonaMap (no persona last), before the email grade', () => {
    const priority: Record<string, number | null> = { r1: 2, r2: 0, r3: null, r4: 1 };
    const names = ['Executive sponsor', 'Technical decision maker', 'Finance and procurement'];
    const rows = [
      row('r1', { emailConfidence: 'A' }),
      row('r2', { emailConfidence: 'D' }),
      row('r3', { emailConfidence: 'A' }),
      row('r4', { emailConfidence: 'B' }),
    ];
    const personaPriority = (contact: ProviderContact) => priority[contact.providerId] ?? null;
    const personaName = (contact: ProviderContact) => {
      const p = personaPriority(contact);
      return p === null ? null : (names[p] ?? null);
    };
    expect(order(rows, { filters: { usePersonaMap: true }, personaPriority, personaName })).toEqual([
      ['r2', 'persona "Executive sponsor" (priority 1); email D'],
      ['r4', 'persona "Technical decision maker" (priority 2); email B'],
      ['r1', 'persona "Finance and procurement" (priority 3); email A'],
      ['r3', 'no persona; email A'],
    ]);
    expect(order(rows, { filters: { usePersonaMap: true }, personaPriority }).map(([, why]) => why)).toEqual([
      'persona (priority 1); email D',
      'persona (priority 2); email B',
      'persona (priority 3); email A',
      'no persona; email A',
    ]);
    expect(order(rows, { personaPriority }).map(([id]) => id)).toEqual(['r1', 'r3', 'r4', 'r2']);
  });

  it('3: email confidence A, B, C, D, then none', () => {
    const rows = [
      row('r1', { emailConfidence: null }),
      row('r2', { emailConfidence: 'D' }),
      row('r3', { emailConfidence: 'C' }),
      row('r4', { emailConfidence: 'A' }),
      row('r5', { emailConfidence: 'B' }),
    ];
    expect(order(rows, {})).toEqual([
      ['r4', 'email A'],
      ['r5', 'email B'],
      ['r3', 'email C'],
      ['r2', 'email D'],
      ['r1', 'email ungraded'],
    ]);
  });

  it("4: the account's visit countries when prioritizeVisitedCountries, before the provider id", () => {
    const rows = [
      row('r1', { country: 'IN' }),
      row('r2', { country: null }),
      row('r3', { country: 'jp' }),
      row('r4', { country: 'US' }),
      row('r5', { country: 'AU', emailConfidence: 'B' }),
    ];
    const accounts = [account('acct-1', 'acme.com', { visitCountries: ['US', 'AU', 'JP'] })];
    expect(order(rows, { accounts, filters: { prioritizeVisitedCountries: true } })).toEqual([
      ['r4', 'email A; visited country US (1st)'],
      ['r3', 'email A; visited country JP (3rd)'],
      ['r1', 'email A; no visits from IN'],
      ['r2', 'email A; country unknown'],
      ['r5', 'email B; visited country AU (2nd)'],
    ]);
    expect(order(rows, { accounts }).map(([id]) => id)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('5: the provider id in plain code-unit order', () => {
    const rows = ['b', 'a', 'B', '9', '10', 'é', 'aa'].map((id, i) =>
      row(id, { email: `person${i}@acme.com` }),
    );
    expect(order(rows, {}).map(([id]) => id)).toEqual(['10', '9', 'B', 'a', 'aa', 'b', 'é']);
  });

  it('lists the skipped rows after the candidates, by provider id', () => {
    const rows = [
      row('z', { email: null }),
      row('y'),
      row('b', { country: 'FR' }),
      row('x', { emailConfidence: 'C' }),
    ];
    expect(outcomes(select(rows)).map(([id]) => id)).toEqual(['y', 'x', 'b', 'z']);
  });

  it('keys everything together', () => {
    const rows = [
      row('r1', { title: 'Engineer', emailConfidence: 'A', country: 'US' }),
      row('r2', { title: 'CTO', emailConfidence: 'B', country: 'AU' }),
      row('r3', { title: 'CTO', emailConfidence: 'B', country: 'US' }),
      row('r4', { title: 'CTO', emailConfidence: 'A', country: 'AU' }),
      row('r5', { title: 'CTO', emailConfidence: 'C', country: 'US' }),
    ];
    const result = select(rows, {
      accounts: [account('acct-1', 'acme.com', { visitCountries: ['US', 'AU'] })],
      filters: {
        titles: [{ include: ['cto'] }, { include: ['engineer'] }],
        usePersonaMap: true,
        prioritizeVisitedCountries: true,
        maxPerAccount: 3,
      },
      personaPriority: (contact) => (contact.providerId === 'r5' ? 0 : 1),
    });
    expect(outcomes(result)).toEqual([
      ['r5', null, 'title entry 1; persona (priority 1); email C; visited country US (1st)'],
      ['r4', null, 'title entry 1; persona (priority 2); email A; visited country AU (2nd)'],
      ['r3', null, 'title entry 1; persona (priority 2); email B; visited country US (1st)'],
      ['r2', 'cap_reached', '4th at its account, cap 3'],
      ['r1', 'cap_reached', '5th at its account, cap 3'],
    ]);
  });
});

describe('selectCandidates: properties', () => {
  const domains = ['acme.com', 'beta.com', 'gamma.io', 'delta.org'];
  const emails = ['a@x.com', 'b@x.com', 'c@x.com', 'd@y.com', 'e@y.com', 'f@z.com', 'g@z.com', 'h@z.com'];
  const arbitraryRow = fc.record({
    providerId: fc.string({ minLength: 1, maxLength: 3 }),
    email: fc.option(fc.constantFrom(...emails, ' ')),
    firstName: fc.constant(null),
    lastName: fc.constant(null),
    title: fc.option(fc.constantFrom('CTO', 'Engineer', 'Intern', 'Sales Engineer')),
    jobLevel: fc.option(fc.constantFrom(...JOB_LEVELS)),
    jobFunction: fc.option(fc.constantFrom('IT', 'Sales')),
    companyDomain: fc.constantFrom(...domains, 'other.com', 'WWW.ACME.COM'),
    country: fc.option(fc.constantFrom('US', 'DE', 'AU', 'JP')),
    emailConfidence: fc.option(fc.constantFrom(...EMAIL_CONFIDENCES)),
    cost: fc.constant(1),
  });
  const arbitraryAccount = (accountId: string) =>
    fc.record({
      accountId: fc.constant(accountId),
      name: fc.constant(null),
      domain: fc.option(fc.constantFrom(...domains)),
      visitCountries: fc.subarray(['US', 'DE', 'AU', 'JP']),
      lastPickedAt: fc.option(fc.integer({ min: 0, max: 60 }).map(daysAgo)),
    });
  const arbitraryInput = fc.record({
    accounts: fc.tuple(arbitraryAccount('a1'), arbitraryAccount('a2'), arbitraryAccount('a3')),
    rows: fc.array(arbitraryRow, { maxLength: 40 }),
    known: fc.subarray(emails),
    optedOut: fc.subarray(emails),
    optedOutDomains: fc.subarray(['x.com', 'y.com']),
    filters: fc.record(
      {
        usePersonaMap: fc.boolean(),
        titles: fc.array(
          fc.record(
            {
              levels: fc.subarray([...JOB_LEVELS], { minLength: 1 }),
              functions: fc.subarray(['it', 'SALES'], { minLength: 1 }),
              include: fc.subarray(['cto', 'engineer']),
              exclude: fc.subarray(['intern', 'sales']),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        geography: fc.record(
          { include: fc.subarray(['US', 'AU', 'DE']), exclude: fc.subarray(['JP']) },
          { requiredKeys: [] },
        ),
        prioritizeVisitedCountries: fc.boolean(),
        minEmailConfidence: fc.constantFrom(...EMAIL_CONFIDENCES),
        maxPerAccount: fc.integer({ min: 1, max: 6 }),
        allowRestrictedRegions: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    cooldownDays: fc.integer({ min: 0, max: 40 }),
  });
  type Generated = typeof arbitraryInput extends fc.Arbitrary<infer T> ? T : never;
  const toInput = (value: Generated): SelectionInput => ({
    accounts: [...value.accounts],
    rows: value.rows,
    knownEmails: new Set(value.known),
    optedOutEmails: new Set(value.optedOut),
    optedOutDomains: new Set(value.optedOutDomains),
    filters: value.filters,
    personaPriority: (contact) =>
      contact.jobLevel === null ? null : JOB_LEVELS.indexOf(contact.jobLevel) % 3,
    cooldownDays: value.cooldownDays,
    now: NOW,
  });

  it('gives every row at an account of the segment exactly one outcome', () => {
    fc.assert(
      fc.property(arbitraryInput, (value) => {
        const input = toInput(value);
        const result = selectCandidates(input);
        const owned = new Set(input.accounts.map((a) => a.domain).filter((domain) => domain !== null));
        const expected = input.rows.filter((contact) =>
          owned.has(contact.companyDomain.toLowerCase().replace(/^www\./, '')),
        );
        expect(result.rows).toHaveLength(expected.length);
        expect(new Set(result.rows.map((decision) => decision.row))).toEqual(new Set(expected));
        expect(result.purchases).toEqual(result.rows.filter((decision) => decision.reason === null));
      }),
    );
  });

  it('buys min(cap, candidates) at each account', () => {
    fc.assert(
      fc.property(arbitraryInput, (value) => {
        const result = selectCandidates(toInput(value));
        const cap = value.filters.maxPerAccount ?? 5;
        for (const decision of result.accounts) {
          const at = result.rows.filter((r) => r.accountId === decision.accountId);
          expect(at.filter((r) => r.reason === null || r.reason === 'cap_reached')).toHaveLength(
            decision.candidates,
          );
          expect(at.filter((r) => r.reason === null)).toHaveLength(Math.min(cap, decision.candidates));
          expect(decision.skippedReason === null).toBe(decision.candidates > 0);
        }
      }),
    );
  });

  it('never changes the order when the cap is removed', () => {
    fc.assert(
      fc.property(arbitraryInput, (value) => {
        const input = toInput(value);
        const capped = selectCandidates(input);
        const uncapped = selectCandidates({ ...input, filters: { ...input.filters, maxPerAccount: 1000 } });
        const ranked = (result: SelectionResult) =>
          result.rows.filter((r) => r.rank !== null).map((r) => [r.accountId, r.row.providerId, r.rank]);
        expect(ranked(capped)).toEqual(ranked(uncapped));
        const cap = input.filters.maxPerAccount ?? 5;
        expect(bought(capped)).toEqual(
          uncapped.purchases.filter((r) => r.rank! <= cap).map((r) => r.row.providerId),
        );
      }),
    );
  });
});

describe('selectCandidates at full size', () => {
  it('selects among 200,000 rows over 10,000 accounts (the bench times it)', () => {
    const accounts = Array.from({ length: 10_000 }, (_, i) =>
      account(`acct-${i}`, `company${i}.example`, { visitCountries: ['US', 'AU'] }),
    );
    const grades = [...EMAIL_CONFIDENCES, null];
    const countries = ['US', 'AU', 'DE', 'JP', null];
    const rows = Array.from({ length: 200_000 }, (_, i) =>
      row(`p${i}`, {
        email: `person${i}@company${i % 10_000}.example`,
        companyDomain: `company${i % 10_000}.example`,
        jobLevel: JOB_LEVELS[i % JOB_LEVELS.length]!,
        title: i % 3 === 0 ? 'Engineering Manager' : 'Sales Director',
        country: countries[i % countries.length]!,
        emailConfidence: grades[i % grades.length]!,
      }),
    );
    const result = select(rows, {
      accounts,
      filters: {
        titles: [{ levels: ['VP', 'Director'] }, { include: ['engineer'] }],
        prioritizeVisitedCountries: true,
        usePersonaMap: true,
      },
      personaPriority: (contact) => (contact.title?.startsWith('Sales') ? 1 : 0),
    });
    expect(result.rows).toHaveLength(200_000);
  });
});
