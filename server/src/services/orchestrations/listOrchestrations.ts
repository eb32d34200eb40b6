import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { selectOrchestrations } from './orchestrationRecords';
import { orchestrationViews, type OrchestrationView } from './orchestrationView';

export interface ListOrchestrationsProps {
  db: Db;
  actor: Actor;
  now: Date;
}

/** Every orchestration, by name, with its state, newest run and next scheduled run. */
export async function listOrchestrations(props: ListOrchestrationsProps): Promise<OrchestrationView[]> {
  authorize(props.actor, 'orchestrations.view', 'reading orchestrations');
  return orchestrationViews(props.db, await selectOrchestrations(props.db), props.now);
}
