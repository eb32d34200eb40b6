import { DAY_MS, isRelevantOpportunity, type RelevantOpportunityRule } from '../scoring/opportunities';
import {
  ORDERED_VALUES,
  fieldKind,
  type ActivityCondition,
  type Definition,
  type FieldCondition,
  type KeywordResearchedCondition,
  type OpportunityCondition,
  type PersonCondition,
  type SegmentCondition,
  type SegmentKind,
} from './definition';

/**
 * What a segment definition means, in plain TypeScript over plain rows (docs/segments.md,
 * "Meanings"). services/segments/compileSql.ts says the same in SQL; the store tests check, for
 * random definitions, that both give the same members.
 *
 * Everything is as of the run's day T (00:00 UTC): a fact dated on or after T never counts.
 *
 * - Groups: `all` = ⋂ of its parts, `any` = ⋃, `not x` = A ∖ x where A is every account of the
 *   store (scored by the run or not). So an account whose field is empty is in `not (field eq x)`.
 * - Plain fields (account columns, the run's scores, `crm.<Field>`): a null value (or an account
 *   the run has not scored, for score fields) satisfies no operator but `exists`'s negation:
 *   `eq`, `neq`, `in`, `not_in`, `gt`… are all false on null. `exists` = not null (a list: not
 *   empty).
 * - Text (`name`, `domain`, `industry`, `country`, `naics`): compared lower-cased, so `eq`, `neq`,
 *   `in`, `not_in`, `contains` (substring) and `starts_with` (prefix) ignore case.
 * - Numbers (`employees`, `annual_revenue`, `profile_score`, `intent_score`): numeric order;
 *   `between [lo, hi]` = lo ≤ x ≤ hi.
 * - Ordered (`profile_fit`, `buying_stage`, `reach`): by rank in ORDERED_VALUES (Weak < Moderate <
 *   Strong, Target < … < Purchase, Low < Medium < High); `between` by rank, inclusive.
 * - Dates (`created_at`, a timestamp; `qualified_since`, a day): each value stands for an interval
 *   [start, end): a day `YYYY-MM-DD` for [d 00:00 UTC, d + 1 day), a timestamp for the one
 *   millisecond it names (no offset means UTC). Then eq: start ≤ x < end; gt: x ≥ end; gte:
 *   x ≥ start; lt: x < start; lte: x < end; between [lo, hi]: lo.start ≤ x < hi.end. A day of
 *   `qualified_since` is its 00:00 UTC.
 * - `qualified`: eq / neq true or false.
 * - `technologies` (a list): has_any = some listed value is in it, has_all = every one is,
 *   has_none = none is (an empty list has none); compared lower-cased.
 * - `crm.<Field>`: the account's `field_values[Field]` as the last sync landed it (no row or a JSON
 *   null is null). A number value in eq / neq / in / not_in compares numerically with a field value
 *   that is a number or a decimal text (`-12.5`), and fails on other text; other values compare as
 *   lower-cased text (a boolean value as `true` / `false`, a number field as its decimal text).
 * - `activity`: the account's activities with T − N days ≤ occurred_at < T (N = within_days), of
 *   one of `type` (if given), `source`, `keyword` (lower-cased), whose url contains `url_contains`
 *   (lower-cased); a member has at least `value` of them.
 * - `keyword_researched`: at least one `keyword_research` activity in the same window whose
 *   keyword is one of `value` (lower-cased).
 * - `opportunity`: at least one of the account's opportunities that is `open` (created < T and not
 *   closed before T: closed_at null or ≥ T), `won` (is_won and closed_at < T) or `any` (created
 *   < T); `relevant: true | false` keeps those that are (are not) relevant — the `relevant` column,
 *   else the configured rule (type among the rule's types, amount above its minimum); `within_days:
 *   N` keeps those whose created_at (closed_at for `won`) is in [T − N days, T).
 * - `person`: at least one contact or lead of the account scored in the run whose persona
 *   (lower-cased), engagement grade and profile fit are each among the given lists (a list not
 *   given does not restrict).
 * - `segment in S` = the members of S in the same run (a list segment: its uploaded accounts that
 *   are in the store, narrowed by its definition if it has one; otherwise S's definition, evaluated
 *   here recursively); `not_in` is the complement within A.
 */

