import { compareAccounts, compareModels } from './compareModels';
import {
  approveCandidate,
  listModels,
  pendingCandidate,
  postponeCandidate,
  rejectCandidate,
  rollbackModels,
  trainCandidate,
} from './lifecycle';

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
