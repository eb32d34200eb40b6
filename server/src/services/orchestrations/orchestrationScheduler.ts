import { nextRunAt } from '../../domain/orchestrations/schedule';
import type { OrchestrationSchedule } from '../../domain/orchestrations/types';
import { SCHEDULER } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';

/**
 * The orchestrations' schedule (docs/orchestration-runs.md "Scheduler"): every `tickMs` (a
 * minute), each daily or weekly orchestration whose next slot has come gets a queued run for that
 * slot. The slot is the first after the orchestration's latest scheduled slot (or after its last
 * change, before its first); when several have passed (no instance was up) only the latest is
 * run: missed slots are not made up for. The unique index orchestration_runs (orchestration_id,
 * slot) makes each slot one run across every instance sharing the store.
 */
export interface OrchestrationScheduler {
  /** One round now (tests; the timer calls it every tick). Returns the runs it queued. */
  tick(): Promise<number[]>;
  stop(): Promise<void>;
}

interface DueRow {
  id: string;
  name: string;
  schedule: OrchestrationSchedule;
  updated_at: Date | string;
  last_slot: Date | string | null;
  [column: string]: unknown;
}

/** The latest slot at or before `now` after `base`; null when none has come. */
export function dueSlot(schedule: OrchestrationSchedule, base: Date, now: Date): Date | null {
  let slot = nextRunAt(schedule, base);
  if (!slot || slot > now) return null;
  for (;;) {
    const next = nextRunAt(schedule, slot);
    if (!next || next > now) return slot;
    slot = next;
  }
}

/** Queues the runs of the slots that have come; returns their ids. */
export async function queueDueRuns(db: Db, now: Date): Promise<number[]> {
  const rows = await db.query<DueRow>(
    `SELECT o.id, o.name, o.schedule, o.updated_at,
            (SELECT max(r.slot) FROM orchestration_runs r WHERE r.orchestration_id = o.id) AS last_slot
       FROM orchestrations o WHERE o.schedule <> '"manual"'::jsonb`,
  );
  const queued: number[] = [];
  for (const row of rows) {
    const updated = new Date(row.updated_at);
    const last = row.last_slot === null ? null : new Date(row.last_slot);
    const base = last && last > updated ? last : updated;
    const slot = dueSlot(row.schedule, base, now);
    if (!slot) continue;
    const inserted = await db.transaction(async (tx) => {
      const [run] = await tx.query<{ id: string }>(
        `INSERT INTO orchestration_runs (orchestration_id, trigger, state, requested_by, queued_at, slot)
         VALUES ($1, 'schedule', 'queued', $4, $2, $3)
         ON CONFLICT (orchestration_id, slot) WHERE slot IS NOT NULL DO NOTHING
         RETURNING id`,
        [Number(row.id), now, slot, SCHEDULER.name],
      );
      if (run) {
        await recordAudit(
          tx,
          SCHEDULER,
          {
            action: 'orchestration.run_queued',
            targetType: 'orchestration',
            targetId: String(row.id),
            summary: `queued the ${slot.toISOString()} run of orchestration "${row.name}"`,
            counts: { run: Number(run.id) },
          },
          now,
        );
      }
      return run;
    });
    if (inserted) queued.push(Number(inserted.id));
  }
  return queued;
}

export const SCHEDULER_TICK_MS = 60_000;

export function startOrchestrationScheduler(props: {
  db: Db;
  now?: () => Date;
  tickMs?: number;
  /** Told of the runs a round queued (serve wakes its run worker). */
  onQueued?: (runIds: number[]) => void;
  onError?: (error: unknown) => void;
}): OrchestrationScheduler {
  const now = props.now ?? (() => new Date());
  let stopped = false;
  let round: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    const queued = await queueDueRuns(props.db, now());
    if (queued.length > 0) props.onQueued?.(queued);
    return queued;
  };
  const loop = () => {
    timer = setTimeout(() => {
      round = tick()
        .catch((error: unknown) => props.onError?.(error))
        .finally(() => {
          if (!stopped) loop();
        });
    }, props.tickMs ?? SCHEDULER_TICK_MS);
    timer.unref();
  };
  loop();
  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
