import { AppError } from '../errors';
import type { Role } from '../domain/vocabulary';

/**
 * Who may do what, in one place: routes, services, the CLI and the app ask here (the app gets
 * the answers with the session). `http/` only turns a refusal into 403. Each action is a row of
 * the role matrix (README "Roles"); a row of the matrix may have several actions when they are
 * guarded at different places, but every action has exactly the row's roles.
 */
export const ACTIONS = [
  // view accounts, people, scores, segments, segment reports
  'accounts.view',
  'segments.view',
  'reports.segments',
  // create and edit segments, list uploads, CSV exports
  'segments.edit',
  'exports.csv',
  // publish and unpublish segments
  'segments.publish',
  // manage alerts
  'alerts.manage',
  // create, edit and run orchestrations; providers; credits
  'orchestrations.manage',
  // view orchestrations and their history
  'orchestrations.view',
  // add people to Outreach sequences (and connect one's Outreach account for it)
  'outreach.enroll',
  // buy one person from the panel ("find more people like this"): a sales action like enrolling
  'contacts.acquire',
  // administrator reports (model insights), models page
  'reports.model',
  'models.view',
  // approve, postpone, reject, roll back models
  'models.manage',
  // recompute scores, integration settings (and the job history), keywords, personas, opt-out list
  'scores.recompute',
  'settings.manage',
  'optouts.manage',
  // users and roles, API keys, audit log, retention, offboarding
  'users.manage',
  'apikeys.manage',
  'audit.view',
  'retention.manage',
  'offboarding.manage',
  // let an orchestration buy people in restricted regions (an Admin's decision)
  'orchestrations.restricted_regions',
] as const;
export type Action = (typeof ACTIONS)[number];

const EVERYONE: readonly Role[] = ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only'];
const EDITORS: readonly Role[] = ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights'];
const RUNNERS: readonly Role[] = ['Admin', 'Operations'];
const MODEL_READERS: readonly Role[] = ['Admin', 'Operations', 'Marketing', 'View Only'];
const ADMINS: readonly Role[] = ['Admin'];

const MATRIX: Record<Action, readonly Role[]> = {
  'accounts.view': EVERYONE,
  'segments.view': EVERYONE,
  'reports.segments': EVERYONE,
  'segments.edit': EDITORS,
  'exports.csv': EDITORS,
  'segments.publish': RUNNERS,
  'alerts.manage': ['Admin', 'Operations', 'Marketing'],
  'orchestrations.manage': RUNNERS,
  'orchestrations.view': MODEL_READERS,
  'outreach.enroll': ['Admin', 'Operations', 'Sales'],
  'contacts.acquire': ['Admin', 'Operations', 'Sales'],
  'reports.model': MODEL_READERS,
  'models.view': MODEL_READERS,
  'models.manage': ADMINS,
  'scores.recompute': RUNNERS,
  'settings.manage': RUNNERS,
  'optouts.manage': RUNNERS,
  'users.manage': ADMINS,
  'apikeys.manage': ADMINS,
  'audit.view': ADMINS,
  'retention.manage': ADMINS,
  'offboarding.manage': ADMINS,
  'orchestrations.restricted_regions': ADMINS,
};

/**
 * Anyone acting: a standalone-app user (a role), a panel user (the embed token's custom
 * permissions: Signalfit_Admin acts as Admin, Signalfit_Access reads like Sales), or the
 * command line run by the operator (`operator`: the machine's own user, trusted as Admin).
 */
export interface Actor {
  userId: string;
  /**
   * What kind of credential acts (audit log, messages): a signed-in user of the standalone app,
   * a panel user, an API key, SCIM provisioning, the demo user, or the command line.
   * Absent on older callers: treated as 'user' when a role is set and 'panel' otherwise.
   */
  kind?: ActorKind;
  name?: string | null;
  email?: string | null;
  role: Role | null;
  perms?: readonly string[];
  /**
   * A panel user's account: the one of the record the panel was opened on. Without
   * Signalfit_Admin a panel user reads that account and its people only (mayReadAccount).
   */
  accountId?: string | null;
}

/** The Salesforce custom permission of the panel's sales actions (Outreach enrolment, buying a person). */
export const SALES_ACTIONS_PERMISSION = 'Signalfit_Sales_Actions';
/** The Salesforce custom permission of a panel user who acts as the Admin role (any account). */
export const ADMIN_PERMISSION = 'Signalfit_Admin';
/** The Salesforce custom permission of a panel user who reads the panel's record as Sales would. */
export const ACCESS_PERMISSION = 'Signalfit_Access';

