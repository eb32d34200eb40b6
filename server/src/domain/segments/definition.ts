import { z } from 'zod';
import { ACTIVITY_TYPES } from '../canonical';
import { BUYING_STAGES, ENGAGEMENT_GRADES, FIT_BANDS, REACH_LEVELS } from '../vocabulary';

/**
 * The segment filter language (docs/segments.md): one JSON shape for the API, the CLI and the
 * app. A definition is a tree of groups — `{ all: [...] }`, `{ any: [...] }`, `{ not: node }` —
 * over conditions `{ field, op, value }` and a few structured conditions (activity, keyword
 * research, opportunity, person, segment reference). This file says what is well formed and
 * names the first problem by its JSON path in bracket form (`all[2].any[1].value`); what a
 * definition means is domain/segments/evaluate.ts (in TypeScript) and
 * services/segments/compileSql.ts (in SQL), which must agree.
 */

/** How a plain field's values compare. */
export const FIELD_KINDS = ['text', 'number', 'date', 'ordered', 'boolean', 'list'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/** The plain fields of an account and of its scores in the run, with their kinds. */
export const ACCOUNT_FIELDS = {
  name: 'text',
  domain: 'text',
  industry: 'text',
  employees: 'number',
  annual_revenue: 'number',
  country: 'text',
  naics: 'text',
  technologies: 'list',
  created_at: 'date',
} as const satisfies Record<string, FieldKind>;

export const SCORE_FIELDS = {
  profile_fit: 'ordered',
  profile_score: 'number',
  intent_score: 'number',
  buying_stage: 'ordered',
  reach: 'ordered',
  qualified: 'boolean',
  qualified_since: 'date',
} as const satisfies Record<string, FieldKind>;

export type AccountField = keyof typeof ACCOUNT_FIELDS;
export type ScoreField = keyof typeof SCORE_FIELDS;
/** `crm.<Salesforce field API name>`: an account field the Salesforce sync keeps (CRM segments). */
export type CrmField = `crm.${string}`;
export type PlainField = AccountField | ScoreField | CrmField;

/**
 * The values of the ordered fields, lowest first: `gt`, `between` and the like follow this order
 * (Weak < Moderate < Strong; Target < … < Purchase; Low < Medium < High).
 */
export const ORDERED_VALUES: Record<'profile_fit' | 'buying_stage' | 'reach', readonly string[]> = {
  profile_fit: [...FIT_BANDS].reverse(),
  buying_stage: BUYING_STAGES,
  reach: REACH_LEVELS,
};

export const CRM_FIELD_PATTERN = /^crm\.[A-Za-z][A-Za-z0-9_.]*$/;

export const OPS_BY_KIND: Record<FieldKind, readonly string[]> = {
  text: ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'exists'],
  number: ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  date: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  ordered: ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  boolean: ['eq', 'neq', 'exists'],
  list: ['has_any', 'has_all', 'has_none', 'exists'],
};
export const OPS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'contains',
  'starts_with',
  'exists',
  'has_any',
  'has_all',
  'has_none',
] as const;
export type Op = (typeof OPS)[number];

/** The structured conditions, by their `field`. */
export const STRUCTURED_FIELDS = [
  'activity',
  'keyword_researched',
  'opportunity',
  'person',
  'segment',
] as const;

export interface FieldCondition {
  field: PlainField;
  op: Op;
  /** Absent for `exists`; an array for in / not_in / between / has_*; otherwise one value. */
  value?: string | number | boolean | (string | number)[];
}
export interface ActivityCondition {
  field: 'activity';
  type?: string[];
  source?: string[];
  keyword?: string[];
  url_contains?: string;
  within_days: number;
  op: 'gte';
  value: number;
}
export interface KeywordResearchedCondition {
  field: 'keyword_researched';
  value: string[];
  within_days: number;
}
export interface OpportunityCondition {
  field: 'opportunity';
  status: 'open' | 'won' | 'any';
  relevant?: boolean;
  within_days?: number;
}
export interface PersonCondition {
  field: 'person';
  persona?: string[];
  engagement_grade?: string[];
  profile_fit?: string[];
}
export interface SegmentCondition {
  field: 'segment';
  op: 'in' | 'not_in';
  value: string;
}
export type Condition =
  | FieldCondition
  | ActivityCondition
  | KeywordResearchedCondition
  | OpportunityCondition
  | PersonCondition
  | SegmentCondition;
export type Definition = { all: Definition[] } | { any: Definition[] } | { not: Definition } | Condition;

/** A problem with a definition: where (bracket path, '' for the root) and what. */
export interface DefinitionIssue {
  path: string;
  message: string;
}