export interface SegmentAccountRow {
  id: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  annualRevenue: number | null;
  country: string | null;
  naics: string | null;
  technologies: readonly string[];
  /** created_at in ms since the epoch. */
  createdMs: number | null;
}

/** An account's scores in the run (absent from the map: not scored, every score null). */
export interface SegmentScoreRow {
  profileFit: string | null;
  profileScore: number | null;
  intentScore: number | null;
  buyingStage: string | null;
  reach: string | null;
  qualified: boolean;
  /** The day it became qualified, as YYYY-MM-DD. */
  qualifiedSince: string | null;
}

export interface SegmentActivityRow {
  accountId: string;
  occurredMs: number;
  type: string;
  source: string | null;
  keyword: string | null;
  url: string | null;
}

export interface SegmentOpportunityRow {
  accountId: string;
  createdMs: number;
  closedMs: number | null;
  isWon: boolean | null;
  relevant: boolean | null;
  type: string | null;
  amount: number | null;
}

/** A contact or lead as scored in the run. */
export interface SegmentPersonRow {
  accountId: string;
  persona: string | null;
  engagementGrade: string;
  profileFit: string | null;
}

/** The rows one run's membership is evaluated over. */
export interface SegmentMarket {
  accounts: readonly SegmentAccountRow[];
  scores: ReadonlyMap<string, SegmentScoreRow>;
  activities: readonly SegmentActivityRow[];
  opportunities: readonly SegmentOpportunityRow[];
  people: readonly SegmentPersonRow[];
  /** account_crm_fields.field_values by account id. */
  crmFields: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  relevantRule: RelevantOpportunityRule;
}

/** A saved segment, as a reference to it needs it. */
export interface SavedSegment {
  name: string;
  kind: SegmentKind;
  definition: Definition | null;
  /** The uploaded accounts of a list segment. */
  listMembers: readonly string[];
}

/** Saved segments by lower-cased name (names are unique whatever their case). */
export type SegmentCatalog = ReadonlyMap<string, SavedSegment>;

/** A definition refers to a segment the catalogue does not hold. */
export class UnknownSegmentError extends Error {
  constructor(readonly segmentName: string) {
    super(`no segment is named "${segmentName}"`);
  }
}

/** A segment's definition reaches itself through references (the segment service refuses these). */
export class SegmentCycleError extends Error {
  constructor(readonly segmentName: string) {
    super(`segment "${segmentName}" refers to itself through its references`);
  }
}

/** The interval [startMs, endMs) a date value stands for (see the file comment). */
export interface DateInterval {
  startMs: number;
  endMs: number;
}

export function dateInterval(value: string): DateInterval {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const zoned = day || /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const startMs = Date.parse(zoned);
  if (Number.isNaN(startMs)) throw new Error(`not a date: ${value}`);
  return { startMs, endMs: startMs + (day ? DAY_MS : 1) };
}

/** The run day T as ms: 00:00 UTC of `asOf` (YYYY-MM-DD). */
export function runDayMs(asOf: string): number {
  return Date.parse(`${asOf}T00:00:00Z`);
}

/** A decimal text a CRM number condition accepts (the SQL uses the same pattern). */
export const DECIMAL_TEXT = /^-?[0-9]+(\.[0-9]+)?$/;
export const DECIMAL_TEXT_SQL = '^-?[0-9]+(\\.[0-9]+)?$';

/** A CRM field's value as text (null for none), as PostgreSQL's `->>` gives it. */
function crmText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function crmNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && DECIMAL_TEXT.test(value)) return Number(value);
  return null;
}

const lower = (text: string) => text.toLowerCase();

interface Indexed {
  byId: ReadonlyMap<string, SegmentAccountRow>;
  activities: ReadonlyMap<string, SegmentActivityRow[]>;
  opportunities: ReadonlyMap<string, SegmentOpportunityRow[]>;
  people: ReadonlyMap<string, SegmentPersonRow[]>;
}

