import type { RunTrigger } from '../../domain/orchestrations/vocabulary';
import { AppError, isAppError } from '../../errors';
import { actorLabel, authorize, OPERATOR, SCHEDULER, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { acquireWork } from './acquireRun';
import { audienceWork } from './audienceRun';
import { sendFailedRunAlert } from './orchestrationAlerts';
import {
  findOrchestration,
  RUN_SELECT,
  toRunView,
  type OrchestrationRecord,
  type RunRow,
  type RunView,
} from './orchestrationRecords';
import { repushWork } from './repush';
import type { RunContext, RunDeps, RunStep } from './runContext';
import { interruptDeadRuns, newHolder, startHeartbeat } from './runLiveness';
import { recordCounts } from './runRecords';

/**
 * Runs of an orchestration (docs/orchestration-runs.md "Runs"): a request inserts a `queued`
 * run and returns at once; executing claims it (`running`, with a holder and a heartbeat), does
 * the work of its goal or re-push, and ends it `complete` or `failed` with the counts of its
 * records. One run per orchestration works at a time: the claim takes the orchestration's row
 * lock, marks its dead runs `interrupted` (runLiveness) and refuses while a live one works.
 */

export async function runView(db: Db, runId: number): Promise<RunView> {
  const [row] = await db.query<RunRow>(`${RUN_SELECT} WHERE id = $1`, [runId]);
  if (!row) throw new AppError('not_found', `no orchestration run ${runId}`);
  return toRunView(row);
}

/** Locks the orchestration's row for the transaction (runs and requests of it wait in turn). */
async function lockOrchestration(tx: Db, orchestrationId: number): Promise<void> {
  const [row] = await tx.query('SELECT id FROM orchestrations WHERE id = $1 FOR UPDATE', [orchestrationId]);
  if (!row) throw new AppError('not_found', `no orchestration ${orchestrationId}`);
}

export interface RequestRunProps {
  db: Db;
  orchestration: OrchestrationRecord;
  trigger: Exclude<RunTrigger, 'schedule'>;
  actor: Actor;
  now: Date;
  /** Re-push: only this run's records (default: every run's). */
  repushOf?: number | null;
}

/**
 * Queues a run and returns it at once (POST …/run, …/repush, the CLI before it executes). A run
 * already queued for the orchestration is returned instead of a second one; a run working now
 * refuses the request (conflict) — a dead one does not (it is interrupted when the next starts).
 */
export async function requestRun(props: RequestRunProps): Promise<RunView> {
  const { db, orchestration, actor, now } = props;
  authorize(actor, 'orchestrations.manage', 'running orchestrations');
  if (props.repushOf !== undefined && props.repushOf !== null) {
    const [owned] = await db.query(
      'SELECT 1 FROM orchestration_runs WHERE id = $1 AND orchestration_id = $2',
      [props.repushOf, orchestration.id],
    );
    if (!owned) {
      throw new AppError(
        'not_found',
        `orchestration "${orchestration.name}" has no run ${props.repushOf}: see signalfit orchestrations history "${orchestration.name}"`,
      );
    }
  }
  const id = await db.transaction(async (tx) => {
    await lockOrchestration(tx, orchestration.id);
    const live = await interruptDeadRuns(tx, orchestration.id, now);
    if (live.length > 0) {
      throw new AppError(
        'conflict',
        `orchestration "${orchestration.name}" is running (run ${live[0]}): wait for it to finish (signalfit orchestrations history "${orchestration.name}")`,
      );
    }
    const [queued] = await tx.query<{ id: string; trigger: RunTrigger }>(
      `SELECT id, trigger FROM orchestration_runs WHERE orchestration_id = $1 AND state = 'queued' ORDER BY id LIMIT 1`,
      [orchestration.id],
    );
    if (queued && queued.trigger === props.trigger) return Number(queued.id);
    if (queued) {
      throw new AppError(
        'conflict',
        `orchestration "${orchestration.name}" has run ${queued.id} (${queued.trigger}) queued: wait for it to finish`,
      );
    }
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO orchestration_runs (orchestration_id, trigger, state, requested_by, queued_at, repush_of)
       VALUES ($1, $2, 'queued', $3, $4, $5) RETURNING id`,
      [orchestration.id, props.trigger, actorLabel(actor), now, props.repushOf ?? null],
    );
    const repush = props.trigger === 'repush';
    await recordAudit(
      tx,
      actor,
      {
        action: repush ? 'orchestration.repush' : 'orchestration.run_queued',
        targetType: 'orchestration',
        targetId: String(orchestration.id),
        summary: repush
          ? `queued a re-push of orchestration "${orchestration.name}"${props.repushOf ? ` (run ${props.repushOf})` : ''}`
          : `queued a run of orchestration "${orchestration.name}"`,
        counts: { run: Number(row!.id) },
      },
      now,
    );
    return Number(row!.id);
  });
  return runView(db, id);
}

interface ClaimedRow {
  orchestration_id: string;
  trigger: RunTrigger;
  requested_by: string | null;
  repush_of: string | null;
  [column: string]: unknown;
}

/**
 * Claims a queued run for this process; null when another process claimed it first, or when a
 * live run of the orchestration is working (the queued run waits for the worker's next round).
 */
async function claimRun(db: Db, runId: number, holder: string, now: Date): Promise<ClaimedRow | null> {
  const [run] = await db.query<{ orchestration_id: string }>(
    'SELECT orchestration_id FROM orchestration_runs WHERE id = $1',
    [runId],
  );
  if (!run) throw new AppError('not_found', `no orchestration run ${runId}`);
  return db.transaction(async (tx) => {
    await lockOrchestration(tx, Number(run.orchestration_id));
    const live = await interruptDeadRuns(tx, Number(run.orchestration_id), now);
    if (live.length > 0) return null;
    const [claimed] = await tx.query<ClaimedRow>(
      `UPDATE orchestration_runs SET state = 'running', holder = $2, heartbeat_at = $3, started_at = $3
        WHERE id = $1 AND state = 'queued'
        RETURNING orchestration_id, trigger, requested_by, repush_of`,
      [runId, holder, now],
    );
    return claimed ?? null;
  });
}

/** Who a run acts as: its requester's label, with the rights checked when it was requested. */
function runActor(requestedBy: string | null): Actor {
  if (requestedBy === null || requestedBy === SCHEDULER.name) return SCHEDULER;
  if (requestedBy === actorLabel(OPERATOR)) return OPERATOR;
  return { userId: requestedBy ?? 'schedule', name: requestedBy ?? 'schedule', role: 'Admin' };
}

function messageOf(error: unknown): string {
  return isAppError(error) ? error.message : error instanceof Error ? error.message : String(error);
}

/**
 * Executes a queued run to its end and returns it; null when it could not be claimed (see
 * claimRun). A failure of the whole run (the provider or the target unreachable, the store)
 * ends it `failed` with the message, and the failed-run alert is sent (once).
 */
export async function executeRun(deps: RunDeps, runId: number): Promise<RunView | null> {
  const { db } = deps;
  const holder = newHolder();
  const claimed = await claimRun(db, runId, holder, deps.now());
  if (!claimed) return null;
  const heartbeat = startHeartbeat(db, runId, holder, deps.now, deps.heartbeatMs);
  const notes: string[] = [];
  let failure: string | null = null;
  try {
    const orchestration = await findOrchestration(db, Number(claimed.orchestration_id));
    const ctx: RunContext = {
      deps,
      runId,
      orchestration,
      actor: runActor(claimed.requested_by),
      note: (line) => notes.push(line),
      step: async (step: RunStep) => {
        await deps.atStep?.(step);
        if (heartbeat.lost()) {
          throw new AppError(
            'conflict',
            `run ${runId} was taken over by another run after its heartbeat stopped`,
          );
        }
      },
    };
    if (claimed.trigger === 'repush') {
      await repushWork(ctx, claimed.repush_of === null ? null : Number(claimed.repush_of));
    } else if (orchestration.goal === 'acquire_contacts') {
      await acquireWork(ctx);
    } else {
      await audienceWork(ctx);
    }
  } catch (error) {
    failure = messageOf(error);
  } finally {
    await heartbeat.stop();
  }
  const counts = await recordCounts(db, runId);
  const message = [failure, ...notes].filter(Boolean).join('; ') || null;
  const state = failure === null ? 'complete' : 'failed';
  const finishedAt = deps.now();
  await db.transaction(async (tx) => {
    const ended = await tx.run(
      `UPDATE orchestration_runs SET state = $3, finished_at = $4, counts = $5::jsonb, message = $6
        WHERE id = $1 AND holder = $2 AND state = 'running'`,
      [runId, holder, state, finishedAt, JSON.stringify(counts), message],
    );
    // A run taken over by another holder is ended (and recorded) by that one.
    if (ended === 0) return;
    await recordAudit(
      tx,
      runActor(claimed.requested_by),
      {
        action: 'orchestration.run_finished',
        targetType: 'orchestration_run',
        targetId: String(runId),
        summary: `run ${runId} of orchestration ${claimed.orchestration_id} ended ${state}${failure ? `: ${failure}` : ''}`,
        counts,
      },
      finishedAt,
    );
  });
  const view = await runView(db, runId);
  if (view.state === 'failed') await sendFailedRunAlert(deps, runId, runActor(claimed.requested_by));
  return view;
}

/** The CLI's `orchestrations run|repush`: requests a run and executes it in this process. */
export async function runNow(deps: RunDeps, props: Omit<RequestRunProps, 'db' | 'now'>): Promise<RunView> {
  const queued = await requestRun({ ...props, db: deps.db, now: deps.now() });
  const done = await executeRun(deps, queued.id);
  if (!done) {
    throw new AppError(
      'conflict',
      `run ${queued.id} of "${props.orchestration.name}" was taken by another process: see signalfit orchestrations history "${props.orchestration.name}"`,
    );
  }
  return done;
}
