import { addDays, startOfUtcDay } from '../../domain/dates';
import { rolloutGate, type GateFigures } from '../../domain/models/rolloutGate';
import type { ModelKind } from '../../domain/scoring/modelCodec';
import { AppError } from '../../errors';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { findRun } from '../scoring/currentRun';
import { isoDay, trainAsOf } from '../scoring/scoreRun';
import { scoreScheduled } from '../scoring/scoringLease';
import { loadModelSettings, loadScoringSettings } from '../scoring/settings';
import { announceTraining, type ModelNotify } from './notices';
import { versionFigures } from './versionFigures';
import {
  activeVersionIds,
  listVersions,
  recordVersionEvent,
  saveTraining,
  versionLabel,
  versionsOfTraining,
  type ModelState,
  type ModelVersionRow,
  type VersionIds,
} from './versionStore';

/**
 * The model lifecycle (docs/models.md): candidates are trained, judged against the active
 * versions on their own figures, announced, and made active on their roll-out day (rollout.ts),
 * at once by an approval, or never (rejected); a rollback brings back the versions active before.
 * Every state change is one transaction holding its model_version_events and one audit entry.
 * An approval and a rollback then rescore the current run's day with the versions now active:
 * the state change commits first, then the rescore runs, so a crash between them leaves the new
 * state, and the next daily run scores with it.
 */

/** Rescores day `asOf` with `versions` (a new run of that day); the default is `rescoreCurrentDay`. */
export type RescoreHook = (
  db: Db,
  asOf: string,
  versions: VersionIds,
) => Promise<{ runId: number; asOf: string }>;

/** The Salesforce write-back a rescore is followed by (built where the configuration is read, main.ts). */
export type ModelWriteback = (db: Db) => Promise<unknown>;

/** A version as `models list` and GET /api/models show it. */
export type ModelListRow = {
  id: number;
  kind: ModelKind;
  training_id: number;
  trained_as_of: string;
  state: ModelState;
  method: string | null;
  auc: number | null;
  auc_ci: [number, number] | null;
  identification_rate: number | null;
  created_at: string;
  state_changed_at: string;
  state_changed_by: string;
  /** Its training's roll-out day, for a candidate; null otherwise. */
  rollout_on: string | null;
};

export interface PendingCandidate {
  trainingId: number;
  trainedAsOf: string;
  rolloutOn: string | null;
  announcedAt: string | null;
  remindedAt: string | null;
  versions: ModelVersionRow[];
}

/** What a rescore after a state change did: its run, or why it failed (the state change stands). */
export interface RescoreOutcome {
  run: { runId: number; asOf: string } | null;
  /** Set when the rescore failed after the state change committed: the next daily run scores with it. */
  rescoreError?: string;
}

const ISO_INSTANT = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;

/** State changes of the lifecycle take this lock: two never interleave (two approvals, an approval and a roll-out). */
export async function lockLifecycle(tx: Db): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['signalfit.models']);
}

/** Moves versions `ids` from `from` to `to`, each with its event; returns those it moved. */
async function moveVersions(
  tx: Db,
  ids: readonly number[],
  from: ModelState,
  to: ModelState,
  change: { action: string; actor: Actor; now: Date; note?: string | null },
): Promise<number[]> {
  if (ids.length === 0) return [];
  const moved = await tx.query<{ id: number }>(
    `UPDATE model_versions SET state = $3, state_changed_at = $4, state_changed_by = $5
      WHERE id = ANY($1::bigint[]) AND state = $2 RETURNING id::int AS id`,
    [ids, from, to, change.now, actorLabel(change.actor)],
  );
  const movedIds = moved.map((row) => row.id).sort((a, b) => a - b);
  for (const id of movedIds)
    await recordVersionEvent(tx, id, from, to, change.action, change.actor, change.note ?? null);
  return movedIds;
}

async function candidateIdsOf(tx: Db, trainingId: number): Promise<number[]> {
  const rows = await tx.query<{ id: number }>(
    `SELECT id::int AS id FROM model_versions WHERE training_id = $1 AND state = 'candidate' ORDER BY id`,
    [trainingId],
  );
  return rows.map((row) => row.id);
}

