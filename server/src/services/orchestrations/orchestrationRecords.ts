import type {
  AudienceFilters,
  OrchestrationFilters,
  OrchestrationSchedule,
  OrchestrationTarget,
} from '../../domain/orchestrations/types';
import type { OrchestrationGoal, RunState, RunTrigger } from '../../domain/orchestrations/vocabulary';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';

/** An orchestration as stored, with the names of its segment and provider. */
export interface OrchestrationRecord {
  id: number;
  name: string;
  goal: OrchestrationGoal;
  segment: { id: number; name: string };
  provider: { id: number; name: string } | null;
  target: OrchestrationTarget;
  filters: OrchestrationFilters;
  audience: AudienceFilters;
  schedule: OrchestrationSchedule;
  cooldownDays: number;
  owner: string | null;
  ownerUserId: string | null;
  version: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

/** A run as the API and the CLI show it. */
export interface RunView {
  id: number;
  trigger: RunTrigger;
  state: RunState;
  requestedBy: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  counts: { purchased: number; pushed: number; skipped: number; failed: number };
  message: string | null;
}

type OrchestrationRow = {
  id: string | number;
  name: string;
  goal: OrchestrationGoal;
  segment_id: string | number;
  segment_name: string;
  provider_id: string | number | null;
  provider_name: string | null;
  target: OrchestrationTarget;
  filters: OrchestrationFilters;
  audience: AudienceFilters;
  schedule: OrchestrationSchedule;
  cooldown_days: number;
  owner: string | null;
  owner_user_id: string | null;
  version: number;
  created_at: Date | string;
  created_by: string | null;
  updated_at: Date | string;
  updated_by: string | null;
  [column: string]: unknown;
};

export type RunRow = {
  id: string | number;
  trigger: RunTrigger;
  state: RunState;
  requested_by: string | null;
  queued_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  counts: Partial<RunView['counts']> | null;
  message: string | null;
  [column: string]: unknown;
};

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** Orchestrations with their segment's and provider's names (`WHERE` on `o` and `ORDER BY` follow). */
export const ORCHESTRATION_SELECT = `
  SELECT o.id, o.name, o.goal, o.segment_id, s.name AS segment_name, o.provider_id,
         p.name AS provider_name, o.target, o.filters, o.audience, o.schedule, o.cooldown_days,
         o.owner, o.owner_user_id, o.version, o.created_at, o.created_by, o.updated_at, o.updated_by
    FROM orchestrations o
    JOIN segments s ON s.id = o.segment_id
    LEFT JOIN contact_providers p ON p.id = o.provider_id`;

export function toOrchestration(row: OrchestrationRow): OrchestrationRecord {
  return {
    id: Number(row.id),
    name: row.name,
    goal: row.goal,
    segment: { id: Number(row.segment_id), name: row.segment_name },
    provider:
      row.provider_id === null ? null : { id: Number(row.provider_id), name: row.provider_name ?? '' },
    target: row.target,
    filters: row.filters,
    audience: row.audience,
    schedule: row.schedule,
    cooldownDays: row.cooldown_days,
    owner: row.owner,
    ownerUserId: row.owner_user_id,
    version: row.version,
    createdAt: iso(row.created_at)!,
    createdBy: row.created_by,
    updatedAt: iso(row.updated_at)!,
    updatedBy: row.updated_by,
  };
}

/** Orchestrations filtered by `where` (on `o`), sorted by name. */
export async function selectOrchestrations(
  db: Db,
  where = '',
  params: unknown[] = [],
): Promise<OrchestrationRecord[]> {
  const rows = await db.query<OrchestrationRow>(
    `${ORCHESTRATION_SELECT} ${where ? `WHERE ${where}` : ''} ORDER BY lower(o.name), o.id`,
    params,
  );
  return rows.map(toOrchestration);
}

/** `:id` of the API and `<name>` of the CLI: digits are an id, anything else a name (any case). */
export async function findOrchestration(db: Db, ref: string | number): Promise<OrchestrationRecord> {
  const text = String(ref).trim();
  const byId = /^\d+$/.test(text);
  const [found] = await selectOrchestrations(db, byId ? 'o.id = $1' : 'lower(o.name) = lower($1)', [text]);
  if (!found) {
    throw new AppError(
      'not_found',
      `no orchestration ${byId ? `with id ${text}` : `named "${text}"`}: see signalfit orchestrations list`,
    );
  }
  return found;
}

export function toRunView(row: RunRow): RunView {
  const counts = row.counts ?? {};
  return {
    id: Number(row.id),
    trigger: row.trigger,
    state: row.state,
    requestedBy: row.requested_by,
    queuedAt: iso(row.queued_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    counts: {
      purchased: counts.purchased ?? 0,
      pushed: counts.pushed ?? 0,
      skipped: counts.skipped ?? 0,
      failed: counts.failed ?? 0,
    },
    message: row.message,
  };
}

export const RUN_SELECT = `
  SELECT id, trigger, state, requested_by, queued_at, started_at, finished_at, counts, message
    FROM orchestration_runs`;
