import { AppError } from '../errors';
import type { Role } from '../domain/vocabulary';

/**
 * Who may do what, in one place: routes, services, the CLI and the app ask here (the app gets
 * the answers with the session). `http/` only turns a refusal into 403. Issue 18 extends the
 * action list to the whole role matrix; the rows here are that matrix's, so nothing changes
 * for these actions then.
 */
export const ACTIONS = [
  // view accounts, people, scores, segments and their members
  'segments.view',
  // create, edit, delete segments, upload lists, export CSV
  'segments.edit',
  'segments.publish',
  'alerts.manage',
  'scores.recompute',
  // segment performance reports
  'reports.segments',
  // administrator reports (model insights)
  'reports.model',
  // view orchestrations, their runs and history
  'orchestrations.view',
  // create, edit, run, re-push orchestrations; providers; credits
  'orchestrations.manage',
  // let an orchestration buy people in restricted regions
  'orchestrations.restricted_regions',
  // buy one person from the panel ("find more people like this")
  'contacts.acquire',
] as const;
export type Action = (typeof ACTIONS)[number];

const MATRIX: Record<Action, readonly Role[]> = {
  'segments.view': ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only'],
  'segments.edit': ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights'],
  'segments.publish': ['Admin', 'Operations'],
  'alerts.manage': ['Admin', 'Operations', 'Marketing'],
  'scores.recompute': ['Admin', 'Operations'],
  'reports.segments': ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only'],
  'reports.model': ['Admin', 'Operations', 'Marketing', 'View Only'],
  'orchestrations.view': ['Admin', 'Operations', 'Marketing', 'View Only'],
  'orchestrations.manage': ['Admin', 'Operations'],
  'orchestrations.restricted_regions': ['Admin'],
  // like adding people to an Outreach sequence: a sales action
  'contacts.acquire': ['Admin', 'Operations', 'Sales'],
};

/**
 * Anyone acting: a standalone-app user (a role), a panel user (the embed token's custom
 * permissions: Signalfit_Admin acts as Admin, Signalfit_Access reads like Sales), or the
 * command line run by the operator (`operator`: the machine's own user, trusted as Admin).
 */
export interface Actor {
  userId: string;
  name?: string | null;
  email?: string | null;
  role: Role | null;
  perms?: readonly string[];
}

/** The Salesforce custom permission of the panel's sales actions (Outreach enrolment, buying a person). */
export const SALES_ACTIONS_PERMISSION = 'Signalfit_Sales_Actions';

/**
 * Actions a panel user (no role) needs a custom permission for, whatever role the permissions
 * give: they act for the seller (docs/outreach.md, docs/orchestrations-panel.md). Signalfit_Admin
 * acts as Admin and needs none.
 */
const PANEL_PERMISSIONS: Partial<Record<Action, string>> = {
  'contacts.acquire': SALES_ACTIONS_PERMISSION,
};

/** The command line: whoever can run it on the service's machine owns the store. */
export const OPERATOR: Actor = { userId: 'cli', name: 'command line', role: 'Admin' };

/** The role an actor acts with, or null when it has none (no access at all). */
export function effectiveRole(actor: Actor): Role | null {
  if (actor.role) return actor.role;
  const perms = actor.perms ?? [];
  if (perms.includes('Signalfit_Admin')) return 'Admin';
  if (perms.includes('Signalfit_Access')) return 'Sales';
  return null;
}

export function can(actor: Actor, action: Action): boolean {
  const permission = panelPermission(actor, action);
  if (permission !== null) return (actor.perms ?? []).includes(permission);
  const role = effectiveRole(actor);
  return role !== null && MATRIX[action].includes(role);
}

/** The roles allowed an action (for messages and the app's hints). */
export function rolesFor(action: Action): readonly Role[] {
  return MATRIX[action];
}

/** The permission a panel user needs for `action`, or null when its role decides (or it is an admin). */
function panelPermission(actor: Actor, action: Action): string | null {
  const permission = PANEL_PERMISSIONS[action];
  if (!permission || actor.role || (actor.perms ?? []).includes('Signalfit_Admin')) return null;
  return permission;
}

/** Throws `forbidden` naming the roles (or the panel's permission) that may, unless the actor may. */
export function authorize(actor: Actor, action: Action, what: string): void {
  if (!can(actor, action)) {
    const permission = panelPermission(actor, action);
    if (permission !== null) {
      throw new AppError(
        'forbidden',
        `${what} needs the ${permission} permission (or the ${MATRIX[action].join(', ')} role)`,
      );
    }
    throw new AppError('forbidden', `${what} is for the ${MATRIX[action].join(', ')} roles`);
  }
}

/** How an actor is named in histories and logs. */
export function actorLabel(actor: Actor): string {
  return actor.email ?? actor.name ?? actor.userId;
}