async function pendingTrainingId(db: Db): Promise<number | null> {
  const [row] = await db.query<{ id: number }>(
    `SELECT t.id::int AS id FROM model_trainings t
      WHERE EXISTS (SELECT 1 FROM model_versions v WHERE v.training_id = t.id AND v.state = 'candidate')
      ORDER BY t.id DESC LIMIT 1`,
  );
  return row?.id ?? null;
}

/**
 * The candidate training an action is on: that of version `id` (which must be a candidate), or
 * without an id, the pending one (the newest training with candidate versions).
 */
async function candidateTraining(tx: Db, id: number | undefined): Promise<number> {
  if (id === undefined) {
    const pending = await pendingTrainingId(tx);
    if (pending === null)
      throw new AppError('not_found', 'no candidate models are pending: train some first');
    return pending;
  }
  if (!Number.isSafeInteger(id) || id < 1)
    throw new AppError('validation_failed', `model version id must be a positive whole number, not ${id}`, [
      { path: ['id'], message: 'must be a positive whole number' },
    ]);
  const [version] = await tx.query<{ training_id: number; state: ModelState }>(
    'SELECT training_id::int AS training_id, state FROM model_versions WHERE id = $1',
    [id],
  );
  if (version === undefined) throw new AppError('not_found', `model version ${id} does not exist`);
  if (version.state !== 'candidate')
    throw new AppError('conflict', `model version ${id} is ${version.state}, not a candidate`);
  return version.training_id;
}

/** The stored own figures of the active intent version (the gate's bar); null before any is active. */
async function activeIntentFigures(db: Db, active: VersionIds | null): Promise<GateFigures | null> {
  if (active === null) return null;
  const [row] = await db.query<{ auc: number | null; identification_rate: number | null }>(
    'SELECT auc, identification_rate FROM model_versions WHERE id = $1',
    [active.intent],
  );
  return row === undefined ? null : { auc: row.auc, identificationRate: row.identification_rate };
}

function versionIdsOf(rows: readonly ModelVersionRow[]): VersionIds {
  return Object.fromEntries(rows.map((row) => [row.kind, row.id])) as VersionIds;
}

async function versionsWithIds(db: Db, ids: readonly number[]): Promise<ModelVersionRow[]> {
  const wanted = new Set(ids);
  return (await listVersions(db)).filter((row) => wanted.has(row.id)).sort((a, b) => a.id - b.id);
}

/**
 * Makes the candidate versions of training `trainingId` active, retiring the active version of
 * each of their kinds (in the caller's transaction, under the lifecycle lock).
 */
export async function activateTraining(
  tx: Db,
  trainingId: number,
  change: { action: 'approve' | 'rollout'; actor: Actor; now: Date },
): Promise<{ activated: ModelVersionRow[]; retired: number[] }> {
  const candidates = await candidateIdsOf(tx, trainingId);
  const active = await tx.query<{ id: number }>(
    `SELECT a.id::int AS id FROM model_versions a
      WHERE a.state = 'active' AND a.kind IN (SELECT kind FROM model_versions WHERE id = ANY($1::bigint[]))`,
    [candidates],
  );
  const retired = await moveVersions(
    tx,
    active.map((row) => row.id),
    'active',
    'retired',
    change,
  );
  const activated = await moveVersions(tx, candidates, 'candidate', 'active', change);
  return { activated: await versionsWithIds(tx, activated), retired };
}

/**
 * Trains candidate versions from the facts before `asOf` (default: today, UTC, by `now`), stores
 * them with their own figures and judges them against the active versions' stored figures
 * (domain/models/rolloutGate.ts). Not worse: they stay candidates, due to roll out `notice_days`
 * after the trained day, and are announced (with `notify`; without, the daily job's models step
 * sends the announcement). Worse: every version is stored `rejected` (action `worse`) with its
 * figures, and Admins are told it was not rolled out. An older pending candidate training is
 * superseded (its versions rejected, action `superseded`): one candidate waits at a time.
 */
