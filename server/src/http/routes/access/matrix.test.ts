import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { ROLES, type Role } from '../../../domain/vocabulary';
import { ACTIONS, can, OPERATOR, type Action } from '../../../policies/policies';
import { createSubscription } from '../../../services/alerts/createSubscription';
import { createApiKey, revokeApiKey } from '../../../services/apikeys/apiKeys';
import { createUser, deactivateUser } from '../../../services/users/manageUsers';
import type { User } from '../../../services/users/users';
import { addRun } from '../../../services/orchestrations/definitionTesting';
import { insertOrchestration, seedRunMarket } from '../../../services/orchestrations/runTesting';
import { OutreachConnections } from '../../../services/outreach/connections';
import { createRecomputer, type Recomputer } from '../../../services/recompute/recomputer';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import type { OutreachStandIn } from '../../../../test/outreachStandIn/standIn';
import { startOutreachStandIn } from '../../../../test/outreachStandIn/testing';
import { createApp } from '../../app';
import { loadAccessKey } from '../../auth/accessKey';
import { issueAccessToken } from '../../auth/accessToken';
import { TEST_EMBED_CONFIG, TEST_ORG_ID } from '../../auth/testing';
import { toSalesforceId18 } from '../../../domain/salesforceId';
import { captureLogger, RAISED_RATE_LIMITS } from '../../testing';

/**
 * The whole role matrix, from outside: every /api route × every role (with an API key of the role,
 * and signed in), Salesforce panel users, and refused credentials (none, a revoked key, a
 * deactivated user's session and key), generated from the two tables below. A refused caller sends an invalid body (or query) and
 * still gets 403 naming the capability: the role is checked before anything it sent is read. A
 * route the app serves and the table lacks fails the last test, so no route escapes the matrix.
 */

/** The issue's table, as the README shows it (capabilities × Admin … View Only). */
const CAPABILITIES = `
| view accounts, people, scores, segments, segment reports                 | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
| create and edit segments, list uploads, CSV exports                      | ✓ | ✓ | ✓ | ✓ | ✓ | – |
| publish and unpublish segments                                           | ✓ | ✓ | – | – | – | – |
| manage alerts                                                            | ✓ | ✓ | ✓ | – | – | – |
| create, edit and run orchestrations; providers; credits                  | ✓ | ✓ | – | – | – | – |
| view orchestrations and their history                                    | ✓ | ✓ | ✓ | – | – | ✓ |
| add people to Outreach sequences                                         | ✓ | ✓ | – | ✓ | – | – |
| administrator reports (model insights), models page                      | ✓ | ✓ | ✓ | – | – | ✓ |
| approve, postpone, reject, roll back models                              | ✓ | – | – | – | – | – |
| recompute scores, integration settings, keywords, personas, opt-out list | ✓ | ✓ | – | – | – | – |
| users and roles, API keys, audit log, retention, offboarding             | ✓ | – | – | – | – | – |
`;
const TABLE = new Map(
  CAPABILITIES.trim()
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map((cells) => [cells[1]!, ROLES.filter((_role, i) => cells[i + 2] === '✓')] as const),
);
const rolesOf = (capability: string): readonly Role[] => {
  const roles = TABLE.get(capability);
  if (!roles) throw new Error(`no row "${capability}" in the table`);
  return roles;
};

