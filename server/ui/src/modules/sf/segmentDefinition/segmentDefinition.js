/**
 * The segment builder's model of a definition (the filter language of
 * server/src/domain/segments/definition.ts, whose fields and operators sf/vocabulary copies).
 * The builder edits a tree of groups and condition drafts whose values are the inputs' text;
 * `toDefinition` turns it into the JSON the API takes, with a map from each condition's bracket
 * path (`all[2].any[1]`) back to its node, so an `invalid_segment` error can point at the
 * condition. `fromDefinition` reads a saved definition back into a tree, and `describeDefinition`
 * says one in words for the segment page. The service validates: nothing here second-guesses it.
 */
import {
  ACCOUNT_FIELDS,
  ACTIVITY_TYPES,
  CRM_FIELD_PATTERN,
  ENGAGEMENT_GRADES,
  FIT_BANDS,
  OPS_BY_KIND,
  ORDERED_VALUES,
  SCORE_FIELDS,
} from 'sf/vocabulary';
import { typeLabel } from 'sf/format';

export const FIELD_LABELS = Object.freeze({
  name: 'Name',
  domain: 'Domain',
  industry: 'Industry',
  employees: 'Employees',
  annual_revenue: 'Annual revenue',
  country: 'Country',
  naics: 'NAICS code',
  technologies: 'Technologies',
  created_at: 'Created',
  profile_fit: 'Profile fit',
  profile_score: 'Profile score',
  intent_score: 'Intent score',
  buying_stage: 'Buying stage',
  reach: 'Reach',
  qualified: 'Qualified',
  qualified_since: 'Qualified since',
  activity: 'Activity',
  keyword_researched: 'Keyword researched',
  opportunity: 'Opportunity',
  person: 'Person (contact or lead)',
  segment: 'Segment',
  crm: 'CRM field',
});

export const OP_LABELS = Object.freeze({
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  not_in: 'is none of',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  between: 'is between',
  contains: 'contains',
  starts_with: 'starts with',
  exists: 'has a value',
  has_any: 'has any of',
  has_all: 'has all of',
  has_none: 'has none of',
});

export const GROUP_LABELS = Object.freeze({
  all: 'All of these',
  any: 'Any of these',
  not: 'None of these',
});

export const OPPORTUNITY_STATUS_LABELS = Object.freeze({
  open: 'open',
  won: 'won',
  any: 'open or closed',
});

/** The field picker's choices, in groups; `crm` stands for a free `crm.<Field>` entry. */
export const FIELD_GROUPS = Object.freeze([
  { label: 'Account', fields: Object.keys(ACCOUNT_FIELDS) },
  { label: 'Scores', fields: Object.keys(SCORE_FIELDS) },
  { label: 'Behaviour', fields: ['activity', 'keyword_researched', 'opportunity', 'person'] },
  { label: 'Other', fields: ['segment', 'crm'] },
]);

const STRUCTURED = new Set(['activity', 'keyword_researched', 'opportunity', 'person', 'segment']);
const CRM_PATTERN = new RegExp(CRM_FIELD_PATTERN);
const MULTI_OPS = new Set(['in', 'not_in', 'has_any', 'has_all', 'has_none']);

/** The kind of a plain field (`text`, `number`, …), `crm` fields being text; null for structured ones. */
export function fieldKind(field) {
  if (Object.prototype.hasOwnProperty.call(ACCOUNT_FIELDS, field)) {
    return ACCOUNT_FIELDS[field];
  }
  if (Object.prototype.hasOwnProperty.call(SCORE_FIELDS, field)) {
    return SCORE_FIELDS[field];
  }
  if (field === 'crm' || field.startsWith('crm.')) {
    return 'text';
  }
  return null;
}

export function isStructured(field) {
  return STRUCTURED.has(field);
}

/** The operators a field takes (the structured fields have their own shapes). */
export function opsOf(field) {
  if (field === 'segment') {
    return ['in', 'not_in'];
  }
  const kind = fieldKind(field);
  return kind ? OPS_BY_KIND[kind] : [];
}

/** The values of an ordered field, lowest first; empty for the others. */
export function orderedValues(field) {
  return ORDERED_VALUES[field] || [];
}

export function fieldLabel(field) {
  if (field.startsWith('crm.')) {
    return `CRM ${field.slice(4)}`;
  }
  return FIELD_LABELS[field] || field;
}

