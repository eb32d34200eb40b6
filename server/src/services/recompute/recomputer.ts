import { startOfUtcDay } from '../../domain/dates';
import { AppError } from '../../errors';
import { acquireLease } from '../../jobs/lease';
import { actorLabel, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { scoreStore, type ScoreStoreProps, type ScoringObserver } from '../scoring/scoreStore';
import { SCORING_LEASE, SCORING_LEASE_TTL_MS } from '../scoring/scoringLease';
import type { OutboundLimits } from '../../integrations/outbound';
import { sendRunAlerts, type RunAlertsReport } from '../alerts/sendRunAlerts';

/** The steps a recompute goes through, in order (scoreStore's phases). */
export const RECOMPUTE_STEPS = ['read', 'model', 'write'] as const;
export type RecomputeStep = (typeof RECOMPUTE_STEPS)[number];

export interface RecomputeStatus {
  state: 'idle' | 'running' | 'done' | 'failed';
  /** While running: the step under way, and how many of the steps are done. */
  step: RecomputeStep | null;
  stepsDone: number;
  stepsTotal: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** Who asked (the user's name). */
  startedBy: string | null;
  /** The run it stored, once done. */
  runId: number | null;
  error: string | null;
}

export interface Recomputer {
  status(): RecomputeStatus;
  /**
   * Starts a recompute in the background; `conflict` while one runs here or on another instance,
   * or while the scheduled scoring runs (they share the scoring lease).
   */
  start(actor: Actor): Promise<RecomputeStatus>;
  /** Settles when the recompute under way (if any) ends; for tests and shutdown. */
  settled(): Promise<void>;
}

export interface RecomputerProps {
  db: Db;
  now: () => Date;
  /** The scoring run (default: scoreStore); tests may slow it down. */
  score?: (db: Db, props: ScoreStoreProps) => Promise<{ runId: number }>;
  /** Watches the runs (metrics, /readyz). */
  observer?: ScoringObserver;
  /** Sends each run's alerts once it is stored (docs/alerts.md); absent: no alerts. */
  alerts?: RecomputeAlerts;
}

export interface RecomputeAlerts {
  secretKey: string | null;
  publicUrl: string | null;
  outbound: OutboundLimits;
  /** Told what the alerts of a run did, or why they could not be sent (the service logs it). */
  onReport?: (report: RunAlertsReport | Error) => void;
}

/**
 * "Recompute now" of the standalone app: scores the store as of today (UTC), one run at a time,
 * and reports its progress step by step.
 */
export function createRecomputer(props: RecomputerProps): Recomputer {
  const score = props.score ?? scoreStore;
  let current: RecomputeStatus = {
    state: 'idle',
    step: null,
    stepsDone: 0,
    stepsTotal: RECOMPUTE_STEPS.length,
    startedAt: null,
    finishedAt: null,
    startedBy: null,
    runId: null,
    error: null,
  };
  let running: Promise<void> = Promise.resolve();

  return {
    status: () => ({ ...current }),
    settled: () => running,
    async start(actor) {
      const startedBy = actorLabel(actor);
      if (current.state === 'running') {
        throw new AppError('conflict', `scores are being recomputed already (asked by ${current.startedBy})`);
      }
      const lease = await acquireLease(props.db, SCORING_LEASE, { ttlMs: SCORING_LEASE_TTL_MS });
      const now = props.now();
      const asOf = startOfUtcDay(now);
      await recordAudit(
        props.db,
        actor,
        {
          action: 'score.recompute',
          targetType: 'score_run',
          summary: `asked to recompute the scores as of ${asOf.toISOString().slice(0, 10)}`,
        },
        now,
      );
      current = {
        ...current,
        state: 'running',
        step: 'read',
        stepsDone: 0,
        startedAt: now.toISOString(),
        finishedAt: null,
        startedBy,
        runId: null,
        error: null,
      };
      running = (async () => {
        try {
          const result = await score(props.db, {
            asOf,
            actor,
            // A lost lease stops the run, and its fence refuses the commit.
            signal: lease.signal,
            beforeCommit: lease.fence,
            observer: props.observer,
            onPhase: (phase) => {
              const done = RECOMPUTE_STEPS.indexOf(phase) + 1;
              current = { ...current, stepsDone: done, step: RECOMPUTE_STEPS[done] ?? null };
            },
          });
          if (props.alerts) await recomputeAlerts(props.db, result.runId, props.now(), props.alerts, actor);
          current = {
            ...current,
            state: 'done',
            step: null,
            stepsDone: RECOMPUTE_STEPS.length,
            runId: result.runId,
            finishedAt: props.now().toISOString(),
          };
        } catch (error) {
          current = {
            ...current,
            state: 'failed',
            step: null,
            error: error instanceof AppError ? error.message : 'scoring failed: see the service log',
            finishedAt: props.now().toISOString(),
          };
        } finally {
          await lease.release().catch(() => undefined);
        }
      })();
      return { ...current };
    },
  };
}

/** The alerts of a recomputed run: a failure is reported, never the recompute's. */
async function recomputeAlerts(
  db: Db,
  runId: number,
  now: Date,
  alerts: RecomputeAlerts,
  actor: Actor,
): Promise<void> {
  try {
    alerts.onReport?.(await sendRunAlerts(db, { runId, now, actor, ...alerts }));
  } catch (error) {
    alerts.onReport?.(error instanceof Error ? error : new Error(String(error)));
  }
}
