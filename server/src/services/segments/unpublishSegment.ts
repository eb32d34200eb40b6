import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { setPublished } from './publication';
import type { Segment } from './segmentRecords';

export interface UnpublishSegmentProps {
  db: Db;
  /** Admin or Operations (segments.publish). */
  actor: Actor;
  /** The segment's id, or its name (any case). */
  ref: string | number;
}

/** Unpublishes a segment: its name leaves its members' Signalfit_Segments__c at the next write-back. */
export async function unpublishSegment(props: UnpublishSegmentProps): Promise<Segment> {
  return setPublished({ ...props, published: false });
}