export async function trainCandidate(
  db: Db,
  props: { asOf?: Date; actor: Actor; now?: Date; notify?: ModelNotify },
): Promise<{
  trainingId: number;
  state: 'candidate' | 'rejected';
  rolloutOn: string | null;
  versions: ModelVersionRow[];
  reason: string;
}> {
  authorize(props.actor, 'models.manage', 'training models');
  const now = props.now ?? new Date();
  const day = isoDay(startOfUtcDay(props.asOf ?? now));
  const settings = await loadModelSettings(db);
  const { models } = await trainAsOf(db, new Date(`${day}T00:00:00Z`), await loadScoringSettings(db));
  const figures = versionFigures(models.summaries, day);
  const result = await db.transaction(async (tx) => {
    await lockLifecycle(tx);
    const active = await activeVersionIds(tx);
    const verdict = rolloutGate(
      { auc: figures.intent.auc, identificationRate: figures.intent.identificationRate },
      await activeIntentFigures(tx, active),
    );
    const pending = await pendingTrainingId(tx);
    const { trainingId, versions } = await saveTraining(tx, {
      trainedAsOf: day,
      models,
      figures,
      state: 'candidate',
      actor: props.actor,
      requestedBy: actorLabel(props.actor),
      action: 'train',
    });
    const change = { actor: props.actor, now };
    const superseded =
      pending === null
        ? []
        : await moveVersions(tx, await candidateIdsOf(tx, pending), 'candidate', 'rejected', {
            ...change,
            action: 'superseded',
            note: `superseded by training ${trainingId}`,
          });
    const ids = Object.values(versions);
    let rolloutOn: string | null = null;
    if (verdict.notWorse) {
      rolloutOn = addDays(day, settings.notice_days);
      await tx.run('UPDATE model_trainings SET rollout_on = $2 WHERE id = $1', [trainingId, rolloutOn]);
    } else {
      await moveVersions(tx, ids, 'candidate', 'rejected', {
        ...change,
        action: 'worse',
        note: verdict.reason,
      });
    }
    await recordAudit(
      tx,
      props.actor,
      {
        action: 'models.train',
        targetType: 'model_training',
        targetId: String(trainingId),
        summary: verdict.notWorse
          ? `trained candidate models as of ${day} (${versionLabel(versions)}), rolling out on ${rolloutOn}: ${verdict.reason}`
          : `trained models as of ${day} (${versionLabel(versions)}), not rolled out: ${verdict.reason}`,
        counts: { versions: ids.length, superseded: superseded.length },
      },
      now,
    );
    return {
      trainingId,
      state: verdict.notWorse ? ('candidate' as const) : ('rejected' as const),
      rolloutOn,
      versions: await versionsOfTraining(tx, trainingId),
      reason: verdict.reason,
    };
  });
  if (props.notify) await announceTraining(db, result.trainingId, { now, notify: props.notify });
  return result;
}

/**
 * Rescores the current run's day with `versions` (a new run of that day, under the scoring lease
 * the daily scoring and "Recompute now" share), then runs the Salesforce write-back when one is
 * given (it sends only the rows whose values changed). A write-back that fails is recorded in its
 * own run (job_runs) and left to the next daily write-back.
 */