let nextKey = 0;
const newKey = () => `n${(nextKey += 1)}`;

/** A new condition draft on `field` (intent score at least …, by default), its values empty. */
export function newCondition(field = 'intent_score') {
  return withField({ key: newKey(), type: 'condition', op: 'gte' }, field);
}

export function newGroup(op = 'all', children = []) {
  return { key: newKey(), type: 'group', op, children };
}

/** The draft on another field: the operator kept when the field takes it, the values cleared. */
export function withField(draft, field) {
  const ops = opsOf(field);
  const base = {
    key: draft.key,
    type: 'condition',
    field,
    crmName: field === 'crm' ? draft.crmName || '' : undefined,
    op: ops.includes(draft.op) ? draft.op : ops[0],
    value: '',
    value2: '',
    values: [],
  };
  if (field === 'activity') {
    return {
      ...base,
      op: 'gte',
      types: [],
      sources: '',
      keywords: '',
      urlContains: '',
      withinDays: '30',
      atLeast: '1',
    };
  }
  if (field === 'keyword_researched') {
    return { ...base, op: undefined, keywords: '', withinDays: '30' };
  }
  if (field === 'opportunity') {
    return { ...base, op: undefined, status: 'open', relevant: '', withinDays: '' };
  }
  if (field === 'person') {
    return { ...base, op: undefined, personas: '', grades: [], fits: [] };
  }
  return base;
}

