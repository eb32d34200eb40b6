import {
  parseDefinition,
  type Definition,
  type SegmentCondition,
  type SegmentKind,
} from '../../domain/segments/definition';
import { SegmentCycleError, UnknownSegmentError } from '../../domain/segments/evaluate';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import { loadScoringSettings } from '../scoring/settings';
import {
  type BatchTallies,
  compileDefinition,
  compileSegment,
  type CompileContext,
  type CompiledSegmentRef,
  type ParamSink,
} from './compileSql';

/** A saved segment as membership needs it. */
export interface SegmentRecord extends CompiledSegmentRef {
  version: number;
  published: boolean;
  /** The stored JSON, recorded beside each run's members. */
  rawDefinition: unknown;
}

/** A run to evaluate against: its id and day. */
export interface RunDay {
  id: number;
  asOf: string;
}

export interface SegmentCatalog {
  segments: SegmentRecord[];
  byName: ReadonlyMap<string, SegmentRecord>;
  /** Segments left out because their stored definition does not parse (lenient loads only). */
  broken: { id: number; name: string; message: string }[];
}

/**
 * Every saved segment with its definition checked. A stored definition that no longer parses
 * (it was checked when saved) is a bug or a hand edit: it is named, not silently skipped — except
 * by `lenient` loads (a score run, an import, the account view), which leave that one segment out
 * and list it in `broken`, so one bad segment cannot stop scoring or hide an account.
 */
export async function loadSegmentCatalog(
  db: Db,
  options: { lenient?: boolean } = {},
): Promise<SegmentCatalog> {
  const rows = await db.query<{
    id: string;
    name: string;
    kind: SegmentKind;
    definition: unknown;
    version: number;
    published: boolean;
  }>('SELECT id, name, kind, definition, version, published FROM segments ORDER BY id');
  const broken: SegmentCatalog['broken'] = [];
  const segments = rows.flatMap((row): SegmentRecord[] => {
    let definition: Definition | null = null;
    if (row.definition !== null && row.definition !== undefined) {
      const parsed = parseDefinition(row.definition);
      if (!parsed.ok && options.lenient) {
        broken.push({ id: Number(row.id), name: row.name, message: parsed.issue.message });
        return [];
      }
      if (!parsed.ok) {
        throw new AppError(
          'invalid_segment',
          `segment "${row.name}" has a stored definition that is not valid: ${parsed.issue.message}`,
          {
            path: parsed.issue.path,
          },
        );
      }
      definition = parsed.definition;
    }
    return [
      {
        id: Number(row.id),
        name: row.name,
        kind: row.kind,
        definition,
        version: row.version,
        published: row.published,
        rawDefinition: row.definition ?? null,
      },
    ];
  });
  return { segments, byName: new Map(segments.map((s) => [s.name.toLowerCase(), s])), broken };
}

/** A run by id (complete or still being written: a score run records membership before it completes). */
export async function runById(db: Db, runId: number): Promise<RunDay> {
  const [row] = await db.query<{ id: string; as_of: string }>(
    `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM score_runs WHERE id = $1`,
    [runId],
  );
  if (!row) throw new AppError('not_found', `no score run ${runId}`);
  return { id: Number(row.id), asOf: row.as_of };
}

/** The bracket path of the first reference in `definition` to a segment named `name`. */
function referencePath(definition: Definition, name: string, path = ''): string | null {
  if ('all' in definition || 'any' in definition) {
    const key = 'all' in definition ? 'all' : 'any';
    const children = 'all' in definition ? definition.all : (definition as { any: Definition[] }).any;
    for (const [i, child] of children.entries()) {
      const found = referencePath(child, name, `${path ? `${path}.` : ''}${key}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if ('not' in definition) return referencePath(definition.not, name, path ? `${path}.not` : 'not');
  const condition = definition as SegmentCondition;
  return condition.field === 'segment' && condition.value.toLowerCase() === name.toLowerCase() ? path : null;
}

/** A compile or evaluation refusal as the API's error (400 invalid_segment, with the path when known). */
export function asSegmentError(error: unknown, definition: Definition | null): unknown {
  if (error instanceof UnknownSegmentError) {
    const path = definition ? (referencePath(definition, error.segmentName) ?? '') : '';
    return new AppError(
      'invalid_segment',
      `${path || 'definition'}: refers to segment "${error.segmentName}", which does not exist`,
      { path },
    );
  }
  if (error instanceof SegmentCycleError) {
    return new AppError(
      'invalid_segment',
      `the definition refers to itself through segment "${error.segmentName}": a segment cannot contain itself`,
      { path: '' },
    );
  }
  return error;
}

export interface PredicateContext {
  params: ParamSink;
  runParam: string;
  run: RunDay;
  catalog: SegmentCatalog;
  relevantRule: CompileContext['relevantRule'];
  tallies?: BatchTallies;
}

export async function predicateContext(
  db: Db,
  params: ParamSink,
  runParam: string,
  run: RunDay,
  catalog?: SegmentCatalog,
): Promise<PredicateContext> {
  const settings = await loadScoringSettings(db);
  return {
    params,
    runParam,
    run,
    catalog: catalog ?? (await loadSegmentCatalog(db)),
    relevantRule: settings.relevantRule,
  };
}

function compileContext(ctx: PredicateContext): CompileContext {
  return {
    params: ctx.params,
    runParam: ctx.runParam,
    asOf: ctx.run.asOf,
    relevantRule: ctx.relevantRule,
    catalog: ctx.catalog.byName,
    tallies: ctx.tallies,
  };
}

/** The SQL predicate (over `a` and `s`) of a saved segment; refusals as invalid_segment. */
export function segmentPredicate(segment: CompiledSegmentRef, ctx: PredicateContext): string {
  try {
    return compileSegment(segment, compileContext(ctx));
  } catch (error) {
    throw asSegmentError(error, segment.definition);
  }
}

/** The SQL predicate of an unsaved definition; refusals as invalid_segment. */
export function definitionPredicate(definition: Definition, ctx: PredicateContext): string {
  try {
    return compileDefinition(definition, compileContext(ctx));
  } catch (error) {
    throw asSegmentError(error, definition);
  }
}
