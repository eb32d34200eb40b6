import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { findSegment, lockSegments, recordChange, type Segment } from './segmentRecords';

/**
 * Sets a segment's published flag (Admin and Operations only): when it changes, who and when are
 * kept on the segment and in a `published` / `unpublished` history row. The Salesforce field
 * follows at the next write-back. Asking for the state it is already in changes nothing.
 */
export async function setPublished(props: {
  db: Db;
  actor: Actor;
  ref: string | number;
  published: boolean;
}): Promise<Segment> {
  const { db, actor, published } = props;
  authorize(actor, 'segments.publish', published ? 'publishing segments' : 'unpublishing segments');
  const by = actorLabel(actor);
  const id = await db.transaction(async (tx) => {
    await lockSegments(tx);
    const segment = await findSegment(tx, props.ref);
    if (segment.published === published) return segment.id;
    await tx.query(
      published
        ? 'UPDATE segments SET published = true, published_at = now(), published_by = $2 WHERE id = $1'
        : 'UPDATE segments SET published = false, published_at = NULL, published_by = NULL WHERE id = $1',
      published ? [segment.id, by] : [segment.id],
    );
    await recordChange(tx, {
      segmentId: segment.id,
      version: segment.version,
      action: published ? 'published' : 'unpublished',
      by,
      oldValue: {
        published: segment.published,
        publishedAt: segment.publishedAt,
        publishedBy: segment.publishedBy,
      },
      newValue: { published },
    });
    await recordAudit(tx, actor, {
      action: published ? 'segment.publish' : 'segment.unpublish',
      targetType: 'segment',
      targetId: String(segment.id),
      summary: `${published ? 'published' : 'unpublished'} segment "${segment.name}"`,
    });
    return segment.id;
  });
  return findSegment(db, id);
}
