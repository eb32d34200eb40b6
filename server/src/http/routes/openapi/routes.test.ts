import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import express, { type Express } from 'express';
import { seedDemoMarket } from '../../../services/demo/seedDemoMarket';
import { OutreachConnections } from '../../../services/outreach/connections';
import { createRecomputer, type Recomputer } from '../../../services/recompute/recomputer';
import { scoreStore } from '../../../services/scoring/scoreStore';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import type { OutreachStandIn } from '../../../../test/outreachStandIn/standIn';
import { startOutreachStandIn } from '../../../../test/outreachStandIn/testing';
import { ACTIONS } from '../../../policies/policies';
import { createApp } from '../../app';
import { mintEmbedToken, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';
import { openApiPath } from './document';
import { SlackStandIn } from '../../../../test/slackStandIn/standIn';
import { TEST_SECRET_KEY } from '../../../services/alerts/testing';

jest.setTimeout(120_000);

/** A folder holding a provider file with a good row and a bad one (POST /api/providers). */
function providerFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'signalfit-openapi-provider-'));
  writeFileSync(
    path.join(dir, 'provider_contacts.csv'),
    'provider_id,email,company_domain,country\np1,a@acme.com,acme.com,US\np2,not-an-email,acme.com,US\n',
  );
  return dir;
}

const TODAY = new Date('2026-11-20T00:00:00Z');
const NOW = new Date('2026-11-20T10:00:00Z');

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, OperationDoc>>;
  components: { schemas: Record<string, object>; securitySchemes: Record<string, object> };
}
interface OperationDoc {
  security: object[];
  parameters: { name: string; in: string }[];
  requestBody?: object;
  responses: Record<string, { content?: Record<string, { schema: object }>; headers?: object }>;
}

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
        // Every router of the app is mounted at the root (app.use(router)), so paths are whole.
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found.filter((route) => route.split(' ')[1]!.startsWith('/api/')).sort();
}

function documentedRoutes(doc: OpenApiDoc): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

/** Routes of the app that the document does not list, and documented routes the app lacks. */
function compare(app: Express, doc: OpenApiDoc): { undocumented: string[]; missing: string[] } {
  const served = apiRoutesOf(app).map((r) => {
    const [method, path] = r.split(' ');
    return `${method} ${openApiPath(path!)}`;
  });
  const documented = documentedRoutes(doc);
  return {
    undocumented: served.filter((r) => !documented.includes(r)),
    missing: documented.filter((r) => !served.includes(r)),
  };
}

