import { bracketPath, type Definition, type SegmentCondition } from './definition';

/** A `{ field: "segment" }` condition: the name it refers to and where its value is. */
export interface SegmentReference {
  name: string;
  /** Bracket path of the reference's value, e.g. `all[1].value`. */
  path: string;
}

/**
 * Every segment reference of a definition with the path of its value, in document order, so an
 * unknown name can be reported where it is written.
 */
export function segmentReferences(definition: Definition): SegmentReference[] {
  const found: SegmentReference[] = [];
  const walk = (node: Definition, path: (string | number)[]) => {
    if ('all' in node) node.all.forEach((child, i) => walk(child, [...path, 'all', i]));
    else if ('any' in node) node.any.forEach((child, i) => walk(child, [...path, 'any', i]));
    else if ('not' in node) walk(node.not, [...path, 'not']);
    else if (node.field === 'segment')
      found.push({ name: (node as SegmentCondition).value, path: bracketPath([...path, 'value']) });
  };
  walk(definition, []);
  return found;
}

/** Whether a definition filters on a Salesforce field (`crm.…`): such a segment is of kind `crm`. */
export function usesCrmFields(definition: Definition): boolean {
  if ('all' in definition) return definition.all.some(usesCrmFields);
  if ('any' in definition) return definition.any.some(usesCrmFields);
  if ('not' in definition) return usesCrmFields(definition.not);
  return definition.field.startsWith('crm.');
}
