import fc from 'fast-check';
import { DEFAULT_RELEVANT_RULE } from '../scoring/opportunities';
import { BUYING_STAGES, ENGAGEMENT_GRADES, FIT_BANDS, REACH_LEVELS } from '../vocabulary';
import type { Definition } from './definition';
import type { SavedSegment, SegmentCatalog, SegmentMarket, SegmentScoreRow } from './evaluate';

/**
 * A small fixed market for the segment tests (evaluate.test.ts pins its members; the store tests
 * load the same rows into PGlite and PostgreSQL and compare the SQL with the TypeScript). The run
 * day is 2024-06-01: several facts sit exactly on the window edges.
 */
export const TEST_AS_OF = '2024-06-01';

const ms = (iso: string) => Date.parse(iso);

const score = (
  profileFit: string | null,
  profileScore: number | null,
  intentScore: number | null,
  buyingStage: string | null,
  reach: string,
  qualified: boolean,
  qualifiedSince: string | null = null,
): SegmentScoreRow => ({
  profileFit,
  profileScore,
  intentScore,
  buyingStage,
  reach,
  qualified,
  qualifiedSince,
});

export const TEST_MARKET: SegmentMarket = {
  accounts: [
    {
      id: 'a1',
      name: 'Acme Corp',
      domain: 'acme.com',
      industry: 'Software',
      employees: 500,
      annualRevenue: 50_000_000,
      country: 'US',
      naics: '5112',
      technologies: ['Salesforce', 'AWS'],
      createdMs: ms('2020-01-15T10:00:00Z'),
    },
    {
      id: 'a2',
      name: 'Beta GmbH',
      domain: 'Beta.de',
      industry: 'Manufacturing',
      employees: 50,
      annualRevenue: 2_000_000,
      country: 'DE',
      naics: '3331',
      technologies: ['SAP'],
      createdMs: ms('2023-06-01T00:00:00Z'),
    },
    {
      id: 'a3',
      name: 'Gamma Ltd',
      domain: null,
      industry: null,
      employees: null,
      annualRevenue: null,
      country: 'GB',
      naics: null,
      technologies: [],
      createdMs: null,
    },
    {
      id: 'a4',
      name: 'acme labs',
      domain: 'acmelabs.io',
      industry: 'software',
      employees: 5000,
      annualRevenue: 1_000_000_000,
      country: 'US',
      naics: '5415',
      technologies: ['aws', 'Snowflake'],
      createdMs: ms('2024-05-31T23:59:59.999Z'),
    },
    {
      id: 'a5',
      name: 'Delta',
      domain: 'delta.com',
      industry: 'Finance',
      employees: 1000,
      annualRevenue: 250_000_000,
      country: 'FR',
      naics: '5221',
      technologies: ['Salesforce'],
      createdMs: ms('2024-06-01T00:00:00Z'),
    },
    {
      id: 'a6',
      name: 'Epsilon',
      domain: 'epsilon.org',
      industry: 'Education',
      employees: 10,
      annualRevenue: null,
      country: 'US',
      naics: null,
      technologies: ['Moodle'],
      createdMs: ms('2019-03-03T00:00:00Z'),
    },
  ],
  // a4 is not scored by the run (imported since).
  scores: new Map([
    ['a1', score('Strong', 90, 80, 'Decision', 'High', true, '2024-05-20')],
    ['a2', score('Moderate', 60, 40, 'Consideration', 'Medium', false)],
    ['a3', score('Weak', 20, 10, 'Target', 'Low', false)],
    ['a5', score('Strong', 85, 95, 'Purchase', 'High', true, '2024-04-01')],
    ['a6', score(null, null, null, null, 'Low', false)],
  ]),
  activities: [
    {
      accountId: 'a1',
      occurredMs: ms('2024-05-31T23:59:59.999Z'),
      type: 'keyword_research',
      source: 'bombora',
      keyword: 'DevSecOps',
      url: null,
    },
    {
      accountId: 'a1',
      occurredMs: ms('2024-05-25T12:00:00Z'),
      type: 'web_visit',
      source: null,
      keyword: null,
      url: 'https://acme.com/Pricing',
    },
    {
      accountId: 'a1',
      occurredMs: ms('2024-06-01T00:00:00Z'),
      type: 'email_open',
      source: 'map',
      keyword: null,
      url: null,
    },
    {
      accountId: 'a2',
      occurredMs: ms('2024-05-02T00:00:00Z'),
      type: 'keyword_research',
      source: 'g2',
      keyword: 'devsecops',
      url: null,
    },
    {
      accountId: 'a2',
      occurredMs: ms('2024-05-20T09:00:00Z'),
      type: 'web_visit',
      source: null,
      keyword: null,
      url: '/pricing',
    },
    {
      accountId: 'a2',
      occurredMs: ms('2024-05-21T09:00:00Z'),
      type: 'web_visit',
      source: null,
      keyword: null,
      url: '/pricing',
    },
    {
      accountId: 'a2',
      occurredMs: ms('2024-05-22T09:00:00Z'),
      type: 'web_visit',
      source: null,
      keyword: null,
      url: '/pricing',
    },
    {
      accountId: 'a4',
      occurredMs: ms('2024-05-01T23:59:59.999Z'),
      type: 'keyword_research',
      source: 'first_party',
      keyword: 'zero trust',
      url: null,
    },
    {
      accountId: 'a5',
      occurredMs: ms('2024-05-30T08:00:00Z'),
      type: 'web_visit',
      source: null,
      keyword: null,
      url: '/blog',
    },
    {
      accountId: 'a5',
      occurredMs: ms('2024-05-30T09:00:00Z'),
      type: 'web_visit',
      source: null,
      keyword: null,
      url: '/blog',
    },
    {
      accountId: 'a5',
      occurredMs: ms('2024-05-29T10:00:00Z'),
      type: 'sales_email',
      source: null,
      keyword: null,
      url: null,
    },
  ],
  opportunities: [
    // open, relevant by the rule (New Business, amount above 0)
    {
      accountId: 'a1',
      createdMs: ms('2024-01-10T00:00:00Z'),
      closedMs: null,
      isWon: null,
      relevant: null,
      type: 'New Business',
      amount: 10_000,
    },
    // won long ago, marked not relevant
    {
      accountId: 'a2',
      createdMs: ms('2023-01-01T00:00:00Z'),
      closedMs: ms('2023-06-01T00:00:00Z'),
      isWon: true,
      relevant: false,
      type: 'New Business',
      amount: 5_000,
    },
    // closed on T: still open as of T, not yet won
    {
      accountId: 'a5',
      createdMs: ms('2024-05-15T00:00:00Z'),
      closedMs: ms('2024-06-01T00:00:00Z'),
      isWon: true,
      relevant: true,
      type: 'Upsell',
      amount: 1,
    },
    // created on T: never counts
    {
      accountId: 'a6',
      createdMs: ms('2024-06-01T00:00:00Z'),
      closedMs: null,
      isWon: null,
      relevant: true,
      type: 'New Business',
      amount: 100,
    },
    // won 12 days before T, a renewal: not relevant by the rule
    {
      accountId: 'a3',
      createdMs: ms('2022-01-01T00:00:00Z'),
      closedMs: ms('2024-05-20T00:00:00Z'),
      isWon: true,
      relevant: null,
      type: 'Renewal',
      amount: 500,
    },
  ],
  people: [
    { accountId: 'a1', persona: 'Economic Buyer', engagementGrade: 'A', profileFit: 'Strong' },
    { accountId: 'a1', persona: null, engagementGrade: 'C', profileFit: 'Weak' },
    { accountId: 'a2', persona: 'Champion', engagementGrade: 'B', profileFit: 'Moderate' },
    { accountId: 'a5', persona: 'economic buyer', engagementGrade: 'D', profileFit: null },
  ],
  crmFields: new Map<string, Record<string, unknown>>([
    ['a1', { Type: 'Customer', 'Owner.Name': 'Ada Lovelace', Score__c: 42, Tier__c: '3' }],
    ['a2', { Type: 'Prospect', Score__c: '7.5', Tier__c: 'Gold' }],
    ['a3', { Type: null }],
    ['a5', { Type: 'customer', Active__c: true }],
  ]),
  relevantRule: DEFAULT_RELEVANT_RULE,
};

