import { parseDefinition, type Definition, type SegmentKind } from '../../domain/segments/definition';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import {
  ACCOUNT_LIST_COLUMNS,
  toAccountListRow,
  type AccountListDbRow,
  type AccountListRow,
} from '../accounts/listAccounts';
import { findRun } from '../scoring/currentRun';
import {
  definitionPredicate,
  loadSegmentCatalog,
  predicateContext,
  runById,
  segmentPredicate,
  type RunDay,
  type SegmentCatalog,
  type SegmentRecord,
} from './catalog';
import { BatchTallies, SqlParams, tallySql } from './compileSql';
import type { SegmentScope } from './scope';

/**
 * Segment membership (docs/segments.md, "Membership"): evaluated in SQL against a score run.
 * Every complete run records the members of every segment (segment_run_members: one sorted
 * array per segment and run, with the version and definition evaluated), so "who was in it then"
 * can be read back; the segment service records the current run again after each change, so a
 * new or changed segment has members at once. Reads take the recorded row of the current run
 * when its version is the segment's; otherwise they evaluate the segment live.
 */

/** One member as GET /api/accounts lists it. */
export type AccountListItem = AccountListRow;

export interface PreviewProps {
  kind?: SegmentKind;
  /** The filter language's JSON (checked here: a bad one is refused with `invalid_segment`). */
  definition: unknown;
  /** The segment being edited: a list segment previews its own list members. */
  segmentId?: number;
}

export interface PreviewResult {
  runId: number | null;
  asOf: string | null;
  count: number;
  /** The first 50 members, highest intent first. */
  members: AccountListItem[];
}

export interface SegmentMembersResult {
  runId: number | null;
  asOf: string | null;
  /** Sorted account ids. */
  accountIds: string[];
  /** True when the run had no recorded row for the segment and the current definition was evaluated. */
  evaluatedLive: boolean;
}

export interface AccountSegment {
  id: number;
  name: string;
  published: boolean;
}

const PREVIEW_MEMBERS = 50;
/** Segments recorded by one statement (one scan of the accounts evaluates them all). */
const RECORD_BATCH = 50;

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function checkedDefinition(input: unknown, kind: SegmentKind): Definition | null {
  if ((input === null || input === undefined) && kind === 'list') return null;
  const parsed = parseDefinition(input);
  if (!parsed.ok) throw new AppError('invalid_segment', parsed.issue.message, { path: parsed.issue.path });
  return parsed.definition;
}

/**
 * A live count and the first 50 members (highest intent first) of a definition being built,
 * against the current complete run; nothing is stored. A list segment's preview is its uploaded
 * list narrowed by the definition (no list yet: no members).
 */
