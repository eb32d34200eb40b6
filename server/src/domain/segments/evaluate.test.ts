import fc from 'fast-check';
import { parseDefinition, type Definition } from './definition';
import { evaluateDefinition, evaluateSegment, UnknownSegmentError } from './evaluate';
import { TEST_AS_OF, TEST_CATALOG, TEST_MARKET, TEST_SEGMENTS, definitionArbitrary } from './testing';

const ALL = TEST_MARKET.accounts.map((a) => a.id);
const members = (definition: unknown) => {
  const parsed = parseDefinition(definition);
  if (!parsed.ok) throw new Error(parsed.issue.message);
  return evaluateDefinition(parsed.definition, TEST_MARKET, TEST_AS_OF, TEST_CATALOG);
};

// Run day T = 2024-06-01 (00:00 UTC). Accounts a1…a6 are described in testing.ts; a4 is not scored.
const PINNED: [string, unknown, string[]][] = [
  // text: case-insensitive; a null field matches nothing but `not`
  ['name eq, any case', { field: 'name', op: 'eq', value: 'ACME CORP' }, ['a1']],
  ['name neq', { field: 'name', op: 'neq', value: 'acme corp' }, ['a2', 'a3', 'a4', 'a5', 'a6']],
  ['domain eq lower-cases the stored domain', { field: 'domain', op: 'eq', value: 'beta.de' }, ['a2']],
  ['industry in', { field: 'industry', op: 'in', value: ['SOFTWARE', 'finance'] }, ['a1', 'a4', 'a5']],
  [
    'industry not_in skips a null industry',
    { field: 'industry', op: 'not_in', value: ['software'] },
    ['a2', 'a5', 'a6'],
  ],
  [
    'not (industry eq) keeps the null industry',
    { not: { field: 'industry', op: 'eq', value: 'software' } },
    ['a2', 'a3', 'a5', 'a6'],
  ],
  ['name contains', { field: 'name', op: 'contains', value: 'ACME' }, ['a1', 'a4']],
  ['name starts_with', { field: 'name', op: 'starts_with', value: 'acme' }, ['a1', 'a4']],
  ['naics starts_with', { field: 'naics', op: 'starts_with', value: '5' }, ['a1', 'a4', 'a5']],
  ['domain exists', { field: 'domain', op: 'exists' }, ['a1', 'a2', 'a4', 'a5', 'a6']],
  ['country eq', { field: 'country', op: 'eq', value: 'us' }, ['a1', 'a4', 'a6']],
  // numbers
  ['employees gt', { field: 'employees', op: 'gt', value: 500 }, ['a4', 'a5']],
  ['employees gte', { field: 'employees', op: 'gte', value: 500 }, ['a1', 'a4', 'a5']],
  ['employees lt', { field: 'employees', op: 'lt', value: 50 }, ['a6']],
  ['employees lte', { field: 'employees', op: 'lte', value: 50 }, ['a2', 'a6']],
  [
    'employees between, inclusive',
    { field: 'employees', op: 'between', value: [50, 1000] },
    ['a1', 'a2', 'a5'],
  ],
  ['employees in', { field: 'employees', op: 'in', value: [10, 5000] }, ['a4', 'a6']],
  ['employees not_in', { field: 'employees', op: 'not_in', value: [10] }, ['a1', 'a2', 'a4', 'a5']],
  ['employees eq', { field: 'employees', op: 'eq', value: 500 }, ['a1']],
  ['employees neq', { field: 'employees', op: 'neq', value: 500 }, ['a2', 'a4', 'a5', 'a6']],
  ['annual_revenue gte', { field: 'annual_revenue', op: 'gte', value: 50_000_000 }, ['a1', 'a4', 'a5']],
  ['intent_score gte (the run)', { field: 'intent_score', op: 'gte', value: 80 }, ['a1', 'a5']],
  [
    'profile_score exists: scored and not null',
    { field: 'profile_score', op: 'exists' },
    ['a1', 'a2', 'a3', 'a5'],
  ],
  // ordered
  ['profile_fit gte Moderate', { field: 'profile_fit', op: 'gte', value: 'Moderate' }, ['a1', 'a2', 'a5']],
  [
    'buying_stage between',
    { field: 'buying_stage', op: 'between', value: ['Consideration', 'Decision'] },
    ['a1', 'a2'],
  ],
  ['buying_stage gt Decision', { field: 'buying_stage', op: 'gt', value: 'Decision' }, ['a5']],
  ['reach lt High', { field: 'reach', op: 'lt', value: 'High' }, ['a2', 'a3', 'a6']],
  ['profile_fit in', { field: 'profile_fit', op: 'in', value: ['Weak'] }, ['a3']],
  [
    'profile_fit neq: null and unscored never match',
    { field: 'profile_fit', op: 'neq', value: 'Strong' },
    ['a2', 'a3'],
  ],
  ['reach eq', { field: 'reach', op: 'eq', value: 'Low' }, ['a3', 'a6']],
  [
    'not (profile_fit eq Strong)',
    { not: { field: 'profile_fit', op: 'eq', value: 'Strong' } },
    ['a2', 'a3', 'a4', 'a6'],
  ],
  // boolean
  ['qualified eq true', { field: 'qualified', op: 'eq', value: true }, ['a1', 'a5']],
  ['qualified eq false', { field: 'qualified', op: 'eq', value: false }, ['a2', 'a3', 'a6']],
  ['qualified neq true', { field: 'qualified', op: 'neq', value: true }, ['a2', 'a3', 'a6']],
  ['qualified exists: scored', { field: 'qualified', op: 'exists' }, ['a1', 'a2', 'a3', 'a5', 'a6']],
  // dates: a day is [d, d + 1 day) in UTC, a timestamp its millisecond
  ['created_at eq a day', { field: 'created_at', op: 'eq', value: '2024-05-31' }, ['a4']],
  ['created_at gt a day: from the next day', { field: 'created_at', op: 'gt', value: '2024-05-31' }, ['a5']],
  ['created_at gte a day', { field: 'created_at', op: 'gte', value: '2024-05-31' }, ['a4', 'a5']],
  ['created_at lt a day', { field: 'created_at', op: 'lt', value: '2020-01-15' }, ['a6']],
  ['created_at lte a day: to its end', { field: 'created_at', op: 'lte', value: '2020-01-15' }, ['a1', 'a6']],
  [
    'created_at between days',
    { field: 'created_at', op: 'between', value: ['2023-06-01', '2024-05-31'] },
    ['a2', 'a4'],
  ],
  ['created_at eq a timestamp', { field: 'created_at', op: 'eq', value: '2020-01-15T10:00:00Z' }, ['a1']],
  [
    'created_at eq a timestamp 1 ms later',
    { field: 'created_at', op: 'eq', value: '2020-01-15T10:00:00.001Z' },
    [],
  ],
  [
    'created_at lt a timestamp',
    { field: 'created_at', op: 'lt', value: '2024-06-01T00:00:00Z' },
    ['a1', 'a2', 'a4', 'a6'],
  ],
  [
    'created_at gte a timestamp without offset (UTC)',
    { field: 'created_at', op: 'gte', value: '2024-05-31T23:59:59.999' },
    ['a4', 'a5'],
  ],
  ['created_at neq a day', { field: 'created_at', op: 'neq', value: '2024-05-31' }, ['a1', 'a2', 'a5', 'a6']],
  ['qualified_since gte', { field: 'qualified_since', op: 'gte', value: '2024-05-01' }, ['a1']],
  ['qualified_since eq', { field: 'qualified_since', op: 'eq', value: '2024-04-01' }, ['a5']],
  // technologies
  ['technologies has_any', { field: 'technologies', op: 'has_any', value: ['aws'] }, ['a1', 'a4']],
  ['technologies has_all', { field: 'technologies', op: 'has_all', value: ['AWS', 'snowflake'] }, ['a4']],
  [
    'technologies has_none (an empty list has none)',
    { field: 'technologies', op: 'has_none', value: ['salesforce'] },
    ['a2', 'a3', 'a4', 'a6'],
  ],
  ['technologies exists: not empty', { field: 'technologies', op: 'exists' }, ['a1', 'a2', 'a4', 'a5', 'a6']],
  // CRM fields
  ['crm eq, any case', { field: 'crm.Type', op: 'eq', value: 'CUSTOMER' }, ['a1', 'a5']],
  ['crm neq: a JSON null is null', { field: 'crm.Type', op: 'neq', value: 'customer' }, ['a2']],
  ['crm exists', { field: 'crm.Type', op: 'exists' }, ['a1', 'a2', 'a5']],
  ['crm number eq a JSON number', { field: 'crm.Score__c', op: 'eq', value: 42 }, ['a1']],
  [
    'crm number in: a decimal text compares numerically',
    { field: 'crm.Score__c', op: 'in', value: [7.5, 42] },
    ['a1', 'a2'],
  ],
  ['crm number eq a number text', { field: 'crm.Tier__c', op: 'eq', value: 3 }, ['a1']],
  ['crm number neq: other text is not that number', { field: 'crm.Tier__c', op: 'neq', value: 3 }, ['a2']],
  [
    'crm field with a dot in its name',
    { field: 'crm.Owner.Name', op: 'contains', value: 'lovelace' },
    ['a1'],
  ],
  ['crm starts_with', { field: 'crm.Owner.Name', op: 'starts_with', value: 'ADA' }, ['a1']],
  ['crm boolean eq', { field: 'crm.Active__c', op: 'eq', value: true }, ['a5']],
  ['not crm eq', { not: { field: 'crm.Type', op: 'eq', value: 'customer' } }, ['a2', 'a3', 'a4', 'a6']],
  // activities in [T − N days, T)
  [
    '3 web visits in 30 days',
    { field: 'activity', type: ['web_visit'], within_days: 30, op: 'gte', value: 3 },
    ['a2'],
  ],
  [
    'a web visit in 30 days',
    { field: 'activity', type: ['web_visit'], within_days: 30, op: 'gte', value: 1 },
    ['a1', 'a2', 'a5'],
  ],
  [
    'url_contains ignores case',
    { field: 'activity', url_contains: 'PRICING', within_days: 30, op: 'gte', value: 1 },
    ['a1', 'a2'],
  ],
  [
    'an activity at T never counts',
    { field: 'activity', type: ['email_open'], within_days: 10, op: 'gte', value: 1 },
    [],
  ],
  [
    '1 ms before T counts',
    { field: 'activity', source: ['BOMBORA'], within_days: 1, op: 'gte', value: 1 },
    ['a1'],
  ],
  ['any type, 3 in 3 days', { field: 'activity', within_days: 3, op: 'gte', value: 3 }, ['a5']],
  [
    'keyword filter on activities',
    { field: 'activity', keyword: ['DEVSECOPS'], within_days: 30, op: 'gte', value: 2 },
    [],
  ],
  [
    'keyword researched: T − 30 days exactly counts',
    { field: 'keyword_researched', value: ['devsecops'], within_days: 30 },
    ['a1', 'a2'],
  ],
  [
    'keyword researched: 29 days',
    { field: 'keyword_researched', value: ['devsecops'], within_days: 29 },
    ['a1'],
  ],
  [
    'keyword researched: 1 ms before the window',
    { field: 'keyword_researched', value: ['Zero Trust'], within_days: 30 },
    [],
  ],
  [
    'keyword researched: 31 days',
    { field: 'keyword_researched', value: ['Zero Trust'], within_days: 31 },
    ['a4'],
  ],
  // opportunities
  [
    'open (closed on T is still open; created on T not yet)',
    { field: 'opportunity', status: 'open' },
    ['a1', 'a5'],
  ],
  ['won before T', { field: 'opportunity', status: 'won' }, ['a2', 'a3']],
  ['won in 30 days (closed_at)', { field: 'opportunity', status: 'won', within_days: 30 }, ['a3']],
  ['won in 11 days', { field: 'opportunity', status: 'won', within_days: 11 }, []],
  ['any', { field: 'opportunity', status: 'any' }, ['a1', 'a2', 'a3', 'a5']],
  ['any relevant (flag, else rule)', { field: 'opportunity', status: 'any', relevant: true }, ['a1', 'a5']],
  ['any not relevant', { field: 'opportunity', status: 'any', relevant: false }, ['a2', 'a3']],
  ['open created in 30 days', { field: 'opportunity', status: 'open', within_days: 30 }, ['a5']],
  // people scored in the run
  ['any scored person', { field: 'person' }, ['a1', 'a2', 'a5']],
  ['persona, any case', { field: 'person', persona: ['ECONOMIC BUYER'] }, ['a1', 'a5']],
  [
    'persona and grade on the same person',
    { field: 'person', persona: ['Economic Buyer'], engagement_grade: ['A', 'B'] },
    ['a1'],
  ],
  ['profile fit', { field: 'person', profile_fit: ['Moderate', 'Weak'] }, ['a1', 'a2']],
  [
    'grade D with a null fit does not match a fit list',
    { field: 'person', engagement_grade: ['D'], profile_fit: ['Strong'] },
    [],
  ],
  // segment references
  [
    'in a filter segment (name in any case)',
    { field: 'segment', op: 'in', value: 'big software' },
    ['a1', 'a4'],
  ],
  [
    'not_in a filter segment',
    { field: 'segment', op: 'not_in', value: 'Big Software' },
    ['a2', 'a3', 'a5', 'a6'],
  ],
  [
    'in a list segment: listed accounts of the store',
    { field: 'segment', op: 'in', value: 'Uploaded' },
    ['a2', 'a5'],
  ],
  ['in a narrowed list segment', { field: 'segment', op: 'in', value: 'Uploaded narrowed' }, ['a1', 'a5']],
  [
    'in a segment that refers to another',
    { field: 'segment', op: 'in', value: 'Refers on' },
    ['a1', 'a2', 'a4'],
  ],
  // nesting
  [
    'all of any and not',
    {
      all: [
        {
          any: [
            { field: 'industry', op: 'eq', value: 'software' },
            { field: 'country', op: 'eq', value: 'fr' },
          ],
        },
        { not: { field: 'qualified', op: 'eq', value: true } },
      ],
    },
    ['a4'],
  ],
  [
    'any of all and a segment',
    {
      any: [
        {
          all: [
            { field: 'reach', op: 'eq', value: 'Low' },
            { field: 'country', op: 'eq', value: 'us' },
          ],
        },
        { field: 'segment', op: 'in', value: 'uploaded' },
      ],
    },
    ['a2', 'a5', 'a6'],
  ],
  ['not not', { not: { not: { field: 'employees', op: 'gte', value: 500 } } }, ['a1', 'a4', 'a5']],
];