/** Saved segments the fixed market's definitions refer to. */
export const TEST_SEGMENTS: SavedSegment[] = [
  {
    name: 'Big Software',
    kind: 'filter',
    definition: {
      all: [
        { field: 'industry', op: 'eq', value: 'software' },
        { field: 'employees', op: 'gte', value: 100 },
      ],
    },
    listMembers: [],
  },
  { name: 'Uploaded', kind: 'list', definition: null, listMembers: ['a2', 'a5', 'zz-not-in-store'] },
  {
    name: 'Uploaded narrowed',
    kind: 'list',
    definition: { field: 'country', op: 'in', value: ['us', 'fr'] },
    listMembers: ['a1', 'a2', 'a5'],
  },
  {
    name: 'Refers on',
    kind: 'crm',
    definition: {
      any: [
        { field: 'segment', op: 'in', value: 'big software' },
        { field: 'crm.Type', op: 'eq', value: 'prospect' },
      ],
    },
    listMembers: [],
  },
];

export const TEST_CATALOG: SegmentCatalog = new Map(TEST_SEGMENTS.map((s) => [s.name.toLowerCase(), s]));

/** Values seen in the fixed market (and a few that are not), so random conditions often match. */
const TEXTS = [
  'acme',
  'Acme Corp',
  'software',
  'SOFTWARE',
  'finance',
  'us',
  'FR',
  'de',
  'beta.de',
  '5',
  '54',
  'delta',
  'x',
];
const DAYS = [
  '2019-03-03',
  '2020-01-15',
  '2023-06-01',
  '2024-04-01',
  '2024-05-20',
  '2024-05-31',
  '2024-06-01',
];
const TIMES = ['2020-01-15T10:00:00Z', '2024-05-31T23:59:59.999Z', '2024-06-01T00:00:00'];
const NUMBERS = [0, 10, 50, 60, 85, 90, 500, 1000, 5000, 2_000_000, 250_000_000];
const TECHS = ['aws', 'Salesforce', 'SAP', 'snowflake', 'moodle', 'oracle'];

