import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { orchestrationChanges, type OrchestrationChange } from './orchestrationChanges';
import { findOrchestration } from './orchestrationRecords';
import { orchestrationView, type OrchestrationView } from './orchestrationView';

export interface GetOrchestrationProps {
  db: Db;
  actor: Actor;
  /** The orchestration's id, or its name (any case). */
  ref: string | number;
  now: Date;
}

/** One orchestration with every change made to it, oldest first (`not_found` when there is none). */
export async function getOrchestration(
  props: GetOrchestrationProps,
): Promise<{ orchestration: OrchestrationView; changes: OrchestrationChange[] }> {
  const { db, actor, now } = props;
  authorize(actor, 'orchestrations.view', 'reading orchestrations');
  const record = await findOrchestration(db, props.ref);
  return {
    orchestration: await orchestrationView(db, record, now),
    changes: await orchestrationChanges(db, record.id),
  };
}
