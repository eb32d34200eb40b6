import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import { loadSegmentCatalog, predicateContext, segmentPredicate, type RunDay } from './catalog';
import type { ParamSink } from './compileSql';

/**
 * How a list limited to one segment finds its members in the current run:
 * - `recorded`: the run's segment_run_members row, when it was recorded with the segment's
 *   current version (the usual case: runs and the segment service record every segment);
 * - `live`: otherwise, the segment's predicate evaluated in the query.
 */
export type SegmentScope =
  | { kind: 'recorded'; runId: number; segmentId: number; members: number }
  | { kind: 'live'; predicate: (params: ParamSink, runParam: string) => Promise<string> };

/**
 * Above this many recorded members the list checks membership with a hash of the member ids
 * while it walks its sort index (the first page needs about 50 × accounts / members rows);
 * below it, it starts from the members and looks each one up (about 2 × members index probes).
 */
export const HASHED_MEMBERS_FROM = 5000;

/** The scope of segment `segmentId` in `run` (null: nothing is scored yet, so evaluated live as of today). */
export async function segmentScope(db: Db, segmentId: number, run: RunDay | null): Promise<SegmentScope> {
  const [segment] = await db.query<{ version: number }>('SELECT version FROM segments WHERE id = $1', [
    segmentId,
  ]);
  if (!segment) throw new AppError('not_found', `no segment ${segmentId}`);
  if (run) {
    const [row] = await db.query<{ members: number }>(
      'SELECT members FROM segment_run_members WHERE run_id = $1 AND segment_id = $2 AND version = $3',
      [run.id, segmentId, segment.version],
    );
    if (row) return { kind: 'recorded', runId: run.id, segmentId, members: row.members };
  }
  return {
    kind: 'live',
    async predicate(params, runParam) {
      const catalog = await loadSegmentCatalog(db);
      const saved = catalog.segments.find((s) => s.id === segmentId);
      if (!saved) throw new AppError('not_found', `no segment ${segmentId}`);
      const day = run ?? { id: 0, asOf: new Date().toISOString().slice(0, 10) };
      return segmentPredicate(saved, await predicateContext(db, params, runParam, day, catalog));
    },
  };
}

/** The scope's condition on the account id `idColumn` (accounts.id or account_scores.account_id). */
export async function scopeCondition(
  scope: SegmentScope,
  idColumn: string,
  params: ParamSink,
  runParam: string,
): Promise<string> {
  if (scope.kind === 'live') return scope.predicate(params, runParam);
  const members = `SELECT unnest(m.account_ids) FROM segment_run_members m
     WHERE m.run_id = ${params.add(scope.runId)} AND m.segment_id = ${params.add(scope.segmentId)}`;
  // At the top of WHERE the planner makes a semi-join driven by the members; inside coalesce()
  // it stays a hashed subplan, probed by each row of the sort index's walk.
  return scope.members >= HASHED_MEMBERS_FROM
    ? `coalesce(${idColumn} IN (${members}), false)`
    : `${idColumn} IN (${members})`;
}
