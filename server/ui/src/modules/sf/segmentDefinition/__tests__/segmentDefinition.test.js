import {
  FIELD_GROUPS,
  conditionJson,
  describeDefinition,
  fieldLabel,
  fromDefinition,
  keyAtPath,
  newCondition,
  newGroup,
  opsOf,
  toDefinition,
  usesCrmFields,
  withField,
} from 'sf/segmentDefinition';
import { ACCOUNT_FIELDS, SCORE_FIELDS } from 'sf/vocabulary';

const SEGMENT = require('../../../../../test/data/segment.json').segment;

/** A draft on `field` (operator `eq` where the field has it) with `changes` typed into its inputs. */
const draft = (field, changes = {}) => ({ ...withField({ ...newCondition(), op: 'eq' }, field), ...changes });

describe('sf/segmentDefinition', () => {
  it('offers every field of the language, each with a label', () => {
    const offered = FIELD_GROUPS.flatMap((group) => group.fields);
    for (const field of [...Object.keys(ACCOUNT_FIELDS), ...Object.keys(SCORE_FIELDS)]) {
      expect(offered).toContain(field);
      expect(fieldLabel(field)).not.toBe(field);
    }
    expect(offered).toEqual(
      expect.arrayContaining(['activity', 'keyword_researched', 'opportunity', 'person', 'segment', 'crm']),
    );
  });

  it("limits the operators to the field's kind", () => {
    expect(opsOf('technologies')).toEqual(['has_any', 'has_all', 'has_none', 'exists']);
    expect(opsOf('qualified')).toEqual(['eq', 'neq', 'exists']);
    expect(opsOf('name')).toContain('starts_with');
    expect(opsOf('intent_score')).not.toContain('contains');
    expect(opsOf('crm.Type')).toEqual(opsOf('name'));
    expect(opsOf('segment')).toEqual(['in', 'not_in']);
    expect(opsOf('activity')).toEqual([]);
  });

  it('starts a new condition as "intent score at least"', () => {
    expect(newCondition()).toMatchObject({ type: 'condition', field: 'intent_score', op: 'gte', value: '' });
  });

  it('keeps the operator when the new field takes it, and clears the values', () => {
    const between = draft('intent_score', { op: 'between', value: '40', value2: '80' });
    const moved = withField(between, 'profile_score');
    expect(moved).toMatchObject({ field: 'profile_score', op: 'between', value: '', value2: '' });
    expect(withField(between, 'name').op).toBe('eq');
    expect(withField(between, 'technologies').op).toBe('has_any');
  });

  it('turns the inputs into values of the right type', () => {
    expect(conditionJson(draft('intent_score', { op: 'gte', value: '70' }))).toEqual({
      field: 'intent_score',
      op: 'gte',
      value: 70,
    });
    expect(conditionJson(draft('employees', { op: 'between', value: '100', value2: ' 5000 ' }))).toEqual({
      field: 'employees',
      op: 'between',
      value: [100, 5000],
    });
    expect(conditionJson(draft('country', { op: 'in', value: 'DE, fr,, GB ' }))).toEqual({
      field: 'country',
      op: 'in',
      value: ['DE', 'fr', 'GB'],
    });
    expect(conditionJson(draft('buying_stage', { op: 'in', values: ['Decision', 'Purchase'] }))).toEqual({
      field: 'buying_stage',
      op: 'in',
      value: ['Decision', 'Purchase'],
    });
    expect(conditionJson(draft('qualified', { value: 'false' }))).toEqual({
      field: 'qualified',
      op: 'eq',
      value: false,
    });
    expect(conditionJson(draft('domain', { op: 'exists', value: 'ignored' }))).toEqual({
      field: 'domain',
      op: 'exists',
    });
    expect(conditionJson(draft('crm', { crmName: 'Type', value: 'Customer' }))).toEqual({
      field: 'crm.Type',
      op: 'eq',
      value: 'Customer',
    });
  });

  it('leaves an empty value out and sends a number it cannot read as typed, for the service to name', () => {
    expect(conditionJson(draft('intent_score', { op: 'gt', value: '' }))).toEqual({
      field: 'intent_score',
      op: 'gt',
    });
    expect(conditionJson(draft('intent_score', { op: 'gt', value: 'seventy' }))).toEqual({
      field: 'intent_score',
      op: 'gt',
      value: 'seventy',
    });
  });

  it('writes the structured conditions in their own shapes', () => {
    expect(
      conditionJson(
        draft('activity', {
          types: ['web_visit'],
          sources: '',
          keywords: '',
          urlContains: ' /pricing ',
          withinDays: '30',
          atLeast: '3',
        }),
      ),
    ).toEqual({
      field: 'activity',
      type: ['web_visit'],
      url_contains: '/pricing',
      within_days: 30,
      op: 'gte',
      value: 3,
    });
    expect(
      conditionJson(draft('keyword_researched', { keywords: 'devsecops, sast', withinDays: '14' })),
    ).toEqual({
      field: 'keyword_researched',
      value: ['devsecops', 'sast'],
      within_days: 14,
    });
    expect(conditionJson(draft('opportunity', { status: 'won', relevant: 'true', withinDays: '' }))).toEqual({
      field: 'opportunity',
      status: 'won',
      relevant: true,
    });
    expect(
      conditionJson(draft('person', { personas: 'Security leader', grades: ['A', 'B'], fits: [] })),
    ).toEqual({
      field: 'person',
      persona: ['Security leader'],
      engagement_grade: ['A', 'B'],
    });
    expect(conditionJson(draft('segment', { op: 'not_in', value: 'Customers' }))).toEqual({
      field: 'segment',
      op: 'not_in',
      value: 'Customers',
    });
  });

  it('writes the tree with the bracket path of every node, leaving empty groups out', () => {
    const a = draft('profile_fit', { value: 'Strong' });
    const b = draft('intent_score', { op: 'gte', value: '70' });
    const c = draft('industry', { value: 'Software' });
    const d = draft('reach', { value: 'High' });
    const inner = newGroup('any', [b, c]);
    const none = newGroup('not', [d]);
    const root = newGroup('all', [a, newGroup('any', []), inner, none]);
    const { definition, paths } = toDefinition(root);
    expect(definition).toEqual({
      all: [
        { field: 'profile_fit', op: 'eq', value: 'Strong' },
        {
          any: [
            { field: 'intent_score', op: 'gte', value: 70 },
            { field: 'industry', op: 'eq', value: 'Software' },
          ],
        },
        { not: { field: 'reach', op: 'eq', value: 'High' } },
      ],
    });
    expect(Object.fromEntries(paths)).toEqual({
      '': root.key,
      'all[0]': a.key,
      'all[1]': inner.key,
      'all[1].any[0]': b.key,
      'all[1].any[1]': c.key,
      'all[2]': none.key,
      'all[2].not': d.key,
    });
    expect(keyAtPath(paths, 'all[1].any[1].value')).toBe(c.key);
    expect(keyAtPath(paths, 'all[2].not')).toBe(d.key);
    expect(keyAtPath(paths, 'all[7]')).toBe(root.key);
  });

  it('puts a "none of" group of several in an all, and has no definition without a condition', () => {
    const x = draft('reach', { value: 'Low' });
    const y = draft('qualified', { value: 'true' });
    const { definition, paths } = toDefinition(newGroup('all', [newGroup('not', [x, y])]));
    expect(definition).toEqual({
      all: [
        {
          not: {
            all: [
              { field: 'reach', op: 'eq', value: 'Low' },
              { field: 'qualified', op: 'eq', value: true },
            ],
          },
        },
      ],
    });
    expect(paths.get('all[0].not.all[1]')).toBe(y.key);
    expect(toDefinition(newGroup('all', [newGroup('any', [])])).definition).toBeNull();
  });

  it('reads a saved definition back into the same definition', () => {
    expect(toDefinition(fromDefinition(SEGMENT.definition)).definition).toEqual(SEGMENT.definition);
    const crm = {
      all: [
        { field: 'crm.Type', op: 'eq', value: 'Customer' },
        { field: 'employees', op: 'between', value: [10, 500] },
      ],
    };
    const tree = fromDefinition(crm);
    expect(tree.children[0]).toMatchObject({ field: 'crm', crmName: 'Type' });
    expect(toDefinition(tree).definition).toEqual(crm);
    // A bare condition is put in an all.
    expect(toDefinition(fromDefinition({ field: 'qualified', op: 'eq', value: true })).definition).toEqual({
      all: [{ field: 'qualified', op: 'eq', value: true }],
    });
  });

  it('says a definition in words, indented by group', () => {
    expect(describeDefinition(SEGMENT.definition).map((line) => [line.depth, line.text])).toEqual([
      [0, 'All of these:'],
      [1, 'Profile fit is Strong'],
      [1, 'Buying stage is one of Decision, Purchase'],
      [1, 'Any of these:'],
      [2, 'At least 3 activities of type Web visit on pages containing "/pricing" in the last 30 days'],
      [2, 'Researched devsecops, sast in the last 14 days'],
      [1, 'None of these:'],
      [2, 'Has an open opportunity'],
    ]);
    expect(describeDefinition({ field: 'qualified', op: 'eq', value: true })[0].text).toBe(
      'Qualified is yes',
    );
    expect(describeDefinition(null)).toEqual([]);
  });

  it('knows a CRM segment by its fields', () => {
    expect(usesCrmFields(SEGMENT.definition)).toBe(false);
    expect(
      usesCrmFields({
        any: [{ field: 'name', op: 'exists' }, { not: { field: 'crm.Region__c', op: 'exists' } }],
      }),
    ).toBe(true);
  });
});
