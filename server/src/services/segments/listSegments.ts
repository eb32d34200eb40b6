import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { selectSegments, type Segment } from './segmentRecords';

export interface ListSegmentsProps {
  db: Db;
  actor: Actor;
}

/** Every segment, by name, with its member count in the current complete run. */
export async function listSegments(props: ListSegmentsProps): Promise<Segment[]> {
  authorize(props.actor, 'segments.view', 'reading segments');
  return selectSegments(props.db, '');
}
