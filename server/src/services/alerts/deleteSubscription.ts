import { AppError } from '../../errors';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';

/** Ends a subscription (alerts.manage); its delivered alerts go with it. `not_found` when there is none. */
export async function deleteSubscription(db: Db, props: { actor: Actor; id: number }): Promise<void> {
  authorize(props.actor, 'alerts.manage', 'managing alerts');
  await db.transaction(async (tx) => {
    const deleted = await tx.run('DELETE FROM alert_subscriptions WHERE id = $1', [props.id]);
    if (deleted === 0) throw new AppError('not_found', `no alert subscription ${props.id}`);
    await recordAudit(tx, props.actor, {
      action: 'alert.delete',
      targetType: 'alert_subscription',
      targetId: String(props.id),
      summary: `deleted alert subscription ${props.id}`,
    });
  });
}