describe('evaluateDefinition on the fixed market (T = 2024-06-01)', () => {
  it.each(PINNED)('%s', (_name, definition, expected) => {
    expect(members(definition)).toEqual(expected);
  });

  it('a list segment: its listed accounts in the store, narrowed by its definition', () => {
    const [, uploaded, narrowed] = TEST_SEGMENTS;
    expect(evaluateSegment(uploaded!, TEST_MARKET, TEST_AS_OF, TEST_CATALOG)).toEqual(['a2', 'a5']);
    expect(evaluateSegment(narrowed!, TEST_MARKET, TEST_AS_OF, TEST_CATALOG)).toEqual(['a1', 'a5']);
  });

  it('refuses a reference to a segment that does not exist', () => {
    expect(() => members({ field: 'segment', op: 'in', value: 'Nope' })).toThrow(UnknownSegmentError);
  });

  it('the same facts a day later: the window moves with T', () => {
    const parsed = parseDefinition({ field: 'keyword_researched', value: ['devsecops'], within_days: 30 });
    if (!parsed.ok) throw new Error('bad');
    expect(evaluateDefinition(parsed.definition, TEST_MARKET, '2024-06-02', TEST_CATALOG)).toEqual(['a1']);
    expect(evaluateDefinition(parsed.definition, TEST_MARKET, '2024-05-02', TEST_CATALOG)).toEqual([]);
  });
});