export async function previewSegment(db: Db, props: PreviewProps): Promise<PreviewResult> {
  const kind = props.kind ?? 'filter';
  const definition = checkedDefinition(props.definition, kind);
  const run = await findRun(db);
  const catalog = await loadSegmentCatalog(db);
  const edited =
    props.segmentId === undefined ? undefined : catalog.segments.find((s) => s.id === props.segmentId);
  if (props.segmentId !== undefined && !edited)
    throw new AppError('not_found', `no segment ${props.segmentId}`);
  // The segment being edited is evaluated as it would become, so a reference back to it is a cycle.
  const draft: SegmentRecord = {
    id: edited?.id ?? 0,
    name: edited?.name ?? '',
    kind,
    definition,
    version: 0,
    published: false,
    rawDefinition: null,
  };
  const draftCatalog: SegmentCatalog = edited
    ? {
        segments: catalog.segments.map((s) => (s.id === edited.id ? draft : s)),
        byName: new Map([...catalog.byName].map(([key, s]) => [key, s.id === edited.id ? draft : s])),
        broken: catalog.broken,
      }
    : catalog;
  const day: RunDay = run ?? { id: 0, asOf: today() };
  const scope: SegmentScope = {
    kind: 'live',
    async predicate(params, runParam) {
      const ctx = await predicateContext(db, params, runParam, day, draftCatalog);
      if (kind === 'list') return edited ? segmentPredicate(draft, ctx) : 'false';
      return definitionPredicate(definition as Definition, ctx);
    },
  };
  // One query for the count and the first members (the list's order for intent, highest first:
  // scored accounts, then those the run has not scored, by id).
  const params = new SqlParams();
  const runParam = `${params.add(run?.id ?? null)}::bigint`;
  const predicate = await scope.predicate(params, runParam);
  // The members are found first (as a count would find them), then ordered: asked for the order
  // at once, PostgreSQL sorted a million scores before filtering them.
  const rows = await db.query<AccountListDbRow & { total: number }>(
    `WITH m AS MATERIALIZED (
       SELECT ${ACCOUNT_LIST_COLUMNS}, s.account_id IS NOT NULL AS scored
         FROM accounts a LEFT JOIN account_scores s ON s.run_id = ${runParam} AND s.account_id = a.id
        WHERE ${predicate})
     SELECT m.*, NULL AS sort_key, count(*) OVER ()::int AS total FROM m
      ORDER BY NOT m.scored, coalesce(m.intent_score, -1) DESC, CASE WHEN m.scored THEN m.id END DESC, m.id
      LIMIT ${PREVIEW_MEMBERS}`,
    params.values,
  );
  return {
    runId: run?.id ?? null,
    asOf: run?.asOf ?? null,
    count: rows[0]?.total ?? 0,
    members: rows.map(toAccountListRow),
  };
}

/**
 * The members of each segment in `run`, evaluated by one scan of the accounts per batch, written
 * to segment_run_members (replacing a row of the same run). Returns the member counts by segment id.
 */
async function recordMemberships(
  db: Db,
  segments: readonly SegmentRecord[],
  run: RunDay,
  catalog: SegmentCatalog,
) {
  const counts = new Map<number, number>();
  for (let start = 0; start < segments.length; start += RECORD_BATCH) {
    const batch = segments.slice(start, start + RECORD_BATCH);
    const params = new SqlParams();
    const runParam = params.add(run.id);
    const tallies = new BatchTallies();
    const ctx = { ...(await predicateContext(db, params, `${runParam}::bigint`, run, catalog)), tallies };
    // One segment: its predicate in WHERE, where PostgreSQL can filter on the scores first; several:
    // one scan of the accounts, each segment's members gathered by its own FILTER.
    const only =
      batch.length === 1 ? segmentPredicate(batch[0] as SegmentRecord, { ...ctx, tallies: undefined }) : null;
    const aggregates = only
      ? ['array_agg(a.id ORDER BY a.id COLLATE "C") AS m0']
      : batch.map(
          (segment, i) =>
            `array_agg(a.id ORDER BY a.id COLLATE "C") FILTER (WHERE ${segmentPredicate(segment, ctx)}) AS m${i}`,
        );
    const values = batch.map(
      (segment, i) =>
        `(${params.add(segment.id)}::bigint, ${params.add(segment.version)}::int, ${params.add(
          segment.rawDefinition === null ? null : JSON.stringify(segment.rawDefinition),
        )}::jsonb, coalesce(m.m${i}, '{}'::text[]))`,
    );
    const tally = tallySql(tallies, params, `${runParam}::bigint`, run.asOf);
    // Many subplans make PostgreSQL's estimate huge, so it would JIT-compile the statement: over a
    // second of compiling for a few seconds of work (measured, scripts/bench/RESULTS.md).
    const rows = await db.transaction(async (tx) => {
      const [jit] = await tx.query<{ jit: string }>(
        "SELECT current_setting('jit') AS jit, set_config('jit', 'off', true)",
      );
      const inserted = await tx.query<{ segment_id: string; members: number }>(
        `WITH ${[...tally.ctes, ''].join(',\n')} m AS (
         SELECT ${aggregates.join(',\n')}
           FROM accounts a LEFT JOIN account_scores s ON s.run_id = ${runParam}::bigint AND s.account_id = a.id
           ${tally.joins}
          ${only ? `WHERE ${only}` : ''}
       )
       INSERT INTO segment_run_members (run_id, segment_id, version, definition, members, account_ids)
       SELECT ${runParam}::bigint, v.segment_id, v.version, v.definition, cardinality(v.ids), v.ids
         FROM m CROSS JOIN LATERAL (VALUES ${values.join(', ')}) v (segment_id, version, definition, ids)
       ON CONFLICT (run_id, segment_id) DO UPDATE SET version = EXCLUDED.version,
         definition = EXCLUDED.definition, members = EXCLUDED.members, account_ids = EXCLUDED.account_ids
       RETURNING segment_id, members`,
        params.values,
      );
      await tx.query("SELECT set_config('jit', $1, true)", [jit?.jit ?? 'on']);
      return inserted;
    });
    for (const row of rows) counts.set(Number(row.segment_id), row.members);
  }
  return counts;
}

