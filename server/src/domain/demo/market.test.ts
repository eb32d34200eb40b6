import { createHash } from 'node:crypto';
import {
  ACTIVITY_CLASSES,
  ACTIVITY_TYPES,
  JOB_LEVELS,
  PERSON_KINDS,
  RESEARCH_SOURCES,
  type AccountRow,
  type ActivityRow,
  type ContactRow,
  type OpportunityRow,
} from '../canonical';
import { isSalesforceId } from '../salesforceId';
import { INDUSTRIES } from './industries';
import { JOB_FUNCTIONS, TITLES, type JobFunction } from './jobs';
import { demoKeywords } from './shape';
import { generateMarket, generateMarketAccount, type MarketAccount } from './market';
import { TECHNOLOGIES } from './technologies';
import { fitTierOf } from './trueFit';

const DAY_MS = 86_400_000;
const END_DATE = new Date('2026-01-01T00:00:00.000Z');
const WINDOW_START = new Date('2024-07-01T00:00:00.000Z'); // 18 months earlier
const OPTIONS = { seed: 42, endDate: END_DATE } as const;

function collect(accounts: number, seed: number = OPTIONS.seed, months?: number): MarketAccount[] {
  return [...generateMarket({ seed, accounts, endDate: END_DATE, months })];
}