/** The row of the table each action of policies.ts belongs to. */
const ROW_OF: Record<Action, string> = {
  'accounts.view': 'view accounts, people, scores, segments, segment reports',
  'segments.view': 'view accounts, people, scores, segments, segment reports',
  'reports.segments': 'view accounts, people, scores, segments, segment reports',
  'segments.edit': 'create and edit segments, list uploads, CSV exports',
  'exports.csv': 'create and edit segments, list uploads, CSV exports',
  'segments.publish': 'publish and unpublish segments',
  'alerts.manage': 'manage alerts',
  'orchestrations.manage': 'create, edit and run orchestrations; providers; credits',
  'orchestrations.view': 'view orchestrations and their history',
  'outreach.enroll': 'add people to Outreach sequences',
  'contacts.acquire': 'add people to Outreach sequences',
  'reports.model': 'administrator reports (model insights), models page',
  'models.view': 'administrator reports (model insights), models page',
  'models.manage': 'approve, postpone, reject, roll back models',
  'scores.recompute': 'recompute scores, integration settings, keywords, personas, opt-out list',
  'settings.manage': 'recompute scores, integration settings, keywords, personas, opt-out list',
  'optouts.manage': 'recompute scores, integration settings, keywords, personas, opt-out list',
  'users.manage': 'users and roles, API keys, audit log, retention, offboarding',
  'apikeys.manage': 'users and roles, API keys, audit log, retention, offboarding',
  'audit.view': 'users and roles, API keys, audit log, retention, offboarding',
  'retention.manage': 'users and roles, API keys, audit log, retention, offboarding',
  'offboarding.manage': 'users and roles, API keys, audit log, retention, offboarding',
  'orchestrations.restricted_regions': 'users and roles, API keys, audit log, retention, offboarding',
};

const NOW = new Date('2026-11-20T10:00:00Z');