/**
 * Evaluates a saved segment against a run (default: the current complete run) and records its
 * members; returns how many. With no complete run yet nothing can be recorded: the live count
 * (as of today, no scores) is returned.
 */
export async function recordSegmentMembership(db: Db, segmentId: number, runId?: number): Promise<number> {
  const catalog = await loadSegmentCatalog(db);
  const segment = catalog.segments.find((s) => s.id === segmentId);
  if (!segment) throw new AppError('not_found', `no segment ${segmentId}`);
  const run = runId === undefined ? await findRun(db) : await runById(db, runId);
  if (!run) return (await liveMembers(db, segment, null, catalog)).length;
  const counts = await recordMemberships(db, [segment], run, catalog);
  return counts.get(segmentId) ?? 0;
}

/**
 * Records every segment's members for the run being written, in its transaction before it is
 * marked complete (services/scoring/scoreStore.ts), so the run and its cohorts appear together.
 * A segment that cannot be evaluated (a reference to a segment renamed since) is left without a
 * row: reads then evaluate it live and report the problem; the score run itself goes on.
 */
export async function recordAllMemberships(tx: Db, runId: number): Promise<void> {
  const catalog = await loadSegmentCatalog(tx, { lenient: true });
  if (catalog.segments.length === 0) return;
  const run = await runById(tx, runId);
  const probe = await predicateContext(tx, new SqlParams(), '$1', run, catalog);
  const evaluable = catalog.segments.filter((segment) => {
    try {
      segmentPredicate(segment, probe);
      return true;
    } catch {
      return false;
    }
  });
  await recordMemberships(tx, evaluable, run, catalog);
}

/** Records every segment again for the current complete run (after an import or a Salesforce sync). */
export async function refreshCurrentMemberships(db: Db): Promise<void> {
  const run = await findRun(db);
  if (!run) return;
  await db.transaction((tx) => recordAllMemberships(tx, run.id));
}

/** The members of a segment evaluated now against `run` (null: no scores, as of today), sorted. */
async function liveMembers(
  db: Db,
  segment: SegmentRecord,
  run: RunDay | null,
  catalog: SegmentCatalog,
): Promise<string[]> {
  const params = new SqlParams();
  const runParam = params.add(run?.id ?? null);
  const ctx = await predicateContext(
    db,
    params,
    `${runParam}::bigint`,
    run ?? { id: 0, asOf: today() },
    catalog,
  );
  const predicate = segmentPredicate(segment, ctx);
  const rows = await db.query<{ id: string }>(
    `SELECT a.id FROM accounts a LEFT JOIN account_scores s ON s.run_id = ${runParam}::bigint AND s.account_id = a.id
      WHERE ${predicate} ORDER BY a.id COLLATE "C"`,
    params.values,
  );
  return rows.map((row) => row.id);
}

/**
 * A segment's members in the latest complete run on or before `asOf` (default: the current run):
 * as that run recorded them; for a run older than the segment (no row), the current definition
 * evaluated on that run (`evaluatedLive`). The current run's row counts only if it was recorded
 * with the segment's current version.
 */