describe('evaluateDefinition properties', () => {
  const valid = definitionArbitrary().filter((d) => parseDefinition(d).ok);
  const run = (d: Definition) => evaluateDefinition(d, TEST_MARKET, TEST_AS_OF, TEST_CATALOG);

  it('every generated definition is well formed', () => {
    fc.assert(
      fc.property(definitionArbitrary(), (d) => parseDefinition(d).ok),
      { numRuns: 300 },
    );
  });

  it('not d is the complement of d within the store', () => {
    fc.assert(
      fc.property(valid, (d) => {
        const inside = new Set(run(d));
        expect(run({ not: d })).toEqual(ALL.filter((id) => !inside.has(id)));
      }),
      { numRuns: 300 },
    );
  });

  it('all and any of one are the one', () => {
    fc.assert(
      fc.property(valid, (d) => {
        expect(run({ all: [d] })).toEqual(run(d));
        expect(run({ any: [d] })).toEqual(run(d));
      }),
      { numRuns: 300 },
    );
  });

  it('in equals any of eq, not_in equals all of neq', () => {
    const field = fc.constantFrom(
      'name',
      'industry',
      'country',
      'employees',
      'profile_fit',
      'buying_stage',
      'crm.Type',
      'crm.Score__c',
    );
    const valueOf: Record<string, fc.Arbitrary<string | number>> = {
      name: fc.constantFrom('acme corp', 'Delta', 'x'),
      industry: fc.constantFrom('Software', 'finance', 'none'),
      country: fc.constantFrom('us', 'FR', 'gb'),
      employees: fc.constantFrom(10, 50, 500, 7),
      profile_fit: fc.constantFrom('Strong', 'Moderate', 'Weak'),
      buying_stage: fc.constantFrom('Target', 'Decision', 'Purchase'),
      'crm.Type': fc.constantFrom('customer', 'Prospect', 'x'),
      'crm.Score__c': fc.constantFrom(42, 7.5, 3),
    };
    fc.assert(
      fc.property(
        field.chain((f) =>
          fc.tuple(fc.constant(f), fc.uniqueArray(valueOf[f]!, { minLength: 1, maxLength: 3 })),
        ),
        ([f, values]) => {
          const asIn = members({ field: f, op: 'in', value: values });
          expect(asIn).toEqual(members({ any: values.map((v) => ({ field: f, op: 'eq', value: v })) }));
          expect(members({ field: f, op: 'not_in', value: values })).toEqual(
            members({ all: values.map((v) => ({ field: f, op: 'neq', value: v })) }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
