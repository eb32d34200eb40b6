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
} from '../../domain/segments/definition';
import {
  DECIMAL_TEXT_SQL,
  SegmentCycleError,
  UnknownSegmentError,
  dateInterval,
  orderOp,
  runDayMs,
  type DateInterval,
} from '../../domain/segments/evaluate';
import { DAY_MS, type RelevantOpportunityRule } from '../../domain/scoring/opportunities';

/**
 * A segment definition as one SQL predicate over an account `a` (accounts) left-joined to its
 * scores `s` in the run (account_scores; all null when the run has not scored it). The meaning
 * is domain/segments/evaluate.ts's, word for word (the store tests compare both on random
 * definitions); every value travels as a parameter.
 *
 * Under a `not`, each condition is made two-valued (`coalesce(…, false)`), so `NOT` is the exact
 * complement within the store's accounts: SQL's null would otherwise drop an empty field from
 * both `x` and `not x`. Elsewhere a null is false already (WHERE, FILTER). So the predicate may
 * be null, never true, where the meaning is false: use it only where null counts as false.
 * Conditions on other tables are EXISTS / counted subqueries on their account index.
 */

/** Where a statement's parameters go: `add(value)` returns its placeholder (`$n`). */
export interface ParamSink {
  add(value: unknown): string;
}

/** Collects the parameters of a statement. */
export class SqlParams implements ParamSink {
  readonly values: unknown[] = [];
  constructor(initial: readonly unknown[] = []) {
    this.values.push(...initial);
  }
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A saved segment as a reference to it compiles. */
export interface CompiledSegmentRef {
  id: number;
  name: string;
  kind: SegmentKind;
  definition: Definition | null;
}

/**
 * Per-account tallies gathered by one pass over the activities (in the widest window) and one
 * over the run's people, for recording many segments in one statement: each activity or person
 * condition becomes a column of `act` / `ppl` instead of one index probe per account and
 * condition. The statement joins `act` and `ppl` (see tallySql) to the accounts by id.
 */
export class BatchTallies {
  readonly activityColumns: string[] = [];
  readonly personColumns: string[] = [];
  readonly opportunityColumns: string[] = [];
  earliestMs: number | null = null;

  /** `count(*) FILTER (WHERE condition)` over activities `x`; returns the column. */
  activity(condition: string, startMs: number): string {
    this.earliestMs = this.earliestMs === null ? startMs : Math.min(this.earliestMs, startMs);
    this.activityColumns.push(`count(*) FILTER (WHERE ${condition}) AS c${this.activityColumns.length}`);
    return `act.c${this.activityColumns.length - 1}`;
  }

  /** `bool_or(condition)` over the opportunities `o` created before T; returns the column. */
  opportunity(condition: string): string {
    this.opportunityColumns.push(`bool_or(${condition}) AS o${this.opportunityColumns.length}`);
    return `opp.o${this.opportunityColumns.length - 1}`;
  }

