import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../../domain/vocabulary';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { issueAccessToken } from '../../auth/accessToken';
import { loadAccessKey } from '../../auth/accessKey';
import { TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-11-20T12:00:00Z');
const ROLES = ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only'] as const;
const HEADER =
  'provider_id,email,first_name,last_name,title,job_level,job_function,company_domain,country,email_confidence,cost';

describe.each(testStoreTargets())('provider routes on $name', (target) => {
  let db: Db;
  let app: Express;
  let dir: string;
  const tokens = new Map<Role, string>();
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'signalfit-provider-routes-'));
    writeFileSync(
      path.join(dir, 'provider_contacts.csv'),
      `${HEADER}\np1,a@acme.com,,,,,,acme.com,US,A,\np2,a@acme.com,,,,,,acme.com,USA,A,\n`,
    );
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
    });
    for (const role of ROLES) {
      tokens.set(
        role,
        await issueAccessToken(
          {
            orgId: 'o',
            userId: `u-${role}`,
            name: `A ${role}`,
            email: null,
            perms: [],
            record: null,
            accountId: null,
            role,
          },
          await loadAccessKey(db),
          NOW,
        ),
      );
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await db.exec('DELETE FROM contact_providers');
  });

  const as = (role: Role) => ({ Authorization: `Bearer ${tokens.get(role)!}` });
  const add = (body: object, role: Role = 'Operations') =>
    request(app).post('/api/providers').set(as(role)).send(body);

  it('adds a csv provider (201) with the report of its file, and lists it', async () => {
    const added = await add({ name: 'Vendor', type: 'csv', dir });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      provider: {
        id: expect.any(Number),
        name: 'Vendor',
        type: 'csv',
        settings: { dir },
        createdAt: expect.any(String),
        createdBy: 'A Operations',
      },
      report: {
        rows: 2,
        bad: [{ line: 3, reason: 'country "USA" is not an ISO 3166 alpha-2 country code: write US' }],
      },
    });
    const listed = await request(app).get('/api/providers').set(as('View Only'));
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ providers: [added.body.provider] });
  });

  it('lets Admin and Operations add, Admin, Operations, Marketing and View Only read, and refuses the others (403)', async () => {
    const added: Record<string, number> = {};
    const read: Record<string, number> = {};
    for (const role of ROLES) {
      added[role] = (await add({ name: `By ${role}`, type: 'csv', dir }, role)).status;
      read[role] = (await request(app).get('/api/providers').set(as(role))).status;
    }
    expect(added).toEqual({
      Admin: 201,
      Operations: 201,
      Marketing: 403,
      Sales: 403,
      Insights: 403,
      'View Only': 403,
    });
    expect(read).toEqual({
      Admin: 200,
      Operations: 200,
      Marketing: 200,
      Sales: 403,
      Insights: 403,
      'View Only': 200,
    });
    expect((await request(app).get('/api/providers')).status).toBe(401);
  });

  it('refuses an http provider, a missing folder and a taken name; stores nothing then', async () => {
    const http = await add({ name: 'Api', type: 'http', url: 'https://adapter.example.com' });
    expect(http.status).toBe(400);
    expect(http.body.error.code).toBe('validation_failed');
    const missing = await add({ name: 'Gone', type: 'csv', dir: path.join(dir, 'nope') });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toEqual({
      code: 'invalid_provider',
      message: `the folder ${path.join(dir, 'nope')} does not exist: give the folder that holds provider_contacts.csv`,
    });
    expect((await add({ name: 'Vendor', type: 'csv', dir })).status).toBe(201);
    const taken = await add({ name: 'vendor', type: 'csv', dir });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('conflict');
    expect((await request(app).get('/api/providers').set(as('Admin'))).body.providers).toHaveLength(1);
  });
});
