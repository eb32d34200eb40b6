import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express, { type Express } from 'express';
import { ROLES, type Role } from '../../../domain/vocabulary';
import { ACTIONS, can, OPERATOR, rolesFor, type Action } from '../../../policies/policies';
import { createSubscription } from '../../../services/alerts/createSubscription';
import { createApiKey, revokeApiKey } from '../../../services/apikeys/apiKeys';
import { addOptOut } from '../../../services/optouts/optOutList';
import { createScimUser } from '../../../services/scim/provision';
import { USER_SCHEMA } from '../../../services/scim/scimUser';
import { openSession } from '../../../services/session/userSessions';
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
import { providerAndConfig } from '../session/testing';
import type { TestProvider } from '../../../../test/oidcProvider/provider';

/**
 * The whole role matrix, from outside: every /api route × every role (with an API key of the role,
 * and signed in), Salesforce panel users, and refused credentials (none, a revoked key, a
 * deactivated user's session and key, the SCIM token), generated from the tables below. A refused
 * caller sends an invalid body (or query) and still gets 403 naming who may: the role is checked
 * before anything it sent is read. The public and sign-in routes answer every caller as their row
 * says; /scim/v2 takes its own token and nothing else. A route the app serves and the tables lack
 * (under /api or /scim, however it is registered) fails a test, so no route escapes the matrix.
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
  /** An email on the opt-out list, for DELETE /api/optouts to remove. */
  doomedOptOut(): Promise<string>;
  /** A user the routes of users change (no caller). */
  userId: string;
  /** The OpenID provider's issuer (single sign-on is configured, with a provider on 127.0.0.1). */
  issuer: string;
  /** A user SCIM provisioned, and fresh ones for DELETE. */
  scimUserId: string;
  doomedScimUser(): Promise<string>;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
interface RouteCase {
  method: Method;
  /** The Express path, as the app registers it. */
  route: string;
  /** Which of several rows of one route (another body type). */
  variant?: string;
  /** The path called, with real ids (and a query). */
  path: (f: Fixture) => string | Promise<string>;
  /** The action of policies.ts the route needs; `public`: no bearer needed (it says why). */
  action: Action | 'public';
  /** The status of an allowed caller sending `body`. */
  ok: number;
  body?: (f: Fixture, n: number) => object | string | Promise<object | string>;
  /** Sent as text/csv. */
  csv?: boolean;
  /** Public routes that read a bearer when one comes: the status of a refused one. */
  refused?: number;
  /** Public routes: what the answer says to `who`. */
  check?: (res: Answer, who: string, f: Fixture) => void;
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
  // Who is signed in: the bearer, checked by the authenticator of every route (a refused one is
  // 401; an API key is its role), or no one with the sign-in methods.
  {
    method: 'get',
    route: '/api/session',
    path: () => '/api/session',
    action: 'public',
    ok: 200,
    refused: 401,
    check: (res, who) => {
      const { user, signInMethods } = res.json as {
        user: { role: Role | null } | null;
        signInMethods?: object;
      };
      if (who === NO_CREDENTIALS)
        expect([user, signInMethods]).toEqual([null, [expect.objectContaining({ id: 'oidc' })]]);
      else expect(user?.role).toBe(roleOf(who));
    },
  },
  // Demo sign-in is off in this app: 403 to everyone, whoever asks.
  { method: 'post', route: '/api/session/demo', path: () => '/api/session/demo', action: 'public', ok: 403 },
  // The sign-in cookie is the credential of these two, never a bearer (the browser flow below).
  {
    method: 'post',
    route: '/api/session/token',
    path: () => '/api/session/token',
    action: 'public',
    ok: 401,
    body: () => ({}),
  },
  {
    method: 'post',
    route: '/api/session/signout',
    path: () => '/api/session/signout',
    action: 'public',
    ok: 204,
    body: () => ({}),
  },
  // Single sign-on: to the provider; back from it without the sign-in's state, to the sign-in page.
  {
    method: 'get',
    route: '/api/auth/oidc/login',
    path: () => '/api/auth/oidc/login',
    action: 'public',
    ok: 302,
    check: (res, _who, f) => expect(res.location?.startsWith(`${f.issuer}/`)).toBe(true),
  },
  {
    method: 'get',
    route: '/api/auth/oidc/callback',
    path: () => '/api/auth/oidc/callback?code=forged&state=forged',
    action: 'public',
    ok: 302,
    check: (res) => expect(res.location).toMatch(/^\/accounts\?sign_in_error=/),
  },
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

