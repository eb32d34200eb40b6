import type { Role } from '../../domain/vocabulary';
import type { Access } from '../../http/auth/accessToken';
import { AppError } from '../../errors';
import { SALES_ACTIONS_PERMISSION } from '../../policies/policies';

/** The Salesforce custom permission that gates "Add to Outreach sequence" (docs/outreach.md). */
export { SALES_ACTIONS_PERMISSION };
/** Standalone-app roles that may enroll people. */
export const ENROLLING_ROLES: readonly Role[] = ['Sales', 'Operations', 'Admin'];

export function mayEnroll(access: Access): boolean {
  if (access.perms.includes(SALES_ACTIONS_PERMISSION)) return true;
  return access.role !== null && ENROLLING_ROLES.includes(access.role);
}

export function assertMayEnroll(access: Access): void {
  if (!mayEnroll(access)) {
    throw new AppError(
      'forbidden',
      `adding people to Outreach sequences needs the ${SALES_ACTIONS_PERMISSION} permission (or the Sales, Operations or Admin role)`,
    );
  }
}