function groupBy<T extends { accountId: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.accountId);
    if (list) list.push(row);
    else map.set(row.accountId, [row]);
  }
  return map;
}

class Evaluator {
  private readonly tMs: number;
  private readonly index: Indexed;
  private readonly segmentSets = new Map<string, ReadonlySet<string>>();
  private readonly resolving = new Set<string>();

  constructor(
    private readonly market: SegmentMarket,
    asOf: string,
    private readonly catalog: SegmentCatalog,
  ) {
    this.tMs = runDayMs(asOf);
    this.index = {
      byId: new Map(market.accounts.map((a) => [a.id, a])),
      activities: groupBy(market.activities),
      opportunities: groupBy(market.opportunities),
      people: groupBy(market.people),
    };
  }

  members(definition: Definition): Set<string> {
    return new Set(this.market.accounts.filter((a) => this.matches(definition, a)).map((a) => a.id));
  }

  savedMembers(segment: SavedSegment): ReadonlySet<string> {
    const key = lower(segment.name);
    const known = this.segmentSets.get(key);
    if (known) return known;
    if (this.resolving.has(key)) throw new SegmentCycleError(segment.name);
    this.resolving.add(key);
    let members: Set<string>;
    if (segment.kind === 'list') {
      const listed = segment.listMembers.filter((id) => this.index.byId.has(id));
      const definition = segment.definition;
      members = new Set(
        definition ? listed.filter((id) => this.matches(definition, this.index.byId.get(id)!)) : listed,
      );
    } else {
      members = segment.definition ? this.members(segment.definition) : new Set();
    }
    this.resolving.delete(key);
    this.segmentSets.set(key, members);
    return members;
  }

  matches(node: Definition, account: SegmentAccountRow): boolean {
    if ('all' in node) return node.all.every((child) => this.matches(child, account));
    if ('any' in node) return node.any.some((child) => this.matches(child, account));
    if ('not' in node) return !this.matches(node.not, account);
    switch (node.field) {
      case 'activity':
        return this.activity(node as ActivityCondition, account.id);
      case 'keyword_researched':
        return this.keywordResearched(node as KeywordResearchedCondition, account.id);
      case 'opportunity':
        return this.opportunity(node as OpportunityCondition, account.id);
      case 'person':
        return this.person(node as PersonCondition, account.id);
      case 'segment':
        return this.segment(node as SegmentCondition, account.id);
      default:
        return this.field(node as FieldCondition, account);
    }
  }

  private inWindow(ms: number, days: number | undefined): boolean {
    if (ms >= this.tMs) return false;
    return days === undefined || ms >= this.tMs - days * DAY_MS;
  }

  private activity(c: ActivityCondition, accountId: string): boolean {
    const types = c.type?.map(lower);
    const sources = c.source?.map(lower);
    const keywords = c.keyword?.map(lower);
    const url = c.url_contains === undefined ? undefined : lower(c.url_contains);
    let count = 0;
    for (const a of this.index.activities.get(accountId) ?? []) {
      if (!this.inWindow(a.occurredMs, c.within_days)) continue;
      if (types && !types.includes(lower(a.type))) continue;
      if (sources && (a.source === null || !sources.includes(lower(a.source)))) continue;
      if (keywords && (a.keyword === null || !keywords.includes(lower(a.keyword)))) continue;
      if (url !== undefined && (a.url === null || !lower(a.url).includes(url))) continue;
      if (++count >= c.value) return true;
    }
    return false;
  }

  private keywordResearched(c: KeywordResearchedCondition, accountId: string): boolean {
    const keywords = c.value.map(lower);
    return (this.index.activities.get(accountId) ?? []).some(
      (a) =>
        a.type === 'keyword_research' &&
        a.keyword !== null &&
        keywords.includes(lower(a.keyword)) &&
        this.inWindow(a.occurredMs, c.within_days),
    );
  }