  // models.view and models.manage (docs/models.md): this store was never scored, so it has no
  // model version yet. The comparison comes first (nothing to compare: 404); the actions name a
  // version that does not exist (404), and there is nothing to roll back to (409).
  { method: 'get', route: '/api/models', path: () => '/api/models', action: 'models.view', ok: 200 },
  {
    method: 'get',
    route: '/api/models/pending',
    path: () => '/api/models/pending',
    action: 'models.view',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/models/compare',
    path: () => '/api/models/compare',
    action: 'models.view',
    ok: 404,
  },
  {
    method: 'get',
    route: '/api/models/compare/accounts',
    path: () => '/api/models/compare/accounts?kind=stage&from=Target&to=Awareness',
    action: 'models.view',
    ok: 404,
  },
  {
    method: 'post',
    route: '/api/models/train',
    path: () => '/api/models/train',
    action: 'models.manage',
    ok: 200,
    body: () => ({ asOf: '2026-11-20' }),
  },
  {
    method: 'post',
    route: '/api/models/:id/approve',
    path: () => '/api/models/999999/approve',
    action: 'models.manage',
    ok: 404,
  },
  {
    method: 'post',
    route: '/api/models/:id/postpone',
    path: () => '/api/models/999999/postpone',
    action: 'models.manage',
    ok: 404,
    body: () => ({ days: 7 }),
  },
  {
    method: 'post',
    route: '/api/models/:id/reject',
    path: () => '/api/models/999999/reject',
    action: 'models.manage',
    ok: 404,
  },
  {
    method: 'post',
    route: '/api/models/rollback',
    path: () => '/api/models/rollback',
    action: 'models.manage',
    ok: 409,
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

  // audit.view, retention.manage and offboarding.manage (Admin only)
  {
    method: 'get',
    route: '/api/audit',
    path: () => '/api/audit?action=user.create&limit=5',
    action: 'audit.view',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/audit.csv',
    path: () => '/api/audit.csv?since=2026-11-01',
    action: 'audit.view',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/retention',
    path: () => '/api/retention',
    action: 'retention.manage',
    ok: 200,
  },
  {
    method: 'put',
    route: '/api/retention',
    path: () => '/api/retention',
    action: 'retention.manage',
    ok: 200,
    body: (_f, n) => ({ activitiesDays: 400 + n }),
  },
  {
    method: 'get',
    route: '/api/offboarding',
    path: () => '/api/offboarding',
    action: 'offboarding.manage',
    ok: 200,
  },
  {
    method: 'post',
    route: '/api/offboarding/:step',
    path: () => '/api/offboarding/credits',
    action: 'offboarding.manage',
    ok: 200,
  },

  // optouts.manage (docs/opt-outs.md)
  {
    method: 'get',
    route: '/api/optouts',
    path: () => '/api/optouts?kind=email&limit=5',
    action: 'optouts.manage',
    ok: 200,
  },
  {
    method: 'post',
    route: '/api/optouts',
    variant: 'one email',
    path: () => '/api/optouts',
    action: 'optouts.manage',
    ok: 201,
    body: (_f, n) => ({ email: `opted${n}@matrix.example`, reason: 'asked' }),
  },
  {
    method: 'post',
    route: '/api/optouts',
    variant: 'a CSV file',
    path: () => '/api/optouts',
    action: 'optouts.manage',
    ok: 200,
    csv: true,
    body: (_f, n) => `email\nimported${n}@matrix.example\n`,
  },
  {
    method: 'delete',
    route: '/api/optouts',
    path: () => '/api/optouts',
    action: 'optouts.manage',
    ok: 200,
    body: async (f) => ({ email: await f.doomedOptOut() }),
  },
  {
    method: 'get',
    route: '/api/optouts.csv',
    path: () => '/api/optouts.csv',
    action: 'optouts.manage',
    ok: 200,
  },
  {
    method: 'get',
    route: '/api/optouts/report',
    path: () => '/api/optouts/report?since=2026-11-01',
    action: 'optouts.manage',
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
const NO_CREDENTIALS = 'no credentials';
/** Bearers that once worked, refused from the next request on. */
const ENDED = ['revoked API key', 'deactivated user', "deactivated user's API key"];
/** Credentials refused on every guarded route (401): those, none, and the SCIM token (not an /api bearer). */
const REFUSED = [NO_CREDENTIALS, ...ENDED, 'SCIM token'];
/** Everyone who calls the public routes. */
const EVERYONE = [...ROLE_CALLERS.map(({ who }) => who), ...Object.keys(PANEL_USERS), ...REFUSED];

/** The role a caller acts with: its own, or none for panel users (their permissions decide). */
function roleOf(who: string): Role | null {
  return ROLE_CALLERS.find((caller) => caller.who === who)?.role ?? null;
}

const titleOf = (c: RouteCase) => `${c.method.toUpperCase()} ${c.route}${c.variant ? ` (${c.variant})` : ''}`;

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
  title: titleOf(c),
  expected: c.allowed ? (c.okFor?.[c.who] ?? c.ok) : 403,
  // A refusal by role comes before anything sent is read: the caller sends an invalid request.
  // A panel user refused another record's data sends a valid one (the record is looked up first).
  valid: c.allowed || (c.who === 'panel seller on a2' && c.onRecord === true && c.panel !== undefined),
}));
const REFUSED_CASES = GUARDED.flatMap((route) =>
  REFUSED.map((who) => ({ ...route, title: titleOf(route), who })),
);
const PUBLIC_CASES = ROUTES.filter((r) => r.action === 'public').flatMap((route) =>
  EVERYONE.map((who) => ({
    ...route,
    title: titleOf(route),
    who,
    expected:
      route.refused !== undefined && REFUSED.includes(who) && who !== NO_CREDENTIALS
        ? route.refused
        : route.ok,
  })),
);

