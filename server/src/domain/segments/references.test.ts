import { parseDefinition, type Definition } from './definition';
import { segmentReferences, usesCrmFields } from './references';

function parsed(input: unknown): Definition {
  const result = parseDefinition(input);
  if (!result.ok) throw new Error(result.issue.message);
  return result.definition;
}

describe('segmentReferences', () => {
  it('lists every segment reference with the bracket path of its value, in document order', () => {
    const definition = parsed({
      all: [
        { field: 'qualified', op: 'eq', value: true },
        { field: 'segment', op: 'in', value: 'EMEA' },
        { any: [{ not: { field: 'segment', op: 'not_in', value: 'Customers' } }] },
      ],
    });
    expect(segmentReferences(definition)).toEqual([
      { name: 'EMEA', path: 'all[1].value' },
      { name: 'Customers', path: 'all[2].any[0].not.value' },
    ]);
  });
  it('gives the root path for a definition that is one reference', () => {
    expect(segmentReferences(parsed({ field: 'segment', op: 'in', value: 'A' }))).toEqual([
      { name: 'A', path: 'value' },
    ]);
  });
});

describe('usesCrmFields', () => {
  it('is true when any condition, however nested, is on a crm. field', () => {
    expect(
      usesCrmFields(parsed({ any: [{ not: { field: 'crm.Type', op: 'eq', value: 'Customer' } }] })),
    ).toBe(true);
    expect(usesCrmFields(parsed({ all: [{ field: 'country', op: 'eq', value: 'DE' }] }))).toBe(false);
  });
});