/**
 * What a panel user without Signalfit_Admin may do at all: read the panel's record (its account
 * and people) and, with Signalfit_Sales_Actions, act on it. Lists, segments, reports and
 * settings span every account, so they stay with the app's roles (and Signalfit_Admin).
 */
const RECORD_ACTIONS: ReadonlySet<Action> = new Set(['accounts.view', 'outreach.enroll', 'contacts.acquire']);

/**
 * Actions a panel user (no role) needs a custom permission for, whatever role the permissions
 * give: they act for the seller (docs/outreach.md, docs/orchestrations-panel.md). Signalfit_Admin
 * acts as Admin and needs none.
 */
const PANEL_PERMISSIONS: Partial<Record<Action, string>> = {
  'contacts.acquire': SALES_ACTIONS_PERMISSION,
  'outreach.enroll': SALES_ACTIONS_PERMISSION,
};

export const ACTOR_KINDS = ['user', 'panel', 'api_key', 'scim', 'demo', 'operator'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** The command line: whoever can run it on the service's machine owns the store. */
export const OPERATOR: Actor = { userId: 'cli', name: 'command line', role: 'Admin', kind: 'operator' };

/** Scheduled work (the daily job, orchestration slots): acts as Admin, like the operator who set the schedule. */
export const SCHEDULER: Actor = { userId: 'scheduler', name: 'schedule', role: 'Admin', kind: 'operator' };

/** The role an actor acts with, or null when it has none (no access at all). */
export function effectiveRole(actor: Actor): Role | null {
  if (actor.role) return actor.role;
  const perms = actor.perms ?? [];
  if (perms.includes(ADMIN_PERMISSION)) return 'Admin';
  if (perms.includes(ACCESS_PERMISSION)) return 'Sales';
  return null;
}

/** A panel user without Signalfit_Admin: bound to the record the panel was opened on. */
export function isRecordBound(actor: Actor): boolean {
  return !actor.role && !(actor.perms ?? []).includes(ADMIN_PERMISSION);
}

export function can(actor: Actor, action: Action): boolean {
  if (isRecordBound(actor) && !RECORD_ACTIONS.has(action)) return false;
  const permission = panelPermission(actor, action);
  if (permission !== null) return (actor.perms ?? []).includes(permission);
  const role = effectiveRole(actor);
  return role !== null && MATRIX[action].includes(role);
}

/**
 * Whether the actor may read this account (and its people, their history): anyone with
 * `accounts.view`, except that a record-bound panel user reads only the panel's account.
 * `null`: every account at once (the accounts list), which a record-bound user may not.
 */
export function mayReadAccount(actor: Actor, accountId: string | null): boolean {
  if (!can(actor, 'accounts.view')) return false;
  return !isRecordBound(actor) || (accountId !== null && actor.accountId === accountId);
}

/** Throws `forbidden` unless the actor may read the account (mayReadAccount). */
export function assertMayReadAccount(actor: Actor, accountId: string | null): void {
  if (mayReadAccount(actor, accountId)) return;
  if (!can(actor, 'accounts.view')) authorize(actor, 'accounts.view', 'reading accounts');
  throw new AppError(
    'forbidden',
    accountId === null
      ? `the accounts list is for the app's users and the ${ADMIN_PERMISSION} permission`
      : 'this panel was opened for another record',
  );
}

/** The roles allowed an action (for messages and the app's hints). */
export function rolesFor(action: Action): readonly Role[] {
  return MATRIX[action];
}

/** The permission a panel user needs for `action`, or null when its role decides (or it is an admin). */
function panelPermission(actor: Actor, action: Action): string | null {
  const permission = PANEL_PERMISSIONS[action];
  if (!permission || actor.role || (actor.perms ?? []).includes(ADMIN_PERMISSION)) return null;
  return permission;
}

/** Throws `forbidden` naming the roles (or the panel's permission) that may, unless the actor may. */
export function authorize(actor: Actor, action: Action, what: string): void {
  if (!can(actor, action)) {
    // A panel user reads as Sales would, but only the panel's record: say why Sales is not enough.
    if (isRecordBound(actor) && effectiveRole(actor) !== null && !RECORD_ACTIONS.has(action)) {
      throw new AppError(
        'forbidden',
        `${what} is not offered in the Salesforce panel: it is for the app's ${MATRIX[action].join(', ')} roles and the ${ADMIN_PERMISSION} permission`,
      );
    }
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

/** The kind of an actor, for callers that predate `kind`. */
export function actorKind(actor: Actor): ActorKind {
  return actor.kind ?? (actor.role ? 'user' : 'panel');
}