/**
 * /scim/v2: the identity provider's, with SIGNALFIT_SCIM_TOKEN and nothing else (docs/sign-in.md
 * "SCIM"). Every caller sends the valid request; only the token gets past the door.
 */
const SCIM_TOKEN = 'scim-matrix-token-5f0c2a9e7b41';
const SCIM_PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SCIM_USER = 'scim@matrix.example';
const U = (f: Fixture) => `/scim/v2/Users/${f.scimUserId}`;
interface ScimCase {
  method: Method;
  route: string;
  path: (f: Fixture) => string | Promise<string>;
  /** The status with the token. */
  ok: number;
  body?: (f: Fixture, n: number) => object;
}
const SCIM_ROUTES: ScimCase[] = [
  {
    method: 'get',
    route: '/scim/v2/ServiceProviderConfig',
    path: () => '/scim/v2/ServiceProviderConfig',
    ok: 200,
  },
  { method: 'get', route: '/scim/v2/ResourceTypes', path: () => '/scim/v2/ResourceTypes', ok: 200 },
  { method: 'get', route: '/scim/v2/ResourceTypes/User', path: () => '/scim/v2/ResourceTypes/User', ok: 200 },
  { method: 'get', route: '/scim/v2/Schemas', path: () => '/scim/v2/Schemas', ok: 200 },
  { method: 'get', route: '/scim/v2/Schemas/:id', path: () => `/scim/v2/Schemas/${USER_SCHEMA}`, ok: 200 },
  {
    method: 'get',
    route: '/scim/v2/Users',
    path: () => `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${SCIM_USER}"`)}`,
    ok: 200,
  },
  {
    method: 'post',
    route: '/scim/v2/Users',
    path: () => '/scim/v2/Users',
    ok: 201,
    body: (_f, n) => ({ schemas: [USER_SCHEMA], userName: `provisioned${n}@matrix.example` }),
  },
  { method: 'get', route: '/scim/v2/Users/:id', path: U, ok: 200 },
  {
    method: 'put',
    route: '/scim/v2/Users/:id',
    path: U,
    ok: 200,
    body: (_f, n) => ({ schemas: [USER_SCHEMA], userName: SCIM_USER, displayName: `Replaced ${n}` }),
  },
  {
    method: 'patch',
    route: '/scim/v2/Users/:id',
    path: U,
    ok: 200,
    body: () => ({ schemas: [SCIM_PATCH], Operations: [{ op: 'replace', path: 'active', value: true }] }),
  },
  {
    method: 'delete',
    route: '/scim/v2/Users/:id',
    path: async (f) => `/scim/v2/Users/${await f.doomedScimUser()}`,
    ok: 204,
  },
];
const SCIM_CASES = SCIM_ROUTES.flatMap((route) =>
  [NO_CREDENTIALS, ...ROLES.map((role) => `${role} API key`), 'Admin user', 'SCIM token'].map((who) => ({
    ...route,
    title: `${route.method.toUpperCase()} ${route.route}`,
    who,
    expected: who === 'SCIM token' ? route.ok : 401,
  })),
);

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
  let provider: TestProvider;
  /** The bearer of each caller but `no credentials`. */
  const bearers = new Map<string, string>();
  /** Sign-in cookies (`signalfit_session=…`) of a live session, a deactivated user's, an ended one. */
  const cookies = new Map<string, string>();
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
    const started = await providerAndConfig({});
    provider = started.provider;
    fixture.issuer = provider.issuer;
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
      oidc: started.oidc,
      scimToken: SCIM_TOKEN,
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
    fixture.doomedOptOut = async () => {
      const email = `doomed${++n}@matrix.example`;
      await addOptOut({ db, actor: OPERATOR, target: { email }, now: NOW });
      return email;
    };
    const provision = async (email: string) =>
      (
        await createScimUser(
          db,
          { email, externalId: null, givenName: null, familyName: null, displayName: null, active: true },
          NOW,
        )
      ).id;
    fixture.scimUserId = await provision(SCIM_USER);
    fixture.doomedScimUser = () => provision(`deprovisioned${++n}@matrix.example`);
    bearers.set('SCIM token', SCIM_TOKEN);
    const cookieOf = async (user: User) =>
      `signalfit_session=${(await openSession(db, user.id, NOW)).secret}`;
    const sales = await createUser(db, OPERATOR, { email: 'browser@matrix.example', role: 'Sales' }, NOW);
    cookies.set('live session', await cookieOf(sales));
    cookies.set('ended session', await cookieOf(sales));

    // Credentials that worked until their user was deactivated, or the key revoked.
    const gone = await createUser(db, OPERATOR, { email: 'gone@matrix.example', role: 'Admin' }, NOW);
    bearers.set('deactivated user', await signIn(gone));
    bearers.set("deactivated user's API key", await newKey('Gone', 'Admin', gone.email));
    cookies.set("deactivated user's session", await cookieOf(gone));
    const revoked = await createApiKey(db, OPERATOR, { name: 'Revoked', role: 'Admin' }, NOW);
    bearers.set('revoked API key', revoked.key);
    for (const who of ENDED) {
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
    await provider?.close();
    await rm(fixture.dir, { recursive: true, force: true });
  });

  /**
   * One call of `c` as `who`: an allowed caller sends the route's valid body; a refused one, or
   * one without credentials, sends a body (and query) no route accepts.
   */
  const call = async (
    c: Pick<RouteCase, 'method' | 'path' | 'body' | 'csv'>,
    who: string,
    valid: boolean,
    cookie?: string,
  ): Promise<Answer> => {
    const url = new URL(await c.path(fixture), base);
    if (!valid) url.searchParams.set('unexpected', 'yes');
    const init: RequestInit & { headers: Record<string, string> } = {
      method: c.method.toUpperCase(),
      headers: who === NO_CREDENTIALS ? {} : { Authorization: `Bearer ${bearers.get(who)!}` },
      redirect: 'manual',
    };
    if (cookie) init.headers.Cookie = cookie;
    if (c.method !== 'get') {
      const body = valid ? await c.body?.(fixture, ++n) : c.csv ? '\u0000' : { unexpected: true };
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
    const json = /^application\/(scim\+)?json/.test(res.headers.get('content-type') ?? '')
      ? (JSON.parse(text) as Record<string, unknown>)
      : null;
    return {
      status: res.status,
      error: (json as { error?: { code: string; message: string } } | null)?.error,
      json,
      location: res.headers.get('location'),
      authenticate: res.headers.get('www-authenticate'),
    };
  };

  it.each(CASES)('$title as $who: $expected', async (c) => {
    const res = await call(c, c.who, c.valid);
    expect([res.status, res.status === c.expected ? null : res.error]).toEqual([c.expected, null]);
    if (!c.allowed) expect(res.error?.code).toBe('forbidden');
    // Refused by role, whatever was sent: the answer names who may — the roles of the route's row,
    // or for a panel user the permission it lacks.
    const mayBe = c.who.startsWith('panel ') ? 'Signalfit_' : rolesFor(c.action).join(', ');
    if (!c.valid) expect(res.error?.message).toContain(mayBe);
    if (c.allowed) await c.after?.();
  });

  it.each(REFUSED_CASES)('$title with $who: 401', async (c) => {
    const res = await call(c, c.who, false);
    expect([res.status, res.error?.code]).toEqual([401, 'unauthorized']);
  });

  it.each(PUBLIC_CASES)('$title is public, to $who: $expected', async (c) => {
    const res = await call(c, c.who, true);
    expect([res.status, res.status === c.expected ? null : res.error]).toEqual([c.expected, null]);
    if (res.status === c.ok) c.check?.(res, c.who, fixture);
  });

  it('signs a browser in and out with the sign-in cookie, and refuses a deactivated user', async () => {
    const session = { method: 'get', path: () => '/api/session' } as const;
    const token = { method: 'post', path: () => '/api/session/token', body: () => ({}) } as const;
    const signOut = { method: 'post', path: () => '/api/session/signout', body: () => ({}) } as const;
    const as = (c: Pick<RouteCase, 'method' | 'path' | 'body'>, cookie: string) =>
      call(c, NO_CREDENTIALS, true, cookies.get(cookie)!);
    const userOf = (res: Answer) => (res.json as { user: { role: Role } | null }).user;

    const live = await as(token, 'live session');
    expect([live.status, userOf(live)?.role]).toEqual([200, 'Sales']);
    expect(userOf(await as(session, 'live session'))?.role).toBe('Sales');
    // The bearer it traded for acts as the user: Sales reads segments, and may not read the audit log.
    bearers.set('browser', (live.json as { accessToken: string }).accessToken);
    const segments = { method: 'get', path: () => '/api/segments' } as const;
    const audit = { method: 'get', path: () => '/api/audit' } as const;
    expect([
      (await call(segments, 'browser', true)).status,
      (await call(audit, 'browser', true)).status,
    ]).toEqual([200, 403]);

    expect((await as(token, 'ended session')).status).toBe(200);
    expect((await as(signOut, 'ended session')).status).toBe(204);
    expect([(await as(token, 'ended session')).status, userOf(await as(session, 'ended session'))]).toEqual([
      401,
      null,
    ]);
    expect([
      (await as(token, "deactivated user's session")).status,
      userOf(await as(session, "deactivated user's session")),
    ]).toEqual([401, null]);
  });

  it.each(SCIM_CASES)('$title with $who: $expected', async (c) => {
    const res = await call(c, c.who, true);
    expect(res.status).toBe(c.expected);
    if (c.expected === 401) {
      expect([res.json?.schemas, res.json?.status, res.authenticate]).toEqual([
        [SCIM_ERROR],
        '401',
        'Bearer realm="signalfit-scim"',
      ]);
    }
  });

  it("answers each role's `can` in GET /api/session as the app's tests record it (ui/test/data/can.json)", async () => {
    const recorded = JSON.parse(
      await readFile(path.join(__dirname, '../../../../ui/test/data/can.json'), 'utf8'),
    ) as Record<Role, Record<Action, boolean>>;
    for (const role of ROLES) {
      for (const who of [`${role} user`, `${role} API key`]) {
        const res = await fetch(`${base}/api/session`, {
          headers: { Authorization: `Bearer ${bearers.get(who)!}` },
        });
        expect({ who, can: ((await res.json()) as { can: object }).can }).toEqual({
          who,
          can: recorded[role],
        });
      }
    }
  });

  it('has every /api route the app serves in its table, and none it does not serve', () => {
    const listed = new Set(ROUTES.map((r) => `${r.method.toUpperCase()} ${r.route}`));
    expect(servedRoutes(app, isApi)).toEqual([...listed].sort());
  });

  it('has every /scim route the app serves in its SCIM table, and none it does not serve', () => {
    const listed = new Set(SCIM_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.route}`));
    expect(servedRoutes(app, (parts) => isUnder('/scim', parts))).toEqual([...listed].sort());
  });
});

