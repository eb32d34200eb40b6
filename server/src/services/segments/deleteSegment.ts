import { AppError } from '../../errors';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { quotedNames, referrersOf } from './checkDefinition';
import { findSegment, lockSegments, recordChange } from './segmentRecords';

export interface DeleteSegmentProps {
  db: Db;
  actor: Actor;
  /** The segment's id, or its name (any case). */
  ref: string | number;
}

/**
 * Deletes a segment with its list, recorded members and alert subscriptions; its history stays,
 * ending with a `deleted` row that keeps what it was. Refused (`conflict`) while another segment
 * refers to it or an orchestration uses it. A published segment's name leaves Salesforce at the next write-back.
 */
export async function deleteSegment(props: DeleteSegmentProps): Promise<void> {
  const { db, actor } = props;
  authorize(actor, 'segments.edit', 'deleting segments');
  await db.transaction(async (tx) => {
    await lockSegments(tx);
    const segment = await findSegment(tx, props.ref);
    // orchestrations.segment_id refuses the delete (ON DELETE RESTRICT): say so in words first.
    // createOrchestration takes lockSegments too, so none can start using it meanwhile.
    const users = await tx.query<{ name: string }>(
      'SELECT name FROM orchestrations WHERE segment_id = $1 ORDER BY lower(name)',
      [segment.id],
    );
    if (users.length > 0) {
      const [what, them] = users.length > 1 ? ['orchestrations', 'them'] : ['orchestration', 'it'];
      throw new AppError(
        'conflict',
        `segment "${segment.name}" is used by the ${what} ${quotedNames(users)}: give ${them} another segment or delete ${them} first`,
      );
    }
    const referrers = await referrersOf(tx, segment);
    if (referrers.length > 0) {
      throw new AppError(
        'conflict',
        `segment "${segment.name}" is referred to by ${quotedNames(referrers)}: change their definitions first`,
      );
    }
    const { members: _members, membersAsOf: _asOf, ...kept } = segment;
    await recordChange(tx, {
      segmentId: segment.id,
      version: segment.version,
      action: 'deleted',
      by: actorLabel(actor),
      oldValue: kept,
      newValue: null,
    });
    await tx.query('DELETE FROM segments WHERE id = $1', [segment.id]);
    await recordAudit(tx, actor, {
      action: 'segment.delete',
      targetType: 'segment',
      targetId: String(segment.id),
      summary: `deleted segment "${segment.name}"`,
    });
  });
}