  private opportunity(c: OpportunityCondition, accountId: string): boolean {
    const t = this.tMs;
    return (this.index.opportunities.get(accountId) ?? []).some((o) => {
      if (o.createdMs >= t) return false;
      const closedBeforeT = o.closedMs !== null && o.closedMs < t;
      if (c.status === 'open' && closedBeforeT) return false;
      if (c.status === 'won' && !(closedBeforeT && o.isWon === true)) return false;
      if (c.relevant !== undefined && isRelevantOpportunity(o, this.market.relevantRule) !== c.relevant)
        return false;
      if (c.within_days === undefined) return true;
      const dated = c.status === 'won' ? (o.closedMs as number) : o.createdMs;
      return this.inWindow(dated, c.within_days);
    });
  }

  private person(c: PersonCondition, accountId: string): boolean {
    const personas = c.persona?.map(lower);
    return (this.index.people.get(accountId) ?? []).some(
      (p) =>
        (!personas || (p.persona !== null && personas.includes(lower(p.persona)))) &&
        (!c.engagement_grade || c.engagement_grade.includes(p.engagementGrade as never)) &&
        (!c.profile_fit || (p.profileFit !== null && c.profile_fit.includes(p.profileFit as never))),
    );
  }

  private segment(c: SegmentCondition, accountId: string): boolean {
    const saved = this.catalog.get(lower(c.value));
    if (!saved) throw new UnknownSegmentError(c.value);
    const isMember = this.savedMembers(saved).has(accountId);
    return c.op === 'in' ? isMember : !isMember;
  }

  private field(c: FieldCondition, account: SegmentAccountRow): boolean {
    const value = this.fieldValue(c.field, account);
    const kind = fieldKind(c.field);
    if (c.op === 'exists') return kind === 'list' ? (value as string[]).length > 0 : value !== null;
    if (kind === 'list') return listOp(c, value as readonly string[]);
    if (value === null) return false;
    if (c.field.startsWith('crm.')) return crmOp(c, value);
    switch (kind) {
      case 'text':
        return textOp(c.op, lower(value as string), c.value);
      case 'number':
        return orderOp(c.op, value as number, c.value as never, (v) => Number(v));
      case 'ordered': {
        const order = ORDERED_VALUES[c.field as keyof typeof ORDERED_VALUES];
        return orderOp(c.op, order.indexOf(value as string), c.value as never, (v) =>
          order.indexOf(String(v)),
        );
      }
      case 'boolean':
        return c.op === 'eq' ? value === c.value : value !== c.value;
      case 'date':
        return dateOp(c.op, value as number, c.value as string | string[]);
      default:
        return false;
    }
  }

  /** The field's value: text, number, ms (dates), boolean, list, or the raw CRM value; null when none. */
  private fieldValue(field: string, account: SegmentAccountRow): unknown {
    if (field.startsWith('crm.')) {
      const values = this.market.crmFields.get(account.id);
      const raw = values && Object.hasOwn(values, field.slice(4)) ? values[field.slice(4)] : null;
      return raw === undefined ? null : raw;
    }
    const score = this.market.scores.get(account.id);
    switch (field) {
      case 'name':
        return account.name;
      case 'domain':
        return account.domain;
      case 'industry':
        return account.industry;
      case 'country':
        return account.country;
      case 'naics':
        return account.naics;
      case 'employees':
        return account.employees;
      case 'annual_revenue':
        return account.annualRevenue;
      case 'technologies':
        return account.technologies;
      case 'created_at':
        return account.createdMs;
      case 'profile_fit':
        return score?.profileFit ?? null;
      case 'profile_score':
        return score?.profileScore ?? null;
      case 'intent_score':
        return score?.intentScore ?? null;
      case 'buying_stage':
        return score?.buyingStage ?? null;
      case 'reach':
        return score?.reach ?? null;
      case 'qualified':
        return score ? score.qualified : null;
      case 'qualified_since':
        return score?.qualifiedSince ? runDayMs(score.qualifiedSince) : null;
      default:
        throw new Error(`unknown field ${field}`);
    }
  }
}

function textOp(op: string, value: string, operand: FieldCondition['value']): boolean {
  const list = (Array.isArray(operand) ? operand : [operand]).map((v) => lower(String(v)));
  switch (op) {
    case 'eq':
      return value === list[0];
    case 'neq':
      return value !== list[0];
    case 'in':
      return list.includes(value);
    case 'not_in':
      return !list.includes(value);
    case 'contains':
      return value.includes(list[0] as string);
    case 'starts_with':
      return value.startsWith(list[0] as string);
    default:
      return false;
  }
}

