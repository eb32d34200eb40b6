import { compareAccounts, compareModels } from './compareModels';
import {
  approveCandidate,
  listModels,
  pendingCandidate,
  postponeCandidate,
  rejectCandidate,
  rollbackModels,
  trainCandidate,
  type RescoreHook,
} from './lifecycle';
import type { ModelNotify } from './notices';

/**
 * The model lifecycle's use cases (docs/models.md) as the command line and the HTTP routes call
 * them: one object, so a test of either edge can hand in fakes and the real ones are the default.
 */
export const MODEL_SERVICES = {
  listModels,
  pendingCandidate,
  trainCandidate,
  approveCandidate,
  postponeCandidate,
  rejectCandidate,
  rollbackModels,
  compareModels,
  compareAccounts,
};
export type ModelServices = typeof MODEL_SERVICES;

/** What follows a change, built where the configuration is read (main.ts `modelRescore`, `modelNotify`). */
export interface ModelHooks {
  /** After an approval or a rollback: the current day rescored, then the Salesforce write-back. */
  rescore?: RescoreHook;
  /** After a training: Admins told at once through the alert webhooks. */
  notify?: ModelNotify;
}

/** `services` with the hooks given to every training, approval and rollback. */
export function withModelHooks(hooks: ModelHooks, services: ModelServices = MODEL_SERVICES): ModelServices {
  return {
    ...services,
    trainCandidate: (db, props) => services.trainCandidate(db, { notify: hooks.notify, ...props }),
    approveCandidate: (db, props) => services.approveCandidate(db, { rescore: hooks.rescore, ...props }),
    rollbackModels: (db, props) => services.rollbackModels(db, { rescore: hooks.rescore, ...props }),
  };
}
