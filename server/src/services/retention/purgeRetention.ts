import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { describeRetention, getRetention, type RetentionSettings } from './retentionSettings';

/** The daily job acting on its own: recorded in the audit log under this name. */
export const RETENTION_ACTOR: Actor = {
  userId: 'schedule',
  name: 'daily job',
  role: 'Admin',
  kind: 'operator',
};

/** Rows per delete statement: each batch is its own short transaction, so a kill loses nothing. */
export const DEFAULT_BATCH = 10_000;

export interface PurgeProps {
  db: Db;
  now: Date;
  settings?: RetentionSettings;
  batchSize?: number;
  signal?: AbortSignal;
  actor?: Actor;
}

export interface PurgeReport {
  status: 'complete' | 'skipped';
  reason?: string;
  /** Rows deleted per table. */
  deleted: Record<string, number>;
}

const DAY_MS = 86_400_000;

/**
 * Applies the retention settings (docs/retention.md): deletes what is older than each class
 * allows, in batches of `batchSize` rows, each its own statement. A purge stopped half-way (a
 * kill, a lost lease) leaves only whole rows deleted; the next run deletes the rest. Score runs
 * being purged are first marked failed, so no reader takes a run whose rows are half gone.
 */
export async function purgeRetention(props: PurgeProps): Promise<PurgeReport> {
  const { db } = props;
  const settings = props.settings ?? (await getRetention(db));
  if (Object.values(settings).every((value) => value === null)) {
    return { status: 'skipped', reason: 'every class is kept (no retention set)', deleted: {} };
  }
  const batch = props.batchSize ?? DEFAULT_BATCH;
  const deleted: Record<string, number> = {};
  const purge = async (table: string, where: string, params: unknown[]) => {
    deleted[table] =
      (deleted[table] ?? 0) + (await deleteInBatches(db, table, where, params, batch, props.signal));
  };
  const cutoff = (days: number) => new Date(props.now.getTime() - days * DAY_MS);

  if (settings.activitiesDays !== null) {
    await purge('activities', 'occurred_at < $1', [cutoff(settings.activitiesDays)]);
  }
  if (settings.outboundDays !== null) {
    const before = cutoff(settings.outboundDays);
    await purge('outreach_enrollment_attempts', 'attempted_at < $1', [before]);
    // Answers kept for retried requests; one still running is left alone.
    await purge('outreach_enrollment_requests', 'finished_at < $1', [before]);
    // Alerts sent, failed or in-app only; the current run's are kept, so no rerun raises them again.
    await purge(
      'alert_deliveries',
      `created_at < $1 AND state IN ('sent', 'failed', 'in_app')
       AND run_id IS DISTINCT FROM (SELECT id FROM score_runs WHERE status = 'complete' ORDER BY as_of DESC, id DESC LIMIT 1)`,
      [before],
    );
  }
  if (settings.scoreRuns !== null) await purgeScoreRuns(settings.scoreRuns, purge, props);
  if (settings.auditDays !== null) await purge('audit_log', 'at < $1', [cutoff(settings.auditDays)]);

  const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
  await recordAudit(
    db,
    props.actor ?? RETENTION_ACTOR,
    {
      action: 'retention.purge',
      targetType: 'settings',
      targetId: 'retention',
      summary: `retention purge deleted ${total} rows (${describeRetention(settings)})`,
      counts: deleted,
    },
    props.now,
  );
  return { status: 'complete', deleted };
}

/**
 * The complete runs beyond the latest `keep` (and failed runs older than those), except runs
 * that something still points to: an alert subscription's baseline (its first run compares with
 * it). The current run is always among the latest `keep` (keep ≥ 1), and a run still being written
 * is never touched.
 */
async function purgeScoreRuns(
  keep: number,
  purge: (table: string, where: string, params: unknown[]) => Promise<void>,
  props: PurgeProps,
): Promise<void> {
  const { db } = props;
  const rows = await db.query<{ id: string }>(
    `WITH oldest_kept AS (
       SELECT as_of, id FROM score_runs WHERE status = 'complete' ORDER BY as_of DESC, id DESC OFFSET $1 LIMIT 1)
     SELECT r.id FROM score_runs r, oldest_kept k
      WHERE r.status <> 'running' AND (r.as_of, r.id) < (k.as_of, k.id)
        AND NOT EXISTS (SELECT 1 FROM alert_subscriptions s WHERE s.baseline_run_id = r.id)
      ORDER BY r.id`,
    [keep - 1],
  );
  const ids = rows.map((row) => Number(row.id));
  if (ids.length === 0) return;
  // Hidden from every reader (they take complete runs) before the first row goes.
  await db.run(
    `UPDATE score_runs SET status = 'failed' WHERE id = ANY ($1::bigint[]) AND status = 'complete'`,
    [ids],
  );
  for (const id of ids) {
    await purge('account_scores', 'run_id = $1', [id]);
    await purge('contact_scores', 'run_id = $1', [id]);
    await purge('score_reason_sets', 'run_id = $1', [id]);
    await purge('segment_run_members', 'run_id = $1', [id]);
    await purge('score_runs', 'id = $1', [id]);
  }
}

/** Deletes the rows of `table` matching `where`, at most `batch` per statement, until none is left. */
export async function deleteInBatches(
  db: Db,
  table: string,
  where: string,
  params: unknown[],
  batch: number,
  signal?: AbortSignal,
): Promise<number> {
  let total = 0;
  for (;;) {
    signal?.throwIfAborted();
    const n = await db.run(
      `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT ${Math.trunc(batch)}))`,
      params,
    );
    total += n;
    if (n < batch) return total;
  }
}
