import { daysBetween } from '../../domain/dates';
import { SCHEDULER } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { isoDay } from '../scoring/scoreRun';
import { loadModelSettings } from '../scoring/settings';
import { activateTraining, lockLifecycle, trainCandidate } from './lifecycle';
import { sendDueNotices, type ModelNotify, type NoticesReport } from './notices';
import { versionLabel, type VersionIds } from './versionStore';

export interface RolloutReport {
  status: 'complete';
  /** The candidate training made active today (its roll-out day came), or null. */
  rolledOut: number | null;
  /** The training made today because `retrain_every_days` had passed, or null. */
  trained: { trainingId: number; state: 'candidate' | 'rejected'; rolloutOn: string | null } | null;
  notices: NoticesReport;
}

/**
 * The daily job's `models` step, before scoring (docs/models.md "Schedule"): on day `now` (UTC)
 *
 * 1. a pending candidate whose roll-out day has come (rollout_on ≤ today) becomes active, the
 *    versions it replaces retired (action `rollout`): today's scoring applies it;
 * 2. when `retrain_every_days` or more have passed since the newest training's day, new
 *    candidates are trained from the facts before today (and announced);
 * 3. the notices due are sent: the announcements not sent yet (step 2's among them), the
 *    pending candidate's reminder.
 *
 * A store never scored has no training: its first scoring run trains (scoreStore.ts).
 */
export async function rolloutStep(db: Db, props: { now: Date; notify: ModelNotify }): Promise<RolloutReport> {
  const settings = await loadModelSettings(db);
  const today = isoDay(props.now);
  const rolledOut = await db.transaction(async (tx) => {
    await lockLifecycle(tx);
    const [due] = await tx.query<{ id: number; rollout_on: string }>(
      `SELECT t.id::int AS id, to_char(t.rollout_on, 'YYYY-MM-DD') AS rollout_on FROM model_trainings t
        WHERE EXISTS (SELECT 1 FROM model_versions v WHERE v.training_id = t.id AND v.state = 'candidate')
        ORDER BY t.id DESC LIMIT 1`,
    );
    if (due === undefined || due.rollout_on === null || due.rollout_on > today) return null;
    const { activated, retired } = await activateTraining(tx, due.id, {
      action: 'rollout',
      actor: SCHEDULER,
      now: props.now,
    });
    const label = versionLabel(Object.fromEntries(activated.map((v) => [v.kind, v.id])) as VersionIds);
    await recordAudit(
      tx,
      SCHEDULER,
      {
        action: 'models.rollout',
        targetType: 'model_training',
        targetId: String(due.id),
        summary: `rolled out the candidate models of training ${due.id} on ${today} (roll-out day ${due.rollout_on}): ${label} active`,
        counts: { activated: activated.length, retired: retired.length },
      },
      props.now,
    );
    return due.id;
  });

  let trained: RolloutReport['trained'] = null;
  const [newest] = await db.query<{ day: string }>(
    `SELECT to_char(trained_as_of, 'YYYY-MM-DD') AS day FROM model_trainings ORDER BY trained_as_of DESC, id DESC LIMIT 1`,
  );
  if (newest !== undefined && daysBetween(newest.day, today) >= settings.retrain_every_days) {
    const result = await trainCandidate(db, {
      asOf: new Date(`${today}T00:00:00Z`),
      actor: SCHEDULER,
      now: props.now,
    });
    trained = { trainingId: result.trainingId, state: result.state, rolloutOn: result.rolloutOn };
  }

  const notices = await sendDueNotices(db, {
    now: props.now,
    notify: props.notify,
    reminderEveryDays: settings.reminder_every_days,
  });
  return { status: 'complete', rolledOut, trained, notices };
}