/**
 * Whether a value's rank passes an ordered or numeric comparison (eq, neq, in, not_in, gt, gte,
 * lt, lte, between) against the operand, ranked by `rank`. The SQL compiler uses it too, to pick
 * the ordered values a condition keeps.
 */
export function orderOp(
  op: string,
  value: number,
  operand: string | number | (string | number)[],
  rank: (v: string | number) => number,
): boolean {
  const list = (Array.isArray(operand) ? operand : [operand]).map(rank);
  const [first, second] = list as [number, number];
  switch (op) {
    case 'eq':
      return value === first;
    case 'neq':
      return value !== first;
    case 'in':
      return list.includes(value);
    case 'not_in':
      return !list.includes(value);
    case 'gt':
      return value > first;
    case 'gte':
      return value >= first;
    case 'lt':
      return value < first;
    case 'lte':
      return value <= first;
    case 'between':
      return value >= first && value <= second;
    default:
      return false;
  }
}

function dateOp(op: string, ms: number, operand: string | string[]): boolean {
  if (op === 'between') {
    const [low, high] = (operand as string[]).map(dateInterval) as [DateInterval, DateInterval];
    return ms >= low.startMs && ms < high.endMs;
  }
  const { startMs, endMs } = dateInterval(operand as string);
  switch (op) {
    case 'eq':
      return ms >= startMs && ms < endMs;
    case 'neq':
      return ms < startMs || ms >= endMs;
    case 'gt':
      return ms >= endMs;
    case 'gte':
      return ms >= startMs;
    case 'lt':
      return ms < startMs;
    case 'lte':
      return ms < endMs;
    default:
      return false;
  }
}

function listOp(c: FieldCondition, list: readonly string[]): boolean {
  const have = new Set(list.map(lower));
  const wanted = (c.value as string[]).map(lower);
  if (c.op === 'has_any') return wanted.some((v) => have.has(v));
  if (c.op === 'has_all') return wanted.every((v) => have.has(v));
  if (c.op === 'has_none') return !wanted.some((v) => have.has(v));
  return false;
}

/** One CRM operand against the field's raw value: numbers numerically, anything else as lower-cased text. */
function crmEquals(raw: unknown, operand: string | number | boolean): boolean {
  if (typeof operand === 'number') return crmNumber(raw) === operand;
  const text = crmText(raw);
  return text !== null && lower(text) === lower(String(operand));
}

function crmOp(c: FieldCondition, raw: unknown): boolean {
  const operands = (Array.isArray(c.value) ? c.value : [c.value]) as (string | number | boolean)[];
  const text = lower(crmText(raw) as string);
  switch (c.op) {
    case 'eq':
      return crmEquals(raw, operands[0]!);
    case 'neq':
      return !crmEquals(raw, operands[0]!);
    case 'in':
      return operands.some((v) => crmEquals(raw, v));
    case 'not_in':
      return !operands.some((v) => crmEquals(raw, v));
    case 'contains':
      return text.includes(lower(String(operands[0])));
    case 'starts_with':
      return text.startsWith(lower(String(operands[0])));
    default:
      return false;
  }
}

/** The accounts of `market` a definition selects as of `asOf` (YYYY-MM-DD), sorted by id. */
export function evaluateDefinition(
  definition: Definition,
  market: SegmentMarket,
  asOf: string,
  catalog: SegmentCatalog = new Map(),
): string[] {
  return [...new Evaluator(market, asOf, catalog).members(definition)].sort(compareIds);
}

/** The members of a saved segment (a list segment: its list ∩ its definition), sorted by id. */
export function evaluateSegment(
  segment: SavedSegment,
  market: SegmentMarket,
  asOf: string,
  catalog: SegmentCatalog = new Map(),
): string[] {
  return [...new Evaluator(market, asOf, catalog).savedMembers(segment)].sort(compareIds);
}

/** Ids in byte order, as PostgreSQL's `ORDER BY id COLLATE "C"` sorts them. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