const some = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 1 });
const one = <T>(values: readonly T[]) => fc.constantFrom(...values);

/** One random condition of any kind over the fixed market's vocabulary. */
export function conditionArbitrary(
  segmentNames: readonly string[] = TEST_SEGMENTS.map((s) => s.name),
): fc.Arbitrary<Definition> {
  const text = fc.oneof(
    fc.record({
      field: one(['name', 'domain', 'industry', 'country', 'naics']),
      op: one(['eq', 'neq', 'contains', 'starts_with']),
      value: one(TEXTS),
    }),
    fc.record({
      field: one(['name', 'domain', 'industry', 'country', 'naics']),
      op: one(['in', 'not_in']),
      value: some(TEXTS),
    }),
  );
  const numberField = one(['employees', 'annual_revenue', 'profile_score', 'intent_score']);
  const number = fc.oneof(
    fc.record({ field: numberField, op: one(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']), value: one(NUMBERS) }),
    fc.record({ field: numberField, op: one(['in', 'not_in']), value: some(NUMBERS) }),
    fc.record({
      field: numberField,
      op: fc.constant('between'),
      value: fc.tuple(one(NUMBERS), one(NUMBERS)),
    }),
  );
  const orderedField = one(['profile_fit', 'buying_stage', 'reach'] as const);
  const ordered = orderedField.chain((field) => {
    const values =
      field === 'profile_fit' ? FIT_BANDS : field === 'buying_stage' ? BUYING_STAGES : REACH_LEVELS;
    return fc.oneof(
      fc.record({
        field: fc.constant(field),
        op: one(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']),
        value: one(values),
      }),
      fc.record({ field: fc.constant(field), op: one(['in', 'not_in']), value: some(values) }),
      fc.record({
        field: fc.constant(field),
        op: fc.constant('between'),
        value: fc.tuple(one(values), one(values)),
      }),
    );
  });
  const dateValue = fc.oneof(one(DAYS), one(TIMES));
  const date = fc.oneof(
    fc.record({
      field: one(['created_at', 'qualified_since']),
      op: one(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']),
      value: dateValue,
    }),
    fc.record({
      field: one(['created_at', 'qualified_since']),
      op: fc.constant('between'),
      value: fc.tuple(dateValue, dateValue),
    }),
  );
  const exists = fc.record({
    field: one([
      'name',
      'domain',
      'industry',
      'employees',
      'annual_revenue',
      'naics',
      'technologies',
      'created_at',
      'profile_fit',
      'intent_score',
      'qualified',
      'qualified_since',
      'crm.Type',
      'crm.Missing',
    ]),
    op: fc.constant('exists'),
  });
  const boolean = fc.record({ field: fc.constant('qualified'), op: one(['eq', 'neq']), value: fc.boolean() });
  const list = fc.record({
    field: fc.constant('technologies'),
    op: one(['has_any', 'has_all', 'has_none']),
    value: some(TECHS),
  });
  const crmValue = fc.oneof(
    one(['customer', 'PROSPECT', 'gold', 'ada', '3', 'true']),
    one([3, 42, 7.5]),
    fc.boolean(),
  );
  const crm = fc.oneof(
    fc.record({
      field: one(['crm.Type', 'crm.Tier__c', 'crm.Score__c', 'crm.Owner.Name', 'crm.Active__c']),
      op: one(['eq', 'neq']),
      value: crmValue,
    }),
    fc.record({
      field: one(['crm.Type', 'crm.Tier__c', 'crm.Score__c']),
      op: one(['in', 'not_in']),
      value: fc.array(crmValue, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      field: one(['crm.Type', 'crm.Owner.Name', 'crm.Score__c']),
      op: one(['contains', 'starts_with']),
      value: one(['cust', 'ADA', '4', 'o']),
    }),
  );
  const activity = fc.record(
    {
      field: fc.constant('activity'),
      type: some(['web_visit', 'keyword_research', 'email_open', 'sales_email']),
      source: some(['bombora', 'G2', 'map', 'first_party']),
      keyword: some(['devsecops', 'Zero Trust']),
      url_contains: one(['pricing', '/BLOG', 'acme']),
      within_days: one([1, 3, 29, 30, 31, 400]),
      op: fc.constant('gte'),
      value: one([1, 2, 3]),
    },
    { requiredKeys: ['field', 'within_days', 'op', 'value'] },
  );
  const keyword = fc.record({
    field: fc.constant('keyword_researched'),
    value: some(['devsecops', 'ZERO TRUST', 'kubernetes']),
    within_days: one([1, 29, 30, 31]),
  });
  const opportunity = fc.record(
    {
      field: fc.constant('opportunity'),
      status: one(['open', 'won', 'any']),
      relevant: fc.boolean(),
      within_days: one([1, 12, 13, 30, 400, 1000]),
    },
    { requiredKeys: ['field', 'status'] },
  );
  const person = fc.record(
    {
      field: fc.constant('person'),
      persona: some(['economic buyer', 'Champion', 'Nobody']),
      engagement_grade: some(ENGAGEMENT_GRADES),
      profile_fit: some(FIT_BANDS),
    },
    { requiredKeys: ['field'] },
  );
  const parts: fc.Arbitrary<unknown>[] = [
    text,
    number,
    ordered,
    date,
    exists,
    boolean,
    list,
    crm,
    activity,
    keyword,
    opportunity,
    person,
  ];
  if (segmentNames.length > 0) {
    parts.push(
      fc.record({ field: fc.constant('segment'), op: one(['in', 'not_in']), value: one(segmentNames) }),
    );
  }
  return fc.oneof(...parts) as fc.Arbitrary<Definition>;
}

/** Random definitions: conditions nested in all / any / not groups, a few levels deep. */
export function definitionArbitrary(segmentNames?: readonly string[]): fc.Arbitrary<Definition> {
  const condition = conditionArbitrary(segmentNames);
  const { node } = fc.letrec<{ node: Definition }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      condition,
      fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ not: tie('node') }),
    ) as fc.Arbitrary<Definition>,
  }));
  return node;
}