export type ParseResult = { ok: true; definition: Definition } | { ok: false; issue: DefinitionIssue };

/** The most nodes one definition may hold, and how deep groups may nest: a guard, not a style rule. */
export const MAX_NODES = 500;
export const MAX_DEPTH = 20;
const MAX_WINDOW_DAYS = 3650;

const text = z.string().min(1).max(1000);
const texts = z.array(text).min(1).max(10_000);
const numberValue = z.number().finite();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'an ISO 8601 date');
const withinDays = z.number().int().min(1).max(MAX_WINDOW_DAYS);

function scalarSchema(field: string, kind: FieldKind): z.ZodType {
  if (kind === 'number') return numberValue;
  if (kind === 'date') return isoDate.refine((v) => !Number.isNaN(Date.parse(v)), 'a real date');
  if (kind === 'boolean') return z.boolean();
  if (kind === 'ordered') {
    const values = ORDERED_VALUES[field as keyof typeof ORDERED_VALUES];
    return z.enum(values as [string, ...string[]]);
  }
  // CRM values are kept as Salesforce sends them; a number compares as a number.
  if (field.startsWith('crm.')) return z.union([text, numberValue, z.boolean()]);
  return text;
}

function valueSchema(field: string, kind: FieldKind, op: Op): z.ZodType | null {
  if (op === 'exists') return null;
  if (kind === 'list') return texts;
  const scalar = scalarSchema(field, kind);
  if (op === 'in' || op === 'not_in') return z.array(scalar).min(1).max(10_000);
  if (op === 'between') return z.tuple([scalar, scalar]);
  return scalar;
}

const activitySchema = z
  .object({
    field: z.literal('activity'),
    type: z
      .array(z.enum(ACTIVITY_TYPES as [string, ...string[]]))
      .min(1)
      .optional(),
    source: texts.optional(),
    keyword: texts.optional(),
    url_contains: text.optional(),
    within_days: withinDays,
    op: z.literal('gte'),
    value: z.number().int().min(1),
  })
  .strict();
const keywordResearchedSchema = z
  .object({ field: z.literal('keyword_researched'), value: texts, within_days: withinDays })
  .strict();
const opportunitySchema = z
  .object({
    field: z.literal('opportunity'),
    status: z.enum(['open', 'won', 'any']),
    relevant: z.boolean().optional(),
    within_days: withinDays.optional(),
  })
  .strict();
const personSchema = z
  .object({
    field: z.literal('person'),
    persona: texts.optional(),
    engagement_grade: z.array(z.enum(ENGAGEMENT_GRADES)).min(1).optional(),
    profile_fit: z.array(z.enum(FIT_BANDS)).min(1).optional(),
  })
  .strict();
const segmentSchema = z
  .object({ field: z.literal('segment'), op: z.enum(['in', 'not_in']), value: text })
  .strict();

const STRUCTURED_SCHEMAS: Record<(typeof STRUCTURED_FIELDS)[number], z.ZodType> = {
  activity: activitySchema,
  keyword_researched: keywordResearchedSchema,
  opportunity: opportunitySchema,
  person: personSchema,
  segment: segmentSchema,
};

/** The kind of a plain field, or null when the language has no such field. */
export function fieldKind(field: string): FieldKind | null {
  if (Object.hasOwn(ACCOUNT_FIELDS, field)) return ACCOUNT_FIELDS[field as AccountField];
  if (Object.hasOwn(SCORE_FIELDS, field)) return SCORE_FIELDS[field as ScoreField];
  if (CRM_FIELD_PATTERN.test(field)) return 'text';
  return null;
}

