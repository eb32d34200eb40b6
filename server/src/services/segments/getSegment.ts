import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { findSegment, type ChangeAction, type Segment } from './segmentRecords';

export interface GetSegmentProps {
  db: Db;
  actor: Actor;
  /** The segment's id, or its name (any case). */
  ref: string | number;
}

/** One change of a segment: the version it made (or left), who, when, what it was and became. */
export interface SegmentChange {
  version: number;
  action: ChangeAction;
  changedBy: string | null;
  changedAt: string;
  oldValue: unknown;
  newValue: unknown;
}

/** A segment with its whole history, oldest change first (`not_found` when there is no such segment). */
export async function getSegment(
  props: GetSegmentProps,
): Promise<{ segment: Segment; history: SegmentChange[] }> {
  const { db, actor } = props;
  authorize(actor, 'segments.view', 'reading segments');
  const segment = await findSegment(db, props.ref);
  const rows = await db.query<{
    version: number;
    action: ChangeAction;
    changed_by: string | null;
    changed_at: Date | string;
    old_value: unknown;
    new_value: unknown;
  }>(
    `SELECT version, action, changed_by, changed_at, old_value, new_value
       FROM segment_changes WHERE segment_id = $1 ORDER BY id`,
    [segment.id],
  );
  return {
    segment,
    history: rows.map((row) => ({
      version: row.version,
      action: row.action,
      changedBy: row.changed_by,
      changedAt: new Date(row.changed_at).toISOString(),
      oldValue: row.old_value,
      newValue: row.new_value,
    })),
  };
}