  /** `bool_or(condition)` over the run's people `p`; returns the column. */
  person(condition: string): string {
    this.personColumns.push(`bool_or(${condition}) AS p${this.personColumns.length}`);
    return `ppl.p${this.personColumns.length - 1}`;
  }
}

/**
 * The CTEs (`act`, `ppl`, `opp`) and joins of a statement whose predicates were compiled with `tallies`;
 * empty when no condition needed them.
 */
export function tallySql(
  tallies: BatchTallies,
  params: ParamSink,
  runParam: string,
  asOf: string,
): { ctes: string[]; joins: string } {
  const ctes: string[] = [];
  const joins: string[] = [];
  if (tallies.activityColumns.length > 0 && tallies.earliestMs !== null) {
    const from = timestampParam(params, tallies.earliestMs);
    const to = timestampParam(params, runDayMs(asOf));
    ctes.push(`act AS (SELECT x.account_id, ${tallies.activityColumns.join(', ')} FROM activities x
       WHERE x.occurred_at >= ${from} AND x.occurred_at < ${to} GROUP BY x.account_id)`);
    joins.push('LEFT JOIN act ON act.account_id = a.id');
  }
  if (tallies.personColumns.length > 0) {
    ctes.push(`ppl AS (SELECT p.account_id, ${tallies.personColumns.join(', ')}
       FROM contact_scores p WHERE p.run_id = ${runParam} GROUP BY p.account_id)`);
    joins.push('LEFT JOIN ppl ON ppl.account_id = a.id');
  }
  if (tallies.opportunityColumns.length > 0) {
    const to = timestampParam(params, runDayMs(asOf));
    ctes.push(`opp AS (SELECT o.account_id, ${tallies.opportunityColumns.join(', ')}
       FROM opportunities o WHERE o.created_at < ${to} GROUP BY o.account_id)`);
    joins.push('LEFT JOIN opp ON opp.account_id = a.id');
  }
  return { ctes, joins: joins.join(' ') };
}

export interface CompileContext {
  params: ParamSink;
  /** The run whose scores `s` are, as a parameter placeholder (for person conditions). */
  runParam: string;
  /** The run's day (YYYY-MM-DD). */
  asOf: string;
  relevantRule: RelevantOpportunityRule;
  /** Saved segments by lower-cased name. */
  catalog: ReadonlyMap<string, CompiledSegmentRef>;
  /** Set when recording many segments at once: activity and person conditions read tallies. */
  tallies?: BatchTallies;
}

const lower = (text: string) => text.toLowerCase();

const YEAR_ONE_MS = Date.parse('0001-01-01T00:00:00Z');

/**
 * A timestamptz parameter from ms since the epoch, in ISO 8601 with `Z`: exact whatever the
 * session's time zone, and bound as a constant (compared per row without any arithmetic). Before
 * year 1, which PostgreSQL does not have, it is -infinity: no stored time is that early either.
 */
function timestampParam(params: ParamSink, ms: number): string {
  const text = ms < YEAR_ONE_MS ? '-infinity' : new Date(ms).toISOString();
  return `${params.add(text)}::timestamptz`;
}

/** The predicate of a definition (two-valued: true or false, never null). */
export function compileDefinition(definition: Definition, ctx: CompileContext): string {
  return new Compiler(ctx).node(definition);
}

/**
 * The predicate of a saved segment: a list segment's members are its uploaded accounts (that are
 * in the store), narrowed by its definition when it has one; others are their definition.
 */
export function compileSegment(segment: CompiledSegmentRef, ctx: CompileContext): string {
  return new Compiler(ctx).segment(segment);
}

class Compiler {
  private readonly resolving = new Set<string>();
  private readonly tMs: number;

  constructor(private readonly ctx: CompileContext) {
    this.tMs = runDayMs(ctx.asOf);
  }

  private add(value: unknown): string {
    return this.ctx.params.add(value);
  }

