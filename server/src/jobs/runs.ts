import type { Db } from '../store/db';

/** The runs of the sync, the write-back and the daily schedule (table job_runs). */
export type RunKind = 'salesforce_sync' | 'salesforce_writeback' | 'daily';
export type RunStatus = 'running' | 'complete' | 'paused' | 'failed';

export interface RunRecord {
  id: number;
  kind: RunKind;
  trigger: string;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  counts: Record<string, unknown>;
  errors: unknown[];
}

/** Checks, in the transaction of a write, that the job still holds its lease (Lease.fence). */
export type Fence = (tx: Db) => Promise<void>;

export async function startRun(db: Db, kind: RunKind, trigger: string, fence?: Fence): Promise<number> {
  return db.transaction(async (tx) => {
    await fence?.(tx);
    const [row] = await tx.query<{ id: number }>(
      'INSERT INTO job_runs (kind, trigger) VALUES ($1, $2) RETURNING id::int AS id',
      [kind, trigger],
    );
    return row!.id;
  });
}

/** Records a run's outcome; with a fence, only while the job still holds its lease. */
export async function finishRun(
  db: Db,
  id: number,
  outcome: { status: Exclude<RunStatus, 'running'>; counts?: unknown; errors?: unknown[] },
  fence?: Fence,
): Promise<void> {
  await db.transaction(async (tx) => {
    await fence?.(tx);
    await tx.query(
      'UPDATE job_runs SET status = $2, finished_at = now(), counts = $3, errors = $4 WHERE id = $1',
      [id, outcome.status, JSON.stringify(outcome.counts ?? {}), JSON.stringify(outcome.errors ?? [])],
    );
  });
}

/** Runs left `running` by a process that died: called by whoever holds the lease of that kind. */
export async function markInterrupted(db: Db, kind: RunKind): Promise<void> {
  await db.query(
    `UPDATE job_runs SET status = 'failed', finished_at = now(),
       errors = errors || '["interrupted: the process ended before the run finished"]'::jsonb
     WHERE kind = $1 AND status = 'running'`,
    [kind],
  );
}

/** The latest runs first; `before` (a run id) pages back. */
export async function listRuns(
  db: Db,
  options: { limit: number; before?: number; kind?: RunKind },
): Promise<RunRecord[]> {
  const rows = await db.query<{
    id: number;
    kind: RunKind;
    trigger: string;
    status: RunStatus;
    started_at: Date;
    finished_at: Date | null;
    counts: Record<string, unknown>;
    errors: unknown[];
  }>(
    `SELECT id::int AS id, kind, trigger, status, started_at, finished_at, counts, errors FROM job_runs
     WHERE ($2::bigint IS NULL OR id < $2) AND ($3::text IS NULL OR kind = $3)
     ORDER BY id DESC LIMIT $1`,
    [options.limit, options.before ?? null, options.kind ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    counts: r.counts,
    errors: r.errors,
  }));
}

/**
 * Runs `work` as a recorded run: `running` first, then its outcome. Work that returns a
 * `status` of `paused` (the API budget) is recorded as paused; a throw is recorded as failed
 * and thrown on. With a `fence`, the run's records are written only while the job holds its
 * lease: a holder that lost it leaves the run `running`, for the next holder to mark interrupted.
 */
export async function recordRun<T extends { status?: string }>(
  db: Db,
  kind: RunKind,
  trigger: string,
  work: () => Promise<T>,
  fence?: Fence,
): Promise<T> {
  const id = await startRun(db, kind, trigger, fence);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await finishRun(
      db,
      id,
      { status: 'failed', errors: [error instanceof Error ? error.message : String(error)] },
      fence,
    ).catch(() => undefined); // the work's own error is the one to report
    throw error;
  }
  await finishRun(
    db,
    id,
    { status: result.status === 'paused' ? 'paused' : 'complete', counts: result },
    fence,
  );
  return result;
}
