import type { Db } from '../../store/db';

/**
 * What a history row of an orchestration records. Enabling or disabling restricted regions is
 * its own action (besides the `created` or `updated` row of the same save), so it can be found.
 */
export const ORCHESTRATION_CHANGE_ACTIONS = [
  'created',
  'updated',
  'deleted',
  'restricted_regions_enabled',
  'restricted_regions_disabled',
] as const;
export type OrchestrationChangeAction = (typeof ORCHESTRATION_CHANGE_ACTIONS)[number];

/** One change of an orchestration: the version it made (or left), who, when, what it was and became. */
export interface OrchestrationChange {
  version: number;
  action: OrchestrationChangeAction;
  changedBy: string | null;
  changedAt: string;
  oldValue: unknown;
  newValue: unknown;
}

/** Appends a history row. */
export async function recordOrchestrationChange(
  tx: Db,
  change: {
    orchestrationId: number;
    version: number;
    action: OrchestrationChangeAction;
    by: string;
    at: Date;
    oldValue: unknown;
    newValue: unknown;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO orchestration_changes (orchestration_id, version, action, changed_by, changed_at, old_value, new_value)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
    [
      change.orchestrationId,
      change.version,
      change.action,
      change.by,
      change.at.toISOString(),
      change.oldValue === null ? null : JSON.stringify(change.oldValue),
      change.newValue === null ? null : JSON.stringify(change.newValue),
    ],
  );
}

/** Every change of an orchestration (kept after it is deleted), oldest first. */
export async function orchestrationChanges(db: Db, orchestrationId: number): Promise<OrchestrationChange[]> {
  const rows = await db.query<{
    version: number;
    action: OrchestrationChangeAction;
    changed_by: string | null;
    changed_at: Date | string;
    old_value: unknown;
    new_value: unknown;
  }>(
    `SELECT version, action, changed_by, changed_at, old_value, new_value
       FROM orchestration_changes WHERE orchestration_id = $1 ORDER BY id`,
    [orchestrationId],
  );
  return rows.map((row) => ({
    version: row.version,
    action: row.action,
    changedBy: row.changed_by,
    changedAt: new Date(row.changed_at).toISOString(),
    oldValue: row.old_value,
    newValue: row.new_value,
  }));
}

/**
 * The restricted-regions row a save adds, when it turns `filters.allowRestrictedRegions` on or
 * off (absent counts as off), else null.
 */
export function restrictedRegionsChange(
  before: boolean,
  after: boolean,
): 'restricted_regions_enabled' | 'restricted_regions_disabled' | null {
  if (before === after) return null;
  return after ? 'restricted_regions_enabled' : 'restricted_regions_disabled';
}
