import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { setPublished } from './publication';
import type { Segment } from './segmentRecords';

export interface PublishSegmentProps {
  db: Db;
  /** Admin or Operations (segments.publish). */
  actor: Actor;
  /** The segment's id, or its name (any case). */
  ref: string | number;
}

/** Publishes a segment: its members' Signalfit_Segments__c gets its name at the next write-back. */
export async function publishSegment(props: PublishSegmentProps): Promise<Segment> {
  return setPublished({ ...props, published: true });
}