export async function segmentMembers(
  db: Db,
  segmentId: number,
  options: { asOf?: string } = {},
): Promise<SegmentMembersResult> {
  const catalog = await loadSegmentCatalog(db);
  const segment = catalog.segments.find((s) => s.id === segmentId);
  if (!segment) throw new AppError('not_found', `no segment ${segmentId}`);
  const current = await findRun(db);
  let run: RunDay | null = current;
  if (options.asOf !== undefined) {
    const [row] = await db.query<{ id: string; as_of: string }>(
      `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM score_runs
        WHERE status = 'complete' AND as_of <= $1::date ORDER BY as_of DESC, id DESC LIMIT 1`,
      [options.asOf],
    );
    run = row ? { id: Number(row.id), asOf: row.as_of } : null;
  }
  if (!run) return { runId: null, asOf: null, accountIds: [], evaluatedLive: false };
  const [recorded] = await db.query<{ version: number; account_ids: string[] }>(
    'SELECT version, account_ids FROM segment_run_members WHERE run_id = $1 AND segment_id = $2',
    [run.id, segmentId],
  );
  const isCurrent = current !== null && current.id === run.id;
  if (recorded && (!isCurrent || recorded.version === segment.version)) {
    return { runId: run.id, asOf: run.asOf, accountIds: recorded.account_ids, evaluatedLive: false };
  }
  return {
    runId: run.id,
    asOf: run.asOf,
    accountIds: await liveMembers(db, segment, run, catalog),
    evaluatedLive: true,
  };
}

/**
 * The segments an account belongs to in the current run, by name: recorded rows of the segment's
 * current version, and a live check of the others for this one account.
 */
export async function accountSegments(db: Db, accountId: string): Promise<AccountSegment[]> {
  const run = await findRun(db);
  const catalog = await loadSegmentCatalog(db, { lenient: true });
  if (catalog.segments.length === 0) return [];
  const found = new Set<number>();
  const unrecorded = new Set(catalog.segments.map((s) => s.id));
  if (run) {
    const rows = await db.query<{ segment_id: string; member: boolean }>(
      `SELECT m.segment_id, $3 = ANY(m.account_ids) AS member
         FROM segment_run_members m JOIN segments g ON g.id = m.segment_id AND g.version = m.version
        WHERE m.run_id = $1 AND m.segment_id = ANY($2::bigint[])`,
      [run.id, catalog.segments.map((s) => s.id), accountId],
    );
    for (const row of rows) {
      unrecorded.delete(Number(row.segment_id));
      if (row.member) found.add(Number(row.segment_id));
    }
  }
  const live = catalog.segments.filter((s) => unrecorded.has(s.id));
  if (live.length > 0) {
    const params = new SqlParams();
    const runParam = params.add(run?.id ?? null);
    const ctx = await predicateContext(
      db,
      params,
      `${runParam}::bigint`,
      run ?? { id: 0, asOf: today() },
      catalog,
    );
    const columns: string[] = [];
    const checked: SegmentRecord[] = [];
    for (const segment of live) {
      try {
        columns.push(`(${segmentPredicate(segment, ctx)}) AS m${checked.length}`);
        checked.push(segment);
      } catch {
        // A segment that cannot be evaluated (a dangling reference) has no members.
      }
    }
    if (columns.length > 0) {
      const [row] = await db.query<Record<string, boolean>>(
        `SELECT ${columns.join(', ')} FROM accounts a
           LEFT JOIN account_scores s ON s.run_id = ${runParam}::bigint AND s.account_id = a.id
          WHERE a.id = ${params.add(accountId)}`,
        params.values,
      );
      checked.forEach((segment, i) => {
        if (row?.[`m${i}`]) found.add(segment.id);
      });
    }
  }
  return catalog.segments
    .filter((s) => found.has(s.id))
    .map((s) => ({ id: s.id, name: s.name, published: s.published }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