/** What the routes act on: made once per store, and fresh ones for the routes that delete. */
interface Fixture {
  dir: string;
  segmentId: number;
  orchestrationId: number;
  runId: number;
  subscriptionId: number;
  doomedSegment(): Promise<number>;
  doomedOrchestration(): Promise<number>;
  doomedSubscription(): Promise<number>;
  doomedApiKey(): Promise<string>;
  /** A user the routes of users change (no caller). */
  userId: string;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
interface RouteCase {
  method: Method;
  /** The Express path, as the app registers it. */
  route: string;
  /** The path called, with real ids (and a query). */
  path: (f: Fixture) => string | Promise<string>;
  /** The action of policies.ts the route needs; `public`: no bearer needed (it says why). */
  action: Action | 'public';
  /** The status of an allowed caller sending `body`. */
  ok: number;
  body?: (f: Fixture, n: number) => object | string;
  /** Sent as text/csv. */
  csv?: boolean;
  /**
   * What a Salesforce panel user (no role) may do here: `read` with Signalfit_Access, `sell` with
   * Signalfit_Sales_Actions too; absent: nothing (lists, segments, reports, settings span every
   * account). Signalfit_Admin acts as Admin everywhere.
   */
  panel?: 'read' | 'sell';
  /** The route is about the panel's record (account a1 or its person c1): refused from another record. */
  onRecord?: true;
  /** Another status of an allowed caller, for some callers. */
  okFor?: Partial<Record<string, number>>;
  /** After an allowed call (a recompute to finish). */
  after?: () => Promise<void>;
}

const S = (f: Fixture) => `/api/segments/${f.segmentId}`;
const O = (f: Fixture) => `/api/orchestrations/${f.orchestrationId}`;
const QUALIFIED = { field: 'qualified', op: 'eq', value: true };
let recomputer: Recomputer;

/** Every /api route of the app. */
const ROUTES: RouteCase[] = [
  // Public: they describe the API, sign in, or finish a flow a bearer started.
  { method: 'get', route: '/api/openapi.json', path: () => '/api/openapi.json', action: 'public', ok: 200 },
  { method: 'get', route: '/api/session', path: () => '/api/session', action: 'public', ok: 200 },
  // Demo sign-in is off in this app: 403 to everyone, whoever asks.
  { method: 'post', route: '/api/session/demo', path: () => '/api/session/demo', action: 'public', ok: 403 },
  // The embed token is the credential: a bad one is 401, whatever bearer comes with it.
  {
    method: 'post',
    route: '/api/embed/exchange',
    path: () => '/api/embed/exchange',
    action: 'public',
    ok: 401,
    body: () => ({ token: 'not-a-token' }),
  },
  // The connect ticket (made by outreach.enroll) is the credential here; an unknown one is 401.
  {
    method: 'get',
    route: '/api/outreach/connect',
    path: () => '/api/outreach/connect?ticket=unknown',
    action: 'public',
    ok: 401,
  },
  // Outreach's redirect: its `state` is the credential; without a code it is a 400 page.
  {
    method: 'get',
    route: '/api/outreach/callback',
    path: () => '/api/outreach/callback?error=access_denied',
    action: 'public',
    ok: 400,
  },

  // accounts.view
  {
    method: 'get',
    route: '/api/accounts',
    path: () => '/api/accounts?sort=name',
    action: 'accounts.view',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/accounts/industries',
    path: () => '/api/accounts/industries',
    action: 'accounts.view',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/accounts/:id/intelligence',
    path: () => '/api/accounts/a1/intelligence',
    action: 'accounts.view',
    ok: 200,
    panel: 'read',
    onRecord: true,
  },
  {
    method: 'get',
    route: '/api/people/:id',
    path: () => '/api/people/c1',
    action: 'accounts.view',
    ok: 200,
    panel: 'read',
    onRecord: true,
  },
  {
    method: 'get',
    route: '/api/scoring/status',
    path: () => '/api/scoring/status',
    action: 'accounts.view',
    ok: 200,
    panel: 'read',
  },
  {
    method: 'get',
    route: '/api/outreach/status',
    path: () => '/api/outreach/status',
    action: 'accounts.view',
    ok: 200,
    panel: 'read',
  },
  {
    method: 'delete',
    route: '/api/outreach/connection',
    path: () => '/api/outreach/connection',
    action: 'accounts.view',
    ok: 200,
    panel: 'read',
  },
  {
    method: 'get',
    route: '/api/outreach/enrollments',
    path: () => '/api/outreach/enrollments?personId=c1',
    action: 'accounts.view',
    ok: 200,
    panel: 'read',
    onRecord: true,
  },

  // exports.csv
  {
    method: 'get',
    route: '/api/accounts/export.csv',
    path: () => '/api/accounts/export.csv?sort=name',
    action: 'exports.csv',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/segments/:id/export.csv',
    path: (f) => `${S(f)}/export.csv`,
    action: 'exports.csv',
    ok: 200,
  },

  // segments.view and reports.segments
  { method: 'get', route: '/api/segments', path: () => '/api/segments', action: 'segments.view', ok: 200 },
  { method: 'get', route: '/api/segments/:id', path: S, action: 'segments.view', ok: 200 },
  {
    method: 'get',
    route: '/api/segments/:id/accounts',
    path: (f) => `${S(f)}/accounts?sort=name`,
    action: 'segments.view',
    ok: 200,
  },
  // The segment page shows every viewer the alerts raised (docs/alerts.md).
  { method: 'get', route: '/api/alerts', path: () => '/api/alerts', action: 'segments.view', ok: 200 },
  {
    method: 'get',
    route: '/api/reports/segment-performance',
    path: () => '/api/reports/segment-performance?segments=Software',
    action: 'reports.segments',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/reports/segment-performance/accounts',
    path: () => '/api/reports/segment-performance/accounts?segments=Software&table=summary&key=accounts',
    action: 'reports.segments',
    ok: 200,
  },

  // segments.edit
  {
    method: 'post',
    route: '/api/segments',
    path: () => '/api/segments',
    action: 'segments.edit',
    ok: 201,
    body: (_f, n) => ({ name: `Made ${n}`, definition: QUALIFIED }),
  },
  {
    method: 'post',
    route: '/api/segments/preview',
    path: () => '/api/segments/preview',
    action: 'segments.edit',
    ok: 200,
    body: () => ({ definition: QUALIFIED }),
  },
  {
    method: 'post',
    route: '/api/segments/upload',
    path: () => `/api/segments/upload?name=Listed`,
    action: 'segments.edit',
    ok: 200,
    csv: true,
    body: () => 'account_id\na1\na2\n',
  },
  {
    method: 'patch',
    route: '/api/segments/:id',
    path: S,
    action: 'segments.edit',
    ok: 200,
    body: (_f, n) => ({ description: `changed ${n}` }),
  },
  {
    method: 'delete',
    route: '/api/segments/:id',
    path: async (f) => `/api/segments/${await f.doomedSegment()}`,
    action: 'segments.edit',
    ok: 204,
  },

  // segments.publish
  {
    method: 'post',
    route: '/api/segments/:id/publish',
    path: (f) => `${S(f)}/publish`,
    action: 'segments.publish',
    ok: 200,
  },
  {
    method: 'post',
    route: '/api/segments/:id/unpublish',
    path: (f) => `${S(f)}/unpublish`,
    action: 'segments.publish',
    ok: 200,
  },

  // alerts.manage
  {
    method: 'post',
    route: '/api/alerts',
    path: () => '/api/alerts',
    action: 'alerts.manage',
    ok: 201,
    body: (f) => ({ segment: f.segmentId, event: 'became_qualified' }),
  },
  {
    method: 'delete',
    route: '/api/alerts/:id',
    path: async (f) => `/api/alerts/${await f.doomedSubscription()}`,
    action: 'alerts.manage',
    ok: 204,
  },
  // A subscription without a Slack webhook has nothing to test: 400, after the role check.
  {
    method: 'post',
    route: '/api/alerts/:id/test',
    path: (f) => `/api/alerts/${f.subscriptionId}/test`,
    action: 'alerts.manage',
    ok: 400,
  },

  // orchestrations.view
  {
    method: 'get',
    route: '/api/orchestrations',
    path: () => '/api/orchestrations',
    action: 'orchestrations.view',
    ok: 200,
  },
  { method: 'get', route: '/api/orchestrations/:id', path: O, action: 'orchestrations.view', ok: 200 },
  {
    method: 'post',
    route: '/api/orchestrations/:id/preview',
    path: (f) => `${O(f)}/preview`,
    action: 'orchestrations.view',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/orchestrations/:id/preview/candidates.csv',
    path: (f) => `${O(f)}/preview/candidates.csv`,
    action: 'orchestrations.view',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/orchestrations/:id/preview/accounts.csv',
    path: (f) => `${O(f)}/preview/accounts.csv`,
    action: 'orchestrations.view',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/orchestrations/:id/runs',
    path: (f) => `${O(f)}/runs`,
    action: 'orchestrations.view',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/orchestrations/:id/runs/:runId',
    path: (f) => `${O(f)}/runs/${f.runId}`,
    action: 'orchestrations.view',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/orchestrations/:id/runs/:runId/records.csv',
    path: (f) => `${O(f)}/runs/${f.runId}/records.csv`,
    action: 'orchestrations.view',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/providers',
    path: () => '/api/providers',
    action: 'orchestrations.view',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/credits',
    path: () => '/api/credits',
    action: 'orchestrations.view',
    ok: 200,
  },

  // orchestrations.manage
  {
    method: 'post',
    route: '/api/orchestrations',
    path: () => '/api/orchestrations',
    action: 'orchestrations.manage',
    ok: 201,
    body: (_f, n) => ({
      name: `New ${n}`,
      goal: 'acquire_contacts',
      segment: 'Software',
      provider: 'Vendor',
      target: { type: 'csv' },
    }),
  },
  {
    method: 'patch',
    route: '/api/orchestrations/:id',
    path: O,
    action: 'orchestrations.manage',
    ok: 200,
    body: (_f, n) => ({ cooldownDays: 10 + (n % 20) }),
  },
  {
    method: 'delete',
    route: '/api/orchestrations/:id',
    path: async (f) => `/api/orchestrations/${await f.doomedOrchestration()}`,
    action: 'orchestrations.manage',
    ok: 204,
  },
  {
    method: 'post',
    route: '/api/orchestrations/:id/run',
    path: async (f) => `/api/orchestrations/${await f.doomedOrchestration()}/run`,
    action: 'orchestrations.manage',
    ok: 202,
  },
  {
    method: 'post',
    route: '/api/orchestrations/:id/repush',
    path: (f) => `${O(f)}/repush`,
    action: 'orchestrations.manage',
    ok: 202,
    body: (f) => ({ runId: f.runId }),
  },
  {
    method: 'post',
    route: '/api/providers',
    path: () => '/api/providers',
    action: 'orchestrations.manage',
    ok: 201,
    body: (f, n) => ({ name: `Vendor ${n}`, type: 'csv', dir: f.dir }),
  },
  {
    method: 'put',
    route: '/api/credits',
    path: () => '/api/credits',
    action: 'orchestrations.manage',
    ok: 200,
    body: (_f, n) => ({ allowance: 100 + n }),
  },

  // outreach.enroll: Outreach is set up (a stand-in); these users have not connected it.
  {
    method: 'post',
    route: '/api/outreach/connect-ticket',
    path: () => '/api/outreach/connect-ticket',
    action: 'outreach.enroll',
    ok: 201,
    panel: 'sell',
  },
  {
    method: 'get',
    route: '/api/outreach/sequences',
    path: () => '/api/outreach/sequences',
    action: 'outreach.enroll',
    ok: 409,
    panel: 'sell',
  },
  {
    method: 'get',
    route: '/api/outreach/mailboxes',
    path: () => '/api/outreach/mailboxes',
    action: 'outreach.enroll',
    ok: 409,
    panel: 'sell',
  },
  {
    method: 'post',
    route: '/api/outreach/enrollments',
    path: () => '/api/outreach/enrollments',
    action: 'outreach.enroll',
    ok: 409,
    panel: 'sell',
    // c1 is on another record than a2's panel: answered person_not_found, Outreach never asked.
    okFor: { 'panel seller on a2': 200 },
    body: () => ({ people: ['c1'], sequenceId: '1', mailboxId: '1' }),
  },

  // contacts.acquire: the panel's provider (Vendor) reads its file in `dir`; no one has this id.
  {
    method: 'get',
    route: '/api/accounts/:id/acquire',
    path: () => '/api/accounts/a1/acquire',
    action: 'contacts.acquire',
    ok: 200,
    panel: 'sell',
    onRecord: true,
  },
  {
    method: 'post',
    route: '/api/accounts/:id/acquire',
    path: () => '/api/accounts/a1/acquire',
    action: 'contacts.acquire',
    ok: 404,
    panel: 'sell',
    onRecord: true,
    body: () => ({ providerId: 'nobody-by-this-id' }),
  },

  // reports.model
  {
    method: 'get',
    route: '/api/reports/model-insights',
    path: () => '/api/reports/model-insights?month=2026-08',
    action: 'reports.model',
    ok: 200,
  },

  // users.manage and apikeys.manage (docs/users-and-keys.md)
  { method: 'get', route: '/api/users', path: () => '/api/users', action: 'users.manage', ok: 200 },
  {
    method: 'post',
    route: '/api/users',
    path: () => '/api/users',
    action: 'users.manage',
    ok: 201,
    body: (_f, n) => ({ email: `new${n}@matrix.example`, role: 'Sales' }),
  },
  {
    method: 'patch',
    route: '/api/users/:id',
    path: (f) => `/api/users/${f.userId}`,
    action: 'users.manage',
    ok: 200,
    body: (_f, n) => ({ name: `Renamed ${n}` }),
  },
  { method: 'get', route: '/api/apikeys', path: () => '/api/apikeys', action: 'apikeys.manage', ok: 200 },
  {
    method: 'post',
    route: '/api/apikeys',
    path: () => '/api/apikeys',
    action: 'apikeys.manage',
    ok: 201,
    body: (_f, n) => ({ name: `Integration ${n}`, role: 'View Only' }),
  },
  {
    method: 'delete',
    route: '/api/apikeys/:id',
    path: async (f) => `/api/apikeys/${await f.doomedApiKey()}`,
    action: 'apikeys.manage',
    ok: 200,
  },

  // settings.manage and scores.recompute
  {
    method: 'get',
    route: '/api/admin/runs',
    path: () => '/api/admin/runs?limit=5',
    action: 'settings.manage',
    ok: 200,
  },
  {
    method: 'post',
    route: '/api/scoring/recompute',
    path: () => '/api/scoring/recompute',
    action: 'scores.recompute',
    ok: 202,
    after: () => recomputer.settled(),
  },
];

/**
 * Who calls: each role with an API key of that role, and as a signed-in user (an access token of
 * a live sign-in session); Salesforce panel users (no role), framed on account a1 unless said.
 */
const ROLE_CALLERS = ROLES.flatMap((role) => [
  { who: `${role} API key`, role },
  { who: `${role} user`, role },
]);
const PANEL_USERS = {
  'panel reader': { perms: ['Signalfit_Access'], rid: 'a1' },
  'panel seller': { perms: ['Signalfit_Access', 'Signalfit_Sales_Actions'], rid: 'a1' },
  'panel seller on a2': { perms: ['Signalfit_Access', 'Signalfit_Sales_Actions'], rid: 'a2' },
  'panel admin': { perms: ['Signalfit_Access', 'Signalfit_Admin'], rid: 'a2' },
} as const;
type PanelUser = keyof typeof PANEL_USERS;
/** Credentials refused on every guarded route (401), whatever they once allowed. */
const REFUSED = ['no credentials', 'revoked API key', 'deactivated user', "deactivated user's API key"];

function panelMay(route: RouteCase & { action: Action }, who: PanelUser): boolean {
  if (who === 'panel admin') return rolesOf(ROW_OF[route.action]).includes('Admin');
  if (!route.panel || (route.panel === 'sell' && who === 'panel reader')) return false;
  return !(route.onRecord && who === 'panel seller on a2');
}

const GUARDED = ROUTES.filter((r): r is RouteCase & { action: Action } => r.action !== 'public');
const CASES = GUARDED.flatMap((route) => [
  ...ROLE_CALLERS.map(({ who, role }) => ({
    ...route,
    who,
    allowed: rolesOf(ROW_OF[route.action]).includes(role),
  })),
  ...(Object.keys(PANEL_USERS) as PanelUser[]).map((who) => ({
    ...route,
    who: who as string,
    allowed: panelMay(route, who),
  })),
]).map((c) => ({
  ...c,
  expected: c.allowed ? (c.okFor?.[c.who] ?? c.ok) : 403,
  // A refusal by role comes before anything sent is read: the caller sends an invalid request.
  // A panel user refused another record's data sends a valid one (the record is looked up first).
  valid: c.allowed || (c.who === 'panel seller on a2' && c.onRecord === true && c.panel !== undefined),
}));
const REFUSED_CASES = GUARDED.flatMap((route) => REFUSED.map((who) => ({ ...route, who })));

describe('the matrix of policies.ts', () => {
  it.each(ACTIONS.map((action) => ({ action, row: ROW_OF[action] })))(
    '$action is the row "$row"',
    ({ action, row }) => {
      const allowed = ROLES.filter((role) => can({ userId: 'u', role }, action));
      expect(allowed).toEqual(rolesOf(row));
    },
  );

  it("is the README's Roles table", async () => {
    const readme = await readFile(path.join(__dirname, '../../../../../README.md'), 'utf8');
    const section = readme.split('\n## Roles\n')[1]!.split('\n## ')[0]!;
    const rows = section
      .split('\n')
      .filter(
        (line) => line.startsWith('| ') && !line.startsWith('| capability') && !line.startsWith('| ---'),
      )
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .map((cells) => [cells[1]!, ROLES.filter((_role, i) => cells[i + 2] === '✓')] as const);
    expect(new Map(rows)).toEqual(TABLE);
  });

  it('lets the command line do everything, as Admin', () => {
    expect(ACTIONS.filter((action) => !can(OPERATOR, action))).toEqual([]);
  });
});

describe.each(testStoreTargets())('every /api route × every role on $name', (target) => {
  let db: Db;
  let app: Express;
  let server: Server;
  let base: string;
  let standIn: OutreachStandIn;
  /** The bearer of each caller but `no credentials`. */
  const bearers = new Map<string, string>();
  const fixture = {} as Fixture;
  let n = 0;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    fixture.dir = await mkdtemp(path.join(tmpdir(), 'matrix-provider-'));
    await writeFile(
      path.join(fixture.dir, 'provider_contacts.csv'),
      'provider_id,email,first_name,last_name,title,job_level,job_function,company_domain,country,email_confidence,cost\n' +
        'p1,pat@acme.com,Pat,One,CISO,C-Level,Security,acme.com,US,A,2\n',
    );
    const { segmentId, providerId } = await seedRunMarket(db);
    await db.run(`UPDATE contact_providers SET settings = $2::jsonb WHERE id = $1`, [
      providerId,
      JSON.stringify({ dir: fixture.dir }),
    ]);
    fixture.segmentId = segmentId;
    fixture.orchestrationId = await insertOrchestration(db, { name: 'Acquire', segmentId, providerId });
    fixture.runId = await addRun(db, fixture.orchestrationId, 'complete', '2026-11-19T10:00:00Z');
    const subscribe = async () =>
      (
        await createSubscription(db, {
          actor: OPERATOR,
          segment: segmentId,
          event: 'entered_segment',
          digest: 'immediate',
          secretKey: null,
        })
      ).id;
    fixture.subscriptionId = await subscribe();
    fixture.doomedSubscription = subscribe;
    fixture.doomedSegment = async () => {
      const [row] = await db.query<{ id: string }>(
        `INSERT INTO segments (name, kind, definition, version) VALUES ($1, 'filter', $2::jsonb, 1) RETURNING id`,
        [`Doomed ${++n}`, JSON.stringify(QUALIFIED)],
      );
      return Number(row!.id);
    };
    fixture.doomedOrchestration = () =>
      insertOrchestration(db, { name: `Doomed ${++n}`, segmentId, providerId });

    const outreach = await startOutreachStandIn({ now: () => NOW });
    standIn = outreach.standIn;
    recomputer = createRecomputer({ db, now: () => NOW, score: async () => ({ runId: 0 }) });
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
      rateLimits: RAISED_RATE_LIMITS,
      outreach: new OutreachConnections({ db, config: outreach.config, now: () => NOW }),
      recomputer,
      panelProvider: 'Vendor',
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const key = await loadAccessKey(db);
    /** An access token of a new live sign-in session of `user`, as signing in makes it. */
    const signIn = async (user: User) => {
      const sessionId = `ses_${user.id}`;
      await db.run(`INSERT INTO user_sessions (id, user_id, expires_at) VALUES ($1, $2, $3)`, [
        sessionId,
        user.id,
        new Date(NOW.getTime() + 86_400_000),
      ]);
      const access = { orgId: 'signalfit', userId: user.id, name: user.name, email: user.email, perms: [] };
      return issueAccessToken(
        { ...access, record: null, accountId: null, role: user.role, kind: 'user', sessionId },
        key,
        NOW,
      );
    };
    const newKey = async (name: string, role: Role, user?: string) =>
      (await createApiKey(db, OPERATOR, { name, role, user }, NOW)).key;
    for (const role of ROLES) {
      const email = `${role.toLowerCase().replace(' ', '-')}@matrix.example`;
      const user = await createUser(db, OPERATOR, { email, role }, NOW);
      bearers.set(`${role} API key`, await newKey(`${role} key`, role, email));
      bearers.set(`${role} user`, await signIn(user));
    }
    fixture.userId = (
      await createUser(db, OPERATOR, { email: 'changed@matrix.example', role: 'Sales' }, NOW)
    ).id;
    fixture.doomedApiKey = async () =>
      (await createApiKey(db, OPERATOR, { name: `Doomed ${++n}`, role: 'Sales' }, NOW)).apiKey.id;

    // Credentials that worked until their user was deactivated, or the key revoked.
    const gone = await createUser(db, OPERATOR, { email: 'gone@matrix.example', role: 'Admin' }, NOW);
    bearers.set('deactivated user', await signIn(gone));
    bearers.set("deactivated user's API key", await newKey('Gone', 'Admin', gone.email));
    const revoked = await createApiKey(db, OPERATOR, { name: 'Revoked', role: 'Admin' }, NOW);
    bearers.set('revoked API key', revoked.key);
    for (const who of REFUSED.slice(1)) {
      const res = await fetch(`${base}/api/users`, {
        headers: { Authorization: `Bearer ${bearers.get(who)}` },
      });
      if (res.status !== 200) throw new Error(`${who} did not work before: ${res.status}`);
    }
    await deactivateUser(db, OPERATOR, gone.email, NOW);
    await revokeApiKey(db, OPERATOR, revoked.apiKey.id, NOW);

    // Panel users, as the exchange makes them for a panel on a record of the account.
    for (const [who, { perms, rid }] of Object.entries(PANEL_USERS)) {
      const access = {
        orgId: TEST_ORG_ID,
        userId: `005-${who}`,
        name: who,
        email: null,
        perms: [...perms],
        record: {
          id: toSalesforceId18(`001000000000${rid === 'a1' ? '001' : '002'}`),
          objectApiName: 'Account' as const,
        },
        accountId: rid,
        role: null,
        kind: 'panel' as const,
      };
      bearers.set(who, await issueAccessToken(access, key, NOW));
    }
  }, 60_000);
  afterAll(async () => {
    await recomputer?.settled();
    await new Promise((resolve) => server?.close(resolve));
    await standIn?.close();
    await rm(fixture.dir, { recursive: true, force: true });
  });