/** `a, b ,, c` → `['a', 'b', 'c']`. */
export function splitList(text) {
  return String(text || '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** An input's text as a number; an empty input is absent, anything else goes as typed (the service names it). */
function numberOf(text) {
  const trimmed = String(text ?? '').trim();
  if (trimmed === '') {
    return undefined;
  }
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : trimmed;
}

function scalarOf(kind, text) {
  if (kind === 'number') {
    return numberOf(text);
  }
  if (kind === 'boolean') {
    return text === 'true' ? true : text === 'false' ? false : undefined;
  }
  const trimmed = String(text ?? '').trim();
  return trimmed === '' ? undefined : trimmed;
}

function withoutAbsent(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

const nonEmpty = (list) => (list.length > 0 ? list : undefined);

/** The JSON of one condition draft. */
export function conditionJson(draft) {
  const { field } = draft;
  if (field === 'activity') {
    return withoutAbsent({
      field,
      type: nonEmpty([...draft.types]),
      source: nonEmpty(splitList(draft.sources)),
      keyword: nonEmpty(splitList(draft.keywords)),
      url_contains: draft.urlContains.trim() || undefined,
      within_days: numberOf(draft.withinDays),
      op: 'gte',
      value: numberOf(draft.atLeast),
    });
  }
  if (field === 'keyword_researched') {
    return withoutAbsent({
      field,
      value: splitList(draft.keywords),
      within_days: numberOf(draft.withinDays),
    });
  }
  if (field === 'opportunity') {
    return withoutAbsent({
      field,
      status: draft.status,
      relevant: draft.relevant === 'true' ? true : draft.relevant === 'false' ? false : undefined,
      within_days: numberOf(draft.withinDays),
    });
  }
  if (field === 'person') {
    return withoutAbsent({
      field,
      persona: nonEmpty(splitList(draft.personas)),
      engagement_grade: nonEmpty([...draft.grades]),
      profile_fit: nonEmpty([...draft.fits]),
    });
  }
  if (field === 'segment') {
    return withoutAbsent({ field, op: draft.op, value: scalarOf('text', draft.value) });
  }
  const name = field === 'crm' ? `crm.${draft.crmName.trim()}` : field;
  const kind = fieldKind(field);
  const { op } = draft;
  if (op === 'exists') {
    return { field: name, op };
  }
  let value;
  if (op === 'between') {
    value = [scalarOf(kind, draft.value), scalarOf(kind, draft.value2)];
    if (value.every((v) => v === undefined)) {
      value = undefined;
    }
  } else if (MULTI_OPS.has(op)) {
    value =
      kind === 'ordered'
        ? nonEmpty([...draft.values])
        : nonEmpty(splitList(draft.value).map((part) => scalarOf(kind, part)));
  } else {
    value = scalarOf(kind, draft.value);
  }
  return withoutAbsent({ field: name, op, value });
}

/**
 * The definition of a builder tree (its root is a group), or null while it holds no condition;
 * `paths` maps each emitted node's bracket path ('' for the root) to its key. Empty nested groups
 * are left out (the language refuses an empty group); a `not` group of several holds them in `all`.
 */
export function toDefinition(root) {
  const paths = new Map();
  const emit = (node, path) => {
    if (node.type === 'condition') {
      paths.set(path, node.key);
      return conditionJson(node);
    }
    const at = (suffix) => (path ? `${path}.${suffix}` : suffix);
    const live = node.children.filter((child) => hasCondition(child));
    if (live.length === 0) {
      return null;
    }
    paths.set(path, node.key);
    if (node.op === 'not') {
      if (live.length === 1) {
        return { not: emit(live[0], at('not')) };
      }
      return { not: { all: live.map((child, i) => emit(child, at(`not.all[${i}]`))) } };
    }
    return { [node.op]: live.map((child, i) => emit(child, at(`${node.op}[${i}]`))) };
  };
  const definition = emit(root, '');
  return { definition, paths };
}

/**
 * Whether a condition still lacks what it needs (a value, a window): the preview waits for it
 * rather than answer with an error while the user is still typing. Saving sends it as it is.
 */
export function isIncomplete(draft) {
  const json = conditionJson(draft);
  if (draft.field === 'activity') {
    return json.within_days === undefined || json.value === undefined;
  }
  if (draft.field === 'keyword_researched') {
    return json.value.length === 0 || json.within_days === undefined;
  }
  if (draft.field === 'opportunity' || draft.field === 'person') {
    return false;
  }
  if (draft.field === 'crm' && !draft.crmName.trim()) {
    return true;
  }
  if (json.op === 'exists') {
    return false;
  }
  return json.value === undefined || (Array.isArray(json.value) && json.value.includes(undefined));
}

function hasCondition(node) {
  return node.type === 'condition' || node.children.some(hasCondition);
}

/**
 * The key of the node an error path points at: the path itself or the nearest enclosing node
 * (`all[2].value` → the condition at `all[2]`).
 */
export function keyAtPath(paths, path) {
  let current = path || '';
  for (;;) {
    if (paths.has(current)) {
      return paths.get(current);
    }
    if (current === '') {
      return null;
    }
    const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
    current = cut <= 0 ? '' : current.slice(0, cut);
  }
}

const text = (value) => (value === undefined || value === null ? '' : String(value));
const joined = (list) => (Array.isArray(list) ? list.join(', ') : '');

function draftOf(condition) {
  const { field } = condition;
  if (field === 'activity') {
    return {
      ...withField({ key: newKey() }, 'activity'),
      types: [...(condition.type || [])],
      sources: joined(condition.source),
      keywords: joined(condition.keyword),
      urlContains: text(condition.url_contains),
      withinDays: text(condition.within_days),
      atLeast: text(condition.value),
    };
  }
  if (field === 'keyword_researched') {
    return {
      ...withField({ key: newKey() }, field),
      keywords: joined(condition.value),
      withinDays: text(condition.within_days),
    };
  }
  if (field === 'opportunity') {
    return {
      ...withField({ key: newKey() }, field),
      status: condition.status,
      relevant: condition.relevant === undefined ? '' : String(condition.relevant),
      withinDays: text(condition.within_days),
    };
  }
  if (field === 'person') {
    return {
      ...withField({ key: newKey() }, field),
      personas: joined(condition.persona),
      grades: [...(condition.engagement_grade || [])],
      fits: [...(condition.profile_fit || [])],
    };
  }
  const isCrm = CRM_PATTERN.test(field);
  const draft = withField({ key: newKey(), op: condition.op }, isCrm ? 'crm' : field);
  if (isCrm) {
    draft.crmName = field.slice(4);
  }
  const kind = fieldKind(draft.field);
  const { value } = condition;
  if (condition.op === 'between' && Array.isArray(value)) {
    return { ...draft, value: text(value[0]), value2: text(value[1]) };
  }
  if (Array.isArray(value)) {
    return kind === 'ordered' ? { ...draft, values: [...value] } : { ...draft, value: value.join(', ') };
  }
  return { ...draft, value: text(value) };
}

/** A saved definition as a builder tree (a root that is not a group is put in an `all`). */
export function fromDefinition(definition) {
  const read = (node) => {
    if (node.all) {
      return newGroup('all', node.all.map(read));
    }
    if (node.any) {
      return newGroup('any', node.any.map(read));
    }
    if (node.not) {
      // `not` of an `all` is how toDefinition writes a `not` group of several.
      const inner = node.not.all ? node.not.all : [node.not];
      return newGroup('not', inner.map(read));
    }
    return draftOf(node);
  };
  if (!definition) {
    return newGroup('all', []);
  }
  const root = read(definition);
  return root.type === 'group' ? root : newGroup('all', [root]);
}

const list = (values) => (values || []).join(', ');
const days = (n) => (n === 1 ? 'the last day' : `the last ${n} days`);

/** One condition in words. */
export function describeCondition(condition) {
  const { field } = condition;
  if (field === 'activity') {
    const parts = [`At least ${condition.value} ${condition.value === 1 ? 'activity' : 'activities'}`];
    if (condition.type) {
      parts.push(`of type ${condition.type.map(typeLabel).join(', ')}`);
    }
    if (condition.source) {
      parts.push(`from ${list(condition.source)}`);
    }
    if (condition.keyword) {
      parts.push(`on ${list(condition.keyword)}`);
    }
    if (condition.url_contains) {
      parts.push(`on pages containing "${condition.url_contains}"`);
    }
    parts.push(`in ${days(condition.within_days)}`);
    return parts.join(' ');
  }
  if (field === 'keyword_researched') {
    return `Researched ${list(condition.value)} in ${days(condition.within_days)}`;
  }
  if (field === 'opportunity') {
    const relevant =
      condition.relevant === true ? ' relevant' : condition.relevant === false ? ' non-relevant' : '';
    const within = condition.within_days ? ` in ${days(condition.within_days)}` : '';
    return `Has an ${OPPORTUNITY_STATUS_LABELS[condition.status]}${relevant} opportunity${within}`;
  }
  if (field === 'person') {
    const parts = [];
    if (condition.persona) {
      parts.push(`persona ${list(condition.persona)}`);
    }
    if (condition.engagement_grade) {
      parts.push(`engagement grade ${list(condition.engagement_grade)}`);
    }
    if (condition.profile_fit) {
      parts.push(`profile fit ${list(condition.profile_fit)}`);
    }
    return `Has a person${parts.length ? ` with ${parts.join(' and ')}` : ''}`;
  }
  if (field === 'segment') {
    return `${condition.op === 'in' ? 'In' : 'Not in'} segment "${condition.value}"`;
  }
  const label = fieldLabel(field);
  const op = OP_LABELS[condition.op] || condition.op;
  if (condition.op === 'exists') {
    return `${label} ${op}`;
  }
  const { value } = condition;
  if (condition.op === 'between' && Array.isArray(value)) {
    return `${label} ${op} ${value[0]} and ${value[1]}`;
  }
  if (Array.isArray(value)) {
    return `${label} ${op} ${value.join(', ')}`;
  }
  if (typeof value === 'boolean') {
    return `${label} ${op} ${value ? 'yes' : 'no'}`;
  }
  return `${label} ${op} ${value}`;
}

/** A definition as indented lines `{ key, depth, text }`, groups heading their members. */
export function describeDefinition(definition) {
  const lines = [];
  const walk = (node, depth, path) => {
    const group = ['all', 'any', 'not'].find((key) => node && key in node);
    if (!group) {
      lines.push({ key: path || 'root', depth, text: describeCondition(node) });
      return;
    }
    lines.push({ key: path || 'root', depth, text: `${GROUP_LABELS[group]}:` });
    const children = group === 'not' ? [node.not] : node[group];
    children.forEach((child, i) => walk(child, depth + 1, `${path}.${group}[${i}]`));
  };
  if (definition) {
    walk(definition, 0, '');
  }
  return lines;
}

/** Whether a definition filters on a CRM field (then the segment is of kind `crm`). */
export function usesCrmFields(definition) {
  if (!definition || typeof definition !== 'object') {
    return false;
  }
  if (Array.isArray(definition)) {
    return definition.some(usesCrmFields);
  }
  if (typeof definition.field === 'string') {
    return CRM_PATTERN.test(definition.field);
  }
  return ['all', 'any', 'not'].some((key) => usesCrmFields(definition[key]));
}

/** Choices of the pickers of structured conditions. */
export const ACTIVITY_TYPE_OPTIONS = Object.freeze(
  ACTIVITY_TYPES.map((type) => ({ value: type, label: typeLabel(type) })),
);
export const GRADE_OPTIONS = ENGAGEMENT_GRADES;
export const FIT_OPTIONS = FIT_BANDS;