describe('generateMarket: determinism', () => {
  it('gives byte-identical output for the same options', () => {
    expect(JSON.stringify(collect(30))).toBe(JSON.stringify(collect(30)));
  });

  it('gives account k the same content whatever the number of accounts', () => {
    const small = collect(5);
    const large = collect(40);
    expect(JSON.stringify(large.slice(0, 5))).toBe(JSON.stringify(small));
    expect(JSON.stringify(generateMarketAccount(OPTIONS, 17))).toBe(JSON.stringify(large[17]));
  });

  it('gives another market for another seed', () => {
    const [a] = collect(1, 1);
    const [b] = collect(1, 2);
    expect(a?.account.id).not.toBe(b?.account.id);
    expect(a?.account.name).not.toBe(b?.account.name);
  });

  // The demo market is a fixture others build on (tests, screenshots, docs): if this digest
  // changes, the change to the market must be intended. Update the value in that case.
  it('is the pinned market for seed 42', () => {
    const digest = createHash('sha256')
      .update(JSON.stringify(collect(20)))
      .digest('hex')
      .slice(0, 16);
    expect(digest).toBe('d1c74ed02ad12d9a');
  });

  it('streams: the first accounts of a million-account market come at once', () => {
    const started = performance.now();
    const market = generateMarket({ seed: 42, accounts: 1_000_000, endDate: END_DATE });
    const first = [market.next(), market.next(), market.next()];
    expect(first.every((result) => result.done === false)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it.each([
    [{ seed: 1.5, accounts: 1, endDate: END_DATE }, 'seed must be a safe integer'],
    [{ seed: 1, accounts: -1, endDate: END_DATE }, 'accounts must be a non-negative integer'],
    [{ seed: 1, accounts: 2.5, endDate: END_DATE }, 'accounts must be a non-negative integer'],
    [{ seed: 1, accounts: 1, endDate: new Date('nope') }, 'endDate must be a valid date'],
    [{ seed: 1, accounts: 1, endDate: END_DATE, months: 0 }, 'months must be an integer in 1…120'],
  ])('rejects bad options %#', (options, message) => {
    expect(() => generateMarket(options)).toThrow(message);
  });

  it('yields nothing for zero accounts', () => {
    expect(collect(0)).toEqual([]);
  });
});

describe('generateMarket: invariants', () => {
  const market = collect(300);
  const accounts = market.map((item) => item.account);
  const contacts = market.flatMap((item) => item.contacts);
  const opportunities = market.flatMap((item) => item.opportunities);
  const activities = market.flatMap((item) => item.activities);

  /** Problems found by `check` over `rows` (asserted empty once: one expect per row is too slow). */
  function problemsOf<T>(rows: readonly T[], check: (row: T) => Array<string | false>): string[] {
    const problems: string[] = [];
    for (const row of rows) {
      for (const problem of check(row))
        if (problem !== false) problems.push(`${JSON.stringify(row)}: ${problem}`);
      if (problems.length > 20) break;
    }
    return problems;
  }

  it('has the expected volumes', () => {
    expect(accounts).toHaveLength(300);
    expect(contacts.length / 300).toBeGreaterThan(6);
    expect(contacts.length / 300).toBeLessThan(20);
    expect(activities.length / 300).toBeGreaterThan(200);
    expect(activities.length / 300).toBeLessThan(600);
    expect(opportunities.filter((opportunity) => opportunity.relevant).length).toBeGreaterThan(20);
  });

  it('gives every record a unique, valid 18-character Salesforce id with the right key prefix', () => {
    const rows = [...accounts, ...contacts, ...opportunities, ...activities];
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    const expectedPrefix = (row: (typeof rows)[number]): string => {
      if ('type' in row && 'occurred_at' in row) return row.type === 'sales_meeting' ? '00U' : '00T';
      if ('kind' in row) return row.kind === 'lead' ? '00Q' : '003';
      if ('stage' in row) return '006';
      return '001';
    };
    expect(
      problemsOf(rows, (row) => [
        !(isSalesforceId(row.id) && row.id.length === 18) && 'not an 18-character Salesforce id',
        !row.id.startsWith(expectedPrefix(row)) && `key prefix is not ${expectedPrefix(row)}`,
      ]),
    ).toEqual([]);
  });

  it('gives every account a unique domain', () => {
    expect(new Set(accounts.map((account) => account.domain)).size).toBe(accounts.length);
  });

  it('references only records of the same account', () => {
    const problems = market.flatMap((item) => {
      const people = new Set(item.contacts.map((contact) => contact.id));
      const accountId = item.account.id;
      return [
        ...problemsOf(item.contacts, (contact) => [contact.account_id !== accountId && 'wrong account']),
        ...problemsOf(item.opportunities, (opportunity) => [
          opportunity.account_id !== accountId && 'wrong account',
        ]),
        ...problemsOf(item.activities, (activity) => [
          activity.account_id !== accountId && 'wrong account',
          activity.contact_id !== null && !people.has(activity.contact_id) && 'contact of another account',
        ]),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('keeps every activity and opportunity inside [endDate − 18 months, endDate)', () => {
    const inWindow = (date: Date) => date >= WINDOW_START && date < END_DATE;
    expect(
      problemsOf(activities, (activity) => [!inWindow(activity.occurred_at) && 'outside the window']),
    ).toEqual([]);
    expect(
      problemsOf(opportunities, (opportunity) => [
        !inWindow(opportunity.created_at) && 'created outside the window',
        opportunity.closed_at !== null && !inWindow(opportunity.closed_at) && 'closed outside the window',
      ]),
    ).toEqual([]);
    expect(
      problemsOf([...accounts, ...contacts], (row) => [
        !((row.created_at as Date) < WINDOW_START) && 'created in the window',
      ]),
    ).toEqual([]);
  });

  it('honours a shorter window', () => {
    const start = new Date('2025-07-01T00:00:00.000Z');
    const short = collect(40, 42, 6);
    const outside = short.flatMap((item) => [
      ...item.activities.filter(
        (activity) => activity.occurred_at < start || activity.occurred_at >= END_DATE,
      ),
      ...item.opportunities.filter((opportunity) => opportunity.created_at < start),
    ]);
    expect(outside).toEqual([]);
    expect(short.reduce((sum, item) => sum + item.activities.length, 0)).toBeGreaterThan(40 * 50);
  });

  it('sorts each account’s activities by time', () => {
    const unsorted = market.filter((item) =>
      item.activities.some(
        (activity, i) => i > 0 && activity.occurred_at < (item.activities[i - 1] as ActivityRow).occurred_at,
      ),
    );
    expect(unsorted).toEqual([]);
  });

  it('writes valid accounts', () => {
    const industries = new Map(INDUSTRIES.map((industry) => [industry.name, industry]));
    const technologies = new Set(TECHNOLOGIES.map((technology) => technology.name));
    expect(problemsOf(accounts, (account) => accountProblems(account, industries, technologies))).toEqual([]);
    // Values go missing now and then, as in a real CRM, but rarely.
    expect(accounts.filter((account) => account.employees === null).length).toBeLessThan(30);
  });

  it('writes valid people whose titles match their level and function', () => {
    expect(
      market.flatMap((item) =>
        problemsOf(item.contacts, (contact) => contactProblems(contact, item.account)),
      ),
    ).toEqual([]);
    const share = (predicate: (contact: ContactRow) => boolean) =>
      contacts.filter(predicate).length / contacts.length;
    expect(share((contact) => contact.kind === 'lead')).toBeGreaterThan(0.25);
    expect(share((contact) => contact.kind === 'lead')).toBeLessThan(0.35);
    expect(share((contact) => contact.opted_out)).toBeGreaterThan(0.03);
    expect(share((contact) => contact.opted_out)).toBeLessThan(0.07);
    expect(share((contact) => contact.email === null)).toBeGreaterThan(0.01);
    expect(share((contact) => contact.email === null)).toBeLessThan(0.05);
  });

  it('writes valid opportunities: relevant ones are New Business with an amount', () => {
    expect(problemsOf(opportunities, opportunityProblems)).toEqual([]);
    const types = new Set(
      opportunities.filter((opportunity) => !opportunity.relevant).map((opportunity) => opportunity.type),
    );
    expect(types).toEqual(new Set(['Renewal', 'Existing Business', 'New Business']));
  });

  it('writes valid activities', () => {
    const problems = market.flatMap((item) => {
      const people = new Map(item.contacts.map((contact) => [contact.id, contact]));
      return problemsOf(item.activities, (activity) => activityProblems(activity, people));
    });
    expect(problems).toEqual([]);
    expect(new Set(activities.map((activity) => activity.type))).toEqual(new Set(ACTIVITY_TYPES));
  });

  it('tells the truth consistently with the rows', () => {
    let opened = 0;
    const problems: string[] = [];
    for (const { account, opportunities: accountOpportunities, truth } of market) {
      const relevant = new Map(
        accountOpportunities
          .filter((opportunity) => opportunity.relevant)
          .map((opportunity) => [opportunity.id, opportunity]),
      );
      const referenced = new Set<string>();
      const cycleProblems = problemsOf(truth.cycles, (cycle) => {
        const leadDays = (cycle.opens_at.getTime() - cycle.signal_start.getTime()) / DAY_MS;
        const opens = !cycle.stalled && cycle.opens_at < END_DATE;
        const opportunity = cycle.opportunity_id === null ? undefined : relevant.get(cycle.opportunity_id);
        if (opens && opportunity !== undefined) {
          referenced.add(opportunity.id);
          opened++;
        }
        return [
          cycle.cold
            ? leadDays !== 0 && 'a cold cycle has signals'
            : !(leadDays >= 30 - 1e-6 && leadDays <= 120 + 1e-6) && 'lead time outside 30–120 days',
          cycle.opens_at < WINDOW_START && 'opens before the window',
          !opens && cycle.opportunity_id !== null && 'an opportunity for a stalled or future cycle',
          cycle.stalled && cycle.cold && 'stalled and cold',
          opens && opportunity === undefined && 'no relevant opportunity',
          opens &&
            opportunity !== undefined &&
            opportunity.created_at.getTime() !== cycle.opens_at.getTime() &&
            'opportunity not created on the open date',
        ];
      });
      problems.push(
        ...cycleProblems,
        ...(truth.account_id !== account.id ? ['truth of another account'] : []),
        ...(!(truth.true_fit >= 0 && truth.true_fit <= 1) ? ['true_fit outside 0–1'] : []),
        ...(truth.fit_tier !== fitTierOf(truth.true_fit) ? ['fit tier does not match true_fit'] : []),
        // Every relevant opportunity ends exactly one buying cycle.
        ...(referenced.size !== relevant.size
          ? [`${account.id}: ${relevant.size - referenced.size} relevant opportunities without a cycle`]
          : []),
      );
    }
    expect(problems).toEqual([]);
    expect(opened).toBeGreaterThan(20);
  });
});

describe('demoKeywords', () => {
  const keywords = demoKeywords();

  it('configures about twenty lower-case, trimmed, unique keywords with a category and a kind', () => {
    expect(keywords.length).toBeGreaterThanOrEqual(18);
    expect(keywords.length).toBeLessThanOrEqual(24);
    expect(new Set(keywords.map((row) => row.keyword)).size).toBe(keywords.length);
    for (const row of keywords) {
      expect(row.keyword).toBe(row.keyword.trim().toLowerCase());
      expect(row.product_category).toEqual(expect.any(String));
      expect(['branded', 'generic']).toContain(row.kind);
    }
    expect(keywords.filter((row) => row.kind === 'branded').map((row) => row.keyword)).toEqual([
      'signalfit shield',
      'signalfit shield pricing',
      'signalfit shield vs snyk',
    ]);
    expect(keywords.map((row) => row.keyword)).toEqual(
      expect.arrayContaining(['devsecops', 'software composition analysis', 'sast', 'container security']),
    );
  });
});

function accountProblems(
  account: AccountRow,
  industries: Map<string, (typeof INDUSTRIES)[number]>,
  technologies: Set<string>,
): Array<string | false> {
  const industry = account.industry === null ? undefined : industries.get(account.industry);
  return [
    !/^[A-Z][a-z]+ \S/.test(account.name ?? '') && 'name',
    !/^[a-z0-9]+(\.[a-z]{2,})+$/.test(account.domain ?? '') && 'domain',
    !/^[A-Z]{2}$/.test(account.country ?? '') && 'country',
    account.industry !== null && industry === undefined && 'unknown industry',
    account.naics !== null && !/^\d{6}$/.test(account.naics) && 'naics format',
    account.naics !== null &&
      industry !== undefined &&
      !industry.naics.includes(account.naics) &&
      'naics of another industry',
    account.employees !== null &&
      !(Number.isInteger(account.employees) && account.employees >= 5 && account.employees <= 200_000) &&
      'employees',
    account.annual_revenue !== null && !(account.annual_revenue > 0) && 'annual_revenue',
    account.technologies.some((technology) => !technologies.has(technology)) && 'unknown technology',
    !(account.created_at instanceof Date) && 'created_at',
  ];
}

function contactProblems(contact: ContactRow, account: AccountRow): Array<string | false> {
  const titles =
    contact.job_level !== null && contact.job_function !== null
      ? TITLES[contact.job_function as JobFunction]?.[contact.job_level]
      : undefined;
  return [
    !contact.first_name && 'first_name',
    !contact.last_name && 'last_name',
    !PERSON_KINDS.includes(contact.kind) && 'kind',
    typeof contact.opted_out !== 'boolean' && 'opted_out',
    !/^[A-Z]{2}$/.test(contact.country ?? '') && 'country',
    contact.email !== null &&
      !(contact.email.endsWith(`@${account.domain}`) && /^[a-z0-9.]+@/.test(contact.email)) &&
      'email',
    contact.job_level !== null && !JOB_LEVELS.includes(contact.job_level) && 'job_level',
    contact.job_function !== null &&
      !(JOB_FUNCTIONS as readonly string[]).includes(contact.job_function) &&
      'job_function',
    titles !== undefined &&
      !titles.includes(contact.title ?? '') &&
      'title does not match level and function',
    !((contact.created_at as Date) >= (account.created_at as Date)) && 'created before its account',
  ];
}

const OPEN_STAGES = ['Qualification', 'Discovery', 'Proposal', 'Negotiation'];

function opportunityProblems(opportunity: OpportunityRow): Array<string | false> {
  const expectedStage = opportunity.is_won
    ? ['Closed Won']
    : opportunity.is_closed
      ? ['Closed Lost']
      : OPEN_STAGES;
  return [
    !['New Business', 'Renewal', 'Existing Business'].includes(opportunity.type ?? '') && 'type',
    opportunity.currency !== 'USD' && 'currency',
    !((opportunity.amount ?? -1) >= 0) && 'amount',
    opportunity.relevant !== (opportunity.type === 'New Business' && (opportunity.amount ?? 0) > 0) &&
      'relevant is not "New Business with an amount"',
    opportunity.is_closed !== (opportunity.closed_at !== null) && 'is_closed does not match closed_at',
    opportunity.is_won === true && opportunity.is_closed !== true && 'won but open',
    !expectedStage.includes(opportunity.stage ?? '') && 'stage',
    opportunity.closed_at !== null &&
      !(opportunity.closed_at > opportunity.created_at) &&
      'closed before created',
  ];
}

const KNOWN_ENGAGEMENT: ReadonlySet<string> = new Set(ACTIVITY_CLASSES.known_engagement);
const EMAIL_TYPES: ReadonlySet<string> = new Set(['email_sent', 'email_open', 'email_click']);
const RESEARCH_SOURCE_SET: ReadonlySet<string> = new Set(RESEARCH_SOURCES);

function activityProblems(activity: ActivityRow, people: Map<string, ContactRow>): Array<string | false> {
  const isResearch = activity.type === 'keyword_research';
  const person = activity.contact_id === null ? undefined : people.get(activity.contact_id);
  return [
    !ACTIVITY_TYPES.includes(activity.type) && 'type',
    isResearch && !RESEARCH_SOURCE_SET.has(activity.source ?? '') && 'research source',
    isResearch &&
      (activity.keyword === null || activity.keyword !== activity.keyword.trim().toLowerCase()) &&
      'keyword',
    isResearch && activity.contact_id !== null && 'research by a person',
    !isResearch && activity.keyword !== null && 'keyword on a non-research activity',
    activity.type === 'web_visit' && !/^\/[a-z0-9/-]*$/.test(activity.url ?? '') && 'url',
    activity.type !== 'web_visit' && activity.url !== null && 'url on a non-visit',
    activity.type === 'ad_impression' &&
      !['ads', 'linkedin', 'dsp'].includes(activity.source ?? '') &&
      'ad source',
    activity.type === 'email_sent' && activity.source !== 'map' && 'email_sent source',
    KNOWN_ENGAGEMENT.has(activity.type) &&
      activity.contact_id === null &&
      'known engagement without a person',
    EMAIL_TYPES.has(activity.type) &&
      !(person !== undefined && person.email !== null && !person.opted_out) &&
      'email to someone without an address or opted out',
    activity.source === null && 'no source',
  ];
}