  /**
   * One call of `c` as `who`: an allowed caller sends the route's valid body; a refused one, or
   * one without credentials, sends a body (and query) no route accepts.
   */
  const call = async (c: RouteCase, who: string, valid: boolean) => {
    const url = new URL(await c.path(fixture), base);
    if (!valid) url.searchParams.set('unexpected', 'yes');
    const init: RequestInit & { headers: Record<string, string> } = {
      method: c.method.toUpperCase(),
      headers: who === 'no credentials' ? {} : { Authorization: `Bearer ${bearers.get(who)!}` },
      redirect: 'manual',
    };
    if (c.method !== 'get' && c.method !== 'delete') {
      const body = valid ? c.body?.(fixture, ++n) : c.csv ? '\u0000' : { unexpected: true };
      if (typeof body === 'string') {
        init.headers['Content-Type'] = 'text/csv';
        init.body = body;
      } else if (body) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
    }
    const res = await fetch(url, init);
    const text = await res.text();
    const json = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : null;
    return { status: res.status, error: (json as { error?: { code: string; message: string } })?.error };
  };

  it.each(CASES)('$method $route as $who: $expected', async (c) => {
    const res = await call(c, c.who, c.valid);
    expect([res.status, res.status === c.expected ? null : res.error]).toEqual([c.expected, null]);
    if (!c.allowed) expect(res.error?.code).toBe('forbidden');
    if (c.allowed) await c.after?.();
  });