describe.each(testStoreTargets())('GET /api/openapi.json on $name', (target) => {
  let db: Db;
  let standIn: OutreachStandIn;
  let server: Server;
  let base: string;
  let app: Express;
  let recomputer: Recomputer;
  let slack: SlackStandIn;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    const outreach = await startOutreachStandIn({ now: () => NOW });
    standIn = outreach.standIn;
    const userId = standIn.addUser('demo.owner@example.com');
    standIn.approvingUserId = userId;
    standIn.addMailbox('demo.owner@example.com', userId);
    standIn.addSequence('Security leaders Q4');
    await seedDemoMarket({ db, seed: 7, accounts: 40, endDate: TODAY });
    await scoreStore(db, { asOf: TODAY });
    recomputer = createRecomputer({ db, now: () => NOW });
    slack = await new SlackStandIn().start();
    await db.run(
      `INSERT INTO segments (name, kind, definition) VALUES ('Hot', 'filter', '{"field": "qualified", "op": "eq", "value": true}')`,
    );
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: '9.9.9-test',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
      outreach: new OutreachConnections({ db, config: outreach.config, now: () => NOW }),
      demoSignIn: { allowed: true },
      recomputer,
      secretKey: TEST_SECRET_KEY,
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 180_000);
  afterAll(async () => {
    await recomputer?.settled();
    await new Promise((resolve) => server?.close(resolve));
    await standIn?.close();
    await slack?.close();
  });

  const getDocument = async (): Promise<OpenApiDoc> => {
    const res = await fetch(`${base}/api/openapi.json`);
    expect(res.status).toBe(200);
    return (await res.json()) as OpenApiDoc;
  };

  it('is an OpenAPI 3.1 document, public, with the bearer scheme and the error shape', async () => {
    const doc = await getDocument();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    expect(doc.components.schemas.Error).toMatchObject({ required: ['error'] });
    expect(doc.paths['/api/people/{id}']!.get!.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/api/people/{id}']!.get!.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
    expect(doc.paths['/api/accounts']!.get!.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['fit', 'stage', 'sort', 'limit', 'cursor']),
    );
    expect(doc.paths['/api/outreach/enrollments']!.post!.requestBody).toBeDefined();
  });

  it("lists every /api route of the app's router, and no route the app does not serve", async () => {
    const doc = await getDocument();
    expect(apiRoutesOf(app).length).toBeGreaterThanOrEqual(20);
    expect(compare(app, doc)).toEqual({ undocumented: [], missing: [] });
    // The check sees a route added without its entry.
    const extra = express.Router();
    extra.get('/api/undocumented/:id', (_req, res) => void res.end());
    app.use(extra);
    try {
      expect(compare(app, doc).undocumented).toEqual(['GET /api/undocumented/{id}']);
    } finally {
      (app as unknown as { router: { stack: unknown[] } }).router.stack.pop();
    }
  });

  it('answers every documented route, called from outside, as its schema in the document says', async () => {
    const doc = await getDocument();
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ ...doc.components.schemas.Error, $id: 'Error' });
    const validators = new Map<string, ValidateFunction>();
    const validatorFor = (schema: object) => {
      const key = JSON.stringify(schema).replace('#/components/schemas/Error', 'Error');
      let validate = validators.get(key);
      if (!validate) validators.set(key, (validate = ajv.compile(JSON.parse(key) as object)));
      return validate;
    };

    const [person] = await db.query<{ id: string; account_id: string }>(
      `SELECT id, account_id FROM contacts WHERE email IS NOT NULL AND NOT opted_out ORDER BY id LIMIT 1`,
    );
    const demo = (await (await fetch(`${base}/api/session/demo`, { method: 'POST' })).json()) as {
      accessToken: string;
    };
    const app = { Authorization: `Bearer ${demo.accessToken}` };
    const embedToken = await mintEmbedToken({
      claims: {
        rid: person!.account_id,
        obj: 'Account',
        email: 'demo.owner@example.com',
        perms: ['Signalfit_Access', 'Signalfit_Admin', 'Signalfit_Sales_Actions'],
      },
      now: NOW,
    });
    let panel: Record<string, string> = {};
    let connectUrl = '';
    let callbackQuery = '';
    let sequenceId = '';
    let mailboxId = '';
    let subscriptionId = '';
    let userId = '';
    let apiKeyId = '';
    let modelId = '';
    const json = { 'Content-Type': 'application/json' };

    /** One call per documented operation, in an order where each finds what it needs. */
    const calls: [operation: string, status: number, call: () => Promise<Response>][] = [
      ['GET /api/openapi.json', 200, () => fetch(`${base}/api/openapi.json`)],
      ['GET /api/session', 200, () => fetch(`${base}/api/session`)],
      ['POST /api/session/demo', 200, () => fetch(`${base}/api/session/demo`, { method: 'POST' })],
      // Sign-in (issue 18): this app has no single sign-on configured, and the visitor no cookie.
      ['GET /api/auth/oidc/login', 404, () => fetch(`${base}/api/auth/oidc/login`, { redirect: 'manual' })],
      [
        'GET /api/auth/oidc/callback',
        404,
        () => fetch(`${base}/api/auth/oidc/callback?state=s&code=c`, { redirect: 'manual' }),
      ],
      [
        'POST /api/session/token',
        401,
        () => fetch(`${base}/api/session/token`, { method: 'POST', headers: json }),
      ],
      [
        'POST /api/session/signout',
        204,
        () => fetch(`${base}/api/session/signout`, { method: 'POST', headers: json }),
      ],
      [
        'POST /api/embed/exchange',
        200,
        () =>
          fetch(`${base}/api/embed/exchange`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ token: embedToken }),
          }),
      ],
      [
        'GET /api/accounts',
        200,
        () => fetch(`${base}/api/accounts?fit=Strong,Moderate&sort=name&dir=asc&limit=5`, { headers: app }),
      ],
      ['GET /api/accounts/industries', 200, () => fetch(`${base}/api/accounts/industries`, { headers: app })],
      [
        'GET /api/accounts/export.csv',
        200,
        () => fetch(`${base}/api/accounts/export.csv?stage=Decision`, { headers: app }),
      ],
      [
        'GET /api/accounts/{id}/intelligence',
        200,
        () => fetch(`${base}/api/accounts/${person!.account_id}/intelligence`, { headers: panel }),
      ],
      ['GET /api/people/{id}', 200, () => fetch(`${base}/api/people/${person!.id}`, { headers: panel })],
      ['GET /api/admin/runs', 200, () => fetch(`${base}/api/admin/runs?limit=10`, { headers: panel })],
      ['GET /api/scoring/status', 200, () => fetch(`${base}/api/scoring/status`, { headers: app })],
      [
        'POST /api/scoring/recompute',
        202,
        () => fetch(`${base}/api/scoring/recompute`, { method: 'POST', headers: app }),
      ],
      ['GET /api/outreach/status', 200, () => fetch(`${base}/api/outreach/status`, { headers: panel })],
      [
        'POST /api/outreach/connect-ticket',
        201,
        () => fetch(`${base}/api/outreach/connect-ticket`, { method: 'POST', headers: panel }),
      ],
      ['GET /api/outreach/connect', 302, () => fetch(`${base}${connectUrl}`, { redirect: 'manual' })],
      ['GET /api/outreach/callback', 200, () => fetch(`${base}/api/outreach/callback${callbackQuery}`)],
      [
        'GET /api/outreach/sequences',
        200,
        () => fetch(`${base}/api/outreach/sequences?search=security`, { headers: panel }),
      ],
      ['GET /api/outreach/mailboxes', 200, () => fetch(`${base}/api/outreach/mailboxes`, { headers: panel })],
      [
        'POST /api/outreach/enrollments',
        200,
        () =>
          fetch(`${base}/api/outreach/enrollments`, {
            method: 'POST',
            headers: { ...panel, ...json, 'Idempotency-Key': 'openapi-check-1' },
            body: JSON.stringify({ people: [person!.id], sequenceId, mailboxId }),
          }),
      ],
      [
        'GET /api/outreach/enrollments',
        200,
        () => fetch(`${base}/api/outreach/enrollments?personId=${person!.id}`, { headers: panel }),
      ],
      [
        'POST /api/segments',
        201,
        () =>
          fetch(`${base}/api/segments`, {
            method: 'POST',
            headers: { ...app, ...json },
            body: JSON.stringify({
              name: 'Qualified',
              tags: ['abm'],
              definition: { field: 'qualified', op: 'eq', value: true },
            }),
          }),
      ],
      ['GET /api/segments', 200, () => fetch(`${base}/api/segments`, { headers: app })],
      [
        'GET /api/reports/segment-performance',
        200,
        () => fetch(`${base}/api/reports/segment-performance?segments=Hot&type=engagement`, { headers: app }),
      ],
      [
        'GET /api/reports/segment-performance/accounts',
        200,
        () =>
          fetch(`${base}/api/reports/segment-performance/accounts?segments=Hot&table=summary&key=accounts`, {
            headers: app,
          }),
      ],
      [
        'POST /api/segments/preview',
        200,
        () =>
          fetch(`${base}/api/segments/preview`, {
            method: 'POST',
            headers: { ...app, ...json },
            body: JSON.stringify({ definition: { field: 'buying_stage', op: 'gte', value: 'Decision' } }),
          }),
      ],
      [
        'POST /api/segments/upload',
        200,
        () =>
          fetch(`${base}/api/segments/upload?name=Listed&folder=Events`, {
            method: 'POST',
            headers: { ...app, 'Content-Type': 'text/csv' },
            body: `account_id\n${person!.account_id}\nno-such-account\n`,
          }),
      ],
      [
        'PATCH /api/segments/{id}',
        200,
        () =>
          fetch(`${base}/api/segments/Qualified`, {
            method: 'PATCH',
            headers: { ...app, ...json },
            body: JSON.stringify({ description: 'qualified now' }),
          }),
      ],
      ['GET /api/segments/{id}', 200, () => fetch(`${base}/api/segments/Qualified`, { headers: app })],
      [
        'GET /api/segments/{id}/accounts',
        200,
        () => fetch(`${base}/api/segments/Listed/accounts?sort=name&limit=5`, { headers: app }),
      ],
      [
        'GET /api/segments/{id}/export.csv',
        200,
        () => fetch(`${base}/api/segments/Listed/export.csv`, { headers: app }),
      ],
      [
        'POST /api/segments/{id}/publish',
        200,
        () => fetch(`${base}/api/segments/Qualified/publish`, { method: 'POST', headers: app }),
      ],
      [
        'POST /api/segments/{id}/unpublish',
        200,
        () => fetch(`${base}/api/segments/Qualified/unpublish`, { method: 'POST', headers: app }),
      ],
      [
        'DELETE /api/segments/{id}',
        204,
        () => fetch(`${base}/api/segments/Listed`, { method: 'DELETE', headers: app }),
      ],
      [
        'POST /api/providers',
        201,
        () =>
          fetch(`${base}/api/providers`, {
            method: 'POST',
            headers: { ...app, ...json },
            body: JSON.stringify({ name: 'Vendor export', type: 'csv', dir: providerFolder() }),
          }),
      ],
      ['GET /api/providers', 200, () => fetch(`${base}/api/providers`, { headers: app })],
      [
        'POST /api/orchestrations',
        201,
        () =>
          fetch(`${base}/api/orchestrations`, {
            method: 'POST',
            headers: { ...app, ...json },
            body: JSON.stringify({
              name: 'Hot to a file',
              goal: 'acquire_contacts',
              segment: 'Hot',
              provider: 'Vendor export',
              target: { type: 'csv' },
              schedule: { weekly: 'monday' },
            }),
          }),
      ],
      ['GET /api/orchestrations', 200, () => fetch(`${base}/api/orchestrations`, { headers: app })],
      [
        'PATCH /api/orchestrations/{id}',
        200,
        () =>
          fetch(`${base}/api/orchestrations/Hot%20to%20a%20file`, {
            method: 'PATCH',
            headers: { ...app, ...json },
            body: JSON.stringify({ cooldownDays: 14 }),
          }),
      ],
      [
        'GET /api/orchestrations/{id}',
        200,
        () => fetch(`${base}/api/orchestrations/Hot%20to%20a%20file`, { headers: app }),
      ],
      // The run side (runRoutes.ts): an add_to_audience orchestration to a CSV target needs no provider.
      [
        'POST /api/orchestrations/{id}/preview',
        200,
        () =>
          fetch(`${base}/api/orchestrations/Hot%20to%20a%20file/preview`, { method: 'POST', headers: app }),
      ],
      [
        'GET /api/orchestrations/{id}/preview/candidates.csv',
        200,
        () =>
          fetch(`${base}/api/orchestrations/Hot%20to%20a%20file/preview/candidates.csv`, { headers: app }),
      ],
      [
        'GET /api/orchestrations/{id}/preview/accounts.csv',
        200,
        () => fetch(`${base}/api/orchestrations/Hot%20to%20a%20file/preview/accounts.csv`, { headers: app }),
      ],
      [
        'POST /api/orchestrations/{id}/run',
        202,
        () => fetch(`${base}/api/orchestrations/Hot%20to%20a%20file/run`, { method: 'POST', headers: app }),
      ],
      [
        // A manual run is queued (no worker here): another kind of run is refused.
        'POST /api/orchestrations/{id}/repush',
        409,
        () =>
          fetch(`${base}/api/orchestrations/Hot%20to%20a%20file/repush`, {
            method: 'POST',
            headers: { ...app, ...json },
            body: '{}',
          }),
      ],
      [
        'GET /api/orchestrations/{id}/runs',
        200,
        () => fetch(`${base}/api/orchestrations/Hot%20to%20a%20file/runs`, { headers: app }),
      ],
      [
        'GET /api/orchestrations/{id}/runs/{runId}',
        200,
        async () => {
          const listed = await fetch(`${base}/api/orchestrations/Hot%20to%20a%20file/runs`, { headers: app });
          const { runs } = (await listed.json()) as { runs: { id: number }[] };
          return fetch(`${base}/api/orchestrations/Hot%20to%20a%20file/runs/${runs[0]!.id}`, {
            headers: app,
          });
        },
      ],
      [
        'GET /api/orchestrations/{id}/runs/{runId}/records.csv',
        200,
        async () => {
          const listed = await fetch(`${base}/api/orchestrations/Hot%20to%20a%20file/runs`, { headers: app });
          const { runs } = (await listed.json()) as { runs: { id: number }[] };
          return fetch(`${base}/api/orchestrations/Hot%20to%20a%20file/runs/${runs[0]!.id}/records.csv`, {
            headers: app,
          });
        },
      ],
      [
        'DELETE /api/orchestrations/{id}',
        204,
        async () => {
          // No run worker in this app: the queued run above is ended here, as a worker would.
          await db.run(`UPDATE orchestration_runs SET state = 'complete' WHERE state = 'queued'`);
          return fetch(`${base}/api/orchestrations/Hot%20to%20a%20file`, { method: 'DELETE', headers: app });
        },
      ],
      [
        'POST /api/alerts',
        201,
        () =>
          fetch(`${base}/api/alerts`, {
            method: 'POST',
            headers: { ...app, ...json },
            body: JSON.stringify({
              segment: 'Hot',
              event: 'became_qualified',
              slackWebhookUrl: slack.newWebhook(),
            }),
          }),
      ],
      ['GET /api/alerts', 200, () => fetch(`${base}/api/alerts`, { headers: app })],
      [
        'GET /api/reports/model-insights',
        200,
        () => fetch(`${base}/api/reports/model-insights?month=2026-08`, { headers: app }),
      ],
      // Model versions (issue 17): the store's first scoring activated the first versions; a
      // training on the same facts is a candidate, approved, rolled back, and another rejected.
      ['GET /api/models', 200, () => fetch(`${base}/api/models`, { headers: app })],
      ['GET /api/models/pending', 200, () => fetch(`${base}/api/models/pending`, { headers: app })],
      [
        'POST /api/models/train',
        200,
        () => fetch(`${base}/api/models/train`, { method: 'POST', headers: { ...app, ...json }, body: '{}' }),
      ],
      ['GET /api/models/compare', 200, () => fetch(`${base}/api/models/compare`, { headers: app })],
      [
        'GET /api/models/compare/accounts',
        200,
        () => fetch(`${base}/api/models/compare/accounts?kind=becoming_qualified&limit=5`, { headers: app }),
      ],
      [
        'POST /api/models/{id}/postpone',
        200,
        () =>
          fetch(`${base}/api/models/${modelId}/postpone`, {
            method: 'POST',
            headers: { ...app, ...json },
            body: JSON.stringify({ days: 7 }),
          }),
      ],
      [
        'POST /api/models/{id}/approve',
        200,
        () => fetch(`${base}/api/models/${modelId}/approve`, { method: 'POST', headers: app }),
      ],
      [
        'POST /api/models/rollback',
        200,
        () => fetch(`${base}/api/models/rollback`, { method: 'POST', headers: app }),
      ],
      [
        'POST /api/models/{id}/reject',
        200,
        async () => {
          const trained = await fetch(`${base}/api/models/train`, { method: 'POST', headers: app });
          const { versions } = (await trained.json()) as { versions: { id: number }[] };
          return fetch(`${base}/api/models/${versions[0]!.id}/reject`, { method: 'POST', headers: app });
        },
      ],
      [
        'POST /api/alerts/{id}/test',
        200,
        () => fetch(`${base}/api/alerts/${subscriptionId}/test`, { method: 'POST', headers: app }),
      ],
      [
        'DELETE /api/alerts/{id}',
        204,
        () => fetch(`${base}/api/alerts/${subscriptionId}`, { method: 'DELETE', headers: app }),
      ],
      [
        'PUT /api/credits',
        200,
        () =>
          fetch(`${base}/api/credits`, {
            method: 'PUT',
            headers: { ...app, ...json },
            body: JSON.stringify({ allowance: 500, allowOverage: false }),
          }),
      ],
      ['GET /api/credits', 200, () => fetch(`${base}/api/credits`, { headers: app })],
      // The audit log holds the changes of the calls above.
      ['GET /api/audit', 200, () => fetch(`${base}/api/audit?action=credits&limit=5`, { headers: app })],
      ['GET /api/audit.csv', 200, () => fetch(`${base}/api/audit.csv?since=2020-01-01`, { headers: app })],
      [
        'POST /api/optouts',
        201,
        () =>
          fetch(`${base}/api/optouts`, {
            method: 'POST',
            headers: { ...app, ...json },
            body: JSON.stringify({ email: 'Jo@Acme.com', reason: 'asked' }),
          }),
      ],
      ['GET /api/optouts', 200, () => fetch(`${base}/api/optouts?q=acme`, { headers: app })],
      ['GET /api/optouts.csv', 200, () => fetch(`${base}/api/optouts.csv`, { headers: app })],
      [
        'GET /api/optouts/report',
        200,
        () => fetch(`${base}/api/optouts/report?since=2020-01-01`, { headers: app }),
      ],
      [
        'DELETE /api/optouts',
        200,
        () =>
          fetch(`${base}/api/optouts`, {
            method: 'DELETE',
            headers: { ...app, ...json },
            body: JSON.stringify({ email: 'jo@acme.com' }),
          }),
      ],
      [
        'PUT /api/retention',
        200,
        () =>
          fetch(`${base}/api/retention`, {
            method: 'PUT',
            headers: { ...app, ...json },
            body: JSON.stringify({ auditDays: 730, scoreRuns: null }),
          }),
      ],
      ['GET /api/retention', 200, () => fetch(`${base}/api/retention`, { headers: app })],
      [
        'POST /api/offboarding/{step}',
        200,
        () => fetch(`${base}/api/offboarding/credits`, { method: 'POST', headers: app }),
      ],
      ['GET /api/offboarding', 200, () => fetch(`${base}/api/offboarding`, { headers: app })],
      [
        'GET /api/accounts/{id}/acquire',
        200,
        async () => {
          // An account at the provider file's domain (after the account routes' calls).
          await db.run(`INSERT INTO accounts (id, name, domain) VALUES ('acq-1', 'Acme', 'acme.com')`);
          return fetch(`${base}/api/accounts/acq-1/acquire`, { headers: app });
        },
      ],
      [
        'POST /api/accounts/{id}/acquire',
        200,
        () =>
          fetch(`${base}/api/accounts/acq-1/acquire`, {
            method: 'POST',
            headers: { ...app, ...json },
            body: JSON.stringify({ providerId: 'p1' }),
          }),
      ],
      [
        'DELETE /api/outreach/connection',
        200,
        () => fetch(`${base}/api/outreach/connection`, { method: 'DELETE', headers: panel }),
      ],
      // Users and API keys (docs/users-and-keys.md).
      [
        'POST /api/users',
        201,
        () =>
          fetch(`${base}/api/users`, {
            method: 'POST',
            headers: { ...app, ...json },
            body: JSON.stringify({ email: 'ana@example.com', name: 'Ana', role: 'Sales' }),
          }),
      ],
      ['GET /api/users', 200, () => fetch(`${base}/api/users`, { headers: app })],
      [
        'PATCH /api/users/{id}',
        200,
        () =>
          fetch(`${base}/api/users/${userId}`, {
            method: 'PATCH',
            headers: { ...app, ...json },
            body: JSON.stringify({ role: 'Operations', active: false }),
          }),
      ],
      [
        'POST /api/apikeys',
        201,
        () =>
          fetch(`${base}/api/apikeys`, {
            method: 'POST',
            headers: { ...app, ...json },
            body: JSON.stringify({ name: 'warehouse', role: 'Insights' }),
          }),
      ],
      ['GET /api/apikeys', 200, () => fetch(`${base}/api/apikeys`, { headers: app })],
      [
        'DELETE /api/apikeys/{id}',
        200,
        () => fetch(`${base}/api/apikeys/${apiKeyId}`, { method: 'DELETE', headers: app }),
      ],
    ];
    // A route documented without a call here fails the test: every answer is checked.
    expect(calls.map(([operation]) => operation).sort()).toEqual(documentedRoutes(doc));

    const problems: string[] = [];
    for (const [operation, expected, call] of calls) {
      const [method, path] = operation.split(' ') as [string, string];
      const documented = doc.paths[path]![method.toLowerCase()]!;
      const res = await call();
      const text = await res.text();
      if (res.status !== expected) {
        problems.push(`${operation}: answered ${res.status}, expected ${expected}: ${text.slice(0, 300)}`);
        continue;
      }
      const answer = documented.responses[String(res.status)];
      if (!answer) {
        problems.push(`${operation}: status ${res.status} is not documented`);
        continue;
      }
      const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!;
      if (answer.content) {
        const content = answer.content[mediaType];
        if (!content)
          problems.push(
            `${operation}: answered ${mediaType}, documented ${Object.keys(answer.content).join(', ')}`,
          );
        else if (mediaType === 'application/json') {
          const validate = validatorFor(content.schema);
          if (path !== '/api/openapi.json' && !validate(JSON.parse(text)))
            problems.push(`${operation}: ${ajv.errorsText(validate.errors)}`);
        }
      }
      const body = mediaType === 'application/json' ? (JSON.parse(text) as Record<string, unknown>) : {};
      // What the next calls need.
      if (operation === 'POST /api/embed/exchange')
        panel = { Authorization: `Bearer ${String(body.accessToken)}` };
      if (operation === 'POST /api/outreach/connect-ticket') connectUrl = String(body.connectUrl);
      if (operation === 'GET /api/outreach/connect') {
        const approved = await fetch(res.headers.get('location')!, { redirect: 'manual' });
        callbackQuery = new URL(approved.headers.get('location')!).search;
      }
      if (operation === 'GET /api/outreach/sequences')
        sequenceId = (body.sequences as { id: string }[])[0]!.id;
      if (operation === 'GET /api/outreach/mailboxes') mailboxId = String(body.defaultMailboxId);
      if (operation === 'POST /api/alerts') subscriptionId = String((body.subscription as { id: number }).id);
      if (operation === 'POST /api/users') userId = String((body.user as { id: string }).id);
      if (operation === 'POST /api/apikeys') apiKeyId = String((body.apiKey as { id: string }).id);
      if (operation === 'POST /api/models/train')
        modelId = String((body.versions as { id: number }[])[0]!.id);
    }
    expect(problems).toEqual([]);
  });

  it('finds an answer that does not match its schema', async () => {
    const doc = await getDocument();
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const schema = doc.paths['/api/session']!.get!.responses['200']!.content!['application/json']!.schema;
    const validate = ajv.compile(schema);
    // Every action of policies.ts, as the session answers them.
    const can = Object.fromEntries(ACTIONS.map((action) => [action, false]));
    expect(validate({ demo: true, user: null, signInMethods: [], can })).toBe(true);
    expect(validate({ demo: 'yes', user: null, signInMethods: [], can })).toBe(false);
    expect(validate({ demo: true, user: null, signInMethods: [], can, extra: 1 })).toBe(false);
  });
});