  segment(segment: CompiledSegmentRef, underNot = false): string {
    const key = lower(segment.name);
    if (this.resolving.has(key)) throw new SegmentCycleError(segment.name);
    this.resolving.add(key);
    const parts: string[] = [];
    if (segment.kind === 'list') {
      parts.push(
        `EXISTS (SELECT 1 FROM segment_list_members l WHERE l.segment_id = ${this.add(segment.id)}::bigint AND l.account_id = a.id)`,
      );
    }
    if (segment.definition) parts.push(this.node(segment.definition, underNot));
    this.resolving.delete(key);
    if (parts.length === 0) return 'false';
    return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`;
  }

  /**
   * `underNot`: inside a `not`, where a null must read as false (two-valued). Elsewhere a null
   * already acts as false in WHERE and FILTER, and leaving the condition strict lets PostgreSQL
   * turn the left join of the scores into an inner one and filter on them first.
   */
  node(node: Definition, underNot = false): string {
    if ('all' in node) return `(${node.all.map((child) => this.node(child, underNot)).join(' AND ')})`;
    if ('any' in node) return `(${node.any.map((child) => this.node(child, underNot)).join(' OR ')})`;
    if ('not' in node) return `(NOT ${this.node(node.not, true)})`;
    switch (node.field) {
      case 'activity':
        return this.activity(node as ActivityCondition);
      case 'keyword_researched':
        return this.keywordResearched(node as KeywordResearchedCondition);
      case 'opportunity':
        return this.opportunity(node as OpportunityCondition);
      case 'person':
        return this.person(node as PersonCondition);
      case 'segment': {
        const c = node as SegmentCondition;
        const saved = this.ctx.catalog.get(lower(c.value));
        if (!saved) throw new UnknownSegmentError(c.value);
        const inner = this.segment(saved, underNot || c.op === 'not_in');
        return c.op === 'in' ? inner : `(NOT ${inner})`;
      }
      default: {
        const condition = this.field(node as FieldCondition);
        return underNot ? `coalesce(${condition}, false)` : condition;
      }
    }
  }

  /** `occurred_at >= T − N days AND occurred_at < T` on `column`. */
  private window(column: string, days: number | undefined): string {
    const before = `${column} < ${timestampParam(this.ctx.params, this.tMs)}`;
    if (days === undefined) return before;
    return `${column} >= ${timestampParam(this.ctx.params, this.tMs - days * DAY_MS)} AND ${before}`;
  }

  private lowerList(values: readonly string[]): string {
    return `${this.add(values.map(lower))}::text[]`;
  }

  private activity(c: ActivityCondition): string {
    const where = [this.window('x.occurred_at', c.within_days)];
    if (c.type) where.push(`lower(x.type) = ANY(${this.lowerList(c.type)})`);
    if (c.source) where.push(`lower(x.source) = ANY(${this.lowerList(c.source)})`);
    if (c.keyword) where.push(`lower(x.keyword) = ANY(${this.lowerList(c.keyword)})`);
    if (c.url_contains !== undefined)
      where.push(`strpos(lower(x.url), ${this.add(lower(c.url_contains))}) > 0`);
    const k = this.add(c.value);
    const tallies = this.ctx.tallies;
    if (tallies) {
      const column = tallies.activity(where.join(' AND '), this.tMs - c.within_days * DAY_MS);
      return `(coalesce(${column}, 0) >= ${k}::int)`;
    }
    // Counting stops at the threshold: an account with many activities costs no more than K rows.
    return `((SELECT count(*) FROM (SELECT 1 FROM activities x WHERE x.account_id = a.id AND ${where.join(' AND ')} LIMIT ${k}::int) n) >= ${k}::int)`;
  }

  private keywordResearched(c: KeywordResearchedCondition): string {
    const condition = `${this.window('x.occurred_at', c.within_days)}
       AND x.type = 'keyword_research' AND lower(x.keyword) = ANY(${this.lowerList(c.value)})`;
    const tallies = this.ctx.tallies;
    if (tallies) {
      return `(coalesce(${tallies.activity(condition, this.tMs - c.within_days * DAY_MS)}, 0) > 0)`;
    }
    return `EXISTS (SELECT 1 FROM activities x WHERE x.account_id = a.id AND ${condition})`;
  }

  private opportunity(c: OpportunityCondition): string {
    const t = timestampParam(this.ctx.params, this.tMs);
    const where = ['o.account_id = a.id', `o.created_at < ${t}`];
    if (c.status === 'open') where.push(`(o.closed_at IS NULL OR o.closed_at >= ${t})`);
    if (c.status === 'won') where.push(`o.is_won AND o.closed_at < ${t}`);
    if (c.relevant !== undefined) {
      const rule = this.ctx.relevantRule;
      const relevant = `coalesce(o.relevant, coalesce(lower(o.type) = ANY(${this.lowerList(rule.types)}), false)
        AND coalesce(o.amount > ${this.add(rule.minimumAmount)}::numeric, false))`;
      where.push(c.relevant ? relevant : `NOT ${relevant}`);
    }
    if (c.within_days !== undefined) {
      where.push(this.window(c.status === 'won' ? 'o.closed_at' : 'o.created_at', c.within_days));
    }
    const tallies = this.ctx.tallies;
    if (tallies) return `coalesce(${tallies.opportunity(where.slice(1).join(' AND '))}, false)`;
    return `EXISTS (SELECT 1 FROM opportunities o WHERE ${where.join(' AND ')})`;
  }

  private person(c: PersonCondition): string {
    // One account's people are reached through its contacts (contacts_account_idx) and the scores'
    // primary key, as contact_scores has no index by account; so a contact deleted or moved since
    // the run no longer counts here (the run's recorded membership, tallied from contact_scores
    // alone, still counts it as the run saw it).
    const where = [
      'ct.account_id = a.id',
      `p.run_id = ${this.ctx.runParam}`,
      'p.contact_id = ct.id',
      'p.account_id = a.id',
    ];
    if (c.persona) where.push(`lower(p.persona) = ANY(${this.lowerList(c.persona)})`);
    if (c.engagement_grade) where.push(`p.engagement_grade = ANY(${this.add(c.engagement_grade)}::text[])`);
    if (c.profile_fit) where.push(`p.profile_fit = ANY(${this.add(c.profile_fit)}::text[])`);
    const tallies = this.ctx.tallies;
    if (tallies) return `coalesce(${tallies.person(['true', ...where.slice(4)].join(' AND '))}, false)`;
    return `EXISTS (SELECT 1 FROM contacts ct JOIN contact_scores p ON p.contact_id = ct.id WHERE ${where.join(' AND ')})`;
  }

  /** A plain field's condition; may be null on a null field (coalesced under a `not`). */
  private field(c: FieldCondition): string {
    if (c.field.startsWith('crm.')) return this.crm(c);
    const kind = fieldKind(c.field);
    const column = COLUMNS[c.field as keyof typeof COLUMNS];
    if (kind === 'list') return this.list(c, column);
    if (c.op === 'exists') return `${column} IS NOT NULL`;
    switch (kind) {
      case 'text':
        return this.text(c, `lower(${column})`);
      case 'number':
        return this.ordered(c.op, column, c.value as never, (v) => `${this.add(v)}::numeric`, 'numeric');
      case 'ordered':
        return this.orderedValues(c, column);
      case 'boolean':
        return `${column} ${c.op === 'eq' ? '=' : '<>'} ${this.add(c.value)}::boolean`;
      case 'date':
        return this.date(c, column);
      default:
        return 'false';
    }
  }

  private text(c: FieldCondition, lowered: string): string {
    const values = (Array.isArray(c.value) ? c.value : [c.value]).map((v) => lower(String(v)));
    const first = values[0] as string;
    switch (c.op) {
      case 'eq':
        return `${lowered} = ${this.add(first)}`;
      case 'neq':
        return `${lowered} <> ${this.add(first)}`;
      case 'in':
        return `${lowered} = ANY(${this.add(values)}::text[])`;
      case 'not_in':
        return `NOT (${lowered} = ANY(${this.add(values)}::text[]))`;
      case 'contains':
        return `strpos(${lowered}, ${this.add(first)}) > 0`;
      case 'starts_with':
        return `starts_with(${lowered}, ${this.add(first)})`;
      default:
        return 'false';
    }
  }

  private ordered(
    op: string,
    column: string,
    operand: string | number | (string | number)[],
    param: (v: string | number) => string,
    arrayType: string,
  ): string {
    const list = Array.isArray(operand) ? operand : [operand];
    const first = list[0] as string | number;
    switch (op) {
      case 'eq':
        return `${column} = ${param(first)}`;
      case 'neq':
        return `${column} <> ${param(first)}`;
      case 'in':
        return `${column} = ANY(${this.add(list)}::${arrayType}[])`;
      case 'not_in':
        return `NOT (${column} = ANY(${this.add(list)}::${arrayType}[]))`;
      case 'gt':
        return `${column} > ${param(first)}`;
      case 'gte':
        return `${column} >= ${param(first)}`;
      case 'lt':
        return `${column} < ${param(first)}`;
      case 'lte':
        return `${column} <= ${param(first)}`;
      case 'between':
        return `${column} BETWEEN ${param(first)} AND ${param(list[1] as string | number)}`;
      default:
        return 'false';
    }
  }

  /** Ordered vocabularies: every operator becomes "one of these values", chosen by rank here. */
  private orderedValues(c: FieldCondition, column: string): string {
    const order = ORDERED_VALUES[c.field as keyof typeof ORDERED_VALUES];
    const keep = order.filter((_, rank) =>
      orderOp(c.op, rank, c.value as string | string[], (v) => order.indexOf(String(v))),
    );
    return `${column} = ANY(${this.add(keep)}::text[])`;
  }

  private date(c: FieldCondition, column: string): string {
    const at = (ms: number) => timestampParam(this.ctx.params, ms);
    if (c.op === 'between') {
      const [low, high] = (c.value as string[]).map(dateInterval) as [DateInterval, DateInterval];
      return `(${column} >= ${at(low.startMs)} AND ${column} < ${at(high.endMs)})`;
    }
    const { startMs, endMs } = dateInterval(c.value as string);
    switch (c.op) {
      case 'eq':
        return `(${column} >= ${at(startMs)} AND ${column} < ${at(endMs)})`;
      case 'neq':
        return `(${column} < ${at(startMs)} OR ${column} >= ${at(endMs)})`;
      case 'gt':
        return `${column} >= ${at(endMs)}`;
      case 'gte':
        return `${column} >= ${at(startMs)}`;
      case 'lt':
        return `${column} < ${at(startMs)}`;
      case 'lte':
        return `${column} < ${at(endMs)}`;
      default:
        return 'false';
    }
  }

  private list(c: FieldCondition, column: string): string {
    if (c.op === 'exists') return `cardinality(${column}) > 0`;
    const wanted = `${this.add([...new Set((c.value as string[]).map(lower))])}::text[]`;
    // The list lower-cased as a whole: its text form keeps quotes, commas and braces as they are.
    const lowered = `lower(${column}::text)::text[]`;
    if (c.op === 'has_any') return `(${lowered} && ${wanted})`;
    if (c.op === 'has_none') return `NOT (${lowered} && ${wanted})`;
    if (c.op === 'has_all') return `(${lowered} @> ${wanted})`;
    return 'false';
  }

  /**
   * `crm.<Field>`: the value of the account's field_values under the key. Numbers in eq / neq /
   * in / not_in compare numerically with a JSON number or a decimal text; anything else as text.
   */
  private crm(c: FieldCondition): string {
    const key = this.add(c.field.slice(4));
    const json = `c.field_values -> ${key}`;
    const text = `lower(c.field_values ->> ${key})`;
    const number = `(CASE WHEN jsonb_typeof(${json}) = 'number' THEN (c.field_values ->> ${key})::numeric
      WHEN jsonb_typeof(${json}) = 'string' AND (c.field_values ->> ${key}) ~ '${DECIMAL_TEXT_SQL}'
      THEN (c.field_values ->> ${key})::numeric END)`;
    const equals = (v: string | number | boolean) =>
      typeof v === 'number'
        ? `coalesce(${number} = ${this.add(v)}::numeric, false)`
        : `coalesce(${text} = ${this.add(lower(String(v)))}, false)`;
    const operands = (Array.isArray(c.value) ? c.value : [c.value]) as (string | number | boolean)[];
    let condition: string;
    switch (c.op) {
      case 'exists':
        condition = `jsonb_typeof(${json}) <> 'null'`;
        break;
      case 'eq':
        condition = equals(operands[0] as string);
        break;
      case 'neq':
        condition = `NOT ${equals(operands[0] as string)}`;
        break;
      case 'in':
        condition = `(${operands.map(equals).join(' OR ')})`;
        break;
      case 'not_in':
        condition = `NOT (${operands.map(equals).join(' OR ')})`;
        break;
      case 'contains':
        condition = `strpos(${text}, ${this.add(lower(String(operands[0])))}) > 0`;
        break;
      case 'starts_with':
        condition = `starts_with(${text}, ${this.add(lower(String(operands[0])))})`;
        break;
      default:
        condition = 'false';
    }
    // Every operator needs a value: no row, no key or a JSON null never matches.
    return `EXISTS (SELECT 1 FROM account_crm_fields c WHERE c.account_id = a.id
      AND jsonb_typeof(${json}) <> 'null' AND ${condition})`;
  }
}

/** The SQL of each plain field (account columns on `a`, the run's scores on `s`). */
const COLUMNS = {
  name: 'a.name',
  domain: 'a.domain',
  industry: 'a.industry',
  employees: 'a.employees',
  annual_revenue: 'a.annual_revenue',
  country: 'a.country',
  naics: 'a.naics',
  technologies: 'a.technologies',
  created_at: 'a.created_at',
  profile_fit: 's.profile_fit',
  profile_score: 's.profile_score',
  intent_score: 's.intent_score',
  buying_stage: 's.buying_stage',
  reach: 's.reach',
  qualified: 's.qualified',
  // A day stands for its 00:00 UTC, whatever the session's time zone.
  qualified_since: "(s.qualified_since::timestamp AT TIME ZONE 'UTC')",
} as const;