  it.each(REFUSED_CASES)('$method $route with $who: 401', async (c) => {
    const res = await call(c, c.who, false);
    expect([res.status, res.error?.code]).toEqual([401, 'unauthorized']);
  });

  it.each(ROUTES.filter((r) => r.action === 'public'))(
    '$method $route is public: $ok to anyone',
    async (c) => {
      expect((await call(c, 'no credentials', true)).status).toBe(c.ok);
      expect((await call(c, 'View Only user', true)).status).toBe(c.ok);
    },
  );

  it("answers each role's `can` in GET /api/session as the app's tests record it (ui/test/data/can.json)", async () => {
    const recorded = JSON.parse(
      await readFile(path.join(__dirname, '../../../../ui/test/data/can.json'), 'utf8'),
    ) as Record<Role, Record<Action, boolean>>;
    for (const role of ROLES) {
      const res = await fetch(`${base}/api/session`, {
        headers: { Authorization: `Bearer ${bearers.get(`${role} user`)!}` },
      });
      expect({ role, can: ((await res.json()) as { can: object }).can }).toEqual({
        role,
        can: recorded[role],
      });
    }
  });

  it('has every /api route the app serves in its table, and none it does not serve', () => {
    const listed = ROUTES.map((r) => `${r.method.toUpperCase()} ${r.route}`).sort();
    expect(apiRoutesOf(app)).toEqual(listed);
  });
});

/** `GET /api/x` for every route of the app's router whose path starts with /api/. */
function apiRoutesOf(app: Express): string[] {
  const found: string[] = [];
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all'))
          found.push(`${method.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found.filter((route) => route.split(' ')[1]!.startsWith('/api/')).sort();
}
