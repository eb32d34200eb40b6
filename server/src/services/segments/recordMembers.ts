import type { Db } from '../../store/db';
import { dependantsOf, storedDefinitions } from './checkDefinition';
import { recordSegmentMembership } from './membership';

/**
 * Records the current run's members of a segment just saved, then of every segment that refers
 * to it (directly or through others), each after those it refers to: a change is seen in the
 * counts at once, without a new run.
 */
export async function recordMembers(tx: Db, segment: { id: number; name: string }): Promise<number> {
  const members = await recordSegmentMembership(tx, segment.id);
  for (const dependant of dependantsOf(segment.name, await storedDefinitions(tx))) {
    await recordSegmentMembership(tx, dependant.id);
  }
  return members;
}