export async function rescoreCurrentDay(
  db: Db,
  asOf: string,
  versions: VersionIds,
  writeback: ModelWriteback | null = null,
): Promise<{ runId: number; asOf: string; writeback?: { status: 'complete' | 'failed'; error?: string } }> {
  const result = await scoreScheduled(db, {
    asOf: new Date(`${asOf}T00:00:00Z`),
    versions,
    signal: new AbortController().signal,
  });
  if (writeback === null) return { runId: result.runId, asOf: result.asOf };
  try {
    await writeback(db);
    return { runId: result.runId, asOf: result.asOf, writeback: { status: 'complete' } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { runId: result.runId, asOf: result.asOf, writeback: { status: 'failed', error: message } };
  }
}

/** After a committed state change: the current run's day rescored with the versions now active. */
async function rescoreAfter(db: Db, versions: VersionIds, rescore: RescoreHook): Promise<RescoreOutcome> {
  const current = await findRun(db);
  if (current === null) return { run: null };
  try {
    return { run: await rescore(db, current.asOf, versions) };
  } catch (error) {
    return { run: null, rescoreError: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Approves a candidate training (that of version `id`, or the pending one): its versions become
 * active at once, the previous active ones retired; then the current run's day is rescored.
 */
export async function approveCandidate(
  db: Db,
  props: { id?: number; actor: Actor; now?: Date; rescore?: RescoreHook },
): Promise<
  {
    trainingId: number;
    activated: ModelVersionRow[];
    run: { runId: number; asOf: string } | null;
  } & RescoreOutcome
> {
  authorize(props.actor, 'models.manage', 'approving models');
  const now = props.now ?? new Date();
  const { trainingId, activated } = await db.transaction(async (tx) => {
    await lockLifecycle(tx);
    const trainingId = await candidateTraining(tx, props.id);
    const { activated, retired } = await activateTraining(tx, trainingId, {
      action: 'approve',
      actor: props.actor,
      now,
    });
    await recordAudit(
      tx,
      props.actor,
      {
        action: 'models.approve',
        targetType: 'model_training',
        targetId: String(trainingId),
        summary: `approved the candidate models of training ${trainingId}: active now (${versionLabel(versionIdsOf(activated))})`,
        counts: { activated: activated.length, retired: retired.length },
      },
      now,
    );
    return { trainingId, activated };
  });
  const active = await activeVersionIds(db);
  const outcome =
    active === null ? { run: null } : await rescoreAfter(db, active, props.rescore ?? rescoreCurrentDay);
  return { trainingId, activated, ...outcome };
}

/** Moves a candidate training's roll-out day `days` later (1–90; default: the notice period). */
export async function postponeCandidate(
  db: Db,
  props: { id?: number; days?: number; actor: Actor },
): Promise<{ trainingId: number; rolloutOn: string }> {
  authorize(props.actor, 'models.manage', 'postponing models');
  const settings = await loadModelSettings(db);
  const days = props.days ?? settings.notice_days;
  if (!Number.isInteger(days) || days < 1 || days > 90)
    throw new AppError('validation_failed', `days must be a whole number from 1 to 90, not ${days}`, [
      { path: ['days'], message: 'must be a whole number from 1 to 90' },
    ]);
  const now = new Date();
  return db.transaction(async (tx) => {
    await lockLifecycle(tx);
    const trainingId = await candidateTraining(tx, props.id);
    const [row] = await tx.query<{ rollout_on: string }>(
      `UPDATE model_trainings SET rollout_on = COALESCE(rollout_on, trained_as_of) + $2::int
        WHERE id = $1 RETURNING to_char(rollout_on, 'YYYY-MM-DD') AS rollout_on`,
      [trainingId, days],
    );
    const rolloutOn = row?.rollout_on as string;
    await moveVersions(tx, await candidateIdsOf(tx, trainingId), 'candidate', 'candidate', {
      action: 'postpone',
      actor: props.actor,
      now,
      note: `rolls out on ${rolloutOn}`,
    });
    await recordAudit(tx, props.actor, {
      action: 'models.postpone',
      targetType: 'model_training',
      targetId: String(trainingId),
      summary: `postponed the candidate models of training ${trainingId} by ${days} ${days === 1 ? 'day' : 'days'}: they roll out on ${rolloutOn}`,
      counts: { days },
    });
    return { trainingId, rolloutOn };
  });
}

/** Rejects a candidate training: its versions are kept `rejected` and never become active. */
export async function rejectCandidate(
  db: Db,
  props: { id?: number; actor: Actor },
): Promise<{ trainingId: number; rejected: ModelVersionRow[] }> {
  authorize(props.actor, 'models.manage', 'rejecting models');
  const now = new Date();
  return db.transaction(async (tx) => {
    await lockLifecycle(tx);
    const trainingId = await candidateTraining(tx, props.id);
    const ids = await moveVersions(tx, await candidateIdsOf(tx, trainingId), 'candidate', 'rejected', {
      action: 'reject',
      actor: props.actor,
      now,
    });
    await recordAudit(tx, props.actor, {
      action: 'models.reject',
      targetType: 'model_training',
      targetId: String(trainingId),
      summary: `rejected the candidate models of training ${trainingId}`,
      counts: { rejected: ids.length },
    });
    return { trainingId, rejected: await versionsWithIds(tx, ids) };
  });
}

/**
 * Rolls back in one step: for each kind, the active version becomes `rejected` (action
 * `rollback`, note "rolled back") and the version active before it — the latest to have been
 * made active among the other versions of the kind, now retired, leaving out those set aside for
 * having no model (action `no_model`, scoreStore.ts) — is active again. Nothing to
 * go back to for some kind: `conflict`, and nothing changes. Then the current run's day is
 * rescored with the restored versions.
 */
export async function rollbackModels(
  db: Db,
  props: { actor: Actor; now?: Date; rescore?: RescoreHook },
): Promise<
  {
    restored: ModelVersionRow[];
    rolledBack: ModelVersionRow[];
    run: { runId: number; asOf: string } | null;
  } & RescoreOutcome
> {
  authorize(props.actor, 'models.manage', 'rolling back models');
  const now = props.now ?? new Date();
  const { restored, rolledBack } = await db.transaction(async (tx) => {
    await lockLifecycle(tx);
    const pairs = await tx.query<{ kind: ModelKind; active_id: number; previous_id: number | null }>(
      `SELECT a.kind, a.id::int AS active_id,
              (SELECT v.id::int FROM model_version_events e JOIN model_versions v ON v.id = e.version_id
                WHERE e.to_state = 'active' AND v.kind = a.kind AND v.id <> a.id AND v.state = 'retired'
                  AND NOT EXISTS (SELECT 1 FROM model_version_events n WHERE n.version_id = v.id AND n.action = 'no_model')
                ORDER BY e.id DESC LIMIT 1) AS previous_id
         FROM model_versions a WHERE a.state = 'active' ORDER BY a.id`,
    );
    const missing = pairs.filter((pair) => pair.previous_id === null).map((pair) => pair.kind);
    if (pairs.length === 0 || missing.length > 0)
      throw new AppError(
        'conflict',
        pairs.length === 0
          ? 'nothing to roll back to: no model version is active'
          : `nothing to roll back to: no earlier version of ${missing.join(', ')} was active`,
      );
    const change = { action: 'rollback', actor: props.actor, now };
    const rolledBack = await moveVersions(
      tx,
      pairs.map((pair) => pair.active_id),
      'active',
      'rejected',
      { ...change, note: 'rolled back' },
    );
    const restored = await moveVersions(
      tx,
      pairs.map((pair) => pair.previous_id as number),
      'retired',
      'active',
      change,
    );
    const restoredRows = await versionsWithIds(tx, restored);
    await recordAudit(
      tx,
      props.actor,
      {
        action: 'models.rollback',
        targetType: 'model_versions',
        targetId: versionLabel(versionIdsOf(restoredRows)),
        summary: `rolled back the models: ${versionLabel(versionIdsOf(restoredRows))} active again`,
        counts: { restored: restored.length, rolled_back: rolledBack.length },
      },
      now,
    );
    return { restored: restoredRows, rolledBack: await versionsWithIds(tx, rolledBack) };
  });
  const outcome = await rescoreAfter(db, versionIdsOf(restored), props.rescore ?? rescoreCurrentDay);
  return { restored, rolledBack, ...outcome };
}

/** Every version, newest first, as the contract shows it. */
export async function listModels(db: Db): Promise<ModelListRow[]> {
  return db.query<ModelListRow>(
    `SELECT v.id::int AS id, v.kind, v.training_id::int AS training_id,
            to_char(v.trained_as_of, 'YYYY-MM-DD') AS trained_as_of, v.state, v.method, v.auc,
            v.backtest -> 'auc_ci' AS auc_ci, v.identification_rate,
            to_char(v.created_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS created_at,
            to_char(v.state_changed_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS state_changed_at,
            v.state_changed_by,
            CASE WHEN v.state = 'candidate' THEN to_char(t.rollout_on, 'YYYY-MM-DD') END AS rollout_on
       FROM model_versions v JOIN model_trainings t ON t.id = v.training_id
      ORDER BY v.id DESC`,
  );
}

/** The candidate training waiting for its roll-out (the in-app notice), or null. */
export async function pendingCandidate(db: Db): Promise<PendingCandidate | null> {
  const trainingId = await pendingTrainingId(db);
  if (trainingId === null) return null;
  const [row] = await db.query<{
    trained_as_of: string;
    rollout_on: string | null;
    announced_at: string | null;
    reminded_at: string | null;
  }>(
    `SELECT to_char(trained_as_of, 'YYYY-MM-DD') AS trained_as_of, to_char(rollout_on, 'YYYY-MM-DD') AS rollout_on,
            to_char(announced_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS announced_at,
            to_char(reminded_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS reminded_at
       FROM model_trainings WHERE id = $1`,
    [trainingId],
  );
  return {
    trainingId,
    trainedAsOf: row?.trained_as_of as string,
    rolloutOn: row?.rollout_on ?? null,
    announcedAt: row?.announced_at ?? null,
    remindedAt: row?.reminded_at ?? null,
    versions: (await versionsOfTraining(db, trainingId)).filter((version) => version.state === 'candidate'),
  };
}
