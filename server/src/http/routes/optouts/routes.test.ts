import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../../domain/vocabulary';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { roleHeaders, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-11-20T12:00:00Z');
const ROLES: Role[] = ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only'];

describe.each(testStoreTargets())('opt-out routes on $name', (target) => {
  let db: Db;
  let app: Express;
  let as: (role: Role) => { Authorization: string };
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
    });
    as = await roleHeaders(db, ROLES, NOW);
  });

  it('refuses every route to the roles that may not manage opt-outs, before reading the input; 401 without credentials', async () => {
    const calls = [
      () => request(app).get('/api/optouts?limit=nonsense'),
      () => request(app).post('/api/optouts').send({ nonsense: true }),
      () =>
        request(app)
          .post('/api/optouts')
          .set('Content-Type', 'text/csv')
          .send('x'.repeat(6 * 1024 * 1024)),
      () => request(app).delete('/api/optouts').send({ email: 'not an email' }),
      () => request(app).get('/api/optouts.csv'),
      () => request(app).get('/api/optouts/report?since=yesterday'),
    ];
    for (const role of ['Marketing', 'Sales', 'Insights', 'View Only'] as const)
      for (const [i, call] of calls.entries()) {
        const res = await call().set(as(role));
        expect({ role, i, status: res.status, code: res.body.error?.code }).toEqual({
          role,
          i,
          status: 403,
          code: 'forbidden',
        });
      }
    const refused = await request(app).get('/api/optouts').set(as('Sales'));
    expect(refused.body.error.message).toBe('viewing the opt-out list is for the Admin, Operations roles');
    for (const call of calls) expect((await call()).status).toBe(401);
  });

  it('adds, lists with a search, imports CSV, exports, and removes', async () => {
    const added = await request(app)
      .post('/api/optouts')
      .set(as('Operations'))
      .send({ domain: 'https://www.Example.com/x', reason: 'legal' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      added: true,
      entry: {
        kind: 'domain',
        value: 'example.com',
        source: 'manual',
        reason: 'legal',
        createdAt: NOW.toISOString(),
        createdBy: 'A Operations',
      },
    });
    const again = await request(app).post('/api/optouts').set(as('Admin')).send({ domain: 'example.com' });
    expect({ status: again.status, added: again.body.added }).toEqual({ status: 200, added: false });
    const bad = await request(app).post('/api/optouts').set(as('Admin')).send({ email: 'jo@' });
    expect({ status: bad.status, message: bad.body.error.message }).toEqual({
      status: 400,
      message: 'malformed email: "jo@"',
    });
    const both = await request(app)
      .post('/api/optouts')
      .set(as('Admin'))
      .send({ email: 'a@b.com', domain: 'b.com' });
    expect(both.status).toBe(400);

    const imported = await request(app)
      .post('/api/optouts')
      .set(as('Admin'))
      .set('Content-Type', 'text/csv')
      .send('email,domain\nJo@Acme.com,\n,\nbad,\n,acme.io\n');
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({
      rows: 4,
      added: 2,
      already: 0,
      bad: 2,
      badRows: [
        { line: 3, value: ',', reason: 'empty' },
        { line: 4, value: 'bad,', reason: 'malformed email' },
      ],
    });

    const listed = await request(app).get('/api/optouts?q=ACME&limit=1').set(as('Operations'));
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(2);
    expect(listed.body.entries).toHaveLength(1);
    expect(listed.headers['cache-control']).toBe('private, no-store');

    const exported = await request(app).get('/api/optouts.csv').set(as('Admin'));
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.text.split('\n').slice(0, 4)).toEqual([
      'email,domain,source,reason,created_at,created_by',
      `jo@acme.com,,import,,${NOW.toISOString()},A Admin`,
      `,acme.io,import,,${NOW.toISOString()},A Admin`,
      `,example.com,manual,legal,${NOW.toISOString()},A Operations`,
    ]);

    const removed = await request(app)
      .delete('/api/optouts')
      .set(as('Operations'))
      .send({ email: ' JO@acme.com' });
    expect({ status: removed.status, value: removed.body.entry.value }).toEqual({
      status: 200,
      value: 'jo@acme.com',
    });
    const gone = await request(app)
      .delete('/api/optouts')
      .set(as('Operations'))
      .send({ email: 'jo@acme.com' });
    expect({ status: gone.status, code: gone.body.error.code }).toEqual({ status: 404, code: 'not_found' });

    const report = await request(app)
      .get('/api/optouts/report?since=2026-11-01&until=2026-11-21')
      .set(as('Operations'));
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      since: '2026-11-01T00:00:00.000Z',
      until: '2026-11-21T00:00:00.000Z',
      newOptOuts: { listEmails: 0, listDomains: 2, people: 0 },
      stillPresent: { total: 0 },
    });
    const backwards = await request(app)
      .get('/api/optouts/report?since=2026-12-01&until=2026-11-01')
      .set(as('Admin'));
    expect(backwards.status).toBe(400);
  });
});
