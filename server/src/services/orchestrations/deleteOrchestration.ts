import { AppError } from '../../errors';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { recordOrchestrationChange } from './orchestrationChanges';
import { lockOrchestration, storedOf } from './orchestrationDefinition';
import { findOrchestration, type OrchestrationRecord } from './orchestrationRecords';
import { interruptDeadRuns } from './runLiveness';

export interface DeleteOrchestrationProps {
  db: Db;
  actor: Actor;
  /** The orchestration's id, or its name (any case). */
  ref: string | number;
  now: Date;
}

/**
 * Deletes an orchestration with its runs and their records. Its history stays, ending with a
 * `deleted` row that keeps what it was, and so do the contacts it bought and their charges.
 * Returns what was deleted. Refused (`conflict`) while one of its runs is queued or running: that run would lose its
 * orchestration half-way.
 */
export async function deleteOrchestration(props: DeleteOrchestrationProps): Promise<OrchestrationRecord> {
  const { db, actor, now } = props;
  authorize(actor, 'orchestrations.manage', 'deleting orchestrations');
  return db.transaction(async (tx) => {
    const orchestration = await findOrchestration(tx, props.ref);
    // Under the row lock no run can be queued until this transaction ends.
    await lockOrchestration(tx, orchestration.id);
    // A run whose process died is not going: it must not block the delete forever.
    await interruptDeadRuns(tx, orchestration.id, now);
    const [active] = await tx.query<{ id: string; state: string }>(
      `SELECT id, state FROM orchestration_runs
        WHERE orchestration_id = $1 AND state IN ('queued', 'running') ORDER BY id LIMIT 1`,
      [orchestration.id],
    );
    if (active) {
      throw new AppError(
        'conflict',
        `orchestration "${orchestration.name}" has run ${active.id} ${active.state}: delete it once the run has ended (see signalfit orchestrations history "${orchestration.name}")`,
      );
    }
    await recordOrchestrationChange(tx, {
      orchestrationId: orchestration.id,
      version: orchestration.version,
      action: 'deleted',
      by: actorLabel(actor),
      at: now,
      oldValue: storedOf(orchestration),
      newValue: null,
    });
    await tx.query('DELETE FROM orchestrations WHERE id = $1', [orchestration.id]);
    await recordAudit(
      tx,
      actor,
      {
        action: 'orchestration.delete',
        targetType: 'orchestration',
        targetId: String(orchestration.id),
        summary: `deleted orchestration "${orchestration.name}"`,
      },
      now,
    );
    return orchestration;
  });
}
