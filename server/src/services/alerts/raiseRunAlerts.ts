import type { AlertEvent } from '../../domain/segments/definition';
import type { Db } from '../../store/db';

export interface RaisedAlerts {
  /** New alerts stored for this run (a rerun of the same day stores none again). */
  raised: number;
  /** Subscriptions left out, and why (no recorded membership to compare). */
  skipped: string[];
}

interface RunRow {
  id: string;
  as_of: string;
  [column: string]: unknown;
}

interface SubscriptionRow {
  id: string;
  segment_id: string;
  segment_name: string;
  event: AlertEvent;
  has_webhook: boolean;
  baseline_run_id: string | null;
  [column: string]: unknown;
}

/** Whether each event holds for a member `m` of this run, its scores `s` now and `p` in the comparison run. */
const EVENT_CONDITION: Record<AlertEvent, string> = {
  // Qualified now, and not in the comparison run (unscored then counts as not qualified).
  became_qualified: 'coalesce(s.qualified, false) AND NOT coalesce(p.qualified, false)',
  // Decision or Purchase now, from a lower stage (or none) then.
  stage_advanced: `s.buying_stage IN ('Decision', 'Purchase')
    AND coalesce(array_position(${stageArray()}, p.buying_stage), 0) < array_position(${stageArray()}, s.buying_stage)`,
  // A member now that was not one in the comparison run.
  entered_segment: 'b.account_id IS NULL',
};

function stageArray(): string {
  return `ARRAY['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase']::text[]`;
}

/** The strongest reason that raised the intent score, else the profile fit (reasons json of account_scores). */
const TOP_REASON = `(
  SELECT r.value ->> 'text'
    FROM (
      SELECT value, 0 AS k FROM json_array_elements(
        CASE WHEN json_typeof(s.reasons -> 'intent') = 'array' THEN s.reasons -> 'intent' ELSE '[]'::json END)
      UNION ALL
      SELECT value, 1 FROM json_array_elements(
        CASE WHEN json_typeof(s.reasons -> 'profile') = 'array' THEN s.reasons -> 'profile' ELSE '[]'::json END)
    ) r
   WHERE json_typeof(r.value -> 'weight') = 'number' AND (r.value ->> 'weight')::float8 > 0
   ORDER BY r.k, (r.value ->> 'weight')::float8 DESC
   LIMIT 1)`;

/**
 * Stores the alerts of a complete run (run day = its as_of), one per subscription, account and
 * event, from the membership the run recorded (segment_run_members): each subscription's segment
 * is compared with the complete run before this one, which on a subscription's first run is its
 * baseline (the run current when it was made). A run that is not later than a subscription's
 * baseline raises nothing for it. Alerts of a subscription without a webhook are `in_app`, the
 * others `pending` until sent. The key (subscription, account, event, run day) makes a rerun, or
 * a second run of the same day, store nothing twice.
 */
export async function raiseRunAlerts(db: Db, runId: number): Promise<RaisedAlerts> {
  const [run] = await db.query<RunRow>(
    `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM score_runs WHERE id = $1 AND status = 'complete'`,
    [runId],
  );
  if (!run) return { raised: 0, skipped: [`run ${runId} is not a complete score run`] };
  const [previous] = await db.query<{ id: string }>(
    `SELECT c.id FROM score_runs c, score_runs r
      WHERE r.id = $1 AND c.status = 'complete' AND (c.as_of, c.id) < (r.as_of, r.id)
      ORDER BY c.as_of DESC, c.id DESC LIMIT 1`,
    [runId],
  );
  const comparisonRun = previous ? Number(previous.id) : null;
  // Subscriptions whose baseline is before this run (or that were made before any run).
  const subscriptions = await db.query<SubscriptionRow>(
    `SELECT s.id, s.segment_id, g.name AS segment_name, s.event, s.webhook_sealed IS NOT NULL AS has_webhook, s.baseline_run_id
       FROM alert_subscriptions s
       JOIN segments g ON g.id = s.segment_id
       JOIN score_runs r ON r.id = $1
       LEFT JOIN score_runs base ON base.id = s.baseline_run_id
      WHERE s.baseline_run_id IS NULL OR (base.as_of, base.id) < (r.as_of, r.id)
      ORDER BY s.id`,
    [runId],
  );
  let raised = 0;
  const skipped: string[] = [];
  for (const sub of subscriptions) {
    const recorded = await db.query<{ run_id: string }>(
      'SELECT run_id FROM segment_run_members WHERE segment_id = $1 AND run_id = ANY ($2::bigint[])',
      [sub.segment_id, [runId, comparisonRun].filter((id) => id !== null)],
    );
    const has = (id: number | null) => recorded.some((row) => Number(row.run_id) === id);
    if (!has(runId)) {
      skipped.push(
        `subscription ${sub.id} (${sub.segment_name}): run ${runId} recorded no membership of the segment`,
      );
      continue;
    }
    if (sub.event === 'entered_segment' && comparisonRun !== null && !has(comparisonRun)) {
      // Without the membership of then, everyone would look new.
      skipped.push(
        `subscription ${sub.id} (${sub.segment_name}): run ${comparisonRun} recorded no membership of the segment to compare with`,
      );
      continue;
    }
    raised += await db.run(
      `WITH now_members AS (
         SELECT DISTINCT unnest(account_ids) AS account_id FROM segment_run_members WHERE run_id = $4 AND segment_id = $5
       ), before_members AS (
         SELECT DISTINCT unnest(account_ids) AS account_id FROM segment_run_members WHERE run_id = $7 AND segment_id = $5
       )
       INSERT INTO alert_deliveries (subscription_id, account_id, event, run_day, run_id, segment_id, details, state)
       SELECT $1, m.account_id, $2, $3::date, $4, $5,
              jsonb_build_object(
                'name', a.name,
                'profileFit', s.profile_fit,
                'buyingStage', s.buying_stage,
                'intentScore', s.intent_score,
                'topReason', ${TOP_REASON},
                'previousBuyingStage', p.buying_stage,
                'previouslyQualified', p.qualified),
              $6
         FROM now_members m
         LEFT JOIN account_scores s ON s.run_id = $4 AND s.account_id = m.account_id
         LEFT JOIN account_scores p ON p.run_id = $7 AND p.account_id = m.account_id
         LEFT JOIN before_members b ON b.account_id = m.account_id
         LEFT JOIN accounts a ON a.id = m.account_id
        WHERE ${EVENT_CONDITION[sub.event]}
       ON CONFLICT DO NOTHING`,
      [
        sub.id,
        sub.event,
        run.as_of,
        runId,
        sub.segment_id,
        sub.has_webhook ? 'pending' : 'in_app',
        comparisonRun,
      ],
    );
  }
  return { raised, skipped };
}
