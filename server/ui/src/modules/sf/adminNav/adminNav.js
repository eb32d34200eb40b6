/**
 * The app's Admin section (docs/standalone-app.md#admin): one entry in the navigation, and
 * second-level tabs, each shown only when the session's `can` allows its action. Each tab keeps
 * its own address (`/users`, `/optouts`, …), so links from the docs and bookmarks still work;
 * `/admin` opens the first tab the role may see.
 */
export const ADMIN_TABS = Object.freeze([
  // The page lists the users with the API keys below; every role with apikeys.manage has users.manage.
  { route: 'users', path: '/users', label: 'Users & API keys', actions: ['users.manage'] },
  { route: 'optouts', path: '/optouts', label: 'Opt-outs', actions: ['optouts.manage'] },
  { route: 'audit', path: '/audit', label: 'Audit log', actions: ['audit.view'] },
  { route: 'retention', path: '/retention', label: 'Retention', actions: ['retention.manage'] },
  { route: 'offboarding', path: '/offboarding', label: 'Offboarding', actions: ['offboarding.manage'] },
]);

/** The route names of the section: `admin` (its entrance) and one per tab. */
const ADMIN_ROUTES = new Set(['admin', ...ADMIN_TABS.map((tab) => tab.route)]);

export function isAdminRoute(routeName) {
  return ADMIN_ROUTES.has(routeName);
}

/** The tabs `can` allows, in order, with `active` for the one at `routeName`. */
export function adminTabsFor(can, routeName) {
  return ADMIN_TABS.filter((tab) => tab.actions.some((action) => can && can[action])).map((tab) => ({
    ...tab,
    active: tab.route === routeName,
    itemClass: `slds-tabs_default__item${tab.route === routeName ? ' slds-is-active' : ''}`,
    current: tab.route === routeName ? 'page' : null,
    dataId: `admin-tab-${tab.route}`,
  }));
}

/** Whether the role has an Admin section at all (one tab or more). */
export function hasAdminSection(can) {
  return adminTabsFor(can, '').length > 0;
}

/** Where `/admin` goes: the first tab `can` allows, or null (the role has no Admin section). */
export function firstAdminPath(can) {
  const [first] = adminTabsFor(can, '');
  return first ? first.path : null;
}