/** What a call answered. */
interface Answer {
  status: number;
  error?: { code: string; message: string };
  json: Record<string, unknown> | null;
  location: string | null;
  authenticate: string | null;
}

/** A route's path as the routers joined it: strings, and a RegExp where one was registered. */
type PathParts = (string | RegExp)[];

/**
 * `METHOD path` of every route the app's routers hold whose path `within` selects, mount paths
 * included (a router used at `/scim/v2` adds it to its routes'). A route of several paths is one
 * per path; a RegExp path reads as its source; `router.all` reads as `ALL`.
 */
function servedRoutes(app: Express, within: (parts: PathParts) => boolean): string[] {
  const found: string[] = [];
  type Layer = {
    rawPath?: unknown;
    route?: { path: unknown; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
  };
  const pathsOf = (path: unknown): (string | RegExp)[] =>
    (Array.isArray(path) ? path.flat(Infinity) : [path]).filter(
      (p): p is string | RegExp => typeof p === 'string' || p instanceof RegExp,
    );
  const walk = (stack: Layer[], prefix: PathParts) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of pathsOf(layer.route.path)) {
          const parts = [...prefix, path];
          if (!within(parts)) continue;
          const shown = parts.map((p) => (typeof p === 'string' ? p : p.toString())).join('');
          for (const method of Object.keys(layer.route.methods))
            found.push(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${shown}`);
        }
      } else if (layer.handle?.stack) {
        // A mounted router: its routes' paths are under its mount path (`/` adds nothing).
        for (const mount of layer.rawPath === undefined ? ['/'] : pathsOf(layer.rawPath))
          walk(layer.handle.stack, mount === '/' ? prefix : [...prefix, mount]);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, []);
  return [...new Set(found)].sort();
}

/**
 * Whether a route's path is `base` or below it: its strings say so, or a RegExp among them could
 * match there (it matches `base/x`, or names `base`).
 */
function isUnder(base: string, parts: PathParts): boolean {
  const below = `${base}/`;
  let lead = '';
  for (const part of parts) {
    if (typeof part !== 'string') {
      if (lead === base || lead.startsWith(below)) return true;
      if (!below.startsWith(lead)) return false;
      return part.test(`${below.slice(lead.length)}x`) || part.source.includes(base.slice(1));
    }
    lead += part;
  }
  return lead === base || lead.startsWith(below);
}

const isApi = (parts: PathParts) => isUnder('/api', parts);

describe('the route census of this test', () => {
  // The tables are only as whole as this census: it must see every way a route can be registered.
  it('finds routes under /api however they are registered, and nothing else', () => {
    const app = express();
    const mounted = express.Router();
    mounted.get('/:id', (_req, res) => res.end());
    mounted.all('/any', (_req, res) => res.end());
    const nested = express.Router();
    nested.use('/deeper', mounted);
    app.use('/api/mounted', mounted);
    app.use(nested);
    app.use(
      '/api',
      express.Router().patch('/under/:a/:b', (_req, res) => res.end()),
    );
    app.get(/^\/api\/regex\/(\d+)$/, (_req, res) => res.end());
    app.get(['/api/first', '/elsewhere'], (_req, res) => res.end());
    app.post('/api', (_req, res) => res.end());
    app.get('/apiary', (_req, res) => res.end());
    app.get('/scim/v2/Users', (_req, res) => res.end());
    expect(servedRoutes(app, isApi)).toEqual([
      'ALL /api/mounted/any',
      'GET /^\\/api\\/regex\\/(\\d+)$/',
      'GET /api/first',
      'GET /api/mounted/:id',
      'PATCH /api/under/:a/:b',
      'POST /api',
    ]);
  });
});