/** `['all', 2, 'any', 1, 'value']` → `all[2].any[1].value`. */
export function bracketPath(path: readonly (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class DefinitionError extends Error {
  constructor(readonly issue: DefinitionIssue) {
    super(issue.message);
  }
}

function fail(path: (string | number)[], message: string): never {
  const where = bracketPath(path);
  throw new DefinitionError({ path: where, message: `${where || 'definition'}: ${message}` });
}

function parseZod(schema: z.ZodType, value: unknown, path: (string | number)[]): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const at = [...path, ...(first?.path ?? []).map((p) => (typeof p === 'symbol' ? String(p) : p))];
  if (first?.code === 'unrecognized_keys')
    return fail(path, `unknown key ${first.keys.map((k) => `"${k}"`).join(', ')}`);
  return fail(at, first?.message ?? 'invalid');
}

function parseCondition(node: Record<string, unknown>, path: (string | number)[]): Condition {
  const field = node.field;
  if (typeof field !== 'string') return fail([...path, 'field'], 'a condition needs a "field" (a string)');
  if ((STRUCTURED_FIELDS as readonly string[]).includes(field)) {
    return parseZod(STRUCTURED_SCHEMAS[field as (typeof STRUCTURED_FIELDS)[number]], node, path) as Condition;
  }
  const kind = fieldKind(field);
  if (!kind) return fail(path, `unknown field "${field}"`);
  for (const key of Object.keys(node)) {
    if (!['field', 'op', 'value'].includes(key))
      return fail(path, `unknown key "${key}" in a condition on ${field}`);
  }
  const op = node.op;
  if (typeof op !== 'string' || !OPS_BY_KIND[kind].includes(op)) {
    return fail(
      path,
      `"${String(op)}" is not an operator of ${field}; use one of ${OPS_BY_KIND[kind].join(', ')}`,
    );
  }
  const schema = valueSchema(field, kind, op as Op);
  if (!schema) {
    if (node.value !== undefined) return fail([...path, 'value'], 'exists takes no value');
    return { field: field as PlainField, op: op as Op };
  }
  if (node.value === undefined) return fail([...path, 'value'], `${op} needs a value`);
  const value = parseZod(schema, node.value, [...path, 'value']) as FieldCondition['value'];
  return { field: field as PlainField, op: op as Op, value };
}

function parseNode(
  node: unknown,
  path: (string | number)[],
  depth: number,
  count: { nodes: number },
): Definition {
  if (++count.nodes > MAX_NODES)
    return fail(path, `a definition holds at most ${MAX_NODES} conditions and groups`);
  if (depth > MAX_DEPTH) return fail(path, `groups nest at most ${MAX_DEPTH} deep`);
  if (!isObject(node))
    return fail(path, 'expected an object: a group ({"all"|"any": [...]} or {"not": ...}) or a condition');
  const groupKeys = ['all', 'any', 'not'].filter((key) => key in node);
  if (groupKeys.length > 0) {
    const key = groupKeys[0] as 'all' | 'any' | 'not';
    if (Object.keys(node).length > 1)
      return fail(path, `a group has exactly one key ("${key}"), found ${Object.keys(node).join(', ')}`);
    if (key === 'not') return { not: parseNode(node.not, [...path, 'not'], depth + 1, count) };
    const children = node[key];
    if (!Array.isArray(children) || children.length === 0)
      return fail([...path, key], `"${key}" takes a non-empty array`);
    const parsed = children.map((child, i) => parseNode(child, [...path, key, i], depth + 1, count));
    return key === 'all' ? { all: parsed } : { any: parsed };
  }
  return parseCondition(node, path);
}

/** Checks a definition, returning it typed or the first problem with its path. */
export function parseDefinition(input: unknown): ParseResult {
  try {
    return { ok: true, definition: parseNode(input, [], 0, { nodes: 0 }) };
  } catch (error) {
    if (error instanceof DefinitionError) return { ok: false, issue: error.issue };
    throw error;
  }
}

/** The segment names a definition refers to (for cycle checks and dependants). */
export function referencedSegments(definition: Definition): string[] {
  const names = new Set<string>();
  const walk = (node: Definition) => {
    if ('all' in node) node.all.forEach(walk);
    else if ('any' in node) node.any.forEach(walk);
    else if ('not' in node) walk(node.not);
    else if (node.field === 'segment') names.add((node as SegmentCondition).value);
  };
  walk(definition);
  return [...names];
}

/**
 * Whether the references form a cycle, given each segment's references (by lower-cased name):
 * returns the cycle as names (`a → b → a`) or null.
 */
export function findCycle(start: string, referencesOf: (name: string) => readonly string[]): string[] | null {
  const key = (name: string) => name.toLowerCase();
  const path: string[] = [];
  const onPath = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string): string[] | null => {
    if (onPath.has(key(name))) return [...path.slice(path.findIndex((p) => key(p) === key(name))), name];
    if (done.has(key(name))) return null;
    path.push(name);
    onPath.add(key(name));
    for (const next of referencesOf(name)) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(key(name));
    done.add(key(name));
    return null;
  };
  return visit(start);
}

/** Segment kinds: built from filters, uploaded as a list, or filtered on CRM fields. */
export const SEGMENT_KINDS = ['filter', 'list', 'crm'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/** Alert events (docs/segments.md, "Alerts"). */
export const ALERT_EVENTS = ['became_qualified', 'stage_advanced', 'entered_segment'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];
export const ALERT_DELIVERIES = ['immediate', 'daily'] as const;
export type AlertDelivery = (typeof ALERT_DELIVERIES)[number];
