import { AppError } from '../../errors';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import {
  getOffboardingState,
  updateOffboardingState,
  type OffboardingState,
  type StepRecord,
} from './offboardingState';

export interface ChecklistStep {
  id: string;
  title: string;
  done: boolean;
  at: string | null;
  by: string | null;
  detail: string | null;
  /** The exact command that does the step, or null for a step done by hand in the app. */
  command: string | null;
  /** Whether an Admin marks it done in the app (POST /api/offboarding/:step). */
  manual: boolean;
}

/** The steps an Admin marks done by hand, and where their record lives. */
export const MANUAL_STEPS = { 'opt-outs': 'optOutsReviewed', credits: 'creditsUsed' } as const;
export type ManualStep = keyof typeof MANUAL_STEPS;

const record = (step: StepRecord | undefined) => ({
  done: !!step,
  at: step?.at ?? null,
  by: step?.by ?? null,
});

/** The offboarding checklist in the guide's order, with each step's state (docs/offboarding.md). */
export function checklistOf(state: OffboardingState): ChecklistStep[] {
  const disconnect = state.disconnect;
  return [
    {
      id: 'export',
      title: 'Export everything',
      ...record(state.export),
      detail: state.export ? `${state.export.file}, SHA-256 ${state.export.sha256}` : null,
      command: 'signalfit offboard export <dir>',
      manual: false,
    },
    {
      id: 'disconnect',
      title: 'Disconnect integrations (Outreach, Salesforce sync and write-back, alert webhooks, providers)',
      ...record(disconnect),
      detail: disconnect
        ? Object.entries(disconnect.counts)
            .map(([what, n]) => `${what} ${n}`)
            .join(', ')
        : null,
      command: 'signalfit offboard disconnect',
      manual: false,
    },
    {
      id: 'salesforce-cleanup',
      title: 'Remove the Salesforce package (fields, permission sets, component, Apex, trusted site)',
      ...record(state.salesforceCleanup),
      detail: state.salesforceCleanup?.detail ?? null,
      command: 'signalfit offboard salesforce-cleanup <dir> [--clear-fields]',
      manual: false,
    },
    {
      id: 'opt-outs',
      title: 'Review the opt-out report and remove those people downstream',
      ...record(state.optOutsReviewed),
      detail: null,
      command: null,
      manual: true,
    },
    {
      id: 'credits',
      title: 'Use or review the remaining credits',
      ...record(state.creditsUsed),
      detail: null,
      command: null,
      manual: true,
    },
    {
      id: 'delete',
      title: 'Delete everything and keep the signed deletion certificate (command line only)',
      done: false,
      at: null,
      by: null,
      detail: null,
      command: 'signalfit offboard delete',
      manual: false,
    },
  ];
}

export async function getChecklist(db: Db, actor: Actor): Promise<ChecklistStep[]> {
  authorize(actor, 'offboarding.manage', 'reading the offboarding checklist');
  return checklistOf(await getOffboardingState(db));
}

export function isManualStep(step: string): step is ManualStep {
  return Object.hasOwn(MANUAL_STEPS, step);
}

/** Marks a manual step done (an Admin in the app); recorded as `offboarding.step`. */
export async function markStepDone(props: {
  db: Db;
  actor: Actor;
  step: string;
  now?: Date;
}): Promise<ChecklistStep[]> {
  authorize(props.actor, 'offboarding.manage', 'marking an offboarding step done');
  if (!isManualStep(props.step))
    throw new AppError('not_found', `no manual offboarding step ${props.step} (opt-outs, credits)`);
  const now = props.now ?? new Date();
  return props.db.transaction(async (tx) => {
    const state = await updateOffboardingState(tx, {
      [MANUAL_STEPS[props.step as ManualStep]]: { at: now.toISOString(), by: actorLabel(props.actor) },
    });
    await recordAudit(
      tx,
      props.actor,
      {
        action: 'offboarding.step',
        targetType: 'offboarding',
        targetId: props.step,
        summary: `marked offboarding step ${props.step} done`,
      },
      now,
    );
    return checklistOf(state);
  });
}
